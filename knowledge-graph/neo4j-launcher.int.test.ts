import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j, { type AuthToken } from 'neo4j-driver';
import { launcherBuilt, Neo4jLaunchError, startEmbeddedNeo4j, type EmbeddedNeo4j } from './neo4j-launcher';

// neo4j.auth.none() is missing from neo4j-driver 6.3's typings.
const NO_AUTH: AuthToken = { scheme: 'none', principal: '', credentials: '' };

async function query<T>(uri: string, cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const driver = neo4j.driver(uri, NO_AUTH, { disableLosslessIntegers: true });
  try {
    const { records } = await driver.executeQuery(cypher, params);
    return records.map((r) => r.toObject() as T);
  } finally {
    await driver.close();
  }
}

describe('embedded Neo4j launcher', () => {
  let dataDir: string;
  let running: EmbeddedNeo4j | undefined;

  beforeAll(() => {
    if (!launcherBuilt()) throw new Error('launcher not built: run npm run kg:build before the integration tests');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-launcher-test-'));
  });

  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, answers Cypher over Bolt, and stops within 5 seconds', async () => {
    const db = await startEmbeddedNeo4j({ dataDir });
    running = db;
    expect(db.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(db.pid).toBeGreaterThan(0);

    expect(await query<{ x: number }>(db.uri, 'RETURN 1 AS x')).toEqual([{ x: 1 }]);
    await query(db.uri, 'CREATE (:LauncherProbe {id: $id})', { id: 'durable-1' });

    const started = Date.now();
    await db.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    // The process is reaped, not just signalled.
    expect(() => process.kill(db.pid, 0)).toThrow();
  });

  it('treats a second stop as a no-op', async () => {
    const started = Date.now();
    await running?.stop();
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('keeps committed data across a restart on the same folder', async () => {
    running = await startEmbeddedNeo4j({ dataDir });
    const rows = await query<{ id: string }>(running.uri, 'MATCH (p:LauncherProbe) RETURN p.id AS id');
    expect(rows).toEqual([{ id: 'durable-1' }]);
    await running.stop();
  });

  it('refuses a data folder that another embedded Neo4j holds, naming the lock', async () => {
    running = await startEmbeddedNeo4j({ dataDir });
    const second = startEmbeddedNeo4j({ dataDir });
    await expect(second).rejects.toThrow(Neo4jLaunchError);
    await expect(second).rejects.toThrow(/in use by another Neo4j process/);
    await running.stop();
  });

  it('explains a missing Java with a Neo4jLaunchError that names the fix', async () => {
    const attempt = startEmbeddedNeo4j({ dataDir, javaPath: path.join(dataDir, 'no-such-java') });
    await expect(attempt).rejects.toThrow(Neo4jLaunchError);
    await expect(attempt).rejects.toThrow(/Java 17 not found on PATH.*NEO4J_URI/);
  });
});
