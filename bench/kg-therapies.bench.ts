/**
 * Variant.therapies for a 500-variant patient, through the knowledge-graph subgraph, on a graph
 * grown to 100k synthetic evidence edges beside the seed; p50/p99 and Neo4j round trips per request.
 *
 *   npx tsx bench/kg-therapies.bench.ts [--variants 20000] [--per-variant 5] [--requests 60]
 *
 * Synthetic nodes carry ids under `bench:` / `GRCh38:bench…` so they never mix with real ones; the
 * embedded Neo4j lives in a temp folder and is removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { createDriver, Neo4jExecutor } from '../knowledge-graph/executor';
import { startKnowledgeGraphService } from '../subgraphs/knowledge-graph/server';
import { gql } from '../tests/support/graphql';
import { testAssertions } from '../tests/support/auth';

const { values } = parseArgs({ options: { variants: { type: 'string' }, 'per-variant': { type: 'string' }, requests: { type: 'string' } } });
const VARIANTS = Number(values.variants ?? 20_000);
const PER_VARIANT = Number(values['per-variant'] ?? 5);
const REQUESTS = Number(values.requests ?? 60);
const PATIENT_VARIANTS = 500;

const SYNTHETIC = `
  UNWIND $rows AS row
  MERGE (v:Variant {id: row.id}) SET v.gene = row.gene, v.proteinChange = row.protein
  MERGE (g:Gene {symbol: row.gene}) MERGE (v)-[:IN_GENE]->(g)
  WITH v, row
  UNWIND range(1, $perVariant) AS n
  MERGE (e:Evidence {id: row.id + ':e' + n})
  SET e.level = ['A','B','C','D','E'][n % 5], e.response = CASE n % 3 WHEN 0 THEN 'RESISTANCE' ELSE 'SENSITIVITY' END,
      e.source = 'bench', e.citation = 'synthetic', e.rating = n % 5
  MERGE (d:Drug {id: 'bench:drug:' + ((toInteger(split(row.id, ':')[2]) + n) % 200)}) ON CREATE SET d.name = 'benchdrug' + ((toInteger(split(row.id, ':')[2]) + n) % 200)
  MERGE (x:Disease {id: 'bench:disease:' + (n % 40)}) ON CREATE SET x.name = 'bench disease ' + (n % 40)
  MERGE (e)-[:ABOUT_VARIANT]->(v) MERGE (e)-[:FOR_DRUG]->(d) MERGE (e)-[:IN_DISEASE]->(x)`;

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Variant { id gene { symbol } proteinChange therapies { drug { name } evidenceLevel response disease { name } source citation } } } }`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-kg-bench-'));
  const log = createLogger('bench', 'warn');
  const store = await ensureKnowledgeGraph({ uri: undefined, user: undefined, password: undefined, dataDir: dir, boltPort: 0 }, log);
  // Count every Neo4j transaction the subgraph opens: its executors all go through this method.
  const calls = { reads: 0 };
  const read = Neo4jExecutor.prototype.read;
  Neo4jExecutor.prototype.read = function (this: Neo4jExecutor, ...args: Parameters<typeof read>) {
    calls.reads += 1;
    return read.apply(this, args);
  } as typeof read;
  const executor = new Neo4jExecutor(createDriver(store.connection), store.connection.uri);
  try {
    let started = performance.now();
    const genes = ['BRAF', 'EGFR', 'KRAS', 'PIK3CA', 'ALK', 'ERBB2', 'IDH1', 'TP53'];
    for (let start = 0; start < VARIANTS; start += 2000) {
      const rows = Array.from({ length: Math.min(2000, VARIANTS - start) }, (_, i) => ({
        id: `GRCh38:bench:${start + i}:A:T`,
        gene: genes[(start + i) % genes.length],
        protein: `p.X${start + i}Y`,
      }));
      await executor.write(SYNTHETIC, { rows, perVariant: PER_VARIANT });
    }
    const edges = (await executor.read<{ n: number }>(`MATCH ()-[r:ABOUT_VARIANT]->() RETURN count(r) AS n`)).records[0]!.get('n');
    const loadSeconds = (performance.now() - started) / 1000;

    const service = await startKnowledgeGraphService({ neo4j: store.connection, host: '127.0.0.1', port: 0, log, assertions: testAssertions() });
    try {
      // A patient's 500 variants: mostly synthetic, plus the seed's BRAF V600E, EGFR L858R/T790M and KRAS G12C.
      const ids = [
        'GRCh38:7:140753336:A:T',
        'GRCh38:7:55191822:T:G',
        'GRCh38:7:55181378:C:T',
        'GRCh38:12:25245351:C:A',
        ...Array.from({ length: PATIENT_VARIANTS - 4 }, (_, i) => `GRCh38:bench:${(i * 37) % VARIANTS}:A:T`),
      ];
      const representations = ids.map((id) => ({ __typename: 'Variant', id }));
      const first = await gql<{ _entities: { therapies: unknown[] }[] }>(service.url, ENTITIES, { representations });
      if (first.errors) throw new Error(JSON.stringify(first.errors));
      const therapies = first.data!._entities.reduce((n, v) => n + v.therapies.length, 0);
      const latencies: number[] = [];
      const roundTrips: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const before = calls.reads;
        started = performance.now();
        await gql(service.url, ENTITIES, { representations });
        latencies.push(performance.now() - started);
        roundTrips.push(calls.reads - before);
      }
      latencies.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      console.log(
        [
          `graph: ${edges.toLocaleString('en')} ABOUT_VARIANT edges (seed + ${VARIANTS.toLocaleString('en')} synthetic variants × ${PER_VARIANT}), loaded in ${loadSeconds.toFixed(1)} s`,
          `| request: ${PATIENT_VARIANTS} variants, ${therapies} therapies | p50 ms | p99 ms | p99 per variant ms | Neo4j round trips / request |`,
          '| --- | ---: | ---: | ---: | ---: |',
          `| _entities → gene, proteinChange, therapies | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${(p99 / PATIENT_VARIANTS).toFixed(3)} | ${Math.min(...roundTrips)}–${Math.max(...roundTrips)} |`,
          `${REQUESTS} sequential requests, node ${process.version}, ${os.cpus().length} cores`,
        ].join('\n'),
      );
    } finally {
      await service.close();
    }
  } finally {
    Neo4jExecutor.prototype.read = read;
    await executor.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
