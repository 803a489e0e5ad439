/**
 * Imports a knowledge base into the knowledge graph (Neo4j):
 *
 *   npm run kg:import -- civic <ClinicalEvidenceSummaries.tsv> [--version V] [--batch-size N]
 *   npm run kg:import -- trials <directory of ClinicalTrials.gov v2 study JSON> [...]
 *   npm run kg:import -- hpo <hp.obo | hp.json> <phenotype.hpoa> [genes_to_disease.txt] [...]
 *   npm run kg:import -- cpic <directory of CPIC recommendation JSON> [...]
 *
 * NEO4J_URI set: that server; unset: the embedded Neo4j (started for the import, schema and seed
 * applied, stopped afterwards). Streams and writes batches of --batch-size rows (default 1000), one
 * transaction each, MERGEd on ids. The input's sha256 is kept on the ImportRun: the same release again is
 * "already imported" (nothing written) unless --force. An import that failed midway (Neo4j gone: that
 * batch rolls back, the ImportRun is marked failed with its checkpoint) resumes from there when run again.
 * Files may be gzipped (.gz, read through zlib); .xz must be unpacked first (see importers/input.ts).
 * Prints a progress bar (a line every 5 s when not on a terminal), the counts, a summary (read, imported,
 * skipped by code, duration) and every skipped record's code and reason with a few examples
 * (line or file). A bad record (importers/record-checks.ts) is skipped and the import goes on; a file
 * that cannot be read as its format (a missing column, an empty file, an is_a cycle) is refused whole.
 * Exit code 0: imported (skips are listed); 1: refused input (nothing written) or failed; 2: usage.
 */
import fs from 'node:fs';
import { integerOption, parseCommandLine, runTool, UsageError } from '../lib/cli';
import cliProgress from 'cli-progress';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from './bootstrap';
import { createDriver, Neo4jExecutor } from './executor';
import { importCivic } from './importers/civic';
import { ImportInputError, type ImportOptions, type ImportResult } from './importers/common';
import { importCpic } from './importers/cpic';
import { importHpo } from './importers/hpo';
import { importTrials } from './importers/trials';

export const USAGE = `usage: npm run kg:import -- civic <ClinicalEvidenceSummaries.tsv>
       npm run kg:import -- trials <directory of study JSON files>
       npm run kg:import -- hpo <hp.obo | hp.json> <phenotype.hpoa> [genes_to_disease.txt]
       npm run kg:import -- cpic <directory of recommendation JSON files>
  files may be gzipped (.gz); .xz must be unpacked first (xz -dk <file>)
  options: --version <knowledge-base version> (default: from the file; for cpic, a date in it, e.g. 2024-05-01,
             dates the release, and a pair's newest CPIC release answers), --batch-size <rows> (default 1000),
           --force (import even when this exact input was the last one imported; MERGE: no duplicates)`;


type Command = { kind: 'civic' | 'trials' | 'cpic'; target: string } | { kind: 'hpo'; obo: string; hpoa: string; genes?: string };

export function parseImportArgs(argv: string[]): { command: Command; options: ImportOptions } {
  const parsed = parseCommandLine({
    args: argv,
    options: { version: { type: 'string' }, 'batch-size': { type: 'string' }, force: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [kind, ...paths] = parsed.positionals;
  if (!kind || !['civic', 'trials', 'hpo', 'cpic'].includes(kind)) throw new UsageError(kind ? `unknown source "${kind}"` : 'no source given');
  const allowed = kind === 'hpo' ? [2, 3] : [1];
  if (!allowed.includes(paths.length)) {
    throw new UsageError(`${kind} takes ${kind === 'hpo' ? '2 or 3 paths' : '1 path'}, got ${paths.length}`);
  }
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or directory`);
  const dirs = kind === 'trials' || kind === 'cpic';
  for (const p of paths) {
    if (fs.statSync(p).isDirectory() !== dirs) throw new UsageError(`${p}: expected a ${dirs ? 'directory' : 'file'}`);
  }
  const batchSize = integerOption('batch-size', parsed.values['batch-size'] ?? '1000', 1, 100_000);
  const command: Command = kind === 'hpo' ? { kind, obo: paths[0]!, hpoa: paths[1]!, ...(paths[2] ? { genes: paths[2] } : {}) } : { kind: kind as 'civic' | 'trials' | 'cpic', target: paths[0]! };
  return { command, options: { version: parsed.values.version, batchSize, force: parsed.values.force ?? false } };
}

export function runImport(executor: Neo4jExecutor, command: Command, options: ImportOptions): Promise<ImportResult> {
  switch (command.kind) {
    case 'civic':
      return importCivic(executor, command.target, options);
    case 'trials':
      return importTrials(executor, command.target, options);
    case 'cpic':
      return importCpic(executor, command.target, options);
    case 'hpo':
      return importHpo(executor, command.obo, command.hpoa, { ...options, genesToDiseaseFile: command.genes });
  }
}

/** The counts that are records read, per source (the rest are what was written). */
const READ_COUNTS: Record<ImportResult['source'], string[]> = {
  civic: ['rows'],
  hpo: ['terms', 'annotationRows', 'geneRows'],
  'clinicaltrials.gov': ['files', 'records'],
  cpic: ['recommendations'],
};

export function formatResult(result: ImportResult): string {
  if (result.status === 'already-imported') {
    return `${result.source} ${result.version}: already imported (ImportRun ${result.runId}, ${result.checksum}); nothing written. Use --force to import it again.`;
  }
  const lines = [`${result.source} ${result.version}: ${result.status} (ImportRun ${result.runId}${result.resumedFrom ? `, resumed after ${result.resumedFrom}` : ''})`];
  for (const [key, n] of Object.entries(result.counts)) lines.push(`  ${key}: ${n}`);
  const read = READ_COUNTS[result.source].reduce((sum, key) => sum + (result.counts[key] ?? 0), 0);
  const skipped = result.counts.skipped ?? 0;
  const byCode = new Map<string, number>();
  for (const s of result.skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + s.count);
  const codes = [...byCode].map(([code, n]) => `${code} ${n}`).join(', ');
  lines.push(`summary: read ${read}, imported ${read - skipped}, skipped ${skipped}${codes ? ` (${codes})` : ''}, in ${(result.durationMs / 1000).toFixed(1)} s`);
  if (result.skipped.length) {
    lines.push('skipped:');
    for (const s of result.skipped) lines.push(`  ${s.count} × ${s.code}: ${s.reason}  (e.g. ${s.examples.join(', ')})`);
  }
  return lines.join('\n');
}

/** Interval between progress lines when stderr is not a terminal (CI logs, files). */
const PROGRESS_LOG_MS = 5000;

/**
 * A bar on a terminal (cli-progress: redraws one line, ETA, works with every terminal width); a plain
 * line every few seconds otherwise, so a log file gets progress without control characters.
 */
function progressReporter(kind: string): { update: (done: number, total: number, unit: string) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${kind} [{bar}] {percentage}% | {value}/{total} {unit} | {duration_formatted}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total, unit) => {
        if (!started) bar.start(total, 0, { unit });
        started = true;
        bar.update(done, { unit });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  let finished = false;
  const start = Date.now();
  return {
    update: (done, total, unit) => {
      if (finished || (Date.now() - last < PROGRESS_LOG_MS && done < total)) return;
      last = Date.now();
      finished = done >= total;
      console.error(`${kind}: ${done}/${total} ${unit} (${total ? Math.floor((100 * done) / total) : 100}%) after ${((Date.now() - start) / 1000).toFixed(0)} s`);
    },
    stop: () => undefined,
  };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseImportArgs(argv);
  const config = loadConfig();
  const log = createLogger('kg-import', process.env.LOG_LEVEL ?? 'warn');
  const store = await ensureKnowledgeGraph(config.neo4j, log, undefined, { releasesDir: null });
  const executor = new Neo4jExecutor(createDriver(store.connection), store.connection.uri);
  const progress = progressReporter(parsed.command.kind);
  try {
    const result = await runImport(executor, parsed.command, {
      ...parsed.options,
      onProgress: ({ done, total, unit }) => progress.update(done, total, unit),
    });
    progress.stop();
    console.log(formatResult(result));
    return 0;
  } catch (error) {
    progress.stop();
    if (error instanceof ImportInputError) console.error(`refused: ${error.message}`);
    else console.error(`import failed: ${(error as Error).message}\nThe ImportRun is marked failed with its checkpoint; run the same command again to resume it (MERGE: no duplicates).`);
    return 1;
  } finally {
    await executor.close();
    await store.close();
  }
}

if (require.main === module) runTool({ name: 'kg:import', usage: USAGE }, main);
