import DataLoader from 'dataloader';
import { SubgraphClient, SUBGRAPH_TIMEOUT_MS, type ServiceCredentials } from './subgraph-client';

export const PATIENT_SUBGRAPH_TIMEOUT_MS = SUBGRAPH_TIMEOUT_MS;

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
}
