import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../knowledge-graph/neo4j-launcher';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { createLogger } from '../lib/logger';

declare global {
  var __HUB_NEO4J__: EmbeddedNeo4j | undefined;
  var __HUB_NEO4J_DIR__: string | undefined;
  var __HUB_TEST_DATABASE__: { adminUrl: string; name: string } | undefined;
}

const TEST_DATABASE_PREFIX = 'precision_hub_test_';
const LIST_TEST_DATABASES = `SELECT datname FROM pg_database WHERE datname LIKE 'precision\\_hub\\_test\\_%'`;

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A fresh database for this run, named after this process, so two test runs on one machine never
 * touch each other's data; databases left by runs that died are dropped. One embedded Neo4j is
 * shared by every test file. TEST_DATABASE_URL set: use that database as it is.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    const name = `${TEST_DATABASE_PREFIX}${process.pid}`;
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      for (const { datname } of (await admin.query<{ datname: string }>(LIST_TEST_DATABASES)).rows) {
        // A run's own database, and those its files made beside it (tests/support/own-database.ts: `<name>_<label>`).
        const pid = Number.parseInt(datname.slice(TEST_DATABASE_PREFIX.length), 10);
        if (datname === name || (Number.isInteger(pid) && !processAlive(pid))) {
          await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
        }
      }
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } finally {
      await admin.end();
    }
    globalThis.__HUB_TEST_DATABASE__ = { adminUrl: url.toString(), name };
    url.pathname = `/${name}`;
    // Workers start after this and inherit it; tests/support/config.ts reads it.
    process.env.TEST_DATABASE_URL = url.toString();
  }

  if (!process.env.NEO4J_URI) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-neo4j-'));
    // One Neo4j serves every test file at once (hubs' start-up warm-ups, importer tests' releases): the
    // launcher's 256 MB default heap, sized for one hub, left it collecting garbage under the whole suite.
    const neo4j = await startEmbeddedNeo4j({ dataDir: dir, javaOpts: ['-Xmx1g'] });
    globalThis.__HUB_NEO4J__ = neo4j;
    globalThis.__HUB_NEO4J_DIR__ = dir;
    process.env.NEO4J_URI = neo4j.uri;
  }
  // Constraints and the seed, as `npm start` loads them (idempotent on a server given by NEO4J_URI).
  await ensureKnowledgeGraph(
    { uri: process.env.NEO4J_URI, user: process.env.NEO4J_USER, password: process.env.NEO4J_PASSWORD, dataDir: '', boltPort: 0 },
    createLogger('test-setup', 'silent'),
  );
}
