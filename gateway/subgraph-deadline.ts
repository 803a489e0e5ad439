import { EventEmitter } from 'node:events';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { isAsyncIterable, representationsVariable, type SubgraphExecutionRequest as ExecutionRequest } from './plugin-types';


/** What @graphql-tools/executor-http codes a failed fetch to a subgraph (refused, reset, aborted). */
const UNREACHABLE = 'SUBREQUEST_HTTP_ERROR';

/** What a subgraph request asked for: its root fields' response keys, or `_entities`' fields and the variable holding the representations. */
interface Asked {
  keys: string[];
  representations: string | null;
}

/** The response keys a selection set asks for, through inline fragments, without `__typename`. */
function responseKeys(selectionSet: SelectionSetNode, into: Set<string> = new Set()): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') into.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      responseKeys(selection.selectionSet, into);
    }
  }
  return into;
}

// The planners hand the same DocumentNode for the same plan: read each once.
const askedBy = new WeakMap<DocumentNode, Asked>();

function asked(document: DocumentNode): Asked {
  let known = askedBy.get(document);
  if (known) return known;
  known = { keys: [], representations: null };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    const representations = representationsVariable(selection);
    if (representations !== null && selection.selectionSet) {
      known = { keys: [...responseKeys(selection.selectionSet)], representations };
      break;
    }
    if (selection.name.value !== '__typename') known.keys.push(selection.alias?.value ?? selection.name.value);
  }
  askedBy.set(document, known);
  return known;
}

/**
 * The error of a call that failed as a whole, once on each field it asked for: `["_entities", i, field]` for
 * each representation of an entity fetch, `[field]` for a root fetch. Both planners put an error with such
 * a path where the field is in the answer (`["patient", "variants", 0, "gene"]`), as they do a subgraph's own
 * errors; without a path the Rust planner reports it at the fetch's parent (`["patient"]`), less precisely.
 */
function unavailable(subgraph: string, reason: string, request: Partial<ExecutionRequest>): GraphQLError[] {
  const message = `The ${subgraph} subgraph ${reason}.`;
  // No HTTP status: the rest of the answer is still there, so the response stays a 200.
  const extensions = { code: ErrorCode.DEPENDENCY_UNAVAILABLE, serviceName: subgraph };
  const { keys, representations } = request.document ? asked(request.document) : { keys: [], representations: null };
  const count = representations === null ? 0 : ((request.variables?.[representations] as unknown[] | undefined)?.length ?? 0);
  const paths = representations === null ? keys.map((key) => [key]) : Array.from({ length: count }, (_, i) => keys.map((key) => ['_entities', i, key])).flat();
  if (paths.length === 0) return [new GraphQLError(message, { extensions })];
  return paths.map((path) => new GraphQLError(message, { extensions, path }));
}

/** The reason a call's signal is aborted with once its answer has been read (nothing is cancelled). */
const SETTLED = new Error('the subgraph answer was read');

/**
 * Requests to one subgraph that may be in flight at once before Node warns about the HTTP executor's
 * long-lived signal (see `startCall`).
 */
export const IN_FLIGHT_LISTENER_LIMIT = 1_000;

/**
 * Starts a subgraph call with Node's listener limit raised to IN_FLIGHT_LISTENER_LIMIT for the call's
 * synchronous part only. @graphql-tools/executor-http creates its long-lived dispose signal and adds one
 * 'abort' listener to it per request there (abortSignalAny), removed when the request settles (below).
 * That is one listener per request in flight, not a leak, but Node 20 warns past 10 listeners on any
 * AbortSignal ("MaxListenersExceededWarning: 11 abort listeners added"; newer Node releases no longer
 * apply the limit to AbortSignal, nodejs/node#55816), so 11 concurrent requests to one subgraph printed
 * it. The signal is internal to the executor, so its own limit cannot be set; raising the default for
 * the whole process would hide real leaks elsewhere. Outside this synchronous window the limit is Node's.
 */
function startCall<T>(call: () => T): T {
  const previous = EventEmitter.defaultMaxListeners;
  EventEmitter.defaultMaxListeners = Math.max(previous, IN_FLIGHT_LISTENER_LIMIT);
  try {
    return call();
  } finally {
    EventEmitter.defaultMaxListeners = previous;
  }
}

export interface SubgraphDeadlines {
  /** GATEWAY_SUBGRAPH_TIMEOUT_MS */
  queryMs: number;
  /** GATEWAY_SUBGRAPH_MUTATION_TIMEOUT_MS: writes may be whole bundles or VCFs (lib/dependency-timeouts.ts). */
  mutationMs: number;
}

/**
 * Each query sent to a subgraph gets `queryMs` (GATEWAY_SUBGRAPH_TIMEOUT_MS), each mutation
 * `mutationMs`, and is
 * then abandoned (its fetch aborted), so one hung subgraph costs the request that long, not forever,
 * and the rest of the federated answer is still returned. A subgraph that did not answer in time or
 * could not be reached is reported as DEPENDENCY_UNAVAILABLE naming it, as the subgraphs report
 * their own dependencies. Subscriptions are long-lived by design and exempt.
 */
export function useSubgraphDeadline(deadlines: SubgraphDeadlines, log: Logger): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType === 'subscription') return;
      const write = executionRequest.operationType === 'mutation';
      const timeoutMs = write ? deadlines.mutationMs : deadlines.queryMs;
      // A write given up on may still commit: say so, so that nobody retries blindly.
      const late = write ? `did not answer within ${timeoutMs} ms; the write may still have completed, so read before retrying` : `did not answer within ${timeoutMs} ms`;
      const executeWithDeadline = async (request: ExecutionRequest): Promise<ExecutionResult> => {
        const about = { document: request.document ?? executionRequest.document, variables: request.variables };
        const deadline = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => {
            // Settle first, then abort: an executor that rejects on abort must not win the race.
            resolve({ errors: unavailable(subgraphName, late, about) });
            log.warn({ subgraph: subgraphName, timeoutMs }, 'a subgraph did not answer in time');
            deadline.abort(new Error(`${subgraphName} subgraph timed out`));
          }, timeoutMs);
        });
        const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
        let streaming = false;
        try {
          const result = (await Promise.race([startCall(() => executor({ ...request, signal })), timedOut])) as ExecutionResult;
          streaming = isAsyncIterable(result);
          if (!result.errors?.some((error) => error.extensions?.code === UNREACHABLE)) return result;
          // Logged without the runtime's details (the subrequest may hold patient ids, the socket error internal addresses).
          log.warn({ subgraph: subgraphName }, 'a subgraph could not be reached');
          return {
            ...result,
            errors: result.errors.flatMap((error) => (error.extensions?.code === UNREACHABLE ? unavailable(subgraphName, 'could not be reached', about) : [error])),
          };
        } finally {
          clearTimeout(timer);
          // The answer is read: abort this call's signal so that what listens to it lets go now. The HTTP
          // executor combines it with its own long-lived signal (@graphql-hive/signal's abortSignalAny adds an
          // 'abort' listener there per request and removes it only when the combination aborts or is
          // garbage-collected): without this, every request in flight or not yet collected holds one, and
          // under load Node warns "MaxListenersExceededWarning: 11 abort listeners added to [AbortSignal]".
          // An incremental (@defer/@stream) answer is still being read, so it keeps its signal.
          if (!streaming && !deadline.signal.aborted) deadline.abort(SETTLED);
        }
      };
      // The runtime's Executor is generic in its result type; this one passes results through unchanged.
      setExecutor(executeWithDeadline as typeof executor);
    },
  };
}
