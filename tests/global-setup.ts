import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../knowledge-graph/neo4j-launcher';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { createLogger } from '../lib/logger';
import { TEST_DATABASE_URL } from './support/config';

declare global {
  var __HUB_NEO4J__: EmbeddedNeo4j | undefined;
  var __HUB_NEO4J_DIR__: string | undefined;
}

/** A fresh test database per run, and one embedded Neo4j shared by every test file. */
export default async function globalSetup(): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }

  if (!process.env.NEO4J_URI) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-neo4j-'));
    const neo4j = await startEmbeddedNeo4j({ dataDir: dir });
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
