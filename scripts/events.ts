/**
 * `npm run events -- list|replay`: the event pipeline's dead letters for operators, straight from the
 * hub's database (DATABASE_URL), the same repository the admin-only GraphQL fields use
 * (subgraphs/inference/events/dead-letters.ts). A replay puts the events back into handling; the
 * running inference replicas of their consumer group pick them up. Every run is logged with who ran it.
 */
import os from 'node:os';
import { parseCommandLine, runTool, UsageError } from '../lib/cli';
import { isOutboxSource, OUTBOX_SOURCES, type OutboxSource } from '../lib/contracts/events';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { DeadLetterRepository, isDeadLetterId, MAX_DEAD_LETTERS_PER_PAGE, type DeadLetter, type DeadLetterFilter } from '../subgraphs/inference/events/dead-letters';
import { INFERENCE_MIGRATIONS } from '../subgraphs/inference/server';

export const USAGE = `usage:
  npm run events -- list [--source <outbox>] [--consumer <group>] [--first <n>] [--after <id>] [--json]
  npm run events -- replay <id> [<id> ...] [--by <name>]
  npm run events -- replay --all [--source <outbox>] [--consumer <group>] [--by <name>]

  list     dead letters, oldest first (at most ${MAX_DEAD_LETTERS_PER_PAGE} per page; --after <id> for the next)
  replay   put dead letters back into handling; one that succeeds leaves the table, with a replay record
  --source   ${OUTBOX_SOURCES.join(' or ')}
  --by       who is replaying (default cli:<your user name>); kept in the replay record and the log`;

export { UsageError };

export type EventsCommand =
  | { kind: 'help' }
  | { kind: 'list'; filter: DeadLetterFilter; first: number; after?: string; json: boolean }
  | { kind: 'replay'; ids: string[] | 'all'; filter: DeadLetterFilter; by: string };

export function parseEventsCommand(argv: string[], defaultBy: string): EventsCommand {
  const { values, positionals } = parseOptions(argv);
  if (values.help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError('give a command: list or replay');
  const source = values.source;
  if (source !== undefined && !isOutboxSource(source)) throw new UsageError(`--source "${source}" is not an outbox (${OUTBOX_SOURCES.join(', ')})`);
  if (values.consumer !== undefined && values.consumer.length === 0) throw new UsageError('--consumer needs a group name');
  const filter: DeadLetterFilter = { source: source as OutboxSource | undefined, consumer: values.consumer };
  if (command === 'list') {
    if (rest.length) throw new UsageError(`list takes no arguments (got ${rest.join(' ')})`);
    if (values.all || values.by !== undefined) throw new UsageError('--all and --by belong to replay');
    const first = values.first === undefined ? 50 : Number(values.first);
    if (!Number.isInteger(first) || first < 1 || first > MAX_DEAD_LETTERS_PER_PAGE) throw new UsageError(`--first ${values.first} is outside 1..${MAX_DEAD_LETTERS_PER_PAGE}`);
    if (values.after !== undefined && !isDeadLetterId(values.after)) throw new UsageError(`--after ${values.after} is not a dead-letter id`);
    return { kind: 'list', filter, first, after: values.after, json: values.json === true };
  }
  if (command === 'replay') {
    if (values.first !== undefined || values.after !== undefined || values.json) throw new UsageError('--first, --after and --json belong to list');
    if (values.all && rest.length) throw new UsageError('give dead-letter ids or --all, not both');
    if (!values.all && !rest.length) throw new UsageError('replay needs dead-letter ids, or --all');
    const malformed = rest.filter((id) => !isDeadLetterId(id));
    if (malformed.length) throw new UsageError(`not dead-letter ids: ${malformed.join(', ')}`);
    if (!values.all && (source !== undefined || values.consumer !== undefined)) throw new UsageError('--source and --consumer narrow replay --all only');
    const by = values.by ?? defaultBy;
    if (!by.trim() || by.length > 200) throw new UsageError('--by needs a name of 1 to 200 characters');
    return { kind: 'replay', ids: values.all ? 'all' : rest, filter, by };
  }
  throw new UsageError(`unknown command "${command}": give list or replay`);
}

function parseOptions(argv: string[]) {
  return parseCommandLine({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      source: { type: 'string' },
      consumer: { type: 'string' },
      first: { type: 'string' },
      after: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      by: { type: 'string' },
    },
  });
}

const line = (d: DeadLetter) =>
  `${d.id}\t${d.source}\t${d.consumer}\tevent ${d.eventId}\t${d.topic}\tpatient ${d.patientId}\t${d.attempts} attempt(s)\t` +
  `${d.replayRequestedBy ? `REPLAYING (${d.replayRequestedBy})` : 'DEAD'}\tlast failed ${d.lastFailedAt.toISOString()}\t${d.error}`;

async function main(argv: string[]): Promise<number> {
  const command = parseEventsCommand(argv, `cli:${os.userInfo().username}`);
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger('events', config.logLevel);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl, 'inference', INFERENCE_MIGRATIONS, log);
  const pool = createPool(config.databaseUrl);
  const by = command.kind === 'replay' ? command.by : `cli:${os.userInfo().username}`;
  try {
    const repository = new DeadLetterRepository(pool);
    if (command.kind === 'list') {
      const page = await repository.list(command.filter, command.first, command.after);
      log.info({ by, filter: command.filter, shown: page.deadLetters.length, totalCount: page.totalCount }, 'dead letters listed');
      if (command.json) console.log(JSON.stringify(page, null, 2));
      else {
        for (const deadLetter of page.deadLetters) console.log(line(deadLetter));
        const next = page.hasNextPage ? `; next page: --after ${page.deadLetters.at(-1)!.id}` : '';
        console.log(`${page.deadLetters.length} of ${page.totalCount} dead letter(s)${next}`);
      }
      return 0;
    }
    const result = await repository.replay({ ids: command.ids, filter: command.filter, requestedBy: by });
    log.info(
      { by, all: command.ids === 'all', filter: command.filter, replayed: result.requested.map((d) => d.id), notFound: result.notFound, alreadyReplaying: result.alreadyReplaying },
      'dead letters replayed',
    );
    console.log(`${result.requested.length} dead letter(s) back in handling${result.requested.length ? `: ${result.requested.map((d) => d.id).join(', ')}` : ''}`);
    if (result.alreadyReplaying.length) console.log(`already being replayed: ${result.alreadyReplaying.join(', ')}`);
    if (result.notFound.length) {
      console.error(`not dead letters (never were, or replayed successfully since): ${result.notFound.join(', ')}`);
      return 1;
    }
    return 0;
  } finally {
    await pool.end();
  }
}

if (require.main === module) runTool({ name: 'events', usage: USAGE }, main);
