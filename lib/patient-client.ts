import DataLoader from 'dataloader';
import { ErrorCode, HubError } from './errors';

export const PATIENT_SUBGRAPH_TIMEOUT_MS = 10_000;

/**
 * Reads patients from the patient subgraph over GraphQL (`_entities`), so other services never
 * reach into the patient schema. One request per batch of ids.
 */
export class PatientSubgraphClient {
  constructor(private readonly url: string) {}

  async fetchPatients<T>(ids: readonly string[], selection: string): Promise<(T | null)[]> {
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient { id ${selection} } } }`;
    const representations = ids.map((id) => ({ __typename: 'Patient', id }));
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { representations } }),
        // A hung patient subgraph must not hang the caller's request or its event batch.
        signal: AbortSignal.timeout(PATIENT_SUBGRAPH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new HubError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        `patient subgraph unreachable at ${this.url}: ${(error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as { data?: { _entities?: (T | null)[] }; errors?: { message: string }[] };
    if (!body.data?._entities) {
      const reason = body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
      throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `patient subgraph at ${this.url} failed: ${reason}`);
    }
    return body.data._entities;
  }

  /** A loader answering whether each id is a known patient. */
  existenceLoader(): DataLoader<string, boolean> {
    return new DataLoader(async (ids) => (await this.fetchPatients<{ id: string }>(ids, '')).map((p) => p !== null));
  }
}
