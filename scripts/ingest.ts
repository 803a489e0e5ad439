/**
 * Loads FHIR R4 into the patient store through the patient subgraph's own ingestors: bundles through
 * FhirIngestor (each lands whole or not at all), an NDJSON device feed through DeviceObservationIngestor.
 *
 *   npm run ingest -- fhir <bundle.json | directory> [--concurrency 4]
 *   npm run ingest -- fhir <observations.ndjson> --patient <hub patient id> [--concurrency 4]
 *
 * A directory is walked recursively in name order and read lazily, a few files at a time, so memory
 * stays flat however many files there are. Exit code 0: everything landed; 1: something was rejected
 * (the summary lists the first rejects) or the run stopped on an error (database gone: the summary
 * says how far it got); 2: usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { parseCommandLine, runTool, UsageError } from '../lib/cli';
import cliProgress from 'cli-progress';
import { loadConfig } from '../lib/config';
import { runVcfCli, VCF_USAGE } from './ingest-vcf';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { isHubId, PostgresPatientRepository } from '../subgraphs/patient/repository/patient-repository';
import { DEVICE_BATCH_ROWS, DeviceObservationIngestor } from '../subgraphs/patient/ingest/device-observations';
import { FhirIngestor, IngestRejectCode, type IngestReject, type IngestWarning } from '../subgraphs/patient/ingest/ingest-bundle';
import type { Identity } from '../lib/identity';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { describeJsonError } from '../lib/json-syntax-error';
import { bundleShapeProblem } from '../subgraphs/patient/ingest/bundle-shape';

export const USAGE = `usage: npm run ingest -- fhir <bundle.json | directory> [--org ORGANISATION] [--concurrency N]
       npm run ingest -- fhir <observations.ndjson> --patient <hub patient id> [--concurrency N]
       npm run ingest -- vcf <file.vcf | file.vcf.gz> --patient <hub patient id> [--sample NAME] [--assume-grch38]

  <directory>     every *.json below it, recursively, in name order; one Bundle per file
  .ndjson         one Observation per line (a device feed), all for the existing hub patient --patient
  --org           the organisation of bundles whose Patient names no managingOrganization (without it
                  they land in no organisation, and only admins see them); patients are found and
                  linked within their organisation only
  --concurrency   bundles or NDJSON batches in flight at once (default 4)`;

/** NDJSON lines per call: one call is one transaction and one risk recomputation downstream. */
export const LINES_PER_BATCH = DEVICE_BATCH_ROWS;
export const LISTED_REJECTS = 20;
const MAX_CONCURRENCY = 64;

export { UsageError };

export type IngestInput = { kind: 'bundles'; path: string } | { kind: 'ndjson'; path: string; patientId: string };

export interface IngestOptions {
  input: IngestInput;
  concurrency: number;
  /** Where bundles without Patient.managingOrganization land (--org). */
  organisation?: string;
}

export function parseIngestArgs(argv: string[]): IngestOptions {
  const parsed = parseCommandLine({
    args: argv,
    options: { concurrency: { type: 'string' }, patient: { type: 'string' }, org: { type: 'string' } },
    allowPositionals: true,
  });
  const [format, target, ...extra] = parsed.positionals;
  if (format !== 'fhir') throw new UsageError(format ? `unknown input format "${format}" (fhir or vcf)` : 'no input format given');
  if (!target) throw new UsageError('no file or directory given');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!fs.existsSync(target)) throw new UsageError(`${target}: no such file or directory`);

  const raw = parsed.values.concurrency ?? '4';
  const concurrency = Number(raw);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency "${raw}" is not a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const patientId = parsed.values.patient;
  const isDirectory = fs.statSync(target).isDirectory();
  if (!isDirectory && target.toLowerCase().endsWith('.ndjson')) {
    if (!patientId) throw new UsageError('an .ndjson file of Observations needs --patient <hub patient id>');
    if (!isHubId(patientId)) throw new UsageError(`--patient "${patientId}" is not a hub patient id (a UUID)`);
    return { input: { kind: 'ndjson', path: target, patientId }, concurrency };
  }
  if (patientId) throw new UsageError('--patient applies to .ndjson input only; bundles name their own patient');
  if (!isDirectory && !target.toLowerCase().endsWith('.json')) throw new UsageError(`${target}: expected a .json bundle, an .ndjson file or a directory`);
  const organisation = parsed.values.org?.trim();
  if (parsed.values.org !== undefined && !organisation) throw new UsageError('--org must not be empty');
  return { input: { kind: 'bundles', path: target }, concurrency, ...(organisation ? { organisation } : {}) };
}

const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * `input` itself when it is a file, else every .json file below it: depth first, each folder in
 * code-unit order of names (not locale order, so every machine lists the same sequence). Only one
 * folder's names are held at a time.
 */
export async function* listInputFiles(input: string): AsyncGenerator<string> {
  if (!(await fs.promises.stat(input)).isDirectory()) {
    yield input;
    return;
  }
  const entries = (await fs.promises.readdir(input, { withFileTypes: true })).sort(byName);
  for (const entry of entries) {
    const full = path.join(input, entry.name);
    if (entry.isDirectory()) yield* listInputFiles(full);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) yield full;
  }
}

/** A bundle file as read: the bundle to send, or the reject that stopped it. */
export interface LoadedBundle {
  source: string;
  bundle?: unknown;
  rejects: IngestReject[];
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    if (error instanceof SyntaxError) return { error: describeJsonError(text) };
    throw error;
  }
}

export async function readBundleFile(file: string): Promise<LoadedBundle> {
  // Editors on Windows may save JSON with a byte-order mark, which JSON.parse refuses.
  const text = (await fs.promises.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = parseJson(text);
  if ('error' in parsed) return { source: file, rejects: [{ resource: 'Bundle', field: 'json', reason: parsed.error, code: IngestRejectCode.INVALID_JSON }] };
  // The same shape rule as ingestFhirBundle: this file is refused, the run goes on with the others.
  const shape = bundleShapeProblem(parsed.value);
  if (shape) return { source: file, rejects: [{ resource: 'Bundle', field: shape.field, reason: shape.problem, code: IngestRejectCode.INVALID_BUNDLE }] };
  return { source: file, bundle: parsed.value, rejects: [] };
}

/** A slice of an NDJSON file: the resources parsed from it, where each came from, and lines that were not resources. */
export interface ObservationBatch {
  source: string;
  resources: unknown[];
  /** File line number of each resource, to name lines in the ingestor's rejects. */
  lineNumbers: number[];
  rejects: IngestReject[];
}

/** An NDJSON file in batches of `perBatch` non-blank lines, read as a stream. */
export async function* ndjsonBatches(file: string, perBatch = LINES_PER_BATCH): AsyncGenerator<ObservationBatch> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let batch: ObservationBatch = { source: file, resources: [], lineNumbers: [], rejects: [] };
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    const parsed = parseJson(line);
    if ('error' in parsed) {
      batch.rejects.push({ resource: `line ${lineNumber}`, field: 'json', reason: parsed.error.replace('line 1 column', 'column'), code: IngestRejectCode.INVALID_JSON });
    } else {
      batch.resources.push(parsed.value);
      batch.lineNumbers.push(lineNumber);
    }
    if (batch.resources.length + batch.rejects.length === perBatch) {
      yield batch;
      batch = { source: file, resources: [], lineNumbers: [], rejects: [] };
    }
  }
  if (batch.resources.length + batch.rejects.length) yield batch;
}

/**
 * The device ingestor names a resource it cannot name otherwise by its place in the batch it was given
 * (`line 3`, `Observation/line-3`); name it by its line in the file instead.
 */
export function renumberLines(rejects: IngestReject[], lineNumbers: number[]): IngestReject[] {
  return rejects.map((reject) => {
    const match = /^(.*line[ -])(\d+)$/.exec(reject.resource);
    const line = match && lineNumbers[Number(match[2]) - 1];
    return match && line ? { ...reject, resource: `${match[1]}${line}` } : reject;
  });
}

/**
 * Runs `work` on each item with at most `concurrency` in flight, pulling items only as workers free
 * up (a lazy source stays lazy). The first failure stops new work; it is rethrown once in-flight work ends.
 */
export async function forEachConcurrently<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let started = 0;
  let failed = false;
  const worker = async () => {
    while (!failed) {
      const next = await iterator.next();
      if (next.done) return;
      try {
        await work(next.value, started++);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await iterator.return?.();
    throw failure.reason;
  }
}

interface Listed {
  source: string;
  sequence: number;
}
type ListedReject = IngestReject & Listed;
type ListedWarning = IngestWarning & Listed;

/** Running totals; holds at most LISTED_REJECTS rejects, so memory does not grow with the input. */
export interface IngestTally {
  /** What one unit of work is: a bundle, or a batch of NDJSON lines. */
  unit: 'bundles' | 'batches';
  /** Null when the bundles did not come from files (the benchmark generates them). */
  files: number | null;
  ok: number;
  rejected: number;
  created: number;
  updated: number;
  skipped: number;
  linked: number;
  skippedTypes: Record<string, number>;
  rejects: number;
  /** The first rejects in input order (not completion order), so the summary is the same every run. */
  firstRejects: ListedReject[];
  /** Resources stored with a caveat (a unit annotation assumed, a unit that does not convert, an implausible value). */
  warnings: number;
  /** The first warnings in input order, as firstRejects. */
  firstWarnings: ListedWarning[];
}

/** What an ingestor reported for one unit of work (a bundle's report, or a device batch's). */
export interface IngestCounts {
  created: number;
  updated: number;
  skipped: number;
  skippedTypes?: Record<string, number>;
  linked?: unknown[];
  warnings?: IngestWarning[];
}

export function newTally(unit: IngestTally['unit'], files: number | null = 0): IngestTally {
  return { unit, files, ok: 0, rejected: 0, created: 0, updated: 0, skipped: 0, linked: 0, skippedTypes: {}, rejects: 0, firstRejects: [], warnings: 0, firstWarnings: [] };
}

/** Adds one unit's outcome; `sequence` is its place in the input. */
export function recordOutcome(tally: IngestTally, sequence: number, source: string, rejects: IngestReject[], counts?: IngestCounts): void {
  if (counts) {
    tally.created += counts.created;
    tally.updated += counts.updated;
    tally.skipped += counts.skipped;
    tally.linked += counts.linked?.length ?? 0;
    for (const [type, count] of Object.entries(counts.skippedTypes ?? {})) tally.skippedTypes[type] = (tally.skippedTypes[type] ?? 0) + count;
    // A rejected bundle stored nothing: its report carries no warnings.
    if (counts.warnings?.length) {
      tally.warnings += counts.warnings.length;
      keepFirst(tally.firstWarnings, counts.warnings, source, sequence);
    }
  }
  if (!rejects.length) {
    tally.ok++;
    return;
  }
  tally.rejected++;
  tally.rejects += rejects.length;
  keepFirst(tally.firstRejects, rejects, source, sequence);
}

/** Keeps the first LISTED_REJECTS items in input order (units complete out of order). */
function keepFirst<T extends object>(listed: (T & Listed)[], items: T[], source: string, sequence: number): void {
  if (listed.length >= LISTED_REJECTS && sequence > listed[listed.length - 1]!.sequence) return;
  listed.push(...items.map((item) => ({ ...item, source, sequence })));
  listed.sort((a, b) => a.sequence - b.sequence);
  listed.length = Math.min(listed.length, LISTED_REJECTS);
}

export function summarise(tally: IngestTally): string {
  const row = (label: string, value: string | number) => `${label.padEnd(20)}${value}`;
  const skippedTypes = Object.entries(tally.skippedTypes)
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))
    .map(([type, count]) => `${type} ${count}`);
  const lines = [
    ...(tally.files === null ? [] : [row('files', tally.files)]),
    row(`${tally.unit} ok`, tally.ok),
    row(`${tally.unit} rejected`, tally.rejected),
    row('resources created', tally.created),
    row('resources updated', tally.updated),
    row('resources skipped', tally.skipped),
    row('skipped types', skippedTypes.join(', ') || '-'),
  ];
  if (tally.linked) lines.push(row('patients linked', `${tally.linked} (matched to an existing hub patient by demographics)`));
  const listing = (label: string, total: number, items: (Listed & { resource: string; field: string; reason: string; code: string })[]) => {
    if (!total) return;
    lines.push(items.length < total ? `${label} (first ${items.length} of ${total}):` : `${label} (${total}):`);
    for (const r of items) lines.push(`  ${r.source}: ${r.resource}${r.field ? ` ${r.field}` : ''}: ${r.code}: ${r.reason}`);
  };
  listing('warnings', tally.warnings, tally.firstWarnings);
  listing('rejects', tally.rejects, tally.firstRejects);
  return lines.join('\n');
}

export interface Ingestors {
  /** Bundles, written as the CLI's service identity (lib/patient-access.ts organisationForWrite). */
  bundles: { ingestBundle(bundle: unknown): ReturnType<FhirIngestor['ingestBundle']> };
  devices: Pick<DeviceObservationIngestor, 'ingest'>;
}

/** Counts the files as it lists them, so a run stopped early still reports how far it got. */
async function* countedFiles(input: string, tally: IngestTally): AsyncGenerator<string> {
  for await (const file of listInputFiles(input)) {
    tally.files = (tally.files ?? 0) + 1;
    yield file;
  }
}

/** How many units the input holds, for the progress bar: a pass over names or lines, not contents. */
export async function countUnits(input: IngestInput): Promise<number> {
  let count = 0;
  if (input.kind === 'bundles') {
    const files = listInputFiles(input.path);
    while (!(await files.next()).done) count++;
    return count;
  }
  const lines = readline.createInterface({ input: fs.createReadStream(input.path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) count++;
  return Math.ceil(count / LINES_PER_BATCH);
}

export function newTallyFor(input: IngestInput): IngestTally {
  return newTally(input.kind === 'bundles' ? 'bundles' : 'batches');
}

/** Ingests the whole input, `concurrency` units in flight; `onUnit` runs after each. */
export async function ingestFhir(options: IngestOptions, ingestors: Ingestors, tally: IngestTally, onUnit: () => void = () => undefined): Promise<void> {
  const { input, concurrency } = options;
  if (input.kind === 'bundles') {
    await forEachConcurrently(countedFiles(input.path, tally), concurrency, async (file, sequence) => {
      const loaded = await readBundleFile(file);
      const report = loaded.bundle === undefined ? undefined : await ingestors.bundles.ingestBundle(loaded.bundle);
      recordOutcome(tally, sequence, file, [...loaded.rejects, ...(report?.rejected ?? [])], report);
      onUnit();
    });
    return;
  }
  tally.files = (tally.files ?? 0) + 1;
  await forEachConcurrently(ndjsonBatches(input.path), concurrency, async (batch, sequence) => {
    const report = batch.resources.length ? await ingestors.devices.ingest(input.patientId, batch.resources) : undefined;
    recordOutcome(tally, sequence, batch.source, [...batch.rejects, ...renumberLines(report?.rejected ?? [], batch.lineNumbers)], report);
    onUnit();
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'vcf') return runVcfCli(argv.slice(1));
  const options = parseIngestArgs(argv);
  const config = loadConfig();
  const log = createLogger('ingest', config.logLevel);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl, 'patient', PATIENT_MIGRATIONS, log);
  const pool = createPool(config.databaseUrl, options.concurrency);
  try {
    if (options.input.kind === 'ndjson') {
      const [patient] = await new PostgresPatientRepository(pool).patientsByIds([options.input.patientId]);
      if (!patient) throw new UsageError(`--patient ${options.input.patientId}: no such hub patient`);
    }
    const total = await countUnits(options.input);
    const tally = newTallyFor(options.input);
    const bar = new cliProgress.SingleBar(
      { format: `{bar} {value}/{total} ${tally.unit} | {rate} ${tally.unit}/s | ETA {eta_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const bundles = new FhirIngestor(pool, log);
    const writer: Identity = { subject: 'ingest-cli', role: 'service', client: 'precision-hub-cli', ...(options.organisation ? { organisation: options.organisation } : {}) };
    const ingestors: Ingestors = { bundles: { ingestBundle: (bundle) => bundles.ingestBundle(bundle, writer) }, devices: new DeviceObservationIngestor(pool) };
    const started = performance.now();
    bar.start(total, 0, { rate: '0.0' });
    try {
      await ingestFhir(options, ingestors, tally, () => {
        const done = tally.ok + tally.rejected;
        bar.update(done, { rate: (done / ((performance.now() - started) / 1000)).toFixed(1) });
      });
    } finally {
      bar.stop();
      console.log(summarise(tally));
    }
    return tally.rejects ? 1 : 0;
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  // `ingest vcf --help` shows the VCF usage only.
  const vcf = process.argv[2] === 'vcf';
  runTool({ name: vcf ? 'ingest vcf' : 'ingest', usage: vcf ? VCF_USAGE : USAGE }, main);
}
