import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from './logger';
import { ErrorCode, HubError } from './errors';
import { DEFAULT_DEPENDENCY_TIMEOUTS, type PostgresTimeouts } from './dependency-timeouts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

let poolTimeouts: PostgresTimeouts = DEFAULT_DEPENDENCY_TIMEOUTS.postgres;

/** The timeouts of every pool created after this call (`startHub` passes the loaded configuration's). */
export function usePostgresTimeouts(timeouts: PostgresTimeouts): void {
  poolTimeouts = timeouts;
}

/** What the client allows past the server's statement_timeout before it stops waiting for an answer. */
const QUERY_TIMEOUT_GRACE_MS = 5_000;

/**
 * The hub's queries are short: a page, a patient's calls in the pharmacogenomic windows, a cohort count.
 * PostgreSQL JIT-compiles any query whose estimated cost passes jit_above_cost (100,000), and a 1M-call
 * patient's estimates pass it: the 58-window pharmacogenomics read of such a patient spent 226 ms compiling
 * (135 ms of it inlining) to run for 1 ms (EXPLAIN ANALYZE, issue 19's first-load bench). PostgreSQL's
 * manual (§32.2, "When to JIT?") says JIT pays for long-running, CPU-bound analytical queries and its
 * compilation can outweigh short ones. A DATABASE_URL with its own `options` parameter takes precedence.
 */
export const JIT_OFF_OPTIONS = '-c jit=off';

export function createPool(databaseUrl: string, max = 10, timeouts: PostgresTimeouts = poolTimeouts): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    // A new connection, and the wait for a pooled one: without a bound a dead server holds requests indefinitely.
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    // For a server that stopped answering altogether (the statement timeout needs a live server).
    query_timeout: timeouts.statementMs + QUERY_TIMEOUT_GRACE_MS,
    keepAlive: true,
    // No JIT compilation (JIT_OFF_OPTIONS).
    options: JIT_OFF_OPTIONS,
  });
  const where = redact(databaseUrl);
  // An idle client that loses its connection must not crash the service; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a checked-out one between two of its queries (a transaction awaiting other work when
  // PostgreSQL restarts): node-postgres emits 'error' on it, which unhandled ends the process. Its
  // next query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    // Queries on a checked-out client (transactions) report a lost server as pool.query does, below.
    const clientQuery = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const result = clientQuery(...args);
      return mapRejection(result, where);
    }) as typeof client.query;
  });
  // Connection failures reach callers as DEPENDENCY_UNAVAILABLE (lib/errors.ts), not as internal errors.
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const result = query(...args);
    return mapRejection(result, where);
  }) as typeof pool.query;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    const result = connect(...args);
    return mapRejection(result, where);
  }) as typeof pool.connect;
  return pool;
}

/**
 * The promise node-postgres returned, its connection failures mapped by asDependencyError; anything
 * else (a callback-style call's undefined, a COPY stream) as it is. Duck-typed: under jest the
 * library's promises come from another realm than this module's `Promise`.
 */
function mapRejection(result: unknown, where: string): unknown {
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return result;
  return (result as Promise<unknown>).catch((error: unknown) => Promise.reject(asDependencyError(error, where)));
}

/** SQLSTATE classes and codes that mean the server, not the statement, failed (PostgreSQL appendix A). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3])/;
/** What node-postgres and the OS say when a connection cannot be made, was lost, or timed out. */
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed/;

/**
 * A lost or refused connection, a pool that could not connect in time, or a statement the server
 * cancelled for running over statement_timeout, as DEPENDENCY_UNAVAILABLE naming the server; any
 * other error unchanged (constraint violations keep their SQLSTATE for the callers that read it).
 */
export function asDependencyError(error: unknown, where: string): unknown {
  // Duck-typed: socket errors come from Node's own realm, which is not this module's under jest.
  if (error instanceof HubError || typeof error !== 'object' || error === null) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = String((error as { message?: unknown }).message ?? '');
  if (code === '57014') {
    return new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `PostgreSQL at ${where} cancelled a statement that ran over DATABASE_STATEMENT_TIMEOUT_MS`);
  }
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_MESSAGE.test(`${code} ${message}`)) {
    return new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `PostgreSQL unavailable at ${where} (${message || code})`);
  }
  return error;
}

/** Drops the database the URL names, ending its sessions (benchmarks and test runs clean up their own). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** `npm start` on a fresh machine: create the hub's database when the server has none by that name. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${redact(databaseUrl)} (${(error as Error).message}). ` +
        'Start it (e.g. pg_ctlcluster <version> main start) or set DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } catch (error) {
        // Another service created it between our check and our CREATE.
        if ((error as { code?: string }).code !== '42P04' && (error as { code?: string }).code !== '23505') throw error;
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * Each service owns one PostgreSQL schema and its migrations (SQL files in its `migrations/` folder),
 * applied on start. node-pg-migrate takes an advisory lock, so replicas starting together are safe.
 */
export async function migrate(databaseUrl: string, schema: string, dir: string, log?: Logger): Promise<void> {
  await runner({
    databaseUrl,
    dir,
    direction: 'up',
    schema,
    createSchema: true,
    migrationsSchema: schema,
    createMigrationsSchema: true,
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    // Services start side by side and each migrates its own schema; node-pg-migrate's lock is global.
    advisoryLockMode: 'wait',
    logger: {
      debug: () => undefined,
      info: (msg: string) => log?.debug({ schema }, msg),
      warn: (msg: string) => log?.warn({ schema }, msg),
      error: (msg: string) => log?.error({ schema }, msg),
    },
  });
}

export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

/** Run `work` in one transaction: all of it lands or none of it does. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw asDependencyError(error, 'the hub database');
  } finally {
    client.release();
  }
}
