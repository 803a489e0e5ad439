import DataLoader from 'dataloader';
import { SubgraphClient, SUBGRAPH_TIMEOUT_MS, type EntityOf, type EntityRepresentation, type ServiceCredentials, type TypedOperation } from './subgraph-client';
import type { Identity } from './identity';
import { cohortMembers } from './cohort-members';
import { PatientsExistingDocument, PatientsOrganizationDocument, PatientsResearchConsentDocument } from './contracts/generated/patient/graphql';
import { assertMayWritePatient, assertPatientAccess, mayAccessPatient, type KnownOrganisations } from './patient-access';

export const PATIENT_SUBGRAPH_TIMEOUT_MS = SUBGRAPH_TIMEOUT_MS;
/** Patients per `_entities` request when asking for research consent. */
export const CONSENT_BATCH = 1000;

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

  /** Whether each of `ids` is a known patient, in order; one request. */
  async exist(ids: readonly string[]): Promise<boolean[]> {
    return (await this.patientsOf(PatientsExistingDocument, ids)).map((p) => p !== null);
  }

  /** A loader answering whether each id is a known patient. */
  existenceLoader(): DataLoader<string, boolean> {
    return new DataLoader((ids) => this.exist(ids));
  }

  /**
   * The patients among `ids` whose current research consent is granted (never asked counts as not
   * granted; unknown ids are left out), in order. Asked as this service, in batches of
   * CONSENT_BATCH ids per request: the patient subgraph owns consent.
   */
  async researchConsented(ids: readonly string[]): Promise<string[]> {
    const granted: string[] = [];
    for (let start = 0; start < ids.length; start += CONSENT_BATCH) {
      const batch = ids.slice(start, start + CONSENT_BATCH);
      const patients = await this.patientsOf(PatientsResearchConsentDocument, batch);
      batch.forEach((id, i) => {
        if (patients[i]?.researchConsent.granted) granted.push(id);
      });
    }
    return granted;
  }

  /** The ids of the patients a PatientFilter selects (at most 10,000), read as this service. */
  cohortMembers(filter: Record<string, unknown>): Promise<string[]> {
    return cohortMembers(this.client, filter);
  }

  /**
   * The patients among `ids` an aggregate for this caller may count, as Query.cohort counts them:
   * all for admins and hub services, the organisation's for clinicians and partners, research-consented
   * ones for researchers.
   */
  async countable(identity: Identity, ids: readonly string[]): Promise<string[]> {
    if (identity.role === 'admin' || identity.role === 'service') return [...ids];
    if (identity.role === 'researcher') return this.researchConsented(ids);
    return this.accessFor(identity).filter(ids);
  }

  /**
   * Row-level access for this request's caller, as the patient subgraph (which owns each patient's
   * organisation) decides it. A patient whose organisation this request already knows (`known`: from
   * the gateway's entity representation or a record read anyway) is decided without a call; any other
   * is asked once per request, batched (the fallback: a representation without the field, a write, a
   * subscription, a list of other patients). Unknown patients pass (they have no data).
   */
  accessFor(identity: Identity, known?: KnownOrganisations): PatientAccess {
    const everyone = identity.role === 'admin' || identity.role === 'service';
    const organisations = new DataLoader(async (ids: readonly string[]) =>
      (await this.patientsOf(PatientsOrganizationDocument, ids)).map((p) => (p ? p.organization : undefined)),
    );
    const organisationOf = async (patientId: string) => {
      const held = known?.get(patientId);
      return held !== undefined ? held : organisations.load(patientId);
    };
    return {
      async check(patientId) {
        if (everyone) return;
        const organization = await organisationOf(patientId);
        if (organization !== undefined) assertPatientAccess(identity, { id: patientId, organization });
      },
      async checkWrite(patientId) {
        if (everyone) return;
        const organization = await organisations.load(patientId);
        if (organization !== undefined) assertMayWritePatient(identity, { id: patientId, organization });
      },
      async filter(ids) {
        if (everyone) return [...ids];
        // A failed read hides those patients (as a failed batch always did), it does not fail the list.
        const found = await Promise.all(ids.map((id) => organisationOf(id).catch(() => undefined)));
        return ids.filter((_, i) => {
          const organization = found[i];
          return typeof organization === 'string' && mayAccessPatient(identity, { organization });
        });
      },
    };
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

export interface PatientAccess {
  /** FORBIDDEN unless the caller may see this patient. */
  check(patientId: string): Promise<void>;
  /** FORBIDDEN unless the caller may change this patient's record (the write rule). */
  checkWrite(patientId: string): Promise<void>;
  /** The ids among `ids` the caller may see, in order. */
  filter(ids: readonly string[]): Promise<string[]>;
}
