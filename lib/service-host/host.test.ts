import { SignJWT } from 'jose';
import { ErrorCode, HubError } from '../errors';
import { IDENTITY_HEADER, IdentityAssertions, type Identity } from '../identity';
import { createLogger } from '../logger';
import type { AccessLog, AccessRecorder } from '../audit';
import { createSubgraphServer, serveApollo, serveMercurius, type HealthCheck, type RunningService } from '.';

/**
 * The service host's two adapters hold one behaviour: the same request gets the same status and body
 * from the Apollo adapter and from the mercurius one. Unit tests: a fake audit log, no database.
 */
const SDL = `
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
extend type Query {
  greeting: String
  refused: String
  crash: String
  patient(id: ID!): Patient
}
type Patient @key(fields: "id") {
  id: ID!
  name: String @requiresScopes(scopes: [["clinician"], ["admin"]])
}
`;
const resolvers = {
  Query: {
    greeting: () => 'hello',
    refused: () => {
      throw new HubError(ErrorCode.BAD_USER_INPUT, 'refused: the value is wrong here', { field: 'refused' });
    },
    crash: () => {
      throw new Error('connection to 10.0.0.7 failed: password authentication failed for user "hub" (patient Jane Doe)');
    },
    patient: (_: unknown, args: { id: string }) => ({ id: args.id, name: 'Jane Doe' }),
  },
  Patient: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: 'Jane Doe' }) },
};

const SECRET = 'host-test-secret-of-at-least-32-characters!!';
const assertions = new IdentityAssertions(SECRET);
const log = createLogger('host-test', 'silent');
const clinician: Identity = { subject: 'dr-a', role: 'clinician', client: 'test', organisation: 'org-a' };

/** An audit log that fails while `failing` is set, and counts what it wrote. */
class FakeAccessLog {
  failing = false;
  written: { patientId: string; fields: string[] }[] = [];
  async write(recorder: AccessRecorder): Promise<void> {
    if (this.failing) throw new Error('audit database unreachable');
    this.written.push(...recorder.entries());
  }
}

let healthy = true;
const health: HealthCheck = async () => ({ postgres: healthy ? 'ok' : 'connection refused' });

interface Served {
  name: string;
  service: RunningService;
  audit: FakeAccessLog;
}
const served: Served[] = [];

beforeAll(async () => {
  const apolloAudit = new FakeAccessLog();
  const apollo = await serveApollo({
    server: createSubgraphServer('host-test', resolvers, log, apolloAudit as unknown as AccessLog, SDL),
    context: async (_req, identity) => ({ identity }),
    assertions,
    health,
    host: '127.0.0.1',
    port: 0,
    log,
  });
  const mercuriusAudit = new FakeAccessLog();
  const mercurius = await serveMercurius({
    name: 'host-test',
    sdl: SDL,
    resolvers,
    context: (identity) => ({ identity }),
    assertions,
    accessLog: mercuriusAudit as unknown as AccessLog,
    health,
    host: '127.0.0.1',
    port: 0,
    log,
  });
  served.push({ name: 'apollo', service: apollo, audit: apolloAudit }, { name: 'mercurius', service: mercurius, audit: mercuriusAudit });
});

afterAll(async () => {
  for (const { service } of served) await service.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

/** Each adapter's answer to the same request; the test asserts they are one answer, and what it is. */
async function bothAnswer(query: string, headers: () => Promise<Record<string, string>>) {
  const answers = await Promise.all(served.map(async ({ service }) => post(service.url, { query }, await headers())));
  expect(answers[1]).toEqual(answers[0]);
  return answers[0]!;
}

const asClinician = async () => ({ [IDENTITY_HEADER]: await assertions.sign(clinician) });

describe('the service host, the same through its Apollo and mercurius adapters', () => {
  it('refuses a request without an identity assertion with 401 UNAUTHENTICATED', async () => {
    const answer = await bothAnswer('{ greeting }', async () => ({}));
    expect(answer).toEqual({
      status: 401,
      body: { errors: [{ message: `no ${IDENTITY_HEADER} assertion: subgraphs answer only requests that come through the gateway`, extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } }] },
    });
  });

  it('refuses an assertion signed with another secret (forged) with 401 INVALID_TOKEN', async () => {
    const forged = await new SignJWT({ ...clinician, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('precision-hub-gateway')
      .setAudience('precision-hub-subgraphs')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('an-attacker-secret-of-at-least-32-characters'));
    const answer = await bothAnswer('{ greeting }', async () => ({ [IDENTITY_HEADER]: forged }));
    expect(answer).toEqual({ status: 401, body: { errors: [{ message: `${IDENTITY_HEADER} assertion signature does not verify`, extensions: { code: 'INVALID_TOKEN', http: { status: 401 } } }] } });
  });

  it('refuses an unsigned (alg none) assertion', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ ...clinician, role: 'admin', iss: 'precision-hub-gateway', aud: 'precision-hub-subgraphs' })).toString('base64url');
    const answer = await bothAnswer('{ greeting }', async () => ({ [IDENTITY_HEADER]: `${header}.${claims}.` }));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('INVALID_TOKEN');
  });

  it('answers a caller whose assertion verifies', async () => {
    expect(await bothAnswer('{ greeting }', asClinician)).toEqual({ status: 200, body: { data: { greeting: 'hello' } } });
  });

  it('passes a coded error through with its code and field', async () => {
    const answer = await bothAnswer('{ refused }', asClinician);
    expect(answer.body.errors).toEqual([
      { message: 'refused: the value is wrong here', locations: [{ line: 1, column: 3 }], path: ['refused'], extensions: { code: 'BAD_USER_INPUT', field: 'refused', http: { status: 400 } } },
    ]);
  });

  it('masks an uncoded exception as Internal error: no message, stack or patient data leaves', async () => {
    const answer = await bothAnswer('{ crash }', asClinician);
    expect(answer.body.errors).toEqual([{ message: 'Internal error', locations: [{ line: 1, column: 3 }], path: ['crash'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(answer.body)).not.toMatch(/Jane|10\.0\.0\.7|password/);
  });

  it('refuses a field the role may not read, before it resolves', async () => {
    const researcher = async () => ({ [IDENTITY_HEADER]: await assertions.sign({ subject: 'r', role: 'researcher', client: 'test' }) });
    const answer = await bothAnswer('{ patient(id: "p1") { name } }', researcher);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('audits a read of identified data, and withholds it with 503 when the audit record cannot be written', async () => {
    const read = await bothAnswer('{ patient(id: "p1") { name } }', asClinician);
    expect(read).toEqual({ status: 200, body: { data: { patient: { name: 'Jane Doe' } } } });
    for (const { audit } of served) expect(audit.written).toEqual([{ patientId: 'p1', fields: ['Patient.name'] }]);
    for (const { audit } of served) audit.failing = true;
    try {
      const withheld = await bothAnswer('{ patient(id: "p1") { name } }', asClinician);
      expect(withheld.status).toBe(503);
      expect(withheld.body.errors).toEqual([{ message: 'the audit record for this read could not be written, so its data is withheld', extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }]);
      expect(JSON.stringify(withheld.body)).not.toContain('Jane');
    } finally {
      for (const { audit } of served) audit.failing = false;
    }
  });

  it('refuses a body that is not JSON with 415, after the assertion', async () => {
    const answers = await Promise.all(
      served.map(async ({ service }) => {
        const response = await fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/graphql', ...(await asClinician()) }, body: '{ greeting }' });
        return { status: response.status, body: await response.json() };
      }),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(415);
    expect((answers[0]!.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers /health without an assertion: 200 when every check passes, 503 with the reason otherwise', async () => {
    const healthOf = () => Promise.all(served.map(async ({ service }) => {
      const response = await fetch(service.url.replace(/\/graphql$/, '/health'));
      return { status: response.status, body: await response.json() };
    }));
    expect(await healthOf()).toEqual([
      { status: 200, body: { status: 'ok', checks: { postgres: 'ok' } } },
      { status: 200, body: { status: 'ok', checks: { postgres: 'ok' } } },
    ]);
    healthy = false;
    try {
      const degraded = { status: 503, body: { status: 'degraded', checks: { postgres: 'connection refused' } } };
      expect(await healthOf()).toEqual([degraded, degraded]);
    } finally {
      healthy = true;
    }
  });

  it('closes cleanly: a closed service refuses connections', async () => {
    const extra = await serveMercurius({ name: 'host-test', sdl: SDL, resolvers, context: (identity) => ({ identity }), assertions, health, host: '127.0.0.1', port: 0, log });
    await extra.close();
    await expect(fetch(extra.url.replace(/\/graphql$/, '/health'))).rejects.toThrow();
  });
});
