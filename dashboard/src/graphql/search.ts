/**
 * The home page's patient search (issue 21): Query.patients with a name, birth date or identifier filter,
 * scoped by the gateway to the clinician's organisation. Only what the results list shows is selected:
 * no totalCount (the hub counts only when asked), no identifiers (the search's identifier filter is
 * audited, the list does not repeat it).
 */
import { graphql } from '../gql';

export const PatientSearchQuery = graphql(`
  query DashboardPatientSearch($filter: PatientFilter!, $first: Int!, $after: String) {
    patients(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id name birthDate sex } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
