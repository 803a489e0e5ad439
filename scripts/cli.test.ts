/**
 * Every command-line tool as a person runs it (issue 21 item 5; eval:phenopackets since issue 18): `--help` prints the usage and exits 0;
 * a bad option prints what is wrong and the usage and exits 2, never a stack trace. Nothing here
 * reaches a database: each mistake is caught before the tool connects anywhere.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <tool> -- args` the way package.json does (tsx <file>), in the repository. */
function run(file: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(TSX, [file, ...args], { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const TOOLS: { tool: string; file: string; args: string[]; usage: RegExp; bad: string[]; reason: string }[] = [
  { tool: 'ingest', file: 'scripts/ingest.ts', args: [], usage: /^usage: npm run ingest -- fhir/, bad: ['fhir', 'package.json', '--concurrency', '0'], reason: 'ingest: --concurrency "0" is not a whole number from 1 to 64' },
  { tool: 'ingest vcf', file: 'scripts/ingest.ts', args: ['vcf'], usage: /^usage: npm run ingest -- vcf/, bad: ['vcf', '--bogus'], reason: "ingest vcf: Unknown option '--bogus'" },
  { tool: 'token', file: 'scripts/token.ts', args: [], usage: /^usage: npm run token/, bad: ['--role', 'admin', '--hours', 'abc'], reason: 'token: --hours abc: a number of hours greater than 0 and at most' },
  { tool: 'apikey', file: 'scripts/apikey.ts', args: [], usage: /^usage: npm run apikey/, bad: ['list', '--bogus'], reason: "apikey: Unknown option '--bogus'" },
  { tool: 'pq', file: 'scripts/pq.ts', args: [], usage: /^usage: npm run pq/, bad: ['list', '--bogus'], reason: "pq: Unknown option '--bogus'" },
  { tool: 'train', file: 'scripts/train.ts', args: [], usage: /^usage: npm run train/, bad: ['no-such-model'], reason: 'train: unknown model "no-such-model"' },
  { tool: 'kg:import', file: 'knowledge-graph/import.ts', args: [], usage: /^usage: npm run kg:import/, bad: ['civic', 'package.json', '--batch-size', 'many'], reason: 'kg:import: --batch-size "many" is not a whole number from 1 to 100000' },
  { tool: 'events', file: 'scripts/events.ts', args: [], usage: /^usage:\s+npm run events/, bad: ['list', '--first', '0'], reason: 'events: --first 0 is outside 1..' },
  { tool: 'eval:phenopackets', file: 'knowledge-graph/eval/cli.ts', args: [], usage: /^usage: npm run eval:phenopackets/, bad: ['--limit', 'all'], reason: 'eval:phenopackets: --limit "all" is not a whole number from 1 up' },
  { tool: 'eval:phenopackets --bogus', file: 'knowledge-graph/eval/cli.ts', args: [], usage: /^usage: npm run eval:phenopackets/, bad: ['--bogus'], reason: "eval:phenopackets: Unknown option '--bogus'" },
];

/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('the command-line tools', () => {
  it.each(TOOLS.map((t) => [t.tool, t] as const))('npm run %s -- --help prints the usage and exits 0', async (_tool, { file, args, usage }) => {
    const outcome = await run(file, [...args, '--help']);
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(usage);
  });

  it.each(TOOLS.map((t) => [t.tool, t] as const))('npm run %s with a bad option says what is wrong, shows the usage and exits 2', async (_tool, { file, bad, reason, usage }) => {
    const outcome = await run(file, bad);
    expect({ code: outcome.code, stdout: outcome.stdout }).toEqual({ code: 2, stdout: '' });
    expect(outcome.stderr.startsWith(reason)).toBe(true);
    expect(outcome.stderr.split('\n\n')[1]).toMatch(usage);
    expect(outcome.stderr).not.toMatch(STACK_LINE);
  });
});
