import { createLogger } from '../lib/logger';
import { assertionsOf } from '../lib/local-secrets';
import { startPatientService } from '../subgraphs/patient/server';
import { startGenomicsService } from '../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../subgraphs/knowledge-graph/server';
import { startGateway, type Gateway } from '../gateway/server';
import { KNOWLEDGE_CACHE_METRIC } from '../gateway/observability';
import { bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';
import { countingProxy } from './support/counting-proxy';
import { startInferenceReplica } from './support/inference';

/**
 * Issue 19: the gateway answers knowledge-graph entities it has fetched before from its cache
 * (gateway/knowledge-cache.ts). The knowledge-graph subgraph sits behind a proxy that counts what the gateway asks.
 */
const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const BRAF = { chrom: '7', pos: 140753336, ref: 'A', alt: 'T' };
const EGFR = { chrom: '7', pos: 55191822, ref: 'T', alt: 'G' };
const PATIENT_360 = `query ($id: ID!) { patient(id: $id) { name variants { id gene { symbol } therapies { drug { name } evidenceLevel source } } } }`;

describe('knowledge-graph entities cached at the gateway', () => {
  const config = testConfig();
  const assertions = assertionsOf(config);
  const services: { close(): Promise<void> }[] = [];
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let cached: Gateway;
  let uncached: Gateway;
  let clinician: Record<string, string>;
  const patients: string[] = [];

  beforeAll(async () => {
    const { host, databaseUrl } = config;
    const patient = await startPatientService({ assertions, databaseUrl, host, port: 0, log });
    services.push(patient);
    const genomics = await startGenomicsService({ assertions, databaseUrl, host, port: 0, patientUrl: patient.url, log });
    services.push(genomics);
    const knowledgeGraph = await startKnowledgeGraphService({ assertions, neo4j: testNeo4j(), host, port: 0, log });
    services.push(knowledgeGraph);
    proxy = await countingProxy(() => knowledgeGraph.url);
    services.push(proxy);
    const inference = await startInferenceReplica({ databaseUrl, patient, genomics, knowledgeGraph, log, assertions }, { consumeEvents: false });
    services.push(inference);
    const subgraphUrls = { patient: patient.url, genomics: genomics.url, 'knowledge-graph': proxy.url, inference: inference.url };
    cached = await startGateway({ host, port: 0, log, subgraphUrls, auth: { jwt: config.auth.jwt, assertions } });
    services.push(cached);
    uncached = await startGateway({ host, port: 0, log, subgraphUrls, auth: { jwt: config.auth.jwt, assertions }, knowledgeCacheTtlMs: 0 });
    services.push(uncached);
    clinician = await bearer({ role: 'clinician', org: `org-${TAG}`, sub: `dr-${TAG}` });
    for (const [name, calls] of [['One', [BRAF, EGFR]], ['Two', [BRAF]]] as const) {
      const created = await gql<{ createPatient: { id: string } }>(cached.url, `mutation { createPatient(input: { name: "${name} ${TAG}", birthDate: "1960-05-05", sex: FEMALE }) { id } }`, {}, clinician);
      const id = created.data!.createPatient.id;
      const stored = await gql(cached.url, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, { id, calls }, clinician);
      expect(stored.errors).toBeUndefined();
      patients.push(id);
    }
  }, 120_000);

  afterAll(async () => {
    for (const service of services.reverse()) await service.close().catch(() => undefined);
  });

  /** The representations the gateway sent to the knowledge graph while `work` ran, one list per request. */
  async function askedDuring(work: () => Promise<unknown>): Promise<string[][]> {
    const before = proxy.bodies.length;
    await work();
    return proxy.bodies.slice(before).map((body) => (JSON.parse(body) as { variables: { representations: { id: string }[] } }).variables.representations.map((r) => r.id));
  }

  it("answers a variant's gene and therapies from the cache once fetched, the same answer, for this patient and the next", async () => {
    const [one, two] = patients as [string, string];
    let first: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await askedDuring(async () => (first = await gql(cached.url, PATIENT_360, { id: one }, clinician)))).toEqual([['GRCh38:7:140753336:A:T', 'GRCh38:7:55191822:T:G']]);
    expect(first?.errors).toBeUndefined();
    expect(JSON.stringify(first?.data)).toContain('BRAF');
    let again: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await askedDuring(async () => (again = await gql(cached.url, PATIENT_360, { id: one }, clinician)))).toEqual([]);
    expect(again).toEqual(first);
    // Another patient with BRAF V600E only: nothing to ask either.
    expect(await askedDuring(() => gql(cached.url, PATIENT_360, { id: two }, clinician))).toEqual([]);
    expect(cached.knowledgeCache).toEqual({ hits: 3, misses: 2 });
    // Operators read the same counts on /metrics.
    const metrics = await cached.observability.metrics();
    expect(metrics).toContain(`${KNOWLEDGE_CACHE_METRIC}{result="hit"} 3`);
    expect(metrics).toContain(`${KNOWLEDGE_CACHE_METRIC}{result="miss"} 2`);
  });

  it('asks the knowledge graph every time with GATEWAY_KNOWLEDGE_CACHE_TTL_MS=0, and answers the same', async () => {
    const [one] = patients as [string];
    let answer: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await askedDuring(async () => (answer = await gql(uncached.url, PATIENT_360, { id: one }, clinician)))).toHaveLength(1);
    expect(await askedDuring(() => gql(uncached.url, PATIENT_360, { id: one }, clinician))).toHaveLength(1);
    expect(answer).toEqual(await gql(cached.url, PATIENT_360, { id: one }, clinician));
  });
});
