import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HubError } from './errors';

/**
 * What every command-line tool of the hub (`npm run ingest | token | apikey | pq | train | kg:import |
 * events | eval:phenopackets`) does with its arguments: `--help`/`-h` prints the usage on stdout and exits 0; options
 * are parsed strictly with node's `util.parseArgs`; a user error (an unknown option, a bad value, a
 * missing argument) prints what is wrong and the usage on stderr and exits 2, never a stack trace;
 * a failure while working exits 1 with its message.
 */

/** A mistake in the command line: its message says what and where; the tool exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_USAGE = 2;

/** `--help` or `-h` before any `--` (after it, arguments are positional by convention). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** node's parseArgs (strict unless told otherwise), its errors as UsageErrors without the advice on `--` meant for other cases. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '');
    throw new UsageError(message);
  }
}

/** A whole number from `min` to `max` (inclusive), or a UsageError naming the option. */
export function integerOption(name: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} "${raw}" is not a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`);
  }
  return value;
}

export interface CommandLineTool {
  /** As the user types it, e.g. `apikey`: prefixes every message. */
  name: string;
  /** The usage text `--help` prints, and a user error is followed by. */
  usage: string;
}

/** The message and exit code for an error thrown by a tool: 2 for a user error, 1 otherwise; never a stack. */
export function describeFailure(tool: CommandLineTool, error: unknown): { message: string; code: number } {
  if (error instanceof UsageError) return { message: `${tool.name}: ${error.message}\n\n${tool.usage}`, code: EXIT_USAGE };
  const message = error instanceof HubError || error instanceof Error ? error.message : String(error);
  return { message: `${tool.name} stopped: ${message}`, code: 1 };
}

/**
 * Runs a tool's `main` with the process's arguments: `--help` first, then `main`, whose result is the
 * exit code. The process exits when `main` is done (open pools and sockets do not keep it alive).
 */
export function runTool(tool: CommandLineTool, main: (argv: string[]) => Promise<number> | number): void {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(`${tool.usage}\n`);
    process.exit(0);
  }
  Promise.resolve()
    .then(() => main(argv))
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        const failure = describeFailure(tool, error);
        console.error(failure.message);
        process.exit(failure.code);
      },
    );
}
