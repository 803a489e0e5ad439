import pg from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from './logger';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle client that loses its connection must not crash the service; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
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
    throw error;
  } finally {
    client.release();
  }
}
