import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isAsyncIterable, type SubgraphExecutionRequest as ExecutionRequest } from './plugin-types';

/**
 * What a client gets does not depend on the query planner (GATEWAY_QUERY_PLANNER, lib/gateway-query-planner.ts).
 * The runtime's JavaScript planner and the Hive Router's Rust planner (`@graphql-hive/router-runtime`) differ
 * where a subgraph fails; these plugins give both the answers the JavaScript planner gives, which follow the
 * GraphQL specification. (A failed call's error path is set where the error is made: gateway/subgraph-deadline.ts.)
 */

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

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Whether a fragment with this type condition applies to an object of `type`. */
function applies(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

/** The fields a selection set asks of an object of `type`, through the fragments that apply to it. */
function fieldsOf(schema: GraphQLSchema, selectionSet: SelectionSetNode, type: GraphQLObjectType, fragments: Fragments, into: FieldNode[] = []): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(schema, selection.typeCondition?.name.value, type)) fieldsOf(schema, selection.selectionSet, type, fragments, into);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && applies(schema, fragment.typeCondition.name.value, type)) fieldsOf(schema, fragment.selectionSet, type, fragments, into);
    }
  }
  return into;
}

function completeObject(schema: GraphQLSchema, value: Record<string, unknown>, selectionSet: SelectionSetNode, type: GraphQLObjectType, fragments: Fragments): Record<string, unknown> | null {
  const completed: Record<string, unknown> = { ...value };
  const definitions = type.getFields();
  for (const field of fieldsOf(schema, selectionSet, type, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    const definition = definitions[field.name.value];
    // A field left out (@skip, @include) is not a null; __typename and unknown fields have nothing to check.
    if (!definition || !(key in value)) continue;
    const inner = completeValue(schema, value[key], definition.type, field.selectionSet, fragments);
    if (inner === null && isNonNullType(definition.type)) return null;
    completed[key] = inner;
  }
  return completed;
}

function completeValue(schema: GraphQLSchema, value: unknown, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (value === null || value === undefined) return null;
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return value;
    const items = value.map((item) => completeValue(schema, item, nullable.ofType as GraphQLOutputType, selectionSet, fragments));
    return isNonNullType(nullable.ofType) && items.some((item) => item === null) ? null : items;
  }
  if (!selectionSet || typeof value !== 'object') return value;
  const typename = (value as { __typename?: unknown }).__typename;
  const concrete = isObjectType(nullable) ? nullable : typeof typename === 'string' ? schema.getType(typename) : undefined;
  // An abstract type's object without __typename: which fields it must have is not known, so it is left as it is.
  return concrete && isObjectType(concrete) ? completeObject(schema, value as Record<string, unknown>, selectionSet, concrete, fragments) : value;
}

/**
 * `data` with the specification's null propagation applied (Errors › Handling Field Errors): a null where the
 * type is non-null makes its parent null, up to the nearest nullable position (the whole of `data` at the most).
 * The JavaScript planner answers so; the Rust one can leave a null in a non-null list item (`variants: [null]`
 * for `[Variant!]` when a variant's non-null `therapies` failed), which a client's types say cannot happen.
 */
export function propagateNulls(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, data: Record<string, unknown>): Record<string, unknown> | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return data;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return completeObject(schema, data, operation.selectionSet, root, fragments);
}

/**
 * A result with errors gets `data` as the specification and the JavaScript planner have it: present once
 * execution started (errors with a path), where the Rust planner leaves it out when the only root field's
 * subgraph answered an error and no data (a write to an unknown patient); and with nulls propagated
 * (propagateNulls). A result without errors is left as it is: only an error leaves a null where none may be.
 */
export function useExecutionData(): GatewayPlugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const single = result as ExecutionResult;
          if (!single.errors?.some((error) => error.path !== undefined)) return;
          const operation = getOperationAST(args.document, args.operationName ?? undefined);
          if (!operation) return;
          if (single.data === undefined) {
            const data = dataOfFailedExecution(args.schema, operation);
            if (data !== undefined) setResult({ ...single, data });
            return;
          }
          if (single.data !== null) setResult({ ...single, data: propagateNulls(args.schema, args.document, operation, single.data) });
        },
      };
    },
  };
}
