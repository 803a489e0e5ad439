import pg from 'pg';
import { TEST_DATABASE_URL } from './config';

export interface OwnDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of the test file's own, beside the run's (`<run's database>_<label>`). For files whose
 * event consumers publish over the shared Redis: every consumer reads every outbox row of its
 * database, so in the run's shared database another file's consumer would publish this file's
 * patients' events, and the copies would reach this file's subscribers through Redis. A run that
 * dies leaves it behind; tests/global-setup.ts drops it with the run's own on the next start.
 */
export async function ownDatabase(label: string): Promise<OwnDatabase> {
  const url = new URL(TEST_DATABASE_URL);
  const name = `${url.pathname.slice(1)}_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`) };
}
