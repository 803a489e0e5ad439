import type { SubgraphClient } from '../../lib/subgraph-client';
import { KnowledgeClient, KNOWLEDGE_STALE_MS } from './knowledge-client';

/** One trial as the knowledge-graph subgraph pages it out (InferenceTrialPage). */
const trial = (nctId: string) => ({
  nctId,
  title: `Trial ${nctId}`,
  phase: 'PHASE2',
  status: 'RECRUITING',
  conditions: ['MONDO:0005061'],
  eligibility: { minimumAge: 18, maximumAge: null, sex: 'ALL', requiredVariants: [], excludedVariants: [], labCriteria: [] },
});

/** A knowledge-graph client whose catalogue reads are counted and answered when the test says. */
function knowledgeGraph() {
  const reads: ((trials: ReturnType<typeof trial>[]) => void)[] = [];
  const client = {
    execute: () => new Promise((resolve) => reads.push((trials) => resolve({ trials }))),
  } as unknown as SubgraphClient;
  return { client, reads };
}

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not answered within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe('KnowledgeClient trial catalogue', () => {
  it('answers a match at once from the catalogue in hand once it is older than the cache time, while the next is read', async () => {
    let now = 1_000;
    const kg = knowledgeGraph();
    const knowledge = new KnowledgeClient(kg.client, 5 * 60_000, { now: () => now });
    const first = knowledge.trialCatalogue();
    kg.reads[0]!([trial('NCT00000001')]);
    expect((await first).map((t) => t.nctId)).toEqual(['NCT00000001']);

    now += 5 * 60_000 + 1;
    // The read the old code made this caller wait for: answered from the old catalogue instead.
    expect((await within(knowledge.trialCatalogue(), 200)).map((t) => t.nctId)).toEqual(['NCT00000001']);
    expect(kg.reads).toHaveLength(2);
    kg.reads[1]!([trial('NCT00000001'), trial('NCT00000002')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await knowledge.trialCatalogue()).map((t) => t.nctId)).toEqual(['NCT00000001', 'NCT00000002']);
    expect(kg.reads).toHaveLength(2);

    // A catalogue older than the cache time and KNOWLEDGE_STALE_MS is not answered: the caller waits for the read.
    now += 5 * 60_000 + KNOWLEDGE_STALE_MS + 1;
    const waiting = knowledge.trialCatalogue();
    await expect(within(waiting, 100)).rejects.toThrow('not answered within 100 ms');
    kg.reads[2]!([trial('NCT00000003')]);
    expect((await waiting).map((t) => t.nctId)).toEqual(['NCT00000003']);
  });
});
