import { ErrorCode, HubError } from './errors';
import type { SubgraphClient } from './subgraph-client';
import { CohortMembersPageDocument, type CohortMembersPageQuery, type PatientFilter } from './contracts/generated/patient/graphql';

export const MAX_COHORT_MEMBERS = 10_000;

/** The ids of a cohort, read through the patient subgraph's own filter (its semantics, not a copy). */
export async function cohortMembers(patients: SubgraphClient, filter: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: CohortMembersPageQuery = await patients.execute(CohortMembersPageDocument, { filter: filter as PatientFilter, after });
    if (page.patients.totalCount > MAX_COHORT_MEMBERS) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `cohort: ${page.patients.totalCount} patients match; narrow it to at most ${MAX_COHORT_MEMBERS}`, { field: 'cohort' });
    }
    ids.push(...page.patients.edges.map((e) => e.node.id));
    if (!page.patients.pageInfo.hasNextPage || !page.patients.pageInfo.endCursor) return ids;
    after = page.patients.pageInfo.endCursor;
  }
}
