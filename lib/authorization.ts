import { defaultFieldResolver, Kind, parse, type DirectiveNode, type GraphQLFieldResolver, type ValueNode } from 'graphql';
import { ErrorCode, HubError } from './errors';
import type { Identity, Role } from './identity';
import type { AccessRecorder } from './audit';

/**
 * Field-level authorization declared next to the fields, with Apollo Federation's
 * `@requiresScopes(scopes: [["clinician"], ["admin"]])` (federation v2.5+): the outer list is "any
 * of", each inner list "all of"; a scope is a hub role. The gateway reads the same directives from
 * the supergraph, and each subgraph enforces them again here, so a subgraph reached with a valid
 * assertion but for the wrong role still refuses. A directive on a type applies to all its fields.
 * The `service` role (hub services calling each other for their own work) passes every check.
 */
export const SCOPES_DIRECTIVE = 'requiresScopes';

type ResolverMap = Record<string, Record<string, unknown>>;
interface AuthorizedContext {
  identity?: Identity;
  /** Collects reads of identified fields for the audit log (lib/audit.ts). */
  access?: AccessRecorder;
  /**
   * Row-level access in subgraphs that do not own the patient record: refuses a patient outside the
   * caller's care (lib/patient-client.ts `PatientAccess`). Checked for Patient fields and for
   * subscriptions on one patient.
   */
  checkPatientAccess?: (patientId: string, coordinate?: string) => Promise<void>;
  /**
   * The same check for one event a patient subscription is about to deliver, which may carry the
   * organisation it was published under (so nothing need be read); absent: checkPatientAccess.
   */
  checkPatientEvent?: (patientId: string, event: unknown, coordinate?: string) => Promise<void>;
}
type FieldResolver = GraphQLFieldResolver<unknown, AuthorizedContext>;

/**
 * Identified data: Patient fields only clinicians and admins may read (names, identifiers, exact
 * dates, note text). Every read of one is audited.
 */
export function isIdentified(coordinate: string, scopes: string[][]): boolean {
  return coordinate.startsWith('Patient.') && !isAllowed(scopes, 'researcher') && !isAllowed(scopes, 'partner');
}

function stringLists(value: ValueNode): string[][] {
  if (value.kind !== Kind.LIST) return [];
  return value.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : []));
}

/** The scope alternatives a directive list requires, if any. */
export function requiredScopes(directives: readonly DirectiveNode[] | undefined): string[][] | undefined {
  const directive = directives?.find((d) => d.name.value === SCOPES_DIRECTIVE);
  const scopes = directive?.arguments?.find((a) => a.name.value === 'scopes');
  return scopes ? stringLists(scopes.value) : undefined;
}

export function isAllowed(scopes: string[][], role: Role): boolean {
  return role === 'service' || scopes.some((all) => all.length > 0 && all.every((scope) => scope === role));
}

export function assertAllowed(scopes: string[][], identity: Identity | undefined, coordinate: string): void {
  if (!identity) throw new HubError(ErrorCode.UNAUTHENTICATED, `${coordinate} needs an authenticated caller`);
  if (isAllowed(scopes, identity.role)) return;
  const roles = scopes.map((all) => all.join(' and ')).join(' or ');
  throw new HubError(ErrorCode.FORBIDDEN, `${coordinate} is not available to the ${identity.role} role (it needs ${roles})`, {
    field: coordinate,
    role: identity.role,
  });
}

/** Every field of `sdl` with the scopes it requires (its own, or its type's). */
export function protectedFields(sdl: string): Map<string, string[][]> {
  const fields = new Map<string, string[][]>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeScopes = requiredScopes(definition.directives);
    for (const field of definition.fields ?? []) {
      const scopes = requiredScopes(field.directives) ?? typeScopes;
      if (scopes) fields.set(`${definition.name.value}.${field.name.value}`, scopes);
    }
  }
  return fields;
}

/**
 * The resolver map with every protected field checked before it resolves (or, for a subscription,
 * before it subscribes: a forbidden subscription is refused at subscribe time, not left silent).
 */
export function withRoleChecks<T extends object>(sdl: string, resolvers: T): T {
  const map = { ...(resolvers as unknown as ResolverMap) };
  for (const [coordinate, scopes] of protectedFields(sdl)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const typeResolvers = { ...(map[typeName] ?? {}) };
    const current = typeResolvers[fieldName];
    const audited = isIdentified(coordinate, scopes);
    const perPatient = typeName === 'Patient';
    const check = (context: AuthorizedContext, source?: unknown) => {
      assertAllowed(scopes, context.identity, coordinate);
      const patientId = (source as { id?: unknown } | undefined)?.id;
      if (audited && typeof patientId === 'string') context.access?.record(patientId, coordinate);
    };
    if (current && typeof current === 'object' && 'subscribe' in current) {
      const subscription = current as { subscribe: FieldResolver; resolve?: FieldResolver };
      typeResolvers[fieldName] = {
        ...subscription,
        subscribe: async (source: unknown, args: Record<string, unknown>, context: AuthorizedContext, info: never) => {
          check(context);
          const patientId = args.patientId;
          if (typeof patientId !== 'string' || !context.checkPatientAccess) return subscription.subscribe(source, args, context, info);
          const checkAccess = context.checkPatientAccess;
          await checkAccess(patientId, coordinate);
          const checkEvent = context.checkPatientEvent ?? ((id: string, _event: unknown, at?: string) => checkAccess(id, at));
          return whileAllowed((await subscription.subscribe(source, args, context, info)) as AsyncIterable<unknown>, (event) => checkEvent(patientId, event, coordinate));
        },
      };
    } else {
      const resolve = (typeof current === 'function' ? current : defaultFieldResolver) as FieldResolver;
      typeResolvers[fieldName] = (source: unknown, args: Record<string, unknown>, context: AuthorizedContext, info: never) => {
        check(context, source);
        const patientId = (source as { id?: unknown } | undefined)?.id;
        if (perPatient && context.checkPatientAccess && typeof patientId === 'string') {
          return context.checkPatientAccess(patientId, coordinate).then(() => resolve(source, args, context, info));
        }
        return resolve(source, args, context, info);
      };
    }
    map[typeName] = typeResolvers;
  }
  return map as unknown as T;
}

/**
 * A patient's subscription stream that checks access again before each event it delivers, so a
 * subscription outlives no change of the patient's organisation: once the caller may no longer see the
 * patient, the next event ends the stream with the check's error (FORBIDDEN) instead of delivering it.
 * The check reads the organisation the event was published under, else afresh (a connection's context
 * keeps nothing between events).
 */
async function* whileAllowed<T>(events: AsyncIterable<T>, check: (event: T) => Promise<void>): AsyncGenerator<T> {
  for await (const event of events) {
    await check(event);
    yield event;
  }
}
