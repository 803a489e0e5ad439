import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The VCF ingestion bench's record, one row per run, kept per commit so that a slowdown shows up in
 * the commit that caused it (issue 16: 111k → 40–48k records/s went unnoticed until someone re-ran the
 * bench by hand). Rows are written by `bench/vcf-ingest.bench.ts --record` and checked by
 * bench/vcf-ingest-history.test.ts. The ratio to `bcftools view` on the same file in the same run is
 * what is compared: absolute records/s differ between machines (see docs/benchmarks.md).
 */
export const VCF_INGEST_HISTORY = path.join(__dirname, '..', 'history', 'vcf-ingest.tsv');

/** Paths whose changes can change ingestion speed (tests and fixtures excluded): git pathspecs. */
export const VCF_INGEST_PATHSPECS = [
  'subgraphs/genomics/ingest',
  'subgraphs/genomics/domain/variant.ts',
  'bench/vcf/generate-vcf.ts',
  ':(exclude,glob)**/*.test.ts',
  ':(exclude)subgraphs/genomics/ingest/fixtures',
];

/** A newer row may be this much slower (hub / bcftools time) than the one before it, for noise. */
export const ALLOWED_RATIO_GROWTH = 1.3;

export const HISTORY_COLUMNS = [
  'commit', 'recorded_at', 'records', 'seed', 'seconds', 'records_per_s', 'hub_over_bcftools', 'peak_rss_growth_mb', 'load_avg_1m', 'cores', 'node', 'note',
] as const;

export interface VcfIngestRun {
  commit: string;
  recordedAt: string;
  records: number;
  seed: number;
  seconds: number;
  recordsPerSecond: number;
  hubOverBcftools: number;
  peakRssGrowthMb: number;
  loadAverage: number;
  cores: number;
  node: string;
  /** Why a slower row is accepted (e.g. a check the issue asked for); empty otherwise. */
  note: string;
}

export function readVcfIngestHistory(file = VCF_INGEST_HISTORY): VcfIngestRun[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const [header, ...rows] = lines;
  if (header !== HISTORY_COLUMNS.join('\t')) throw new Error(`${file}: header must be ${HISTORY_COLUMNS.join(' ')}`);
  return rows.map((line, i) => {
    const f = line.split('\t').map((field) => field.trim());
    if (f.length !== HISTORY_COLUMNS.length) throw new Error(`${file} row ${i + 1}: ${f.length} fields, expected ${HISTORY_COLUMNS.length}`);
    const num = (k: number) => {
      const n = Number(f[k]);
      if (!Number.isFinite(n)) throw new Error(`${file} row ${i + 1}: ${HISTORY_COLUMNS[k]} "${f[k]}" is not a number`);
      return n;
    };
    const text = (k: number) => f[k] ?? '';
    return {
      commit: text(0), recordedAt: text(1), records: num(2), seed: num(3), seconds: num(4), recordsPerSecond: num(5),
      hubOverBcftools: num(6), peakRssGrowthMb: num(7), loadAverage: num(8), cores: num(9), node: text(10), note: text(11),
    };
  });
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' }).trim();

/** Appends a run under the checked-out commit; refuses when ingestion code has uncommitted changes. */
export function appendVcfIngestRun(run: { records: number; seed: number; seconds: number; ratio: number; peakRssGrowthMb: number; note?: string }): string {
  const changed = git('status', '--porcelain', '--', ...VCF_INGEST_PATHSPECS);
  if (changed) throw new Error(`commit the ingestion changes before recording a run (uncommitted:\n${changed})`);
  const row = [
    git('rev-parse', 'HEAD'),
    new Date().toISOString(),
    run.records,
    run.seed,
    run.seconds.toFixed(2),
    Math.round(run.records / run.seconds),
    run.ratio.toFixed(2),
    Math.round(run.peakRssGrowthMb),
    (os.loadavg()[0] ?? 0).toFixed(2),
    os.cpus().length,
    process.version,
    (run.note ?? '').replace(/[\t\n]/g, ' '),
  ].join('\t');
  if (!fs.existsSync(VCF_INGEST_HISTORY)) fs.writeFileSync(VCF_INGEST_HISTORY, `${HISTORY_COLUMNS.join('\t')}\n`);
  fs.appendFileSync(VCF_INGEST_HISTORY, `${row}\n`);
  return row;
}

/** The newest commit that changed ingestion, or null outside a git checkout. */
export function newestIngestionCommit(): string | null {
  try {
    return git('log', '-1', '--format=%H', '--', ...VCF_INGEST_PATHSPECS) || null;
  } catch {
    return null;
  }
}

/** Whether `ancestor` is `descendant` or one of its ancestors (false for commits this clone lacks). */
export function contains(descendant: string, ancestor: string): boolean {
  try {
    git('merge-base', '--is-ancestor', ancestor, descendant);
    return true;
  } catch {
    return false;
  }
}
