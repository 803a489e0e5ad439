/**
 * Introspection in production (issue 21): refused, with its "Did you mean …" suggestions, to every
 * caller but an admin — over HTTP and graphql-ws — unless GATEWAY_INTROSPECTION=true opens it to all.
 * Only validation is exercised, so the gateway runs alone over the generated supergraph.
 */
import { startGateway, type Gateway } from '../gateway/server';
import { DEFAULT_GATEWAY_LIMITS } from '../gateway/limits';
import { assertionsOf } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { testConfig } from './support/config';
import { bearer } from './support/auth';
import { wsClient } from './support/graphql';

const log = createLogger('test', 'silent');
const config = testConfig();
/** No subgraph is reached: every document here is refused or answered from the schema itself. */
const NOWHERE = 'http://127.0.0.1:9/graphql';

const INTROSPECT = '{ __schema { queryType { name } } }';
const REFUSED = { errors: [{ message: 'Introspection is disabled: "__schema" is not available.', locations: [{ line: 1, column: 3 }], extensions: { code: 'INTROSPECTION_DISABLED' } }] };
const ANSWERED = { data: { __schema: { queryType: { name: 'Query' } } } };
const MISSPELT = '{ patinet(id: "x") { id } }';

const clinician = () => bearer({ role: 'clinician', org: 'org-introspection', sub: 'dr-introspection' });
const researcher = () => bearer({ role: 'researcher', sub: 'researcher-introspection' });
const admin = () => bearer({ role: 'admin', sub: 'admin-introspection' });

function gatewayWith(introspection: boolean): Promise<Gateway> {
  return startGateway({
    host: config.host,
    port: 0,
    log,
    limits: { ...DEFAULT_GATEWAY_LIMITS, introspection },
    subgraphUrls: { patient: NOWHERE, genomics: NOWHERE, 'knowledge-graph': NOWHERE, inference: NOWHERE },
    auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
  });
}

async function post(url: string, query: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** One operation over graphql-ws: its result, or the error message list the server sent instead. */
async function overWebSocket(url: string, query: string, connectionParams: Record<string, string>) {
  const client = wsClient(url, connectionParams);
  try {
    return await new Promise((resolve) => {
      let result: unknown;
      client.subscribe({ query }, { next: (value) => void (result = value), error: (errors) => resolve({ errors }), complete: () => resolve(result) });
    });
  } finally {
    await client.dispose();
  }
}

describe('introspection in production (GATEWAY_INTROSPECTION unset)', () => {
  let production: Gateway;
  beforeAll(async () => {
    production = await gatewayWith(false);
  });
  afterAll(async () => {
    await production?.close();
  });

  it('refuses a clinician and a researcher with INTROSPECTION_DISABLED (HTTP 400), and answers an admin', async () => {
    expect(await post(production.url, INTROSPECT, await clinician())).toEqual({ status: 400, body: REFUSED });
    expect(await post(production.url, INTROSPECT, await researcher())).toEqual({ status: 400, body: REFUSED });
    expect(await post(production.url, INTROSPECT, await admin())).toEqual({ status: 200, body: ANSWERED });
  });

  it('refuses a clinician the very document an admin just introspected with (no cached validation is shared)', async () => {
    const query = '{ __type(name: "Patient") { name } }';
    expect(await post(production.url, query, await admin())).toEqual({ status: 200, body: { data: { __type: { name: 'Patient' } } } });
    const refused = await post(production.url, query, await clinician());
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'INTROSPECTION_DISABLED' } })] });
  });

  it('suggests field names to an admin only', async () => {
    const toClinician = await post(production.url, MISSPELT, await clinician());
    expect((toClinician.body.errors as { message: string }[]).map((e) => e.message)).toEqual(['Cannot query field "patinet" on type "Query".']);
    const toAdmin = await post(production.url, MISSPELT, await admin());
    expect((toAdmin.body.errors as { message: string }[]).map((e) => e.message)).toEqual([expect.stringMatching(/^Cannot query field "patinet" on type "Query"\. Did you mean "patient"/)]);
  });

  it('applies the same rule to graphql-ws operations', async () => {
    expect(await overWebSocket(production.url, INTROSPECT, await clinician())).toEqual({
      errors: [{ ...REFUSED.errors[0], extensions: expect.objectContaining({ code: 'INTROSPECTION_DISABLED' }) }],
    });
    expect(await overWebSocket(production.url, INTROSPECT, await admin())).toEqual(ANSWERED);
  });

  it('still refuses an anonymous caller before looking at the document', async () => {
    const anonymous = await post(production.url, INTROSPECT, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] });
  });
});

describe('introspection with GATEWAY_INTROSPECTION=true', () => {
  let open: Gateway;
  beforeAll(async () => {
    open = await gatewayWith(true);
  });
  afterAll(async () => {
    await open?.close();
  });

  it('answers every authenticated caller', async () => {
    expect(await post(open.url, INTROSPECT, await clinician())).toEqual({ status: 200, body: ANSWERED });
  });
});
