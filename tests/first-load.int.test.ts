import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { KnowledgeClient } from '../subgraphs/inference/knowledge-client';
import { Neo4jKnowledgeRepository } from '../subgraphs/knowledge-graph/repository/knowledge-repository';

/*
 * Issue 19: what the first patient page after start-up used to wait for is started by the hub itself,
 * before any request: Neo4j's plans for the page's knowledge-graph reads (~2.7 s on the first therapies
 * read) and inference's trial catalogue (first trialMatches 4.3–4.9 s against 0.7–0.9 s after).
 */
describe('a started hub has begun what the first patient page needs', () => {
  let hub: Hub | undefined;

  afterAll(async () => {
    await hub?.close();
  });

  it('plans the knowledge-graph reads and reads the trial catalogue at start-up', async () => {
    const warmUp = jest.spyOn(Neo4jKnowledgeRepository.prototype, 'warmUp');
    const catalogue = jest.spyOn(KnowledgeClient.prototype, 'trialCatalogue');
    try {
      hub = await startHub(testConfig(), testNeo4j(), createLogger('test', 'silent'));
      // No request has been made: whatever called these, the hub's start-up did.
      expect(warmUp).toHaveBeenCalledTimes(1);
      expect(catalogue).toHaveBeenCalled();
      await expect(catalogue.mock.results[0]!.value).resolves.toEqual(expect.any(Array));
    } finally {
      warmUp.mockRestore();
      catalogue.mockRestore();
    }
  });
});
