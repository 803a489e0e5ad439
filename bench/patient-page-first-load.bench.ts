/**
 * The dashboard's patient page on a freshly started hub (issue 19): each of its queries timed the first
 * time after start-up and again, through the gateway and against each subgraph's own endpoint, for a
 * genotyped patient: the bench patient's three somatic variants, a generated germline VCF of `records`
 * records (bench/vcf/generate-vcf.ts; a whole genome is 4–5 million) and PharmCAT's TPMT *3A/*3B VCF.
 *
 *   npx tsx bench/patient-page-first-load.bench.ts [--records 1000000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLogger } from '../lib/logger';
import { createPool } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { VcfIngestor } from '../subgraphs/genomics/ingest/ingest-vcf';
import { benchHubConfig, createBenchPatient } from './bench-hub';
import { gql } from '../tests/support/graphql';
import { pharmcatTestVcf } from '../tests/support/pharmcat-vcf';
import documents from '../dashboard/persisted-documents.json';
import { writeVcf } from './vcf/generate-vcf';
import { numberOption } from './options';

const RECORDS = numberOption('records', 1_000_000);

const PAGE = ['DashboardPatientRecord', 'DashboardPatientGenomics', 'DashboardPatientRisk', 'DashboardPatientDecisions'];

function document(name: string): string {
  const found = Object.values(documents as Record<string, string>).find((d) => new RegExp(`query ${name}\\b`).test(d));
  if (!found) throw new Error(`${name}: not in dashboard/persisted-documents.json`);
  return found;
}

async function timed(url: string, query: string, id: string): Promise<string> {
  const started = performance.now();
  const answer = await gql(url, query, { id });
  const ms = performance.now() - started;
  return `${ms.toFixed(0)} ms${answer.errors ? ` (errors: ${answer.errors.map((e) => e.message).join('; ')})` : ''}`;
}

async function main() {
  const log = createLogger('bench', 'warn');
  const config = benchHubConfig();
  let started = performance.now();
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHub(config, neo4j.connection, log);
  console.log(`hub started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const pool = createPool(config.databaseUrl, 2);
  try {
    const patients: string[] = [];
    const vcf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-first-load-')), 'germline.vcf');
    if (RECORDS > 0) await writeVcf(vcf, RECORDS, 7);
    for (let i = 0; i < 2; i++) {
      const id = await createBenchPatient(hub.gateway.url);
      started = performance.now();
      if (RECORDS > 0) await new VcfIngestor(pool).ingest(id, fs.createReadStream(vcf));
      console.log(`patient ${i + 1}: ${RECORDS} records ingested in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await new VcfIngestor(pool).ingest(id, Readable.from([Buffer.from(pharmcatTestVcf('TPMT/s3as3b.vcf'))]));
      patients.push(id);
    }
    const [first, second] = patients as [string, string];
    for (const [label, id] of [['patient A, first', first], ['patient A, again', first]] as const) {
      for (const name of PAGE) console.log(`${label} ${name} via gateway: ${await timed(hub.gateway.url, document(name), id)}`);
    }
    // Patient B, each subgraph on its own first: the parts of the page the gateway fans out.
    const entity = (selection: string) => `query ($id: ID!) { _entities(representations: [{ __typename: "Patient", id: $id }]) { ... on Patient { ${selection} } } }`;
    const direct: [string, string, string][] = [
      ['genomics', 'pharmacogenomics', entity('pharmacogenomics { gene diplotype phenotype }')],
      ['genomics', 'pharmacogenomics again', entity('pharmacogenomics { gene diplotype phenotype }')],
      ['genomics', 'variants(first: 200)', entity('variants(first: 200) { id }')],
      ['inference', 'drugResponses medicationAlerts trialMatches', entity('drugResponses { drugName phenotype } medicationAlerts { __typename } trialMatches(first: 10) { __typename }')],
    ];
    const urls: Record<string, string> = { genomics: hub.genomics.url, inference: hub.inference.url };
    for (const [subgraph, label, query] of direct) console.log(`patient B ${subgraph} ${label} direct: ${await timed(urls[subgraph]!, query, second)}`);
    for (const name of PAGE) console.log(`patient B ${name} via gateway: ${await timed(hub.gateway.url, document(name), second)}`);
  } finally {
    await pool.end();
    await hub.close();
    await neo4j.close();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
