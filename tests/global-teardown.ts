import fs from 'node:fs';
import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__HUB_NEO4J__?.stop();
  if (globalThis.__HUB_NEO4J_DIR__) fs.rmSync(globalThis.__HUB_NEO4J_DIR__, { recursive: true, force: true });
  const database = globalThis.__HUB_TEST_DATABASE__;
  if (database) {
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database.name)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
