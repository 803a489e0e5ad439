import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startHub, type Hub } from '../scripts/hub';
import type { Gateway } from '../gateway/server';
import { documentHash } from '../gateway/manifests';
import { REPO_ROOT } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { bearer } from './support/auth';
import { collect, wsClient, type GraphQLResponse } from './support/graphql';
import { gatewayOver } from './support/gateway';

const log = createLogger('test', 'silent');
const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** The CLIs as an operator runs them, against this run's database. */
const cli = (script: 'apikey' | 'pq', ...args: string[]) =>
  run(TSX, [path.join(REPO_ROOT, 'scripts', `${script}.ts`), ...args], { env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: 'silent' } });

// Unique per run, so nothing here depends on what another run left behind.
const tag = randomUUID().slice(0, 8);
const PORTAL = `acme-portal-${tag}`;
const OTHER = `globex-app-${tag}`;
const KB = `query PartnerKnowledgeBases_${tag} { knowledgeBaseVersions { source } }`;
const RISK = `query PartnerRisk_${tag}($input: RiskInput!) { cardiovascularRisk(input: $input) { category } }`;
const OTHERS = `query OtherClient_${tag} { knowledgeBaseVersions { version } }`;
const RISK_INPUT = {
  input: { age: 55, sex: 'FEMALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120, onHypertensionTreatment: false, smoker: false, diabetes: false },
};
const KB_ANSWER = { data: { knowledgeBaseVersions: expect.arrayContaining([{ source: expect.any(String) }]) } };

interface Sent {
  status: number;
  body: GraphQLResponse;
}

async function post(url: string, payload: Record<string, unknown>, headers: Record<string, string>): Promise<Sent> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** A GET as Apollo Client's persisted-query link sends it (`useGETForHashedQueries`): JSON-encoded params. */
async function get(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Sent> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  const response = await fetch(`${url}?${search}`, { headers: { accept: 'application/graphql-response+json, application/json', ...headers } });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const apq = (body: string) => ({ persistedQuery: { version: 1, sha256Hash: documentHash(body) } });
const refusal = (status: number, code: string, message: string | RegExp) => ({
  status,
  body: { errors: [expect.objectContaining({ message: typeof message === 'string' ? message : expect.stringMatching(message), extensions: expect.objectContaining({ code }) })] },
});

describe('persisted queries, trusted documents and partner API keys at the gateway', () => {
  let hub: Hub;
  /** A second gateway over the same database whose lookups are never cached (revocation shows at once). */
  let uncached: Gateway;
  let db: Pool;
  let partnerKey: string;
  let partnerKeyId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-pq-'));
  const manifests = {
    apollo: path.join(dir, 'persisted-query-manifest.json'),
    codegen: path.join(dir, 'persisted-documents.json'),
    other: path.join(dir, 'other.json'),
    bad: path.join(dir, 'bad.json'),
  };
  const published: string[] = [];

  beforeAll(async () => {
    const config = testConfig();
    hub = await startHub(config, testNeo4j(), log);
    uncached = await gatewayOver(hub, config, log, { databaseUrl: config.databaseUrl, persistedQueries: { lookupCacheMs: 0 } });
    db = createPool(TEST_DATABASE_URL, 2);
    fs.writeFileSync(
      manifests.apollo,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: documentHash(KB), name: `PartnerKnowledgeBases_${tag}`, type: 'query', body: KB }],
      }),
    );
    fs.writeFileSync(manifests.codegen, JSON.stringify({ [documentHash(RISK)]: RISK }));
    fs.writeFileSync(manifests.other, JSON.stringify({ [documentHash(OTHERS)]: OTHERS }));
    fs.writeFileSync(manifests.bad, JSON.stringify({ [documentHash(KB)]: KB, [documentHash(RISK)]: OTHERS }));
    for (const [file, client] of [[manifests.apollo, PORTAL], [manifests.codegen, PORTAL], [manifests.codegen, PORTAL], [manifests.other, OTHER]] as const) {
      published.push((await cli('pq', 'publish', file, '--client', client)).stdout.trim());
    }
    const created = await cli('apikey', 'create', '--client', 'acme', '--contracts', PORTAL);
    partnerKey = created.stdout.trim();
    partnerKeyId = /^API key (\d+) /.exec(created.stderr)![1]!;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await uncached?.close();
    await hub?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const partner = () => ({ 'x-api-key': partnerKey });

  describe('npm run pq -- publish', () => {
    it('stores both manifest formats for the client named, and publishing again changes nothing', async () => {
      expect(published).toEqual([
        expect.stringMatching(new RegExp(`persisted-query-manifest.json: apollo-persisted-query-manifest, 1 document\\(s\\) for client ${PORTAL} in .*: 1 added, 0 already published$`)),
        expect.stringMatching(new RegExp(`persisted-documents.json: graphql-codegen-persisted-documents, 1 document\\(s\\) for client ${PORTAL} in .*: 1 added, 0 already published$`)),
        expect.stringMatching(/persisted-documents.json: graphql-codegen-persisted-documents, 1 document\(s\) for client .*: all already published, nothing changed$/),
        expect.stringMatching(/other.json: .* 1 added/),
      ]);
      const { rows } = await db.query('SELECT manifest, sha256, operation_name, operation_type FROM gateway.manifest_documents WHERE manifest = $1 ORDER BY operation_name', [PORTAL]);
      expect(rows).toEqual([
        { manifest: PORTAL, sha256: documentHash(KB), operation_name: `PartnerKnowledgeBases_${tag}`, operation_type: 'query' },
        { manifest: PORTAL, sha256: documentHash(RISK), operation_name: `PartnerRisk_${tag}`, operation_type: 'query' },
      ]);
      const publications = await db.query('SELECT format, documents, added FROM gateway.manifest_publications WHERE manifest = $1 ORDER BY id', [PORTAL]);
      expect(publications.rows).toEqual([
        { format: 'apollo-persisted-query-manifest', documents: 1, added: 1 },
        { format: 'graphql-codegen-persisted-documents', documents: 1, added: 1 },
      ]);
    });

    it('refuses a whole manifest naming the first entry whose id is not the hash of its document', async () => {
      const failure = await cli('pq', 'publish', manifests.bad, '--client', `bad-${tag}`).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({
        code: 1,
        stderr: `${manifests.bad}: refused, nothing published: entry "${documentHash(RISK).slice(0, 12)}…": id is not the SHA-256 of its document (which hashes to ${documentHash(OTHERS)})\n`,
      });
      const { rowCount } = await db.query('SELECT 1 FROM gateway.manifest_documents WHERE manifest = $1', [`bad-${tag}`]);
      expect(rowCount).toBe(0);
    });
  });

  describe('partner API keys', () => {
    it('are printed once by the CLI and stored only as their SHA-256', async () => {
      expect(partnerKey).toMatch(/^phk_[A-Za-z0-9_-]{43}$/);
      const { rows } = await db.query('SELECT key_sha256, client, role, contracts, revoked_at FROM gateway.api_keys WHERE id = $1', [partnerKeyId]);
      expect(rows).toEqual([{ key_sha256: documentHash(partnerKey), client: 'acme', role: 'partner', contracts: [PORTAL], revoked_at: null }]);
      const dump = JSON.stringify((await db.query('SELECT * FROM gateway.api_keys')).rows);
      expect(dump).not.toContain(partnerKey);
    });

    it('stop working once revoked: at once without a lookup cache, within the 30 s cache otherwise', async () => {
      const created = await cli('apikey', 'create', '--client', 'short-lived', '--contracts', PORTAL);
      const key = created.stdout.trim();
      const id = /^API key (\d+) /.exec(created.stderr)![1]!;
      const byId = { documentId: documentHash(KB) };
      expect(await post(uncached.url, byId, { 'x-api-key': key })).toEqual({ status: 200, body: KB_ANSWER });
      expect(await post(hub.gateway.url, byId, { 'x-api-key': key })).toEqual({ status: 200, body: KB_ANSWER });

      const revoked = await cli('apikey', 'revoke', id);
      expect(revoked.stdout).toMatch(new RegExp(`^${id}\tshort-lived\tpartner\t${PORTAL}\tcreated .*\trevoked `));
      expect(await post(uncached.url, byId, { 'x-api-key': key })).toEqual(refusal(401, 'INVALID_TOKEN', 'x-api-key is not a known, unrevoked API key'));
      expect(await post(hub.gateway.url, byId, { 'x-api-key': key })).toEqual({ status: 200, body: KB_ANSWER });
    });
  });

  describe('a partner', () => {
    it('runs a document of its contract by documentId, by extensions.persistedQuery and over GET', async () => {
      expect(await post(hub.gateway.url, { documentId: documentHash(KB) }, partner())).toEqual({ status: 200, body: KB_ANSWER });
      expect(await post(hub.gateway.url, { documentId: `sha256:${documentHash(KB)}` }, partner())).toEqual({ status: 200, body: KB_ANSWER });
      expect(await post(hub.gateway.url, { extensions: apq(RISK), variables: RISK_INPUT }, partner())).toEqual({
        status: 200,
        body: { data: { cardiovascularRisk: { category: expect.any(String) } } },
      });
      expect(await get(hub.gateway.url, { documentId: documentHash(KB) }, partner())).toEqual({ status: 200, body: KB_ANSWER });
      expect(await get(hub.gateway.url, { extensions: apq(KB) }, partner())).toEqual({ status: 200, body: KB_ANSWER });
    });

    it('with a bearer token naming its contracts runs them too', async () => {
      const token = await bearer({ role: 'partner', sub: 'partner-1', azp: 'acme', contracts: [PORTAL] });
      expect(await post(hub.gateway.url, { documentId: documentHash(KB) }, token)).toEqual({ status: 200, body: KB_ANSWER });
    });

    it('is refused an ad-hoc document, even one its manifests hold under another text', async () => {
      const expected = refusal(
        403,
        'PERSISTED_QUERY_ONLY',
        `partner applications run only the persisted operations of their contracts (${PORTAL}): send documentId or extensions.persistedQuery.sha256Hash without a query`,
      );
      expect(await post(hub.gateway.url, { query: '{ knowledgeBaseVersions { source } }' }, partner())).toEqual(expected);
      expect(await post(hub.gateway.url, { query: `${KB} ` }, partner())).toEqual(expected);
    });

    it("is refused another client's document", async () => {
      expect(await post(hub.gateway.url, { documentId: documentHash(OTHERS) }, partner())).toEqual(
        refusal(403, 'PERSISTED_QUERY_NOT_ALLOWED', `document ${documentHash(OTHERS).slice(0, 12)}… is not in the manifests of this application's contracts (${PORTAL})`),
      );
      expect(await post(hub.gateway.url, { query: OTHERS, extensions: apq(OTHERS) }, partner())).toEqual(
        refusal(403, 'PERSISTED_QUERY_NOT_ALLOWED', /is not in the manifests of this application's contracts/),
      );
    });

    it('never registers an APQ, nor runs one a clinician registered', async () => {
      const query = `query PartnerApq_${tag} { knowledgeBaseVersions { source } }`;
      expect(await post(hub.gateway.url, { query, extensions: apq(query) }, partner())).toEqual(refusal(403, 'PERSISTED_QUERY_ONLY', /^partner applications run only/));
      const clinician = await bearer({ role: 'clinician', org: 'org-1' });
      expect((await post(hub.gateway.url, { query, extensions: apq(query) }, clinician)).body).toEqual(KB_ANSWER);
      expect(await post(hub.gateway.url, { extensions: apq(query) }, partner())).toEqual(
        refusal(200, 'PERSISTED_QUERY_NOT_FOUND', `PersistedQueryNotFound: no published document has the hash ${documentHash(query).slice(0, 12)}…`),
      );
    });

    it('over graphql-ws runs a document of its contract sent with its hash, and is refused an ad-hoc one', async () => {
      const client = wsClient(hub.gateway.url, { 'x-api-key': partnerKey });
      const subscription = collect(client, 'query { knowledgeBaseVersions { source } }', {});
      try {
        const first = await subscription.next(5000);
        expect(first.errors?.[0]).toEqual(expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_ONLY' }) }));
        // graphql-ws requires a query in every subscribe message: the persisted form there is query + hash.
        const results = client.iterate({ query: KB, extensions: apq(KB) });
        expect((await results.next()).value).toEqual(KB_ANSWER);
        await results.return?.();
      } finally {
        subscription.dispose();
        await client.dispose();
      }
    });
  });

  describe('Automatic Persisted Queries (Apollo Client persisted-query link)', () => {
    it('answers PERSISTED_QUERY_NOT_FOUND, then registers the query sent with its hash, then runs it by hash (GET as the link sends it)', async () => {
      const clinician = await bearer({ role: 'clinician', org: 'org-1', azp: 'clinic-app' });
      const query = `query ApqRoundTrip_${tag} { knowledgeBaseVersions { source } }`;
      const operationName = `ApqRoundTrip_${tag}`;
      expect(await get(hub.gateway.url, { operationName, variables: {}, extensions: apq(query) }, clinician)).toEqual(
        refusal(200, 'PERSISTED_QUERY_NOT_FOUND', /^PersistedQueryNotFound: no document with the hash .* is known here; send it once with its query to register it \(APQ\)$/),
      );
      expect(await post(hub.gateway.url, { operationName, variables: {}, extensions: apq(query), query }, clinician)).toEqual({ status: 200, body: KB_ANSWER });
      expect(await get(hub.gateway.url, { operationName, variables: {}, extensions: apq(query) }, clinician)).toEqual({ status: 200, body: KB_ANSWER });
      expect(await post(hub.gateway.url, { operationName, variables: {}, extensions: apq(query) }, clinician)).toEqual({ status: 200, body: KB_ANSWER });
    });

    it('refuses a query whose hash is not its SHA-256, and registers nothing', async () => {
      const query = `query Mismatch_${tag} { knowledgeBaseVersions { source } }`;
      const claimed = documentHash(`${query} `);
      expect(await post(hub.gateway.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: claimed } } }, await bearer())).toEqual(
        refusal(400, 'PERSISTED_QUERY_HASH_MISMATCH', `the persisted query hash ${claimed.slice(0, 12)}… is not the SHA-256 of the query sent (${documentHash(query).slice(0, 12)}…)`),
      );
      expect((await post(hub.gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: claimed } } }, await bearer())).body.errors?.[0]?.extensions?.code).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
    });

    it('does not register a document that fails validation', async () => {
      const query = `query Invalid_${tag} { noSuchField }`;
      const sent = await post(hub.gateway.url, { query, extensions: apq(query) }, await bearer());
      expect(sent.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await post(hub.gateway.url, { extensions: apq(query) }, await bearer())).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it('lets other roles run published documents by id and ad-hoc documents alike', async () => {
      const researcher = await bearer({ role: 'researcher', sub: 'res-1' });
      expect(await post(hub.gateway.url, { documentId: documentHash(OTHERS) }, researcher)).toEqual({
        status: 200,
        body: { data: { knowledgeBaseVersions: expect.arrayContaining([{ version: expect.any(String) }]) } },
      });
      expect(await post(hub.gateway.url, { query: '{ knowledgeBaseVersions { source } }' }, researcher)).toEqual({ status: 200, body: KB_ANSWER });
    });
  });

  it.each([
    ['an unknown persisted query version', { extensions: { persistedQuery: { version: 2, sha256Hash: documentHash(KB) } } }, 'PERSISTED_QUERY_INVALID_ID'],
    ['a hash that is not hex', { extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } }, 'PERSISTED_QUERY_INVALID_ID'],
    ['a persistedQuery that is not an object', { extensions: { persistedQuery: 'x' } }, 'PERSISTED_QUERY_INVALID_ID'],
    ['a documentId that is a number', { documentId: 42 }, 'PERSISTED_QUERY_INVALID_ID'],
    ['an unknown documentId', { documentId: documentHash(`unknown ${tag}`) }, 'PERSISTED_QUERY_NOT_FOUND'],
  ])('refuses %s with a coded error and stays up', async (_what, payload, code) => {
    for (const headers of [await bearer(), partner()]) {
      const sent = await post(hub.gateway.url, payload, headers);
      expect(sent.body).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code }) })] });
    }
    expect(await post(hub.gateway.url, { documentId: documentHash(KB) }, partner())).toEqual({ status: 200, body: KB_ANSWER });
  });
});
