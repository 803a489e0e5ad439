import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from './bootstrap';
import { createDriver, Neo4jExecutor } from './executor';
import { testNeo4j } from '../tests/support/config';
import { EVIDENCE } from './seed/skeleton-seed';
import { CURATED_EVIDENCE } from './seed/curated/civic-evidence';

const log = createLogger('test', 'silent');

describe('ensureKnowledgeGraph', () => {
  it('names the server and the fix when NEO4J_URI points at nothing', async () => {
    await expect(
      ensureKnowledgeGraph({ uri: 'bolt://127.0.0.1:1', user: undefined, password: undefined, dataDir: '', boltPort: 0 }, log),
    ).rejects.toThrow(/Neo4j at bolt:\/\/127\.0\.0\.1:1 is not usable .*Check NEO4J_URI\/NEO4J_USER\/NEO4J_PASSWORD/);
  });

  it('loads constraints and the seed idempotently on a server given by NEO4J_URI', async () => {
    const neo4j = testNeo4j();
    const config = { uri: neo4j.uri, user: neo4j.user, password: neo4j.password, dataDir: '', boltPort: 0 };
    await ensureKnowledgeGraph(config, log);
    const executor = new Neo4jExecutor(createDriver(neo4j), neo4j.uri);
    try {
      // Only the seed's own nodes and edges: other test files write to the same Neo4j meanwhile.
      const ids = [...EVIDENCE.map((e) => e.id), ...CURATED_EVIDENCE.map((e) => e.id)];
      const count = async () =>
        (
          await executor.read<{ n: number }>(
            'MATCH (e:Evidence) WHERE e.id IN $ids MATCH (e)-[r]->() RETURN count(DISTINCT e) * 100000 + count(r) AS n',
            { ids },
          )
        ).records[0]!.get('n');
      const before = await count();
      // 253 evidence items, each with its variant, drug(s) and disease edges.
      expect(Math.floor(before / 100000)).toBe(ids.length);
      await ensureKnowledgeGraph(config, log);
      expect(await count()).toBe(before);
      const constraints = await executor.read<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name');
      expect(constraints.records.map((r) => r.get('name'))).toEqual(
        expect.arrayContaining(['gene_symbol', 'variant_id', 'drug_id', 'disease_id', 'evidence_id', 'trial_nct']),
      );
    } finally {
      await executor.close();
    }
  });
});
