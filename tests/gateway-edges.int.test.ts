import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { SignJWT } from 'jose';
import { startHub, type Hub } from '../scripts/hub';
import type { Gateway } from '../gateway/server';
import { createLogger } from '../lib/logger';
import { asserted, bearer, TEST_JWT_SECRET } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, wsClient } from './support/graphql';
import { gatewayOver } from './support/gateway';

/**
 * The edges of the gateway and the subgraphs (issue 15, item 6): what a request must be before
 * anything behind it runs. Each refusal is asserted whole: status, code and message.
 */

const log = createLogger('test', 'silent');
const PORTAL = 'https://portal.example.org';
const METRICS_TOKEN = 'metrics-scraper-secret-0123456789';
const TAG = randomBytes(4).toString('hex');
const CREATE_PATIENT = `mutation Create($name: String!) { createPatient(input: { name: $name, birthDate: "1970-01-01", sex: FEMALE, identifiers: [{ system: "urn:test:edges", value: $name }] }) { id } }`;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 request over a plain socket, exactly as written: fetch refuses an `Upgrade` header,
 * and node's client adds its own `Connection`. Resolves status 0 when the server hangs up unanswered.
 */
function rawRequest(url: string, method: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // An answered upgrade keeps its socket open: a complete head is all there is to read.
      if (/^HTTP\/1\.1 101/.test(Buffer.concat(chunks).toString('latin1')) && Buffer.concat(chunks).includes('\r\n\r\n')) socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('utf8'))));
    const lines = [`${method} ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (body || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    setTimeout(() => socket.end(), 3000).unref();
  });
}

function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (!text || end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let decoded = '';
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.slice(at, lineEnd), 16);
      if (!size) break;
      decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    body = decoded;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

/** A POST with the given content type and the caller's headers; the status and the parsed body. */
async function postAs(url: string, contentType: string | undefined, body: string, headers: Record<string, string>) {
  // A Blob without a type is the one body fetch sends with no Content-Type at all (a string gets text/plain).
  const response = await fetch(url, { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body: contentType ? body : new Blob([body]) });
  return { status: response.status, body: await response.json() };
}

const mediaTypeRefusal = (contentType: string | undefined) => ({
  status: 415,
  body: {
    errors: [
      {
        message: `${contentType === undefined ? 'a POST without a Content-Type' : `Content-Type "${contentType}"`} is not accepted: send the GraphQL request as JSON (application/json or application/graphql-response+json)`,
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      },
    ],
  },
});

/** Bodies a browser form or a script can send without a CORS preflight, each carrying a mutation. */
const SIMPLE_BODIES: [string | undefined, string][] = [
  ['application/x-www-form-urlencoded', `query=${encodeURIComponent(CREATE_PATIENT)}&variables=${encodeURIComponent(JSON.stringify({ name: `form-${TAG}` }))}`],
  ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE_PATIENT, variables: { name: `multipart-${TAG}` } })}\r\n--x--\r\n`],
  ['text/plain', JSON.stringify({ query: CREATE_PATIENT, variables: { name: `text-${TAG}` } })],
  ['application/graphql', `mutation { createPatient(input: { name: "graphql-${TAG}", birthDate: "1970-01-01", sex: FEMALE }) { id } }`],
  [undefined, JSON.stringify({ query: CREATE_PATIENT, variables: { name: `none-${TAG}` } })],
];

describe('the edges of the gateway and the subgraphs', () => {
  let hub: Hub;
  /** The same subgraphs behind a gateway with the defaults: no CORS origins, no metrics token. */
  let plain: Gateway;

  beforeAll(async () => {
    const config = testConfig({ gatewayEdges: { corsOrigins: [PORTAL], metricsToken: METRICS_TOKEN } });
    hub = await startHub(config, testNeo4j(), log);
    plain = await gatewayOver(hub, config, log);
  });

  afterAll(async () => {
    await plain?.close();
    await hub?.close();
  });

  const subgraphs = () => ({ patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': hub.knowledgeGraph.url, inference: hub.inference.url });
  const names = ['patient', 'genomics', 'knowledge-graph', 'inference'] as const;
  const ADMIN = { subject: 'edges-test', role: 'admin', client: 'tests' } as const;
  const unauthenticated = {
    errors: [{ message: 'no x-hub-identity assertion: subgraphs answer only requests that come through the gateway', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }],
  };

  describe('subgraphs verify the identity assertion before anything else', () => {
    it.each(names)('%s answers a POST carrying "Upgrade: websocket" and no assertion with 401 UNAUTHENTICATED', async (name) => {
      const response = await rawRequest(subgraphs()[name], 'POST', { 'content-type': 'application/json', upgrade: 'websocket', connection: 'close' }, JSON.stringify({ query: '{ __typename }' }));
      expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({ status: 401, body: unauthenticated });
    });

    it.each(names)('%s refuses a WebSocket handshake without an assertion with 401 before upgrading', async (name) => {
      const response = await rawRequest(subgraphs()[name], 'GET', {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
      });
      expect({ status: response.status, body: JSON.parse(response.body || 'null') }).toEqual({ status: 401, body: unauthenticated });
    });

    it.each(names)('%s answers no path but /health without an assertion', async (name) => {
      const response = await fetch(subgraphs()[name].replace(/\/graphql$/, '/no-such-path'));
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 401, body: unauthenticated });
      expect((await fetch(subgraphs()[name].replace(/\/graphql$/, '/health'))).status).toBe(200);
    });

    it.each(names)('%s refuses every POST that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE, and runs nothing', async (name) => {
      const headers = await asserted(ADMIN);
      for (const [contentType, body] of SIMPLE_BODIES) {
        expect(await postAs(subgraphs()[name], contentType, body, headers)).toEqual(mediaTypeRefusal(contentType));
      }
      expect(await postAs(subgraphs()[name], 'application/graphql-response+json', JSON.stringify({ query: '{ __typename }' }), headers)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(await postAs(subgraphs()[name], 'application/json; charset=utf-8', JSON.stringify({ query: '{ __typename }' }), headers)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });
  });

  describe('the gateway', () => {
    it('refuses every POST that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE, and creates no patient', async () => {
      const headers = await bearer();
      for (const [contentType, body] of SIMPLE_BODIES) expect(await postAs(hub.gateway.url, contentType, body, headers)).toEqual(mediaTypeRefusal(contentType));
      const found = await gql<{ patients: { totalCount: number } }>(hub.gateway.url, `query ($v: String!) { patients(filter: { identifier: $v }) { totalCount } }`, { v: `form-${TAG}` });
      expect(found).toEqual({ data: { patients: { totalCount: 0 } } });
    });

    it('accepts application/json and application/graphql-response+json POSTs and query-only GETs', async () => {
      const headers = await bearer();
      const body = JSON.stringify({ query: '{ __typename }' });
      expect(await postAs(hub.gateway.url, 'application/json', body, headers)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(await postAs(hub.gateway.url, 'application/graphql-response+json; charset=utf-8', body, headers)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      const get = await fetch(`${hub.gateway.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...headers, accept: 'application/json' } });
      expect({ status: get.status, body: await get.json() }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    });

    it.each([
      ['a mutation', `mutation { createPatient(input: { name: "get-${TAG}", birthDate: "1970-01-01", sex: FEMALE }) { id } }`, 'Can only perform a mutation operation from a POST request.', 'BAD_REQUEST'],
      ['a subscription', `subscription { riskUpdated(patientId: "00000000-0000-4000-8000-000000000000") { reason } }`, 'Only queries may be sent with GET: send a subscription over graphql-ws (or POST).', 'BAD_REQUEST'],
    ])('refuses %s sent with GET with 405', async (_what, query, message, code) => {
      const response = await fetch(`${hub.gateway.url}?query=${encodeURIComponent(query)}`, { headers: { ...(await bearer()), accept: 'application/json' } });
      expect({ status: response.status, allow: response.headers.get('allow'), body: await response.json() }).toEqual({
        status: 405,
        allow: 'POST',
        body: { errors: [{ message, extensions: { code } }] },
      });
    });

    it('refuses an unauthenticated graphql-ws operation before its document is validated', async () => {
      const client = wsClient(hub.gateway.url, {});
      const subscription = collect(client, '{ noSuchField }', {});
      try {
        expect(await subscription.next(3000)).toEqual({
          errors: [expect.objectContaining({ message: 'no credentials: send "Authorization: Bearer <JWT>" or "x-api-key: <key>"', extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })],
        });
      } finally {
        subscription.dispose();
        await client.dispose();
      }
    });

    describe('CORS from the CORS_ORIGINS allow-list', () => {
      const cors = (response: Response) => ({
        status: response.status,
        origin: response.headers.get('access-control-allow-origin'),
        credentials: response.headers.get('access-control-allow-credentials'),
        methods: response.headers.get('access-control-allow-methods'),
        exposed: response.headers.get('access-control-expose-headers'),
      });
      const preflight = (url: string, origin: string) =>
        fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

      it('answers a listed origin with its own origin and no credentials (bearer tokens are not cookies)', async () => {
        expect(cors(await preflight(hub.gateway.url, PORTAL))).toEqual({ status: 204, origin: PORTAL, credentials: null, methods: 'GET, POST', exposed: 'x-request-id, retry-after' });
        const post = await fetch(hub.gateway.url, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json', ...(await bearer()) }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect(cors(post)).toEqual({ status: 200, origin: PORTAL, credentials: null, methods: 'GET, POST', exposed: 'x-request-id, retry-after' });
      });

      it('gives an origin that is not listed no CORS headers at all', async () => {
        const none = { origin: null, credentials: null, methods: null, exposed: null };
        expect(cors(await preflight(hub.gateway.url, 'https://evil.example.com'))).toEqual({ status: 204, ...none });
        expect(cors(await preflight(hub.gateway.url, `${PORTAL}.evil.example.com`))).toEqual({ status: 204, ...none });
        const post = await fetch(hub.gateway.url, { method: 'POST', headers: { origin: 'https://evil.example.com', 'content-type': 'application/json', ...(await bearer()) }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect(cors(post)).toEqual({ status: 200, ...none });
      });

      it('lists no origin by default: the dashboard is served from the gateway’s own origin', async () => {
        expect(cors(await preflight(plain.url, PORTAL))).toEqual({ status: 204, origin: null, credentials: null, methods: null, exposed: null });
      });
    });

    describe('/metrics behind METRICS_TOKEN', () => {
      const metrics = async (url: string, headers: Record<string, string> = {}, path = '/metrics') => {
        const response = await fetch(url.replace(/\/graphql$/, path), { headers });
        const text = await response.text();
        const body = response.status === 200 ? text.includes('graphql_envelop_request') : response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
        return { status: response.status, type: response.headers.get('content-type'), challenge: response.headers.get('www-authenticate'), body };
      };
      const refusal = (status: number, code: string, message: string, challenge: string | null = 'Bearer realm="metrics"') => ({
        status,
        type: 'application/json; charset=utf-8',
        challenge,
        body: { errors: [{ message, extensions: { code } }] },
      });

      it('serves the metrics to a scraper presenting the token', async () => {
        await gql(hub.gateway.url, 'query MetricsSeed { __typename }');
        expect(await metrics(hub.gateway.url, { authorization: `Bearer ${METRICS_TOKEN}` })).toEqual({ status: 200, type: expect.stringContaining('text/plain'), challenge: null, body: true });
      });

      it.each([
        ['no token', {}],
        ['another token', { authorization: 'Bearer metrics-scraper-secret-9876543210' }],
        ['a caller’s bearer JWT', { authorization: 'Bearer placeholder' }],
      ])('refuses a request with %s with 401', async (what, headers) => {
        const sent = what === 'a caller’s bearer JWT' ? await bearer() : headers;
        expect(await metrics(hub.gateway.url, sent)).toEqual(refusal(401, 'UNAUTHENTICATED', '/metrics needs "Authorization: Bearer <METRICS_TOKEN>"'));
        // Only the exact path serves metrics: the runtime no longer answers any variant of it.
        expect((await metrics(hub.gateway.url, sent, '/metrics/')).status).toBe(404);
      });

      it('refuses /metrics with 403 when METRICS_TOKEN is not set', async () => {
        expect(await metrics(plain.url, { authorization: `Bearer ${METRICS_TOKEN}` })).toEqual(refusal(403, 'FORBIDDEN', '/metrics is off: set METRICS_TOKEN to serve it', null));
      });
    });

    describe('request ids', () => {
      const sendWithRequestId = async (requestId: string, query = '{ __typename }', variables = {}) => {
        const response = await fetch(hub.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(await bearer()) },
          body: JSON.stringify({ query, variables }),
        });
        return { requestId: response.headers.get('x-request-id'), body: await response.json() };
      };

      it('keeps a caller’s id of up to 128 characters of [A-Za-z0-9._:-]', async () => {
        const own = `${'a'.repeat(100)}-B9._:${TAG}`.slice(0, 128);
        expect((await sendWithRequestId(own)).requestId).toBe(own);
      });

      it.each([
        ['129 characters', 'a'.repeat(129)],
        ['10,000 characters', 'x'.repeat(10_000)],
        ['a space', 'two words'],
        ['markup', '<script>alert(1)</script>'],
        ['a newline escape', 'a%0d%0aSet-Cookie:x'],
        ['letters outside ASCII', 'überweisung'],
      ])('replaces an id with %s by a generated one, in the response and the audit log', async (_what, sent) => {
        const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, CREATE_PATIENT, { name: `rid-${randomBytes(4).toString('hex')}` });
        const patientId = created.data!.createPatient.id;
        const read = await sendWithRequestId(sent, 'query ReadName($id: ID!) { patient(id: $id) { name } }', { id: patientId });
        expect(read.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const trail = await gql<{ auditTrail: { operation: string; requestId: string }[] }>(hub.gateway.url, `query ($id: ID!) { auditTrail(patientId: $id) { operation requestId } }`, { id: patientId });
        expect(trail.data!.auditTrail.filter((r) => r.operation === 'ReadName')).toEqual([{ operation: 'ReadName', requestId: read.requestId }]);
      });

      it('a subgraph reached directly stores a generated id in place of an unsafe one', async () => {
        const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, CREATE_PATIENT, { name: `rid-direct-${TAG}` });
        const patientId = created.data!.createPatient.id;
        const headers = { ...(await asserted(ADMIN)), 'x-request-id': 'y'.repeat(5000), 'x-hub-operation': 'DirectRead' };
        expect(await postAs(hub.patient.url, 'application/json', JSON.stringify({ query: 'query ($id: ID!) { patient(id: $id) { name } }', variables: { id: patientId } }), headers)).toEqual({
          status: 200,
          body: { data: { patient: { name: `rid-direct-${TAG}` } } },
        });
        const trail = await gql<{ auditTrail: { operation: string; requestId: string }[] }>(hub.gateway.url, `query ($id: ID!) { auditTrail(patientId: $id) { operation requestId } }`, { id: patientId });
        expect(trail.data!.auditTrail.filter((r) => r.operation === 'DirectRead')).toEqual([{ operation: 'DirectRead', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
      });
    });

    describe('bearer token lifetimes (JWT_MAX_LIFETIME_HOURS, default 24)', () => {
      const now = () => Math.floor(Date.now() / 1000);
      const token = (claims: { iat?: number; exp: number }) => {
        const jwt = new SignJWT({ role: 'admin', azp: 'precision-hub-tests' }).setProtectedHeader({ alg: 'HS256' }).setSubject('lifetime-test').setExpirationTime(claims.exp);
        if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
        return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
      };
      const ask = async (jwt: string) => postAs(hub.gateway.url, 'application/json', JSON.stringify({ query: '{ __typename }' }), { authorization: `Bearer ${jwt}` });

      it('accepts a token living exactly 24 hours, and one without iat expiring within 24 hours', async () => {
        expect(await ask(await token({ iat: now(), exp: now() + 24 * 3600 }))).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
        expect(await ask(await token({ exp: now() + 3600 }))).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      });

      it.each([
        ['living 25 hours', () => ({ iat: now(), exp: now() + 25 * 3600 }), 'bearer token lives 25 h (exp - iat), longer than the 24 h this hub accepts (JWT_MAX_LIFETIME_HOURS)'],
        ['minted for 114,000 years', () => ({ iat: now(), exp: now() + 1e9 * 3600 }), 'bearer token lives 1000000000 h (exp - iat), longer than the 24 h this hub accepts (JWT_MAX_LIFETIME_HOURS)'],
        ['without iat, expiring in 48 hours', () => ({ exp: now() + 48 * 3600 }), 'bearer token lives 48 h (exp - now: it has no iat), longer than the 24 h this hub accepts (JWT_MAX_LIFETIME_HOURS)'],
        ['issued "in the future" an hour before a far expiry', () => ({ iat: now() + 99 * 3600, exp: now() + 100 * 3600 }), 'bearer token lives 100 h (exp - now), longer than the 24 h this hub accepts (JWT_MAX_LIFETIME_HOURS)'],
      ])('refuses a token %s with 401 TOKEN_LIFETIME_EXCEEDED', async (_what, claims, message) => {
        expect(await ask(await token(claims()))).toEqual({ status: 401, body: { errors: [{ message, extensions: { code: 'TOKEN_LIFETIME_EXCEEDED' } }] } });
      });
    });
  });
});
