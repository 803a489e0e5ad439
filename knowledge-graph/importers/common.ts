/**
 * Shared machinery for the knowledge-base importers (CIViC, ClinicalTrials.gov, HPO, CPIC).
 *
 * - Streaming: files are read line by line (readline) or, for directories, one file at a time.
 * - Batching: rows are written `UNWIND $rows` in batches (default 1,000 rows), one write transaction
 *   per batch through `Neo4jExecutor.write` (a managed transaction the driver retries on transient
 *   errors; any other failure rolls the whole batch back).
 * - Idempotent: every node and edge is MERGEd on its id, so importing the same file twice changes no
 *   counts; only `importRun` on the touched nodes moves to the newer run. The input's checksum is kept on
 *   the ImportRun: the same release again is reported `already-imported` without a write (unless
 *   --force, or unless it was imported by an older revision of the importer: IMPORTER_REVISIONS). A newer release MERGEs onto the same ids (updated in place) under a new ImportRun, so both
 *   releases stay recorded, and every imported node carries `sourceVersion` (the release it last came from).
 * - Parameters only: user data travels in `$rows`/`$run`; no Cypher is built from input text.
 * - Provenance: each run is an `(:ImportRun {id, source, version, startedAt, finishedAt, status,
 *   counts})` node (`counts` a JSON string, with the skip reasons). Nodes owned by an import
 *   (Evidence, Trial, Phenotype, Guideline) and every imported edge carry `importRun` (the run id)
 *   and `source` ("<knowledge base> <version>"); shared nodes (Gene, Variant, Drug, Disease) get them
 *   only when the import creates them, so the curated seed keeps its own provenance.
 * - Failure and resume: if Neo4j goes away mid-import, the batch in flight rolls back, the run is
 *   marked `failed` (best effort: if Neo4j is still down, the run stays `running` and carries no
 *   `finishedAt`), and the error is rethrown. After each committed batch the run saves a checkpoint
 *   (phase, input position, counts). Re-running the same input resumes that ImportRun: records up to the
 *   checkpoint are read but neither written nor counted again, the rest are written, and the run ends
 *   `completed` with the counts of one uninterrupted run.
 */
import { randomUUID } from 'node:crypto';
import type { Neo4jExecutor } from '../executor';
import type { ImportRejectCode } from './record-checks';

export const DEFAULT_BATCH_SIZE = 1000;
/** Examples kept per skip reason in the report (the count is always complete). */
export const SKIP_EXAMPLES = 5;

export type ImportSource = 'civic' | 'clinicaltrials.gov' | 'hpo' | 'cpic';

/**
 * The revision of each importer's writing, recorded on its ImportRun (`importerRevision`) and on the start-up
 * marker (releases.ts). Bumped when a fix changes what an import leaves in the graph, so a graph that an older
 * revision wrote is imported again instead of being reported `already-imported` (as SEED_LOADER_REVISION
 * reloads the seed). Runs recorded before revisions were kept count as revision 1.
 * - hpo 2: a term gets exactly the release's is_a parents; a disease the release names gets exactly the release's
 *   annotations (and, with genes_to_disease, gene links); an obsolete term loses its older is_a edges and
 *   carries `replacedBy`; no annotation to an obsolete term. Revision 1 MERGEd all of these over what the graph held.
 * - hpo 3: HPOA aspect-I rows become HAS_INHERITANCE edges (a disease's modes of inheritance), replaced like the
 *   annotations; revision 2 skipped them, so a graph it wrote has none.
 */
export const IMPORTER_REVISIONS: Record<ImportSource, number> = { civic: 1, 'clinicaltrials.gov': 1, hpo: 3, cpic: 1 };
/** The revision a run recorded before revisions were kept is taken to have been written by. */
export const UNRECORDED_IMPORTER_REVISION = 1;

export interface ImportOptions {
  /** Knowledge-base version (release date, data-version); each importer derives one when absent. */
  version?: string;
  batchSize?: number;
  /** Import again even when a completed run had the same input checksum (MERGE: nothing is duplicated). */
  force?: boolean;
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
  /** already-imported: a completed run had the same input checksum; nothing was written. */
  status: 'completed' | 'failed' | 'already-imported';
  counts: Record<string, number>;
  skipped: SkipEntry[];
  durationMs: number;
  checksum: string;
  /** Where an interrupted run of the same input was taken up again ("<phase> <position>"). */
  resumedFrom?: string;
}

/** Input that cannot be imported at all (missing column, is_a cycle, ...): nothing was written. */
export class ImportInputError extends Error {
  override name = 'ImportInputError';
}

export interface ReportState {
  counts: Record<string, number>;
  skips: SkipEntry[];
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

  /** Everything needed to go on counting after a resume (saved in the checkpoint). */
  state(): ReportState {
    return { counts: { ...this.counts }, skips: [...this.skips.values()].map((e) => ({ ...e, examples: [...e.examples] })) };
  }

  restore(state: ReportState): void {
    for (const key of Object.keys(this.counts)) delete this.counts[key];
    Object.assign(this.counts, state.counts);
    this.skips.clear();
    for (const e of state.skips) this.skips.set(`${e.code}\u0000${e.reason}`, { ...e, examples: [...e.examples] });
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

// The newest completed run of the source for this kind of input (its phases: CIViC evidence and CIViC variant
// coordinates are two inputs of one source; runs recorded before phases were kept match any kind), and
// unfinished runs of this input.
const FIND_RUNS = `
  OPTIONAL MATCH (done:ImportRun {source: $source, status: 'completed'}) WHERE coalesce(done.phases, $phases) = $phases
  WITH done ORDER BY done.finishedAt DESC LIMIT 1
  OPTIONAL MATCH (open:ImportRun {source: $source, checksum: $checksum}) WHERE open.status <> 'completed'
  WITH done, open ORDER BY open.startedAt DESC LIMIT 1
  RETURN done {.id, .version, .checksum, .counts, .importerRevision} AS latest, open {.id, .version, .checkpoint, .importerRevision} AS unfinished`;
const START_RUN = `
  CREATE (r:ImportRun {id: $id, source: $source, version: $version, checksum: $checksum, files: $files, phases: $phases,
                       importerRevision: $importerRevision, startedAt: datetime($startedAt), status: 'running', counts: '{}'})`;
const RESUME_RUN = `
  MATCH (r:ImportRun {id: $id})
  SET r.status = 'running', r.resumedAt = datetime($startedAt), r.resumes = coalesce(r.resumes, 0) + 1, r.error = null`;
const SAVE_CHECKPOINT = `MATCH (r:ImportRun {id: $id}) SET r.checkpoint = $checkpoint`;
const FINISH_RUN = `
  MATCH (r:ImportRun {id: $id})
  SET r.status = $status, r.finishedAt = datetime($finishedAt), r.counts = $counts, r.error = $error,
      r.durationMs = $durationMs, r.checkpoint = CASE WHEN $status = 'completed' THEN null ELSE r.checkpoint END`;

/**
 * How far a run got: the phase being written and the input position (line, record or file number) of
 * the last row of the last committed batch, with the report as it stood then. Saved on the ImportRun
 * after each batch commits; a crash between a batch and its checkpoint only means that batch is
 * MERGEd again on resume, which changes nothing.
 */
interface Checkpoint {
  phase: string;
  position: number;
  report: ReportState;
}

/** The run every batch of one import belongs to; passed to Cypher as `$run` (id, source, version). */
export interface RunContext {
  id: string;
  source: string; // "<knowledge base> <version>", stored on imported nodes/edges
  version: string; // the release, stored as sourceVersion so answers name it
}

/** Resume bookkeeping of one run, used by the importer loop and its BatchWriters (not sent to Neo4j). */
export class RunProgress {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly runId: string,
    private readonly phases: readonly string[],
    private readonly report: ImportReport,
    private readonly resumeFrom: Checkpoint | null,
  ) {}

  /** True when the record at `position` of `phase` was committed by the run being resumed: skip it, counts included. */
  done(phase: string, position: number): boolean {
    const from = this.resumeFrom;
    if (!from) return false;
    const at = this.phases.indexOf(phase);
    const was = this.phases.indexOf(from.phase);
    return at < was || (at === was && position <= from.position);
  }

  get resumed(): boolean {
    return this.resumeFrom !== null;
  }

  async save(phase: string, position: number): Promise<void> {
    const checkpoint: Checkpoint = { phase, position, report: this.report.state() };
    await this.executor.write(SAVE_CHECKPOINT, { id: this.runId, checkpoint: JSON.stringify(checkpoint) });
  }
}

export interface RunInput {
  /** inputChecksum() of the files: the same checksum already imported → nothing is done unless `force`. */
  checksum: string;
  /** Names of the input files, recorded on the ImportRun. */
  files: string[];
  /** The phases the importer writes, in order (e.g. terms, annotations): a checkpoint names one. */
  phases: readonly string[];
  force?: boolean;
  /** The importer's revision (default IMPORTER_REVISIONS of the source): a run of an older one is not "already imported". */
  revision?: number;
}

/**
 * Records the ImportRun, runs `work` (which writes its batches with `run` and checkpoints through
 * `progress`), and marks the run completed or failed. Call it only after the input has been validated,
 * so bad input writes nothing.
 *
 * - Input already imported (the newest completed run of this source and kind of input, its phases, had the same checksum
 *   and was written by this importer revision or a newer one): returns that run as `already-imported` and writes nothing,
 *   unless `force` (then a new run MERGEs everything again: counts in the graph do not change). The same checksum
 *   imported by an older revision is imported again under a new ImportRun (the older run stays recorded).
 * - A run of the same input that did not complete (failed, or still `running` because the process died):
 *   that run is resumed from its checkpoint (same ImportRun node, its counts restored), so the records
 *   it committed are neither written nor counted twice. Only a run of the same importer revision is resumed: what an
 *   older revision committed is not what this one would have written, so a new run starts.
 */
export async function withImportRun(
  executor: Neo4jExecutor,
  source: ImportSource,
  version: string,
  report: ImportReport,
  input: RunInput,
  work: (run: RunContext, progress: RunProgress) => Promise<void>,
): Promise<ImportResult> {
  const started = Date.now();
  const revision = input.revision ?? IMPORTER_REVISIONS[source];
  const revisionOf = (run: Record<string, unknown>) => Number(run.importerRevision ?? UNRECORDED_IMPORTER_REVISION);
  const found = (await executor.read(FIND_RUNS, { source, checksum: input.checksum, phases: input.phases })).records[0];
  const latest = found?.get('latest') as Record<string, unknown> | null;
  const unfinished = input.force ? null : (found?.get('unfinished') as Record<string, unknown> | null);
  // Only the release the graph holds now is "already imported": an older one imported again is a deliberate step back.
  const completed = latest?.checksum === input.checksum && revisionOf(latest) >= revision ? latest : null;
  if (completed && !input.force) {
    const counts = JSON.parse((completed.counts as string) ?? '{}') as Record<string, unknown>;
    return {
      runId: completed.id as string,
      source,
      version: completed.version as string,
      status: 'already-imported',
      counts: Object.fromEntries(Object.entries(counts).filter((e): e is [string, number] => typeof e[1] === 'number')),
      skipped: [],
      durationMs: Date.now() - started,
      checksum: input.checksum,
    };
  }
  let id: string;
  let resumeFrom: Checkpoint | null = null;
  if (unfinished && (unfinished.version as string) === version && revisionOf(unfinished) === revision) {
    id = unfinished.id as string;
    resumeFrom = unfinished.checkpoint ? (JSON.parse(unfinished.checkpoint as string) as Checkpoint) : null;
    if (resumeFrom) report.restore(resumeFrom.report);
    await executor.write(RESUME_RUN, { id, startedAt: new Date().toISOString() });
  } else {
    id = `${source}:${version}:${new Date().toISOString()}:${randomUUID().slice(0, 8)}`;
    await executor.write(START_RUN, {
      id,
      source,
      version,
      checksum: input.checksum,
      files: input.files,
      phases: input.phases,
      importerRevision: revision,
      startedAt: new Date().toISOString(),
    });
  }
  const run: RunContext = { id, source: `${SOURCE_LABELS[source]} ${version}`, version };
  const progress = new RunProgress(executor, id, input.phases, report, resumeFrom);
  const finish = (status: 'completed' | 'failed', error: string | null) =>
    executor.write(FINISH_RUN, { id, status, finishedAt: new Date().toISOString(), counts: report.toJson(), error, durationMs: Date.now() - started });
  try {
    await work(run, progress);
  } catch (error) {
    try {
      await finish('failed', (error as Error).message);
    } catch {
      // Neo4j still unavailable: the run stays 'running' without finishedAt; re-running resumes it.
    }
    throw error;
  }
  await finish('completed', null);
  return {
    runId: id,
    source,
    version,
    status: 'completed',
    counts: report.counts,
    skipped: report.skipped,
    durationMs: Date.now() - started,
    checksum: input.checksum,
    ...(resumeFrom ? { resumedFrom: `${resumeFrom.phase} ${resumeFrom.position}` } : {}),
  };
}

/**
 * Collects rows and writes them `batchSize` at a time with one parameterised statement; `$rows` is
 * the batch, `$run` the RunContext. `onWritten` gets the batch and the statement's result records.
 * With a RunProgress, each committed batch is checkpointed as (phase, position of its last row).
 */
export class BatchWriter<Row> {
  private rows: Row[] = [];
  private lastPosition = 0;

  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly cypher: string,
    private readonly run: RunContext,
    private readonly batchSize: number,
    private readonly onWritten: (rows: Row[], records: Array<Record<string, unknown>>) => void = () => undefined,
    private readonly checkpoint?: { progress: RunProgress; phase: string },
  ) {}

  /** `position`: the row's place in the input (line, record or file number), for the checkpoint. */
  async add(row: Row, position?: number): Promise<boolean> {
    this.rows.push(row);
    if (position !== undefined) this.lastPosition = position;
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
    if (this.checkpoint) await this.checkpoint.progress.save(this.checkpoint.phase, this.lastPosition);
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
