import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from './bootstrap';
import { createDriver, Neo4jExecutor } from './executor';
import { testNeo4j } from '../tests/support/config';

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
      const count = async () =>
        (await executor.read<{ n: number }>('MATCH (n) WHERE n:Gene OR n:Variant OR n:Drug OR n:Evidence OR n:Trial RETURN count(n) AS n'))
          .records[0]!.get('n');
      const before = await count();
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
