import type { QueryResult, RecordShape } from 'neo4j-driver';
import type { Neo4jExecutor } from '../executor';
import { ensureSeed, seedVersion } from './seed-run';

/**
 * An executor that answers the seed run's two reads as a graph would and records the writes: the seed
 * run found completed with this version, and `found` of the seed's own records still there.
 */
function fakeGraph(found: (expected: number) => number) {
  const writes: string[] = [];
  const record = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] });
  const executor = {
    read: (cypher: string, params: Record<string, unknown[]> = {}) => {
      if (cypher.includes("ImportRun {id: 'seed'}")) {
        return Promise.resolve({ records: [record({ version: seedVersion(), status: 'completed' })] });
      }
      const expected = params.evidence!.length + params.trials!.length + params.phenotypes!.length;
      return Promise.resolve({ records: [record({ n: found(expected) })] });
    },
    write: (cypher: string) => {
      writes.push(cypher);
      return Promise.resolve({ records: [] } as unknown as QueryResult<RecordShape>);
    },
  };
  return { executor: executor as unknown as Neo4jExecutor, writes };
}

describe('ensureSeed', () => {
  it('does nothing when the completed seed of this version has all its records', async () => {
    const graph = fakeGraph((expected) => expected);
    expect(await ensureSeed(graph.executor)).toBe('current');
    expect(graph.writes).toEqual([]);
  });

  it('loads the seed again when its run says completed but some of its records are gone (a damaged graph)', async () => {
    const graph = fakeGraph((expected) => expected - 1);
    expect(await ensureSeed(graph.executor)).toBe('repaired');
    expect(graph.writes.some((c) => c.includes('MERGE (e:Evidence'))).toBe(true);
    expect(graph.writes.at(-1)).toContain("SET r.status = 'completed'");
  });
});
