import DataLoader from 'dataloader';
import { SubgraphClient, SUBGRAPH_TIMEOUT_MS, type ServiceCredentials } from './subgraph-client';
import type { Identity } from './identity';
import { cohortMembers } from './cohort-members';
import { assertMayWritePatient, assertPatientAccess, mayAccessPatient } from './patient-access';

export const PATIENT_SUBGRAPH_TIMEOUT_MS = SUBGRAPH_TIMEOUT_MS;
/** Patients per `_entities` request when asking for research consent. */
export const CONSENT_BATCH = 1000;

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

  fetchPatients<T>(ids: readonly string[], selection: string): Promise<(T | null)[]> {
    return this.client.entities<T>('Patient', ids.map((id) => ({ id })), `id ${selection}`);
  }

  /** A loader answering whether each id is a known patient. */
  existenceLoader(): DataLoader<string, boolean> {
    return new DataLoader(async (ids) => (await this.fetchPatients<{ id: string }>(ids, '')).map((p) => p !== null));
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
      const patients = await this.fetchPatients<{ researchConsent: { granted: boolean } }>(batch, 'researchConsent { granted }');
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
   * organisation) decides it: one batched read per request; unknown patients pass (they have no data).
   */
  accessFor(identity: Identity): PatientAccess {
    const everyone = identity.role === 'admin' || identity.role === 'service';
    const organisations = new DataLoader(async (ids: readonly string[]) =>
      (await this.fetchPatients<{ organization: string | null }>(ids, 'organization')).map((p) => (p ? p.organization : undefined)),
    );
    return {
      async check(patientId) {
        if (everyone) return;
        const organization = await organisations.load(patientId);
        if (organization !== undefined) assertPatientAccess(identity, { id: patientId, organization });
      },
      async checkWrite(patientId) {
        if (everyone) return;
        const organization = await organisations.load(patientId);
        if (organization !== undefined) assertMayWritePatient(identity, { id: patientId, organization });
      },
      async filter(ids) {
        if (everyone) return [...ids];
        const found = await organisations.loadMany(ids);
        return ids.filter((_, i) => {
          const organization = found[i];
          return typeof organization === 'string' && mayAccessPatient(identity, { organization });
        });
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
