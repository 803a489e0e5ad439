import { getEventListeners } from 'node:events';
import { abortSignalAny } from '@graphql-hive/signal';
import { parse, type ExecutionResult } from 'graphql';
import { createLogger } from '../lib/logger';
import { useSubgraphDeadline } from './subgraph-deadline';

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
