/**
 * VCF ingestion throughput, with bcftools as the floor, in one run on the same file.
 *
 *   npx tsx bench/vcf-ingest.bench.ts [--records 1000000] [--seed 7] [--record]
 *
 * Needs bcftools (Debian package `bcftools`). Generates a deterministic single-sample VCF, bgzips it,
 * then times (1) `bcftools view` reading
 * it and writing nothing (parse only, C, the floor), and (2) our ingest: parse, split, normalise
 * and COPY into PostgreSQL, committed. Prints records/s and the ratio, and the RSS growth.
 * `--record` appends the run to bench/history/vcf-ingest.tsv under the checked-out commit: every
 * commit that touches VCF ingestion gets a row there (bench/vcf-ingest-history.test.ts checks it).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { GENOMICS_MIGRATIONS } from '../subgraphs/genomics/server';
import { VcfIngestor } from '../subgraphs/genomics/ingest/ingest-vcf';
import { writeVcf } from './vcf/generate-vcf';
import { appendVcfIngestRun } from './vcf/ingest-history';

const { values } = parseArgs({ options: { records: { type: 'string' }, seed: { type: 'string' }, record: { type: 'boolean' } } });
const RECORDS = Number(values.records ?? 1_000_000);
const SEED = Number(values.seed ?? 7);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-vcf-bench-'));
  try {
    const plain = path.join(dir, 'bench.vcf');
    await writeVcf(plain, RECORDS, SEED);
    // bcftools writes BGZF itself (-Oz), so the bench needs no separate bgzip/tabix package.
    const gz = `${plain}.gz`;
    execFileSync('bcftools', ['view', '--no-version', '-Oz', '-o', gz, plain]);
    fs.rmSync(plain);
    const bytes = fs.statSync(gz).size;

    let started = performance.now();
    execFileSync('bcftools', ['view', '--no-version', '-Ou', '-o', '/dev/null', gz]);
    const bcftoolsSeconds = (performance.now() - started) / 1000;

    await ensureDatabase(DATABASE_URL);
    await migrate(DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('bench', 'warn'));
    const pool = createPool(DATABASE_URL, 2);
    let peakRss = process.memoryUsage.rss();
    const rssBefore = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
    try {
      const patientId = randomUUID();
      started = performance.now();
      const report = await new VcfIngestor(pool).ingest(patientId, fs.createReadStream(gz));
      const oursSeconds = (performance.now() - started) / 1000;
      // Untimed: the next run must not load into a table (and indexes) a million rows bigger than this one's.
      await pool.query('DELETE FROM genomics.variant_calls WHERE patient_id = $1', [patientId]);
      await pool.query('DELETE FROM genomics.outbox WHERE patient_id = $1', [patientId]);
      if (report.rejected.length) throw new Error(`generated VCF refused: ${JSON.stringify(report.rejected.slice(0, 3))}`);
      const rate = (seconds: number) => (RECORDS / seconds).toFixed(0);
      console.log(
        [
          `| ${RECORDS.toLocaleString('en')} records (${(bytes / 1048576).toFixed(1)} MB bgzip) | seconds | records/s |`,
          '| --- | ---: | ---: |',
          `| bcftools view (parse only, the floor) | ${bcftoolsSeconds.toFixed(2)} | ${rate(bcftoolsSeconds)} |`,
          `| hub ingest (parse, split, normalise, COPY, commit) | ${oursSeconds.toFixed(2)} | ${rate(oursSeconds)} |`,
          '',
          `ratio hub / bcftools time: ${(oursSeconds / bcftoolsSeconds).toFixed(2)}×; calls stored ${report.variants}; peak RSS growth ${((peakRss - rssBefore) / 1048576).toFixed(0)} MB; node ${process.version}, ${os.cpus().length} cores`,
        ].join('\n'),
      );
      if (values.record) {
        const row = appendVcfIngestRun({
          records: RECORDS,
          seed: SEED,
          seconds: oursSeconds,
          ratio: oursSeconds / bcftoolsSeconds,
          peakRssGrowthMb: (peakRss - rssBefore) / 1048576,
        });
        console.log(`recorded in bench/history/vcf-ingest.tsv: ${row}`);
      }
    } finally {
      clearInterval(sampler);
      await pool.end();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
