/** Helpers for the importer integration tests (real Neo4j from the jest global setup). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDriver, Neo4jExecutor } from '../executor';

export function testExecutor(): Neo4jExecutor {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set: tests/global-setup.ts starts the embedded Neo4j');
  return new Neo4jExecutor(createDriver({ uri, user: process.env.NEO4J_USER || undefined, password: process.env.NEO4J_PASSWORD }), uri);
}

/** Six random upper-case letters (four sometimes occurred inside real HPO names): put into every gene symbol / name a test creates. */
export function randomTag(): string {
  return Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
}

/** A random number of `digits` digits starting with 9 (ids unlikely to meet real data). */
export function randomDigits(digits: number): string {
  let s = '9';
  while (s.length < digits) s += Math.floor(Math.random() * 10);
  return s;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kg-import-test-'));
}

const COUNT_TAGGED = `
  MATCH (n)
  WHERE NOT n:ImportRun AND any(v IN [n.id, n.symbol, n.nctId, n.name, n.gene] WHERE toLower(v) CONTAINS toLower($tag))
  OPTIONAL MATCH (n)-[r]-(m)
  WITH collect(DISTINCT n) + collect(DISTINCT m) AS nodes, collect(DISTINCT r) AS rels
  RETURN size(reduce(seen = [], x IN nodes | CASE WHEN x IN seen THEN seen ELSE seen + x END)) AS nodes, size(rels) AS rels`;

/** Nodes carrying the tag, their neighbours, and the relationships between them. */
export async function countTagged(executor: Neo4jExecutor, tag: string): Promise<{ nodes: number; rels: number }> {
  const rec = (await executor.read<{ nodes: number; rels: number }>(COUNT_TAGGED, { tag })).records[0]!;
  return { nodes: rec.get('nodes'), rels: rec.get('rels') };
}

export async function importRun(executor: Neo4jExecutor, id: string): Promise<Record<string, unknown>> {
  const res = await executor.read('MATCH (r:ImportRun {id: $id}) RETURN properties(r) AS r', { id });
  return res.records[0]!.get('r') as Record<string, unknown>;
}

export async function runsWithVersion(executor: Neo4jExecutor, version: string): Promise<number> {
  const res = await executor.read<{ n: number }>('MATCH (r:ImportRun {version: $version}) RETURN count(r) AS n', { version });
  return res.records[0]!.get('n');
}
