import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import path from 'node:path';
import { abortSignalAny } from '@graphql-hive/signal';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { createLogger } from '../lib/logger';
import { useSubgraphDeadline } from './subgraph-deadline';

const ROOT = path.join(__dirname, '..');

type Hook = NonNullable<ReturnType<typeof useSubgraphDeadline>['onSubgraphExecute']>;
type Executor = (request: { signal?: AbortSignal }) => Promise<ExecutionResult>;

/** Runs the plugin's hook over a fake subgraph executor that answers after `answerAfterMs`. */
async function execute(operationType: 'query' | 'mutation', answerAfterMs: number): Promise<{ result: ExecutionResult; ms: number }> {
  const subgraph: Executor = (request) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ data: { ok: true } }), answerAfterMs);
      request.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    });
  let wrapped: Executor = subgraph;
  const hook = useSubgraphDeadline({ queryMs: 50, mutationMs: 400 }, createLogger('test', 'silent')).onSubgraphExecute as Hook;
  const executionRequest = { document: parse(`${operationType} { ok }`), operationType };
  await hook({ subgraphName: 'patient', executionRequest, executor: subgraph, setExecutor: (e: Executor) => (wrapped = e) } as never);
  const started = performance.now();
  const result = await wrapped({});
  return { result, ms: performance.now() - started };
}

describe('useSubgraphDeadline', () => {
  it('gives up on a query after the query deadline, naming the subgraph', async () => {
    const { result, ms } = await execute('query', 1_000);
    expect(result.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['The patient subgraph did not answer within 50 ms.', 'DEPENDENCY_UNAVAILABLE'],
    ]);
    expect(ms).toBeLessThan(500);
  });

  it('lets a mutation run past the query deadline: a bundle or a VCF is one write', async () => {
    const { result } = await execute('mutation', 150);
    expect(result).toEqual({ data: { ok: true } });
  });

  it('gives up on a mutation only after its own deadline, saying the write may have completed', async () => {
    const { result } = await execute('mutation', 2_000);
    expect(result.errors?.map((e) => e.message)).toEqual([
      'The patient subgraph did not answer within 400 ms; the write may still have completed, so read before retrying.',
    ]);
  });
});

describe('useSubgraphDeadline: where a failed call\'s error goes', () => {
  const hookFor = async (document: string, variables: Record<string, unknown>) => {
    const unreachable: Executor = async () => ({ errors: [new GraphQLError('fetch failed', { extensions: { code: 'SUBREQUEST_HTTP_ERROR' } })] });
    let wrapped: Executor = unreachable;
    const hook = useSubgraphDeadline({ queryMs: 1_000, mutationMs: 1_000 }, createLogger('test', 'silent')).onSubgraphExecute as Hook;
    const executionRequest = { document: parse(document), variables, operationType: 'query' };
    await hook({ subgraphName: 'knowledge-graph', executionRequest, executor: unreachable, setExecutor: (e: Executor) => (wrapped = e) } as never);
    return (await (wrapped as (request: unknown) => Promise<ExecutionResult>)(executionRequest)).errors ?? [];
  };

  it('puts it on each field an entity fetch asked for, at each representation', async () => {
    const errors = await hookFor(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Variant { gene { symbol } evidence: therapies { drug { name } } } } }',
      { representations: [{ __typename: 'Variant', id: 'a' }, { __typename: 'Variant', id: 'b' }] },
    );
    expect(errors.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([
      [['_entities', 0, 'gene'], 'DEPENDENCY_UNAVAILABLE', 'knowledge-graph'],
      [['_entities', 0, 'evidence'], 'DEPENDENCY_UNAVAILABLE', 'knowledge-graph'],
      [['_entities', 1, 'gene'], 'DEPENDENCY_UNAVAILABLE', 'knowledge-graph'],
      [['_entities', 1, 'evidence'], 'DEPENDENCY_UNAVAILABLE', 'knowledge-graph'],
    ]);
    expect(new Set(errors.map((e) => e.message))).toEqual(new Set(['The knowledge-graph subgraph could not be reached.']));
  });

  it('puts it on each root field of a root fetch', async () => {
    const errors = await hookFor('query ($id: ID!) { gene(symbol: $id) { symbol } other: drugs { name } }', { id: 'BRAF' });
    expect(errors.map((e) => e.path)).toEqual([['gene'], ['other']]);
  });
});

describe('useSubgraphDeadline and the HTTP executor\'s listeners', () => {
  it('leaves no abort listener on the executor\'s long-lived signal once each answer is read', async () => {
    // What @graphql-tools/executor-http does per request: combine its own long-lived signal with the
    // request's (abortSignalAny adds an 'abort' listener to each) and fetch.
    const executorLifetime = new AbortController();
    const subgraph: Executor = async (request) => {
      abortSignalAny([executorLifetime.signal, request.signal!]);
      return { data: { ok: true } };
    };
    let wrapped: Executor = subgraph;
    const hook = useSubgraphDeadline({ queryMs: 1_000, mutationMs: 1_000 }, createLogger('test', 'silent')).onSubgraphExecute as Hook;
    await hook({ subgraphName: 'patient', executionRequest: { document: parse('{ ok }'), operationType: 'query' }, executor: subgraph, setExecutor: (e: Executor) => (wrapped = e) } as never);
    const gatewayRequest = new AbortController();
    for (let i = 0; i < 20; i++) expect(await wrapped({ signal: gatewayRequest.signal })).toEqual({ data: { ok: true } });
    expect(getEventListeners(executorLifetime.signal, 'abort')).toHaveLength(0);
    expect(gatewayRequest.signal.aborted).toBe(false);
  });
});

/**
 * Node reports listener warnings on the real process, which a jest sandbox's `process` does not see: the
 * scenario runs in a child (tsx), which prints the MaxListenersExceededWarnings it saw. As
 * @graphql-tools/executor-http: its long-lived signal is made on the first request, and every request adds
 * an 'abort' listener to it (abortSignalAny) before it awaits the subgraph's answer.
 */
function inFlightScenario(throughPlugin: boolean): { warnings: number; listenersAfter: number } {
  const script = `
    import { abortSignalAny } from '@graphql-hive/signal';
    import { parse } from 'graphql';
    import { createLogger } from './lib/logger';
    import { useSubgraphDeadline } from './gateway/subgraph-deadline';
    import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import path from 'node:path';
    let warnings = 0;
    process.on('warning', (w) => { if (w.name === 'MaxListenersExceededWarning') warnings++; });
    let lifetime;
    const subgraph = (request) => {
      lifetime ??= new AbortController();
      abortSignalAny([lifetime.signal, request.signal]);
      return new Promise((resolve) => setTimeout(() => resolve({ data: { ok: true } }), 20));
    };
    let wrapped = subgraph;
    const hook = useSubgraphDeadline({ queryMs: 1000, mutationMs: 1000 }, createLogger('test', 'silent')).onSubgraphExecute;
    (async () => {
      if (${throughPlugin}) await hook({ subgraphName: 'patient', executionRequest: { document: parse('{ ok }'), operationType: 'query' }, executor: subgraph, setExecutor: (e) => (wrapped = e) });
      await Promise.all(Array.from({ length: 50 }, () => wrapped({ signal: new AbortController().signal })));
      // Outside a subgraph call Node's limit holds: 11 listeners on another signal warn once.
      const other = new AbortController().signal;
      for (let i = 0; i < 11; i++) other.addEventListener('abort', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(JSON.stringify({ warnings: warnings - 1, listenersAfter: ${throughPlugin} ? getEventListeners(lifetime.signal, 'abort').length : 0, control: warnings >= 1 }));
    })();
  `;
  const out = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const result = JSON.parse(out.trim().split('\n').pop()!) as { warnings: number; listenersAfter: number; control: boolean };
  expect(result.control).toBe(true);
  return result;
}

describe("useSubgraphDeadline and Node's listener limit", () => {
  it('lets 50 requests to one subgraph be in flight at once without a MaxListenersExceededWarning, and leaves no listener after', () => {
    // The scenario does warn without the plugin (so the probe can see a warning), and not with it.
    expect(inFlightScenario(false).warnings).toBe(1);
    expect(inFlightScenario(true)).toEqual({ warnings: 0, listenersAfter: 0, control: true });
  }, 30_000);
});
