import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** What a gateway plugin's `onSubgraphExecute` is given, and the request its executor takes. */
export type SubgraphExecution = Parameters<NonNullable<GatewayPlugin['onSubgraphExecute']>>[0];
export type SubgraphExecutionRequest = Parameters<SubgraphExecution['executor']>[0];

/** A streamed result (subscription, @defer/@stream) rather than one ExecutionResult. */
export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
