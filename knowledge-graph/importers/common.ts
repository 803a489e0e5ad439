/**
 * Shared machinery for the knowledge-base importers (CIViC, ClinicalTrials.gov, HPO, CPIC).
 *
 * - Streaming: files are read line by line (readline) or, for directories, one file at a time.
 * - Batching: rows are written `UNWIND $rows` in batches (default 1,000 rows), one write transaction
 *   per batch through `Neo4jExecutor.write` (a managed transaction the driver retries on transient
 *   errors; any other failure rolls the whole batch back).
 * - Idempotent: every node and edge is MERGEd on its id, so importing the same file twice changes no
 *   counts; only `importRun` on the touched nodes moves to the newer run.
 * - Parameters only: user data travels in `$rows`/`$run`; no Cypher is built from input text.
 * - Provenance: each run is an `(:ImportRun {id, source, version, startedAt, finishedAt, status,
 *   counts})` node (`counts` a JSON string, with the skip reasons). Nodes owned by an import
 *   (Evidence, Trial, Phenotype, Guideline) and every imported edge carry `importRun` (the run id)
 *   and `source` ("<knowledge base> <version>"); shared nodes (Gene, Variant, Drug, Disease) get them
 *   only when the import creates them, so the curated seed keeps its own provenance.
 * - Failure and resume: if Neo4j goes away mid-import, the batch in flight rolls back, the run is
 *   marked `failed` (best effort: if Neo4j is still down, the run stays `running` and carries no
 *   `finishedAt`), and the error is rethrown. Re-running the same import completes it: batches that
 *   had committed are MERGEd again without changing anything, the rest are written, and the new run
 *   ends `completed`.
 */
import { randomUUID } from 'node:crypto';
import type { Neo4jExecutor } from '../executor';
import type { ImportRejectCode } from './record-checks';

export const DEFAULT_BATCH_SIZE = 1000;
/** Examples kept per skip reason in the report (the count is always complete). */
export const SKIP_EXAMPLES = 5;

export type ImportSource = 'civic' | 'clinicaltrials.gov' | 'hpo' | 'cpic';

export interface ImportOptions {
  /** Knowledge-base version (release date, data-version); each importer derives one when absent. */
  version?: string;
  batchSize?: number;
  /** Called after each committed batch (and once at the end) with work done so far. */
  onProgress?: (progress: { done: number; total: number; unit: 'bytes' | 'files' }) => void;
}

export interface SkipEntry {
  /** Why, for scripts to branch on (record-checks.ts ImportRejectCode). */
  code: ImportRejectCode;
  reason: string;
  count: number;
  examples: string[];
}

export interface ImportResult {
  runId: string;
  source: ImportSource;
  version: string;
  status: 'completed' | 'failed';
  counts: Record<string, number>;
  skipped: SkipEntry[];
}

/** Input that cannot be imported at all (missing column, is_a cycle, ...): nothing was written. */
export class ImportInputError extends Error {
  override name = 'ImportInputError';
}

/** Counts and skip reasons of one run; serialised into ImportRun.counts. */
export class ImportReport {
  readonly counts: Record<string, number> = {};
  private readonly skips = new Map<string, SkipEntry>();

  add(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  /** A record not imported: counted under its reason, with up to SKIP_EXAMPLES places (line, file). */
  skip(reason: string, where: string, code: ImportRejectCode): void {
    const key = `${code}\u0000${reason}`;
    let entry = this.skips.get(key);
    if (!entry) {
      entry = { code, reason, count: 0, examples: [] };
      this.skips.set(key, entry);
    }
    entry.count += 1;
    if (entry.examples.length < SKIP_EXAMPLES) entry.examples.push(where);
    this.add('skipped');
  }

  get skipped(): SkipEntry[] {
    return [...this.skips.values()];
  }

  toJson(): string {
    const byCode: Record<string, number> = {};
    for (const e of this.skips.values()) byCode[e.code] = (byCode[e.code] ?? 0) + e.count;
    return JSON.stringify({
      ...this.counts,
      skippedReasons: Object.fromEntries([...this.skips.values()].map((e) => [e.reason, e.count])),
      skippedCodes: byCode,
    });
  }
}

export const SOURCE_LABELS: Record<ImportSource, string> = {
  civic: 'CIViC',
  'clinicaltrials.gov': 'ClinicalTrials.gov',
  hpo: 'HPO',
  cpic: 'CPIC',
};

const START_RUN = `
  CREATE (r:ImportRun {id: $id, source: $source, version: $version, startedAt: datetime($startedAt), status: 'running', counts: '{}'})`;
const FINISH_RUN = `
  MATCH (r:ImportRun {id: $id})
  SET r.status = $status, r.finishedAt = datetime($finishedAt), r.counts = $counts, r.error = $error`;

/** The run every batch of one import belongs to; passed to Cypher as `$run`. */
export interface RunContext {
  id: string;
  source: string; // "<knowledge base> <version>", stored on imported nodes/edges
}

/**
 * Records the ImportRun, runs `work` (which writes its batches with `run`), and marks the run
 * completed or failed. Call it only after the input has been validated, so bad input writes nothing.
 */
export async function withImportRun(
  executor: Neo4jExecutor,
  source: ImportSource,
  version: string,
  report: ImportReport,
  work: (run: RunContext) => Promise<void>,
): Promise<ImportResult> {
  const id = `${source}:${version}:${new Date().toISOString()}:${randomUUID().slice(0, 8)}`;
  await executor.write(START_RUN, { id, source, version, startedAt: new Date().toISOString() });
  const run: RunContext = { id, source: `${SOURCE_LABELS[source]} ${version}` };
  try {
    await work(run);
  } catch (error) {
    try {
      await executor.write(FINISH_RUN, {
        id,
        status: 'failed',
        finishedAt: new Date().toISOString(),
        counts: report.toJson(),
        error: (error as Error).message,
      });
    } catch {
      // Neo4j still unavailable: the run stays 'running' without finishedAt; re-running completes the import.
    }
    throw error;
  }
  await executor.write(FINISH_RUN, { id, status: 'completed', finishedAt: new Date().toISOString(), counts: report.toJson(), error: null });
  return { runId: id, source, version, status: 'completed', counts: report.counts, skipped: report.skipped };
}

/**
 * Collects rows and writes them `batchSize` at a time with one parameterised statement; `$rows` is
 * the batch, `$run` the RunContext. `onWritten` gets the batch and the statement's result records.
 */
export class BatchWriter<Row> {
  private rows: Row[] = [];

  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly cypher: string,
    private readonly run: RunContext,
    private readonly batchSize: number,
    private readonly onWritten: (rows: Row[], records: Array<Record<string, unknown>>) => void = () => undefined,
  ) {}

  async add(row: Row): Promise<boolean> {
    this.rows.push(row);
    if (this.rows.length < this.batchSize) return false;
    await this.flush();
    return true;
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    const result = await this.executor.write(this.cypher, { rows, run: this.run });
    this.onWritten(
      rows,
      result.records.map((r) => r.toObject() as Record<string, unknown>),
    );
  }
}

/** Splits a TSV line; CIViC and HPOA are plain tab-separated (no quoting). */
export function splitTsv(line: string): string[] {
  return line.replace(/\r$/, '').split('\t');
}

/** "a, b ,c" → ["a","b","c"]; empty parts dropped. */
export function splitList(value: string | undefined, separator: string | RegExp = ','): string[] {
  if (!value) return [];
  return value
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A stable drug id for a drug known only by name (RxNorm CUI when known is preferred by the Cypher). */
export function drugNameId(name: string): string {
  return `name:${name.trim().toLowerCase()}`;
}

/**
 * Cypher fragment contract for drugs known only by name: a Drug whose `name` equals the lowercased
 * name (the seed's RxNorm-keyed drugs are named in lowercase) is reused; otherwise `name:<lowercase>`.
 */
export interface DrugRef {
  id: string; // RxNorm CUI or name:<lowercase>
  name: string;
  lower: string;
}

export function drugRef(name: string, rxnorm?: string | null): DrugRef {
  const clean = name.trim();
  return { id: rxnorm ? rxnorm : drugNameId(clean), name: clean, lower: clean.toLowerCase() };
}
