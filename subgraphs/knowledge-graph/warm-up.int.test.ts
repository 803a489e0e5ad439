import type { Neo4jExecutor } from '../../knowledge-graph/executor';
import { createLogger } from '../../lib/logger';
import { testAssertions } from '../../tests/support/auth';
import { testNeo4j } from '../../tests/support/config';
import { Neo4jKnowledgeRepository } from './repository/knowledge-repository';
import { startKnowledgeGraphService } from './server';

/*
 * Issue 19: the first patient page after start-up waited while Neo4j planned each statement it ran
 * (~2.7 s for the first therapies read, 60–140 ms after). The service plans them at start-up.
 */

/** A repository whose executor only records the statements it is asked to read. */
function recording(): { repository: Neo4jKnowledgeRepository; statements: Set<string> } {
  const statements = new Set<string>();
  const executor = { read: async (cypher: string) => (statements.add(cypher), { records: [] }) } as unknown as Neo4jExecutor;
  return { repository: new Neo4jKnowledgeRepository(executor), statements };
}

describe('knowledge-graph warm-up at start-up', () => {
  it('runs every by-key read the patient page makes (gateway and inference)', async () => {
    const page = recording();
    // Variant.gene / therapies / trials (gateway); evidence, guidelines, drugs, trial eligibility and sites (inference).
    await Promise.all([
      page.repository.genesBySymbols(['BRAF']), page.repository.variantsByIds(['GRCh38:7:140753336:A:T']),
      page.repository.therapiesByVariantIds(['GRCh38:7:140753336:A:T']), page.repository.trialsByVariantIds(['GRCh38:7:140753336:A:T']),
      page.repository.evidenceByVariantIds(['GRCh38:7:140753336:A:T']), page.repository.guidelinesByGenes(['CYP2C19']),
      page.repository.drugsByIds(['x']), page.repository.eligibilityByNctIds(['NCT00000000']), page.repository.sitesByNctIds(['NCT00000000']),
    ]);
    const warm = recording();
    await warm.repository.warmUp();
    expect([...page.statements].filter((s) => !warm.statements.has(s))).toEqual([]);
  });

  it('the service starts it without waiting for a request', async () => {
    const warmUp = jest.spyOn(Neo4jKnowledgeRepository.prototype, 'warmUp');
    const service = await startKnowledgeGraphService({ neo4j: testNeo4j(), host: '127.0.0.1', port: 0, log: createLogger('test', 'silent'), assertions: testAssertions() });
    try {
      expect(warmUp).toHaveBeenCalledTimes(1);
      await service.warmedUp;
    } finally {
      await service.close();
      warmUp.mockRestore();
    }
  });
});
