import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../lib/logger';
import { assertionsOf } from '../lib/local-secrets';
import { ensureDatabase } from '../lib/postgres';
import { startEmbeddedNeo4j } from '../knowledge-graph/neo4j-launcher';
import { startPatientService } from '../subgraphs/patient/server';
import { startGenomicsService } from '../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../subgraphs/knowledge-graph/server';
import { startInferenceService } from '../subgraphs/inference/server';
import { startGateway } from '../gateway/server';
import { bearer } from '../tests/support/auth';
import { gql } from '../tests/support/graphql';
import { countingProxy } from '../tests/support/counting-proxy';
import { benchHubConfig } from './bench-hub';

/**
 * Issue 19 item 3: what a clinician's one-patient read costs in calls from genomics and inference
 * back to the patient subgraph, and its median latency at one connection; likewise a write and an aggregate. Genomics and inference reach
 * the patient subgraph through a counting proxy (both before and after the change, so the proxy's own
 * cost is in both). Run: npx tsx bench/access-callbacks.bench.ts [requests per query, default 300]
 */
const REQUESTS = Number(process.argv[2] ?? 300);
/** Each case: its document, and who sends it (a clinician of the patient's organisation, or a researcher). */
const QUERIES: Record<string, { query: string; caller: 'clinician' | 'researcher' }> = {
  genomics: { query: `query ($id: ID!) { patient(id: $id) { id variants { id } pharmacogenomics { gene status } } }`, caller: 'clinician' },
  risk: { query: `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { pce10y } } } }`, caller: 'clinician' },
  // A write: the same call again (an upsert), so every request does the same work.
  write: { query: `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "12", pos: 25245350, ref: "C", alt: "A" }]) { genotype } }`, caller: 'clinician' },
  // Aggregates: the clinician's organisation's carriers; the researcher's consenting ones.
  cohortGenesClinician: { query: `query ($id: ID!) { cohortGenes(first: 5) { patients } patient(id: $id) { id } }`, caller: 'clinician' },
  cohortGenesResearcher: { query: `{ cohortGenes(first: 5) { patients } }`, caller: 'researcher' },
  patientOnly: { query: `query ($id: ID!) { patient(id: $id) { id sex } }`, caller: 'clinician' },
};

async function main(): Promise<void> {
  const config = benchHubConfig();
  const log = createLogger('bench', 'silent');
  await ensureDatabase(config.databaseUrl);
  const assertions = assertionsOf(config);
  const neo4j = await startEmbeddedNeo4j({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'access-bench-neo4j-')) });
  const { host, databaseUrl } = config;
  const patient = await startPatientService({ assertions, databaseUrl, host, port: 0, log });
  const proxy = await countingProxy(() => patient.url);
  const genomics = await startGenomicsService({ assertions, databaseUrl, host, port: 0, patientUrl: proxy.url, log });
  const knowledgeGraph = await startKnowledgeGraphService({ assertions, neo4j: { uri: neo4j.uri }, host, port: 0, log });
  const inference = await startInferenceService({
    assertions, databaseUrl, host, port: 0, patientUrl: proxy.url, genomicsUrl: genomics.url, knowledgeGraphUrl: knowledgeGraph.url,
    modelDir: config.modelDir, modelId: config.nlpModelId, consumeEvents: false, log,
  });
  const gateway = await startGateway({
    host, port: 0, log,
    subgraphUrls: { patient: patient.url, genomics: genomics.url, 'knowledge-graph': knowledgeGraph.url, inference: inference.url },
    auth: { jwt: config.auth.jwt, assertions },
    limits: config.gatewayLimits, // rate limit off (benchHubConfig): one caller plays the load
  });
  try {
    const clinician = await bearer({ role: 'clinician', org: 'org-bench-access', sub: 'dr-bench' });
    const callers = { clinician, researcher: await bearer({ role: 'researcher', sub: 'res-bench' }) };
    const created = await gql<{ createPatient: { id: string } }>(gateway.url, `mutation { createPatient(input: { name: "Bench", birthDate: "1965-05-05", sex: FEMALE, race: WHITE }) { id } }`, {}, clinician);
    const id = created.data!.createPatient.id;
    for (const [code, value, unit] of [['2093-3', 210, 'mg/dL'], ['2085-9', 48, 'mg/dL'], ['8480-6', 132, 'mm[Hg]']] as const) {
      await gql(gateway.url, `mutation ($id: ID!, $c: String!, $v: Float!, $u: String!) { addObservation(patientId: $id, input: { code: $c, value: $v, unit: $u }) { id } }`, { id, c: code, v: value, u: unit }, clinician);
    }
    await gql(gateway.url, `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "7", pos: 140753336, ref: "A", alt: "T" }, { chrom: "10", pos: 94781859, ref: "G", alt: "A" }]) { genotype } }`, { id }, clinician);
    const results: Record<string, { medianMs: number; patientCallsPerRequest: number }> = {};
    for (const [name, { query, caller }] of Object.entries(QUERIES)) {
      const variables = query.includes('$id') ? { id } : {};
      for (let i = 0; i < 30; i++) await gql(gateway.url, query, variables, callers[caller]); // warm-up
      const before = proxy.bodies.length;
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const started = performance.now();
        const response = await gql(gateway.url, query, variables, callers[caller]);
        times.push(performance.now() - started);
        if (response.errors) throw new Error(`${name}: ${JSON.stringify(response.errors)}`);
      }
      times.sort((a, b) => a - b);
      results[name] = { medianMs: Number(times[Math.floor(times.length / 2)]!.toFixed(2)), patientCallsPerRequest: (proxy.bodies.length - before) / REQUESTS };
    }
    console.log(JSON.stringify({ requests: REQUESTS, results }, null, 2));
  } finally {
    for (const service of [gateway, inference, knowledgeGraph, genomics, proxy, patient]) await service.close().catch(() => undefined);
    await neo4j.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
