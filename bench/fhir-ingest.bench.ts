/**
 * FHIR ingestion throughput: Synthea-like bundles from the generator, straight from memory (no files)
 * through FhirIngestor into the database precision_hub_bench, C bundles in flight.
 *
 *   npx tsx bench/fhir-ingest.bench.ts [--count 1000] [--concurrency 4] [--seed 42] [--database precision_hub_bench]
 *
 * Bundles are generated as workers take them, so RSS tells whether ingestion itself holds on to
 * memory: compare "warm" (after the first tenth, once FHIR definitions and pools are loaded) with
 * "after". RSS swings with garbage collection; NODE_OPTIONS=--expose-gc collects before each of the
 * two samples, which makes the comparison steadier. A second run with the same seed finds every record stored and unchanged (all skipped);
 * pass another --seed to measure first loads again.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { prepareFhirValidation } from '../subgraphs/patient/ingest/fhir-validation';
import type { Bundle } from '@medplum/fhirtypes';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate, redact } from '../lib/postgres';
import { FhirIngestor } from '../subgraphs/patient/ingest/ingest-bundle';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { forEachConcurrently, newTally, recordOutcome, summarise } from '../scripts/ingest';
import { generateBundles } from './fhir/generate-bundles';
import type { Identity } from '../lib/identity';

/** Written as a hub service (the ingest CLI's identity), which writes for any organisation. */
const WRITER: Identity = { subject: 'ingest', role: 'service', client: 'precision-hub-bench' };
const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    concurrency: { type: 'string' },
    seed: { type: 'string' },
    database: { type: 'string' },
  },
  strict: true,
});
const COUNT = Number(values.count ?? 1000);
const CONCURRENCY = Number(values.concurrency ?? 4);
const SEED = Number(values.seed ?? 42);

const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
/** Present when node runs with --expose-gc. */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: Float64Array, p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/** The generator's time, kept apart from ingestion's. */
function* timedGeneration(source: Generator<Bundle>, spent: { ms: number }): Generator<Bundle> {
  for (;;) {
    const started = performance.now();
    const next = source.next();
    spent.ms += performance.now() - started;
    if (next.done) return;
    yield next.value;
  }
}

async function main(): Promise<number> {
  for (const [name, value] of [['count', COUNT], ['concurrency', CONCURRENCY], ['seed', SEED]] as const) {
    if (!Number.isSafeInteger(value) || value < (name === 'seed' ? 0 : 1)) throw new Error(`--${name} must be a whole number`);
  }
  const url = new URL(loadConfig().databaseUrl);
  // Same server and credentials as the hub (DATABASE_URL), another database, so a run never touches real data.
  url.pathname = `/${encodeURIComponent(values.database ?? 'precision_hub_bench')}`;
  const databaseUrl = url.toString();
  const log = createLogger('bench', 'warn');
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl, 'patient', PATIENT_MIGRATIONS, log);
  const pool = createPool(databaseUrl, CONCURRENCY);
  // A running service compiles the FHIR schema at start; keep that second out of the throughput.
  prepareFhirValidation();
  const ingestor = new FhirIngestor(pool, log);

  const latencies = new Float64Array(COUNT);
  const generation = { ms: 0 };
  const tally = newTally('bundles', null);
  const rss = { before: process.memoryUsage.rss(), warm: 0, peak: 0 };
  let resources = 0;
  const started = performance.now();
  try {
    await forEachConcurrently(timedGeneration(generateBundles(SEED, COUNT), generation), CONCURRENCY, async (bundle, index) => {
      resources += bundle.entry?.length ?? 0;
      const sent = performance.now();
      const report = await ingestor.ingestBundle(bundle, WRITER);
      latencies[index] = performance.now() - sent;
      recordOutcome(tally, index, `bundle ${index}`, report.rejected, report);
      rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
      if (tally.ok + tally.rejected === Math.ceil(COUNT / 10)) {
        collectGarbage();
        rss.warm = process.memoryUsage.rss();
      }
    });
  } finally {
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const after = process.memoryUsage.rss();
  latencies.sort();

  console.log(
    [
      `FHIR ingest: ${COUNT} bundles (${resources} resources), seed ${SEED}, concurrency ${CONCURRENCY} → ${redact(databaseUrl)}`,
      `  wall ${seconds.toFixed(1)} s, of which generating bundles ${(generation.ms / 1000).toFixed(1)} s`,
      `  bundles/s    ${(COUNT / seconds).toFixed(1)}`,
      `  resources/s  ${(resources / seconds).toFixed(0)}`,
      `  per bundle   p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
      `  RSS MB       before ${megabytes(rss.before)}, warm ${megabytes(rss.warm)}, after ${megabytes(after)}, peak ${megabytes(rss.peak)} ` +
        `(after − warm: ${megabytes(after - rss.warm)} MB)`,
      '',
      summarise(tally),
    ].join('\n'),
  );
  return tally.rejects ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
