import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { Kind, type FieldNode } from 'graphql';

/** What a gateway plugin's `onSubgraphExecute` is given, and the request its executor takes. */
export type SubgraphExecution = Parameters<NonNullable<GatewayPlugin['onSubgraphExecute']>>[0];
export type SubgraphExecutionRequest = Parameters<SubgraphExecution['executor']>[0];

/** A streamed result (subscription, @defer/@stream) rather than one ExecutionResult. */
export const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/** The variable an `_entities(representations: $x)` field reads its representations from; null for any other field or argument form. */
export function representationsVariable(field: FieldNode): string | null {
  if (field.name.value !== '_entities') return null;
  const argument = field.arguments?.find((a) => a.name.value === 'representations');
  return argument?.value.kind === Kind.VARIABLE ? argument.value.name.value : null;
}
