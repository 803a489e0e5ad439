import { SubgraphClient, SUBGRAPH_TIMEOUT_MS, type EntityOf, type EntityRepresentation, type ServiceCredentials, type TypedOperation } from './subgraph-client';
import { cohortMembers } from './cohort-members';
import type { KnownOrganisations } from './patient-access';

export const PATIENT_SUBGRAPH_TIMEOUT_MS = SUBGRAPH_TIMEOUT_MS;

/**
 * A generated `_entities` operation on Patient (lib/contracts/operations/patient/*.graphql, generated into
 * lib/contracts/generated/patient): its text, and in its type the rows it answers.
 */
export type PatientEntitiesOperation<TResult extends { _entities: readonly unknown[] }> = TypedOperation<TResult, { representations: EntityRepresentation[] }>;

/** The result of a Patient `_entities` operation that selects the organisation, which `noting` notes. */
export type WithOrganization = { _entities: readonly ({ id: string; organization: string | null } | Record<PropertyKey, never> | null)[] };

/**
 * Patient reads whose operations select `organization` (PatientSubgraphClient.noting): a read that would
 * not carry it, and so would cost the request's access check a second call, does not compile.
 */
export interface OrganizationNotingReads {
  patientsOf<TResult extends WithOrganization>(operation: PatientEntitiesOperation<TResult>, ids: readonly string[]): Promise<(EntityOf<TResult> | null)[]>;
}

/**
 * Reads patients from the patient subgraph over GraphQL (`_entities`), so other services never
 * reach into the patient schema. One request per batch of ids.
 */
export class PatientSubgraphClient {
  private readonly client: SubgraphClient;

  constructor(
    readonly url: string,
    credentials: ServiceCredentials,
  ) {
    this.client = new SubgraphClient('patient', url, credentials);
  }

  /**
   * Patients by hub id through a generated `_entities` operation, in the order given; null for ids the
   * patient subgraph does not know. One request for all of `ids`; a failed call is a coded error naming
   * the subgraph (SubgraphClient).
   */
  patientsOf<TResult extends { _entities: readonly unknown[] }>(operation: PatientEntitiesOperation<TResult>, ids: readonly string[]): Promise<(EntityOf<TResult> | null)[]> {
    return this.client.entitiesOf(operation, ids.map((id) => ({ id })));
  }

  /** The ids of the patients a PatientFilter selects (at most 10,000), read as this service. */
  cohortMembers(filter: Record<string, unknown>): Promise<string[]> {
    return cohortMembers(this.client, filter);
  }

  /**
   * Patient reads for one request that note each row's `organization` in `known`, so the request's
   * access checks ride on the record it reads anyway. Only operations selecting the organisation are
   * accepted (OrganizationNotingReads).
   */
  noting(known: KnownOrganisations): OrganizationNotingReads {
    return {
      patientsOf: async (operation, ids) => {
        const rows = await this.patientsOf(operation, ids);
        for (const row of rows) known.note(row);
        return rows;
      },
    };
  }
}
