import { ErrorCode, HubError } from '../../../lib/errors';
import type { PatientContext } from '../context';
import { decodeNameCursor, encodeNameCursor, nameQueryWords, searchPrefixes } from '../domain/patient-search';
import type { PatientCriteria, PatientRecord } from '../repository/patient-repository';
import type { PatientFilterArg } from './Query';

/**
 * Filters whose answer discloses identified data even when the caller selects nothing but ids: a
 * patient listed for `name: "müll"` is known to be called Müll…. Each patient listed for one is
 * audited as a read of it (lib/audit.ts), by the schema coordinate of the filter field.
 */
const IDENTIFYING_FILTERS = ['name', 'birthDate', 'identifier'] as const;

interface Edge {
  cursor: string;
  node: PatientRecord;
}

/** What Query.patients answers: totalCount is counted only when the client selects it (a search box does not). */
export interface PatientConnectionSource {
  totalCount: () => Promise<number>;
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const given = (value: unknown) => value !== null && value !== undefined;

/**
 * Searching by name or birth date finds a person: for the roles that read names (clinicians, admins,
 * hub services). Partners read no names (Patient.name), so they may not find patients by one either.
 */
export function assertMaySearchIdentified(ctx: PatientContext, filter: PatientFilterArg | null | undefined): void {
  if (ctx.identity.role !== 'partner') return;
  for (const field of ['name', 'birthDate'] as const) {
    if (given(filter?.[field])) {
      throw new HubError(ErrorCode.FORBIDDEN, `filter.${field}: the partner role reads no names or birth dates, so it cannot search by them`, {
        field: `filter.${field}`,
        role: ctx.identity.role,
      });
    }
  }
}

/** Audits each listed patient as a read of the identifying filter fields the caller gave. */
export function auditIdentifyingFilters(ctx: PatientContext, filter: PatientFilterArg | null | undefined, edges: readonly Edge[]): void {
  for (const field of IDENTIFYING_FILTERS) {
    if (!given(filter?.[field])) continue;
    for (const { node } of edges) ctx.access?.record(node.id, `PatientFilter.${field}`);
  }
}

/**
 * Query.patients with `name`: ordered by the part of the name that matched, then hub id
 * (repository/patient-search.ts), paged by its own cursors.
 */
export async function nameSearch(name: string, criteria: PatientCriteria, first: number, after: string | null | undefined, ctx: PatientContext): Promise<PatientConnectionSource> {
  const words = nameQueryWords(name);
  const cursor = after ? decodeNameCursor(after) : null;
  const search = {
    prefixes: searchPrefixes(name, await ctx.repository.foldSearchWords(words)),
    ...(criteria.organization ? { organisation: criteria.organization } : {}),
  };
  const page = await ctx.repository.searchByName(search, criteria, first, cursor);
  const edges = page.patients.map(({ patient, matched }) => ({ cursor: encodeNameCursor(matched, patient.id), node: patient }));
  return {
    totalCount: () => ctx.repository.countByName(search, criteria),
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
