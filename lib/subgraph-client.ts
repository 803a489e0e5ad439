import { ErrorCode, HubError } from './errors';
import { withTraceHeaders } from './tracing';
import { IDENTITY_HEADER } from './identity';

/** A signed identity assertion for each call (IdentityAssertions.forService). */
export type ServiceCredentials = () => Promise<string>;

export const SUBGRAPH_TIMEOUT_MS = 10_000;

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

  /** Entities by key, in the order given; null for those the subgraph does not know. */
  async entities<T>(typename: string, representations: readonly Record<string, unknown>[], selection: string): Promise<(T | null)[]> {
    if (representations.length === 0) return [];
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
    const data = await this.request<{ _entities: (T | null)[] }>(query, {
      representations: representations.map((r) => ({ __typename: typename, ...r })),
    });
    return data._entities;
  }
}
