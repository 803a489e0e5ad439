import { ErrorCode, HubError } from './errors';
import { withTraceHeaders } from './tracing';
import { IDENTITY_HEADER } from './identity';

/** A signed identity assertion for each call (IdentityAssertions.forService). */
export type ServiceCredentials = () => Promise<string>;

export const SUBGRAPH_TIMEOUT_MS = 10_000;

/**
 * An operation generated from the called subgraph's SDL (lib/contracts/generated/<subgraph>): its text,
 * and in its type the shapes of its variables and result, so a caller's query and the callee's schema
 * cannot drift apart unseen (`npm run contracts:codegen`, checked by scripts/contracts-codegen.test.ts).
 */
export interface TypedOperation<TResult, TVariables> {
  toString(): string;
  readonly __apiType?: (variables: TVariables) => TResult;
}

/** An entity representation: the type's name and its key fields. */
export type EntityRepresentation = { __typename: string; [key: string]: unknown };

/** One row of a generated `_entities` operation, as the one type its fragment selects (null rows aside). */
export type EntityOf<TResult extends { _entities: readonly unknown[] }> = Exclude<TResult['_entities'][number], null | undefined | Record<PropertyKey, never>>;

const ENTITY_TYPE = /\.\.\.\s*on\s+(\w+)/;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Reads another subgraph over GraphQL — its queries, or its entities through `_entities` — so no
 * service reaches into another's storage. Any GraphQL error fails the call: a decision computed from
 * half the data must not look like one computed from all of it.
 */
export class SubgraphClient {
  constructor(
    readonly name: string,
    readonly url: string,
    private readonly credentials: ServiceCredentials,
    private readonly timeoutMs = SUBGRAPH_TIMEOUT_MS,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: withTraceHeaders({ 'content-type': 'application/json', [IDENTITY_HEADER]: await this.credentials() }),
        body: JSON.stringify({ query, variables }),
        // A hung subgraph must not hang the caller's request or its event batch.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `${this.name} subgraph unreachable at ${this.url}: ${(error as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as GraphQLResponse<T>;
    if (!body.data || body.errors?.length) {
      const reason = body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
      throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `${this.name} subgraph at ${this.url} failed: ${reason}`);
    }
    return body.data;
  }

  /** Runs a generated operation (lib/contracts/generated) with its typed variables. */
  execute<TResult, TVariables>(operation: TypedOperation<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    return this.request<TResult>(operation.toString(), (variables ?? {}) as Record<string, unknown>);
  }

  /**
   * Entities by key through a generated `_entities` operation, in the order given; null for those the
   * subgraph does not know. The entity type is the one the operation's fragment names (`... on Variant`),
   * so the representations cannot name another.
   */
  async entitiesOf<TResult extends { _entities: readonly unknown[] }>(
    operation: TypedOperation<TResult, { representations: EntityRepresentation[] }>,
    keys: readonly Record<string, unknown>[],
  ): Promise<(EntityOf<TResult> | null)[]> {
    if (keys.length === 0) return [];
    const text = operation.toString();
    const typename = ENTITY_TYPE.exec(text)?.[1];
    if (!typename) throw new Error(`${this.name} subgraph: the operation ${text.slice(0, 60).trim()}… selects no entity type (\`... on Type\`)`);
    const data = await this.execute(operation, { representations: keys.map((key) => ({ __typename: typename, ...key })) });
    return data._entities as (EntityOf<TResult> | null)[];
  }
}
