import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';

type SubgraphExecution = Parameters<NonNullable<GatewayPlugin['onSubgraphExecute']>>[0];
type ExecutionRequest = Parameters<SubgraphExecution['executor']>[0];

/** What @graphql-tools/executor-http codes a failed fetch to a subgraph (refused, reset, aborted). */
const UNREACHABLE = 'SUBREQUEST_HTTP_ERROR';

const unavailable = (subgraph: string, reason: string) =>
  new GraphQLError(`The ${subgraph} subgraph ${reason}.`, {
    // No HTTP status: the rest of the answer is still there, so the response stays a 200.
    extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE, serviceName: subgraph },
  });

/**
 * Each query or mutation sent to a subgraph gets `timeoutMs` (GATEWAY_SUBGRAPH_TIMEOUT_MS) and is
 * then abandoned (its fetch aborted), so one hung subgraph costs the request that long, not forever,
 * and the rest of the federated answer is still returned. A subgraph that did not answer in time or
 * could not be reached is reported as DEPENDENCY_UNAVAILABLE naming it, as the subgraphs report
 * their own dependencies. Subscriptions are long-lived by design and exempt.
 */
export function useSubgraphDeadline(timeoutMs: number, log: Logger): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType === 'subscription') return;
      const executeWithDeadline = async (request: ExecutionRequest): Promise<ExecutionResult> => {
        const deadline = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => {
            deadline.abort(new Error(`${subgraphName} subgraph timed out`));
            log.warn({ subgraph: subgraphName, timeoutMs }, 'a subgraph did not answer in time');
            resolve({ errors: [unavailable(subgraphName, `did not answer within ${timeoutMs} ms`)] });
          }, timeoutMs);
        });
        const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
        try {
          const result = (await Promise.race([executor({ ...request, signal }), timedOut])) as ExecutionResult;
          if (!result.errors?.some((error) => error.extensions?.code === UNREACHABLE)) return result;
          // Logged without the runtime's details (the subrequest may hold patient ids, the socket error internal addresses).
          log.warn({ subgraph: subgraphName }, 'a subgraph could not be reached');
          return {
            ...result,
            errors: result.errors.map((error) => (error.extensions?.code === UNREACHABLE ? unavailable(subgraphName, 'could not be reached') : error)),
          };
        } finally {
          clearTimeout(timer);
        }
      };
      // The runtime's Executor is generic in its result type; this one passes results through unchanged.
      setExecutor(executeWithDeadline as typeof executor);
    },
  };
}
