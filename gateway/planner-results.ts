import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, getNamedType, getOperationAST, isNonNullType, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * What a client gets does not depend on the query planner (GATEWAY_QUERY_PLANNER, lib/gateway-query-planner.ts).
 * The runtime's JavaScript planner and the Hive Router's Rust planner (`@graphql-hive/router-runtime`) differ
 * where a subgraph fails; these plugins give both the answers the JavaScript planner gives, which follow the
 * GraphQL specification. (A failed call's error path is set where the error is made: gateway/subgraph-deadline.ts.)
 */

type SubgraphExecution = Parameters<NonNullable<GatewayPlugin['onSubgraphExecute']>>[0];
type ExecutionRequest = Parameters<SubgraphExecution['executor']>[0];

interface ErrorLike {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * A subgraph's refusal of a subscription arrives over graphql-ws as its `error` message: the client library
 * throws the message's array of GraphQL errors from the stream. The JavaScript planner reports those errors;
 * the Rust one, given something that is not an Error, reports an uncoded `DOWNSTREAM_SERVICE_ERROR` with an
 * empty message, so a caller refused with FORBIDDEN could not tell why. Undefined for anything else thrown.
 */
export function refusalErrors(thrown: unknown): GraphQLError[] | undefined {
  if (!Array.isArray(thrown) || thrown.length === 0) return undefined;
  if (!thrown.every((e): e is ErrorLike => typeof e === 'object' && e !== null && typeof (e as ErrorLike).message === 'string')) return undefined;
  return thrown.map((e) => new GraphQLError(e.message, { ...(e.path ? { path: e.path } : {}), ...(e.extensions ? { extensions: e.extensions } : {}) }));
}

/**
 * The subgraph's stream with a refusal (see refusalErrors) turned into one result carrying its errors, after
 * which the stream ends. Not an async generator: a generator's `return()` waits for a pending `next()`, so a
 * subscriber leaving a quiet subscription would not reach the subgraph until its next event.
 */
export function withRefusalsAsResults<T>(stream: AsyncIterable<T>): AsyncIterableIterator<T | ExecutionResult> {
  const inner = stream[Symbol.asyncIterator]();
  let ended = false;
  const iterator: AsyncIterableIterator<T | ExecutionResult> = {
    async next() {
      if (ended) return { done: true, value: undefined };
      try {
        return await inner.next();
      } catch (thrown) {
        const errors = refusalErrors(thrown);
        if (!errors) throw thrown;
        ended = true;
        return { done: false, value: { errors } };
      }
    },
    async return() {
      ended = true;
      await inner.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/** Subscriptions refused by a subgraph reach the client with the subgraph's own errors (codes, messages). */
export function useSubscriptionRefusals(): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType !== 'subscription') return;
      const refusing = async (request: ExecutionRequest) => {
        const result = await executor(request);
        return isAsyncIterable(result) ? withRefusalsAsResults(result) : result;
      };
      setExecutor(refusing as typeof executor);
    },
  };
}

/**
 * `data` of a result whose execution failed before any root field had a value: null when a root field is
 * non-null (the error propagates to the whole of `data`), else each root field null (GraphQL specification,
 * Response › Data and Errors › Handling Field Errors). Undefined when the root selection cannot be read
 * field by field (a fragment at the root): the result is left as the planner gave it.
 */
export function dataOfFailedExecution(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, null> | null | undefined {
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const fields = root.getFields();
  const data: Record<string, null> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return undefined;
    const name = selection.name.value;
    if (name === '__typename') return undefined;
    const field = fields[name];
    if (!field || !getNamedType(field.type)) return undefined;
    if (isNonNullType(field.type)) return null;
    data[selection.alias?.value ?? name] = null;
  }
  return data;
}

/**
 * The Rust planner leaves `data` out of a result whose subgraph answered the only root field with an error
 * and no data (a write to an unknown patient); the specification keeps `data` in every result of an
 * execution that started (errors with a path are such), as the JavaScript planner does.
 */
export function useExecutionData(): GatewayPlugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const single = result as ExecutionResult;
          if (single.data !== undefined || !single.errors?.some((error) => error.path !== undefined)) return;
          const operation = getOperationAST(args.document, args.operationName ?? undefined);
          if (!operation) return;
          const data = dataOfFailedExecution(args.schema, operation);
          if (data !== undefined) setResult({ ...single, data });
        },
      };
    },
  };
}
