import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useKnowledgeCache, type KnowledgeCacheStats } from './knowledge-cache';

type Hook = NonNullable<ReturnType<typeof useKnowledgeCache>['onSubgraphExecute']>;
type Request = { document: ReturnType<typeof parse>; operationType: string; variables?: Record<string, unknown>; context?: unknown };
type Executor = (request: Request) => Promise<ExecutionResult>;

const ENTITIES = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Variant { id gene { symbol } } } }');
const clinician = { identity: { role: 'clinician' } };
const variant = (id: string) => ({ __typename: 'Variant', id });

/** A knowledge graph that answers each representation with its gene, recording what it was asked; `fail` ids get an error. */
function knowledgeGraph(fail: string[] = []) {
  const asked: string[][] = [];
  const executor: Executor = async (request) => {
    const representations = request.variables!.representations as { id: string }[];
    asked.push(representations.map((r) => r.id));
    const errors = representations.flatMap((r, i) => (fail.includes(r.id) ? [new GraphQLError('Neo4j did not answer', { path: ['_entities', i, 'gene'] })] : []));
    return { data: { _entities: representations.map((r) => ({ id: r.id, gene: fail.includes(r.id) ? null : { symbol: r.id.split(':')[0] } })) }, ...(errors.length ? { errors } : {}) };
  };
  return { executor, asked };
}

function cached(subgraph: Executor, options: { ttlMs?: number; now?: () => number } = {}, stats?: KnowledgeCacheStats) {
  const hook = useKnowledgeCache({ subgraph: 'knowledge-graph', ttlMs: options.ttlMs ?? 60_000, maxEntries: 100, maxWeight: 1_000_000, ...(options.now ? { now: options.now } : {}) }, stats)
    .onSubgraphExecute as Hook | undefined;
  return async (request: Request, subgraphName = 'knowledge-graph'): Promise<ExecutionResult> => {
    let wrapped = subgraph;
    await hook?.({ subgraphName, executionRequest: request, executor: subgraph, setExecutor: (e: Executor) => (wrapped = e) } as never);
    return wrapped(request);
  };
}

const ask = (ids: string[], context: unknown = clinician): Request => ({ document: ENTITIES, operationType: 'query', variables: { representations: ids.map(variant) }, context });

describe('useKnowledgeCache', () => {
  it('answers an entity it holds from the cache, fetches only the others and keeps the order of the request', async () => {
    const kg = knowledgeGraph();
    const stats = { hits: 0, misses: 0 };
    const execute = cached(kg.executor, {}, stats);
    expect(await execute(ask(['BRAF:V600E', 'EGFR:L858R']))).toEqual({ data: { _entities: [{ id: 'BRAF:V600E', gene: { symbol: 'BRAF' } }, { id: 'EGFR:L858R', gene: { symbol: 'EGFR' } }] } });
    expect(await execute(ask(['KRAS:G12C', 'BRAF:V600E']))).toEqual({ data: { _entities: [{ id: 'KRAS:G12C', gene: { symbol: 'KRAS' } }, { id: 'BRAF:V600E', gene: { symbol: 'BRAF' } }] } });
    expect(await execute(ask(['EGFR:L858R', 'KRAS:G12C']))).toEqual({ data: { _entities: [{ id: 'EGFR:L858R', gene: { symbol: 'EGFR' } }, { id: 'KRAS:G12C', gene: { symbol: 'KRAS' } }] } });
    expect(kg.asked).toEqual([['BRAF:V600E', 'EGFR:L858R'], ['KRAS:G12C']]);
    expect(stats).toEqual({ hits: 3, misses: 3 });
  });

  it('puts an error back at its entity in the request and keeps that entity out of the cache', async () => {
    const kg = knowledgeGraph(['EGFR:L858R']);
    const execute = cached(kg.executor);
    await execute(ask(['BRAF:V600E']));
    const result = await execute(ask(['BRAF:V600E', 'EGFR:L858R']));
    expect(result.data).toEqual({ _entities: [{ id: 'BRAF:V600E', gene: { symbol: 'BRAF' } }, { id: 'EGFR:L858R', gene: null }] });
    expect(result.errors?.map((e) => [e.message, e.path])).toEqual([['Neo4j did not answer', ['_entities', 1, 'gene']]]);
    await execute(ask(['EGFR:L858R']));
    expect(kg.asked).toEqual([['BRAF:V600E'], ['EGFR:L858R'], ['EGFR:L858R']]);
  });

  it('fetches an entity again once its time to live has passed, and keys by role', async () => {
    // A clock reading, never 0: lru-cache takes an entry stored at time 0 as one without a time to live.
    let now = 5_000;
    const kg = knowledgeGraph();
    const execute = cached(kg.executor, { ttlMs: 1_000, now: () => now });
    await execute(ask(['BRAF:V600E']));
    now = 5_999;
    await execute(ask(['BRAF:V600E']));
    await execute(ask(['BRAF:V600E'], { identity: { role: 'partner' } }));
    now = 7_100;
    await execute(ask(['BRAF:V600E']));
    expect(kg.asked).toEqual([['BRAF:V600E'], ['BRAF:V600E'], ['BRAF:V600E']]);
  });

  it("keys by the request's other variables: the same document with another argument is another question", async () => {
    const document = parse('query ($representations: [_Any!]!, $level: String) { _entities(representations: $representations) { ... on Variant { id therapies(level: $level) { drug } } } }');
    const asked: unknown[] = [];
    const execute = cached(async (request) => {
      asked.push(request.variables!.level);
      return { data: { _entities: [{ id: 'BRAF:V600E', therapies: [{ drug: `level ${String(request.variables!.level)}` }] }] } };
    });
    const ask = (level: string): Request => ({ document, operationType: 'query', variables: { representations: [variant('BRAF:V600E')], level }, context: clinician });
    expect((await execute(ask('A'))).data).toEqual({ _entities: [{ id: 'BRAF:V600E', therapies: [{ drug: 'level A' }] }] });
    expect((await execute(ask('B'))).data).toEqual({ _entities: [{ id: 'BRAF:V600E', therapies: [{ drug: 'level B' }] }] });
    await execute(ask('A'));
    expect(asked).toEqual(['A', 'B']);
  });

  it('leaves other subgraphs, root fields, incremental (@defer) requests and mutations to the subgraph, and does nothing with a time to live of 0', async () => {
    const kg = knowledgeGraph();
    const execute = cached(kg.executor);
    await execute(ask(['BRAF:V600E']), 'genomics');
    await execute(ask(['BRAF:V600E']), 'genomics');
    const off = cached(kg.executor, { ttlMs: 0 });
    await off(ask(['EGFR:L858R']));
    await off(ask(['EGFR:L858R']));
    expect(kg.asked).toEqual([['BRAF:V600E'], ['BRAF:V600E'], ['EGFR:L858R'], ['EGFR:L858R']]);
    const deferred = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Variant { id ... @defer { gene { symbol } } } } }');
    await execute({ ...ask(['KRAS:G12C']), document: deferred });
    await execute({ ...ask(['KRAS:G12C']), document: deferred });
    expect(kg.asked.slice(-2)).toEqual([['KRAS:G12C'], ['KRAS:G12C']]);
    let rootCalls = 0;
    const root = cached(async () => ({ data: { drug: { name: `call ${++rootCalls}` } } }));
    const drug: Request = { document: parse('{ drug(id: "x") { name } }'), operationType: 'query', context: clinician };
    await root(drug);
    expect(await root(drug)).toEqual({ data: { drug: { name: 'call 2' } } });
  });
});
