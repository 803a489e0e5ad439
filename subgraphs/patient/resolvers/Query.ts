import { ErrorCode, HubError } from '../../../lib/errors';
import type { PatientContext } from '../context';
import { assertPatientAccess, organisationScope } from '../../../lib/patient-access';
import { LOINC_CATALOGUE } from '../domain/loinc';
import { isHubId, type PatientCriteria, type Sex } from '../repository/patient-repository';
import { birthDateArg, isNameCursor } from '../domain/patient-search';
import { assertMaySearchIdentified, auditIdentifyingFilters, given, nameSearch, type PatientConnectionSource } from './patient-search';

export const MAX_PAGE_SIZE = 100;

export const encodeCursor = (id: string): string => Buffer.from(`patient:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.slice('patient:'.length);
  // A hub id only: anything else would reach PostgreSQL's uuid cast and fail as an internal error.
  if (!decoded.startsWith('patient:') || !isHubId(id)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `after: "${cursor}" is not a cursor returned by patients`, { field: 'after' });
  }
  return id;
}

/** PatientFilter as GraphQL delivers it (Sex already mapped to the stored value). */
export interface PatientFilterArg {
  identifier?: string | null;
  name?: string | null;
  birthDate?: string | null;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: Sex | null;
  conditionCode?: string | null;
  conditionSystem?: string | null;
  observation?: { code: string; min?: number | null; max?: number | null } | null;
  hasMedication?: string | null;
  gene?: string | null;
  variant?: string | null;
}

/** The hub's variant id (architecture note); the genomics subgraph checks the rest. */
const VARIANT_ID = /^GRCh38:(?:[1-9]|1\d|2[0-2]|X|Y|MT):\d+:[ACGTN]+:[ACGTN]+$/;

/**
 * The filter as criteria, with gene and variant filters answered by the genomics subgraph (the patients
 * carrying them) — the patient subgraph never reads genomics storage itself.
 */
export async function resolvePatientCriteria(
  filter: PatientFilterArg | null | undefined,
  ctx: PatientContext,
  options: { search?: boolean } = {},
): Promise<PatientCriteria> {
  const criteria = toPatientCriteria(filter, options);
  const gene = text(filter?.gene, 'gene');
  const variant = text(filter?.variant, 'variant');
  if (!gene && !variant) return criteria;
  if (variant && !VARIANT_ID.test(variant)) throw badFilter('variant', `"${variant}" is not a variant id GRCh38:<chrom>:<pos>:<ref>:<alt>`);
  if (!ctx.genomics) {
    throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'filter.gene / filter.variant need the genomics subgraph, which this patient service was not given', { field: 'filter.gene' });
  }
  return { ...criteria, patientIds: await ctx.genomics.carriers(gene, variant) };
}

const badFilter = (field: string, message: string) =>
  new HubError(ErrorCode.BAD_USER_INPUT, `filter.${field}: ${message}`, { field: `filter.${field}` });

function text(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  // An empty code or display text would match everything, which is never what the caller meant.
  const trimmed = value.trim();
  if (!trimmed) throw badFilter(field, 'must not be empty');
  return trimmed;
}

/** An empty range is a mistake to report, not a question whose answer is "nobody". */
const inverted = (min: number | null | undefined, max: number | null | undefined) =>
  min !== null && min !== undefined && max !== null && max !== undefined && min > max;

/** A LOINC code whose values have one unit: a range or percentile over mixed units would mislead. */
export function catalogueCode(code: string, field: string): { code: string; unit: string } {
  const known = LOINC_CATALOGUE.get(code.trim());
  if (!known) {
    throw new HubError(
      ErrorCode.UNKNOWN_LOINC_CODE,
      `${field}: LOINC "${code}" is not in the hub's unit catalogue, so its values have no single unit to compare`,
      { field },
    );
  }
  return { code: known.code, unit: known.unit };
}

/** Validates Query.patients' and Query.cohort's filter into what the repositories select on. */
export function toPatientCriteria(filter: PatientFilterArg | null | undefined, options: { search?: boolean } = {}): PatientCriteria {
  if (!filter) return {};
  // Names and exact birth dates find a person: Query.patients searches by them (audited, scoped to the
  // caller's organisation); aggregates and research rows never select on them.
  if (!options.search) {
    for (const field of ['name', 'birthDate'] as const) {
      if (filter[field] !== null && filter[field] !== undefined) {
        throw badFilter(field, 'only Query.patients searches by name or birth date; cohorts and research rows never select on identified data');
      }
    }
  }
  for (const field of ['ageMin', 'ageMax'] as const) {
    const age = filter[field];
    if (age !== null && age !== undefined && age < 0) throw badFilter(field, `${age} is negative`);
  }
  if (inverted(filter.ageMin, filter.ageMax)) throw badFilter('ageMin', `${filter.ageMin} is greater than ageMax ${filter.ageMax}`);
  const conditionCode = text(filter.conditionCode, 'conditionCode');
  const conditionSystem = text(filter.conditionSystem, 'conditionSystem');
  if (conditionSystem && !conditionCode) throw badFilter('conditionSystem', 'narrows conditionCode, which is missing');
  let observation: PatientCriteria['observation'] = null;
  if (filter.observation) {
    const { min, max } = filter.observation;
    const { code } = catalogueCode(filter.observation.code, 'filter.observation.code');
    if (inverted(min, max)) throw badFilter('observation', `min ${min} is greater than max ${max}`);
    observation = { code, min: min ?? null, max: max ?? null };
  }
  return {
    identifier: filter.identifier ?? null,
    birthDate: filter.birthDate === null || filter.birthDate === undefined ? null : birthDateArg(filter.birthDate),
    ageMin: filter.ageMin ?? null,
    ageMax: filter.ageMax ?? null,
    sex: filter.sex ?? null,
    conditionCode,
    conditionSystem,
    observation,
    hasMedication: text(filter.hasMedication, 'hasMedication'),
  };
}

export interface PatientsArgs {
  filter?: PatientFilterArg | null;
  first?: number | null;
  after?: string | null;
}

/** At most this many audit records per auditTrail call. */
export const MAX_AUDIT_RECORDS = 1000;

export const Query = {
  async patient(_: unknown, args: { id: string }, ctx: PatientContext) {
    const patient = await ctx.loaders.patient.load(args.id);
    if (patient) assertPatientAccess(ctx.identity, patient);
    return patient;
  },

  auditTrail: (_: unknown, args: { patientId: string; first?: number | null }, ctx: PatientContext) =>
    ctx.accessLog.trail(args.patientId, Math.min(Math.max(args.first ?? 100, 0), MAX_AUDIT_RECORDS)),

  /**
   * The filter's patients in the caller's organisation (every organisation for admins), Relay-style:
   * ordered by hub id, or with `name` by the matched part of the name (resolvers/patient-search.ts).
   */
  async patients(_: unknown, args: PatientsArgs, ctx: PatientContext): Promise<PatientConnectionSource> {
    const first = args.first ?? 20;
    if (first < 0 || first > MAX_PAGE_SIZE) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 0..${MAX_PAGE_SIZE}`, { field: 'first' });
    }
    assertMaySearchIdentified(ctx, args.filter);
    const { name, ...others } = args.filter ?? {};
    const criteria = { ...(await resolvePatientCriteria(others, ctx, { search: true })), organization: organisationScope(ctx.identity) };
    const connection = given(name) ? await nameSearch(name!, criteria, first, args.after, ctx) : await patientList(criteria, first, args.after, ctx);
    for (const { node } of connection.edges) ctx.loaders.patient.prime(node.id, node);
    auditIdentifyingFilters(ctx, args.filter, connection.edges);
    return connection;
  },
};

/** Query.patients without a name: ordered by hub id; counted only when totalCount is selected. */
async function patientList(criteria: PatientCriteria, first: number, after: string | null | undefined, ctx: PatientContext): Promise<PatientConnectionSource> {
  if (after && isNameCursor(after)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, "after: a name search's cursor pages only that search (filter.name)", { field: 'after' });
  }
  const page = await ctx.repository.pagePatients(criteria, first, after ? decodeCursor(after) : null);
  const edges = page.patients.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    totalCount: () => ctx.repository.countPatients(criteria),
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
