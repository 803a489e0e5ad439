import WebSocket from 'ws';
import { createLogger } from '../lib/logger';
import { IdentityAssertions, IDENTITY_HEADER } from '../lib/identity';
import { startHub, type Hub } from '../scripts/hub';
import { asserted, bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, wsClient } from './support/graphql';

const log = createLogger('test', 'silent');
const SIMPLE = '{ knowledgeBaseVersions { source } }';

async function post(url: string, headers: Record<string, string>, query = SIMPLE) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message, data: body.data };
}

describe('authentication at the gateway and the subgraphs', () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
  });

  afterAll(async () => {
    await hub?.close();
  });

  it('answers a caller with a valid bearer token', async () => {
    const response = await post(hub.gateway.url, await bearer({ role: 'researcher', sub: 'res-1' }));
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ knowledgeBaseVersions: expect.any(Array) });
  });

  it.each([
    ['no credentials', async () => ({}), 401, 'UNAUTHENTICATED', 'no credentials: send "Authorization: Bearer <JWT>" or "x-api-key: <key>"'],
    ['a Basic authorization header', async () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }), 401, 'INVALID_TOKEN', 'Authorization header is not "Bearer <JWT>"'],
    ['a malformed token', async () => ({ authorization: 'Bearer abc.def' }), 401, 'INVALID_TOKEN', 'bearer token is not a well-formed JWT'],
    ['an expired token', async () => bearer({ expiresIn: -60 }), 401, 'TOKEN_EXPIRED', expect.stringMatching(/^bearer token expired at \d{4}-/)],
    ['a token signed with another secret', async () => bearer({ secret: 'someone-elses-secret-0123456789abcdefgh' }), 401, 'INVALID_TOKEN', 'bearer token signature does not verify'],
    ['a token claiming the internal service role', async () => bearer({ role: 'service' }), 403, 'FORBIDDEN', expect.stringContaining('"service" is not one of')],
    ['a clinician token without an organisation', async () => bearer({ role: 'clinician' }), 403, 'FORBIDDEN', expect.stringContaining('must name the organisation')],
    ['an unknown API key', async () => ({ 'x-api-key': 'pk_unknown' }), 401, 'INVALID_TOKEN', 'x-api-key is not a known, unrevoked API key'],
  ])('refuses %s with a clear code and stays up', async (_what, headers, status, code, message) => {
    const response = await post(hub.gateway.url, await headers());
    expect(response).toEqual({ status, code, message, data: undefined });
    expect((await post(hub.gateway.url, await bearer())).status).toBe(200);
  });

  it('refuses a graphql-ws subscription without credentials', async () => {
    const client = wsClient(hub.gateway.url, {});
    const subscription = collect(client, 'subscription { riskUpdated(patientId: "00000000-0000-4000-8000-000000000000") { reason } }', {});
    try {
      const first = await subscription.next(3000);
      expect(first.errors?.[0]).toEqual(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
    } finally {
      subscription.dispose();
      await client.dispose();
    }
  });

  describe('a subgraph reached directly', () => {
    const subgraphs = () => ({
      patient: hub.patient.url,
      genomics: hub.genomics.url,
      'knowledge-graph': hub.knowledgeGraph.url,
      inference: hub.inference.url,
    });
    const names = ['patient', 'genomics', 'knowledge-graph', 'inference'] as const;

    it.each(names)('%s refuses a request without the gateway’s identity assertion, even with a valid bearer token', async (name) => {
      const url = subgraphs()[name];
      expect(await post(url, {}, '{ __typename }')).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: 'no x-hub-identity assertion: subgraphs answer only requests that come through the gateway',
        data: undefined,
      });
      expect((await post(url, await bearer(), '{ __typename }')).code).toBe('UNAUTHENTICATED');
    });

    it.each(names)('%s refuses an assertion signed with another secret', async (name) => {
      const forged = await new IdentityAssertions('forged-internal-secret-0123456789abcdefgh').sign({ subject: 'mallory', role: 'admin', client: 'x' });
      expect(await post(subgraphs()[name], { [IDENTITY_HEADER]: forged }, '{ __typename }')).toEqual({
        status: 401,
        code: 'INVALID_TOKEN',
        message: 'x-hub-identity assertion signature does not verify',
        data: undefined,
      });
    });

    it.each(names)('%s answers a request carrying a valid assertion', async (name) => {
      const response = await post(subgraphs()[name], await asserted({ subject: 'gateway-test', role: 'admin', client: 'tests' }), '{ __typename }');
      expect(response).toEqual({ status: 200, code: undefined, message: undefined, data: { __typename: 'Query' } });
    });

    it('inference refuses a WebSocket upgrade without an assertion with 401, before upgrading', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(hub.inference.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        socket.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode!);
          socket.terminate();
        });
        socket.on('open', () => reject(new Error('the upgrade was accepted')));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    });

    it('inference refuses a graphql-ws connection whose connection_init carries no assertion', async () => {
      const socket = new WebSocket(hub.inference.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: await asserted({ subject: 'gateway-test', role: 'admin', client: 'tests' }) });
      const messages: unknown[] = [];
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${'x'}` } })));
      await closed;
      expect(messages).not.toContainEqual(expect.objectContaining({ type: 'connection_ack' }));
    });
  });
});
