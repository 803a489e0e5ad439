import http from 'node:http';
import pino from 'pino';
import { startHub, type Hub } from '../scripts/hub';
import { startGateway, type Gateway } from '../gateway/server';
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from '../gateway/limits';
import { assertionsOf } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, wsClient, type GraphQLResponse } from './support/graphql';
import { bearer, defaultCredentials } from './support/auth';
import { waitUntil } from './support/patient-360';

const log = createLogger('test', 'silent');

/** Production settings with a small body limit and rate limit, so tests can reach them quickly. */
const PRODUCTION_LIMITS: GatewayLimits = {
  ...DEFAULT_GATEWAY_LIMITS,
  introspection: false,
  maxBodyBytes: 64 * 1024,
  rateLimit: { burst: 5, perSecond: 2 },
  clientRateLimit: { burst: 1000, perSecond: 100 },
};

/** Small per-caller and per-client buckets, so the tests can tell the two limits apart. */
const RATED_LIMITS: GatewayLimits = {
  ...DEFAULT_GATEWAY_LIMITS,
  rateLimit: { burst: 3, perSecond: 1 },
  clientRateLimit: { burst: 7, perSecond: 1 },
};

const NORMAL_QUERY = `query { gene(symbol: "BRAF") { symbol } }`;
const NORMAL_ANSWER = { data: { gene: { symbol: 'BRAF' } } };

/** Gene → drugs → interactions → gene …: a cycle the schema allows, three levels a turn. */
const geneCycle = (turns: number) => `${'drugs { interactions { gene { '.repeat(turns)}symbol${' } } }'.repeat(turns)}`;

/** A POST with the default test credentials, keeping the status and headers `gql` drops. */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(await defaultCredentials()), ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse };
}

/** A chunked POST (no Content-Length) of `bytes` bytes, through node:http: fetch cannot omit the length of a string body. */
function postChunked(url: string, bytes: number): Promise<{ status: number; body: GraphQLResponse; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    void defaultCredentials().then((credentials) => {
      const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...credentials } }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text), requestId: response.headers['x-request-id'] as string }));
      });
      request.on('error', reject);
      const query = JSON.stringify({ query: NORMAL_QUERY, variables: { padding: 'x'.repeat(bytes) } });
      for (let i = 0; i < query.length; i += 16 * 1024) request.write(query.slice(i, i + 16 * 1024));
      request.end();
    }, reject);
  });
}

describe('gateway limits, refused before execution', () => {
  let hub: Hub;
  let gateway: string;
  let production: Gateway;
  const productionLog: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const config = testConfig();
    hub = await startHub(config, testNeo4j(), log);
    gateway = hub.gateway.url;
    // A second gateway over the same subgraphs, in production mode, logging where the test can read it.
    production = await startGateway({
      host: config.host,
      port: 0,
      log: pino({ level: 'info' }, { write: (line: string) => void productionLog.push(JSON.parse(line)) }),
      subgraphUrls: { patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': hub.knowledgeGraph.url, inference: hub.inference.url },
      auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
      limits: PRODUCTION_LIMITS,
    });
  });

  afterAll(async () => {
    await production?.close();
    await hub?.close();
  });

  it('refuses a deeply nested query with MAX_DEPTH_EXCEEDED', async () => {
    const response = await post(gateway, JSON.stringify({ query: `{ gene(symbol: "BRAF") { ${geneCycle(4)} } }` }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [{ message: 'Query depth 14 exceeds the limit of 12.', extensions: { code: 'MAX_DEPTH_EXCEEDED', limit: 12, actual: 14 } }],
    });
  });

  it('refuses an alias bomb with MAX_ALIASES_EXCEEDED', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `g${i}: gene(symbol: "BRAF") { symbol }`).join(' ');
    expect(await gql(gateway, `{ ${aliases} }`)).toEqual({
      errors: [{ message: 'Query aliases 100 exceeds the limit of 30.', extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 30, actual: 100 } }],
    });
  });

  it('refuses a token flood with MAX_TOKENS_EXCEEDED before building its syntax tree', async () => {
    const query = `{ gene(symbol: "BRAF") { ${'symbol '.repeat(5000)}} }`;
    expect(await gql(gateway, query)).toEqual({
      errors: [{ message: 'Query of 5010 tokens exceeds the limit of 3000.', extensions: { code: 'MAX_TOKENS_EXCEEDED', limit: 3000, actual: 5010 } }],
    });
  });

  it('refuses a query too costly to run with MAX_COST_EXCEEDED', async () => {
    const response = await gql(gateway, `{ drugs(search: "a", first: 1000) { name interactions { kind gene { symbol guidelines { drug { name } } } } } }`);
    expect(response).toEqual({
      errors: [{ message: expect.stringMatching(/^Query cost \d+ exceeds the limit of 20000\.$/), extensions: { code: 'MAX_COST_EXCEEDED', limit: 20000, actual: expect.any(Number) } }],
    });
    expect(response.errors![0]!.extensions!.actual).toBeGreaterThan(20000);
  });

  it('applies the same limits to graphql-ws subscriptions', async () => {
    const client = wsClient(gateway);
    try {
      const subscription = collect(client, `subscription ($id: ID!) { riskUpdated(patientId: $id) { patient { variants { gene { ${geneCycle(3)} } } } } }`, { id: 'any' });
      const refused = await subscription.next(5000).catch(() => undefined);
      const errors = (refused?.errors ?? subscription.failure) as { extensions?: { code?: string } }[];
      expect(errors.map((e) => e.extensions?.code)).toEqual(['MAX_DEPTH_EXCEEDED']);
      subscription.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('refuses a body over the limit with 413 from its Content-Length, without reading it', async () => {
    const body = JSON.stringify({ query: NORMAL_QUERY, variables: { padding: 'x'.repeat(100 * 1024) } });
    const response = await post(production.url, body, { 'x-request-id': 'body-limit-test' });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-request-id')).toBe('body-limit-test');
    expect(response.body).toEqual({
      errors: [
        {
          message: `Request body of ${body.length} bytes exceeds the limit of 65536 bytes.`,
          extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 65536, actual: body.length, requestId: 'body-limit-test' },
        },
      ],
    });
  });

  it('refuses a chunked body once it passes the limit, and accepts a chunked body within it', async () => {
    const refused = await postChunked(production.url, 200 * 1024);
    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'Request body of more than 65536 bytes exceeds the limit of 65536 bytes.',
          extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 65536, requestId: refused.requestId },
        },
      ],
    });
    const accepted = await postChunked(production.url, 1024);
    expect(accepted).toEqual({ status: 200, body: NORMAL_ANSWER, requestId: expect.any(String) });
  });

  it('refuses introspection in production mode, and suggests no field names (to a clinician: admins may, tests/introspection.int.test.ts)', async () => {
    const clinician = await bearer({ role: 'clinician', org: 'org-limits', sub: 'dr-limits' });
    expect(await gql(production.url, `{ __schema { queryType { name } } }`, {}, clinician)).toEqual({
      errors: [{ message: 'Introspection is disabled: "__schema" is not available.', locations: [{ line: 1, column: 3 }], extensions: { code: 'INTROSPECTION_DISABLED' } }],
    });
    const misspelt = await gql(production.url, `{ gene(symbol: "BRAF") { symbl } }`, {}, clinician);
    expect(misspelt.errors!.map((e) => e.message)).toEqual(['Cannot query field "symbl" on type "Gene".']);
    // Outside production, GraphiQL's introspection and the suggestions work.
    const introspection = await gql<{ __schema: { queryType: { name: string } } }>(gateway, `{ __schema { queryType { name } } }`);
    expect(introspection).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const suggested = await gql(gateway, `{ gene(symbol: "BRAF") { symbl } }`);
    expect(suggested.errors!.map((e) => e.message)).toEqual(['Cannot query field "symbl" on type "Gene". Did you mean "symbol"?']);
  });

  it('answers every response with an x-request-id, the caller’s own when it sent one', async () => {
    const own = await post(production.url, JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'caller-chosen-id' });
    expect(own.headers.get('x-request-id')).toBe('caller-chosen-id');
    const generated = await post(gateway, JSON.stringify({ query: '{ __typename }' }));
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('codes a missing required variable BAD_USER_INPUT naming it, with the request id in the header', async () => {
    // Until issue 16 graphql-js's uncoded coercion errors were masked as "Unexpected error."; they are
    // the client's to fix, so they now say which variable (passCodedErrors → variableCoercionError).
    // Masking itself (an uncoded error → INTERNAL_SERVER_ERROR) is tested in gateway/server.test.ts.
    const response = await post(production.url, JSON.stringify({ query: 'query ($symbol: String!) { gene(symbol: $symbol) { symbol } }' }));
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toEqual({
      errors: [{ message: 'Variable "$symbol" of required type "String!" was not provided.', extensions: { code: 'BAD_USER_INPUT', field: 'symbol' } }],
    });
  });

  it('names a subgraph it cannot reach without the subrequest or its socket error', async () => {
    const config = testConfig();
    const unreachable = await startGateway({
      host: config.host,
      port: 0,
      log,
      subgraphUrls: { patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': 'http://127.0.0.1:1/graphql', inference: hub.inference.url },
      auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
    });
    try {
      expect(await gql(unreachable.url, NORMAL_QUERY)).toEqual({
        data: { gene: null },
        errors: [
          {
            message: 'The knowledge-graph subgraph could not be reached.',
            path: ['gene'],
            // The hub's code for a dependency it cannot reach (gateway/subgraph-deadline.ts).
            extensions: { code: 'DEPENDENCY_UNAVAILABLE', serviceName: 'knowledge-graph' },
          },
        ],
      });
    } finally {
      await unreachable.close();
    }
  });

  it('refuses a caller over its rate limit with 429 RATE_LIMITED and Retry-After', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(production.url, JSON.stringify({ query: NORMAL_QUERY }))));
    const answered = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    // At most the burst (less what earlier tests took) and one refill token in the time it takes.
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThanOrEqual(6);
    expect(answered.length + refused.length).toBe(12);
    for (const r of answered) expect(r.body).toEqual(NORMAL_ANSWER);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(refused[0]!.body).toEqual({
      errors: [
        {
          message: 'Rate limit exceeded for this caller: at most 5 operations at once and 2 a second per caller; retry after 1 s.',
          extensions: { code: 'RATE_LIMITED', limitedBy: 'caller', limit: { burst: 5, perSecond: 2 }, retryAfterSeconds: 1 },
        },
      ],
    });
  });

  describe('rate limits per caller, under a ceiling per client application', () => {
    let rated: Gateway;
    const run = async (headers: Record<string, string>) => {
      const response = await fetch(rated.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: NORMAL_QUERY }) });
      return { status: response.status, body: (await response.json()) as GraphQLResponse };
    };

    beforeAll(async () => {
      const config = testConfig();
      rated = await startGateway({
        host: config.host,
        port: 0,
        log,
        subgraphUrls: { patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': hub.knowledgeGraph.url, inference: hub.inference.url },
        auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
        limits: RATED_LIMITS,
      });
    });

    afterAll(async () => {
      await rated?.close();
    });

    it('gives each clinician of one client application a bucket of their own', async () => {
      const ward = `ward-app-${Date.now()}`;
      const first = await bearer({ role: 'clinician', org: 'org-1', sub: 'dr-first', azp: ward });
      const second = await bearer({ role: 'clinician', org: 'org-1', sub: 'dr-second', azp: ward });
      const firsts = await Promise.all(Array.from({ length: 4 }, () => run(first)));
      expect(firsts.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
      expect(firsts.find((r) => r.status === 429)!.body).toEqual({
        errors: [
          {
            message: 'Rate limit exceeded for this caller: at most 3 operations at once and 1 a second per caller; retry after 1 s.',
            extensions: { code: 'RATE_LIMITED', limitedBy: 'caller', limit: { burst: 3, perSecond: 1 }, retryAfterSeconds: 1 },
          },
        ],
      });
      expect(await run(second)).toEqual({ status: 200, body: NORMAL_ANSWER });
    });

    it('counts a subscriber joining a shared subscription against its own rate limit', async () => {
      const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Shared Watch", birthDate: "1960-01-01", sex: MALE }) { id } }`);
      const id = created.data!.createPatient.id;
      const screens = `screens-${Date.now()}`;
      // Two administrators: one access scope, so the second's subscriptions join the first's execution.
      const [first, second] = await Promise.all(['a', 'b'].map(async (sub) => wsClient(rated.url, await bearer({ role: 'admin', sub: `${screens}-${sub}`, azp: `${screens}-${sub}` }))));
      const RISK_ONLY = `subscription ($id: ID!) { riskUpdated(patientId: $id) { reason } }`;
      const watching = [collect(first!, RISK_ONLY, { id })];
      try {
        await waitUntil(async () => rated.sharedSubscriptions.size === 1, 10_000);
        for (let n = 0; n < 4; n++) watching.push(collect(second!, RISK_ONLY, { id }));
        // Three join (the second administrator's burst); the fourth is refused, coded.
        type Coded = { extensions?: { code?: string; limitedBy?: string } };
        const refusals = () => watching.slice(1).flatMap((w) => [...w.messages.flatMap((m) => (m.errors ?? []) as Coded[]), ...((w.failure as Coded[] | undefined) ?? [])]);
        await waitUntil(async () => refusals().length > 0, 10_000).catch(() => undefined);
        expect(refusals().map((e) => [e.extensions?.code, e.extensions?.limitedBy])).toEqual([['RATE_LIMITED', 'caller']]);
        expect(rated.sharedSubscriptions.size).toBe(1);
      } finally {
        for (const w of watching) w.dispose();
        await first!.dispose();
        await second!.dispose();
      }
    });

    it('refuses every caller of a client application over its ceiling, naming the client limit', async () => {
      const portal = `portal-${Date.now()}`;
      const callers = await Promise.all(['a', 'b', 'c'].map((sub) => bearer({ role: 'researcher', sub: `${portal}-${sub}`, azp: portal })));
      // Three each: within every caller's own burst of 3, over the client's 7.
      const responses = await Promise.all(callers.flatMap((headers) => [run(headers), run(headers), run(headers)]));
      const refused = responses.filter((r) => r.status === 429);
      expect(responses.length - refused.length).toBeGreaterThanOrEqual(7);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const r of refused) {
        expect(r.body).toEqual({
          errors: [
            {
              message: `Rate limit exceeded for client application ${portal}: at most 7 operations at once and 1 a second across its callers; retry after 1 s.`,
              extensions: { code: 'RATE_LIMITED', limitedBy: 'client', limit: { burst: 7, perSecond: 1 }, retryAfterSeconds: 1 },
            },
          ],
        });
      }
    });
  });

  it('still answers a normal query after all of the above', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the rate-limit test emptied the bucket
    expect(await gql(gateway, NORMAL_QUERY)).toEqual(NORMAL_ANSWER);
    expect(await gql(production.url, NORMAL_QUERY)).toEqual(NORMAL_ANSWER);
  });
});
