/**
 * Imports a knowledge base into the knowledge graph (Neo4j):
 *
 *   npm run kg:import -- civic <ClinicalEvidenceSummaries.tsv> [--version V] [--batch-size N]
 *   npm run kg:import -- trials <directory of ClinicalTrials.gov v2 study JSON> [...]
 *   npm run kg:import -- hpo <hp.obo> <phenotype.hpoa> [genes_to_disease.txt] [...]
 *   npm run kg:import -- cpic <directory of CPIC recommendation JSON> [...]
 *
 * NEO4J_URI set: that server; unset: the embedded Neo4j (started for the import, schema and seed
 * applied, stopped afterwards). Streams and writes batches of --batch-size rows (default 1000), one
 * transaction each, MERGEd on ids: re-importing changes nothing, and an import that failed midway
 * (Neo4j gone: that batch rolls back, the ImportRun is marked failed) completes when run again.
 * Prints a progress bar, the counts and every skipped record's code and reason with a few examples
 * (line or file). A bad record (importers/record-checks.ts) is skipped and the import goes on; a file
 * that cannot be read as its format (a missing column, an empty file, an is_a cycle) is refused whole.
 * Exit code 0: imported (skips are listed); 1: refused input (nothing written) or failed; 2: usage.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
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
       npm run kg:import -- hpo <hp.obo> <phenotype.hpoa> [genes_to_disease.txt]
       npm run kg:import -- cpic <directory of recommendation JSON files>
  options: --version <knowledge-base version> (default: from the file), --batch-size <rows> (default 1000)`;

class UsageError extends Error {
  override name = 'UsageError';
}

type Command = { kind: 'civic' | 'trials' | 'cpic'; target: string } | { kind: 'hpo'; obo: string; hpoa: string; genes?: string };

export function parseImportArgs(argv: string[]): { command: Command; options: ImportOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { version: { type: 'string' }, 'batch-size': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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
  const batchSize = Number(parsed.values['batch-size'] ?? '1000');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new UsageError(`--batch-size "${parsed.values['batch-size']}" is not a whole number from 1 to 100000`);
  }
  const command: Command = kind === 'hpo' ? { kind, obo: paths[0]!, hpoa: paths[1]!, ...(paths[2] ? { genes: paths[2] } : {}) } : { kind: kind as 'civic' | 'trials' | 'cpic', target: paths[0]! };
  return { command, options: { version: parsed.values.version, batchSize } };
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

export function formatResult(result: ImportResult): string {
  const lines = [`${result.source} ${result.version}: ${result.status} (ImportRun ${result.runId})`];
  for (const [key, n] of Object.entries(result.counts)) lines.push(`  ${key}: ${n}`);
  if (result.skipped.length) {
    lines.push('skipped:');
    for (const s of result.skipped) lines.push(`  ${s.count} × ${s.code}: ${s.reason}  (e.g. ${s.examples.join(', ')})`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseImportArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger('kg-import', process.env.LOG_LEVEL ?? 'warn');
  const store = await ensureKnowledgeGraph(config.neo4j, log);
  const executor = new Neo4jExecutor(createDriver(store.connection), store.connection.uri);
  const bar = new cliProgress.SingleBar(
    { format: `${parsed.command.kind} [{bar}] {percentage}% | {value}/{total} {unit} | {duration_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const result = await runImport(executor, parsed.command, {
      ...parsed.options,
      onProgress: ({ done, total, unit }) => {
        if (!started) {
          bar.start(total, 0, { unit });
          started = true;
        }
        bar.update(done, { unit });
      },
    });
    if (started) bar.stop();
    console.log(formatResult(result));
    return 0;
  } catch (error) {
    if (started) bar.stop();
    if (error instanceof ImportInputError) console.error(`refused: ${error.message}`);
    else console.error(`import failed: ${(error as Error).message}\nThe ImportRun is marked failed; run the same command again to complete it (MERGE makes it resumable).`);
    return 1;
  } finally {
    await executor.close();
    await store.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
