import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, print, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { AuthContext } from './auth';
import { LRUCache } from 'lru-cache';
import { representationsVariable, type SubgraphExecutionRequest as ExecutionRequest } from './plugin-types';


export interface KnowledgeCacheOptions {
  /** The subgraph whose entities are cached: the knowledge graph, whose answers are public knowledge. */
  subgraph: string;
  /** GATEWAY_KNOWLEDGE_CACHE_TTL_MS: how long an entity is served from the cache; 0 turns the cache off. */
  ttlMs: number;
  /** Entities kept at most (least recently used go first). */
  maxEntries: number;
  /** Characters of JSON kept at most, over all entities. */
  maxWeight: number;
  /** The clock (tests). */
  now?: () => number;
}

export const DEFAULT_KNOWLEDGE_CACHE: Omit<KnowledgeCacheOptions, 'subgraph' | 'ttlMs'> = { maxEntries: 20_000, maxWeight: 64 * 1024 * 1024 };

/** Counters for /metrics and tests: entities answered from the cache, and fetched. */
export interface KnowledgeCacheStats {
  hits: number;
  misses: number;
}

/** `_entities(representations: $x)` as the only root field: the variable's name, else null (not cached). */
function entitiesVariable(document: DocumentNode): string | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0]!.operation !== 'query') return null;
  const selections = operations[0]!.selectionSet.selections;
  if (selections.length !== 1 || selections[0]!.kind !== Kind.FIELD || selections[0]!.alias) return null;
  return representationsVariable(selections[0]!);
}

/**
 * Entity caching for the knowledge graph, at the gateway (as Apollo Router's entity cache does; `@apollo/gateway`
 * has none): a variant's gene, therapies and evidence are the same for every patient and every caller, and a ward
 * reads the same few hundred actionable variants all day. Each `_entities` request to the subgraph is split per
 * representation: the entities the cache holds for that exact selection (document and its other variables) are answered from it, only the others
 * are fetched, and the answer is put back together in the request's order.
 *
 * Why it is safe: the knowledge-graph subgraph reads no identity (its resolvers answer from Neo4j alone and none
 * of its fields has @requiresScopes), holds no patient data, and audits nothing; the key still carries the
 * caller's role so that a field restricted later cannot leak across roles. An entity fetched with an error on its
 * path is not kept, nor is anything from a response without data. Entities live `ttlMs` (GATEWAY_KNOWLEDGE_CACHE_TTL_MS, 60 s by default): a new
 * release imported into Neo4j reaches answers within that, and each answer names its release (`sourceVersion`).
 */
export function useKnowledgeCache(options: KnowledgeCacheOptions, stats: KnowledgeCacheStats = { hits: 0, misses: 0 }): GatewayPlugin {
  if (options.ttlMs <= 0) return {};
  const entities = new LRUCache<string, NonNullable<unknown>>({
    max: options.maxEntries,
    maxSize: options.maxWeight,
    sizeCalculation: (value) => JSON.stringify(value).length,
    ttl: options.ttlMs,
    // Each lookup reads the clock (lru-cache otherwise reuses a reading for a millisecond).
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  // The planner hands the same DocumentNode for the same plan: print each once.
  const printed = new WeakMap<DocumentNode, { text: string; variable: string | null }>();
  const shape = (document: DocumentNode) => {
    let known = printed.get(document);
    if (!known) {
      const text = print(document);
      // An incremental answer (@defer/@stream) arrives in parts: passed through whole, never split.
      known = { text, variable: /@(defer|stream)\b/.test(text) ? null : entitiesVariable(document) };
      printed.set(document, known);
    }
    return known;
  };
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (subgraphName !== options.subgraph || executionRequest.operationType !== 'query') return;
      const { text, variable } = shape(executionRequest.document);
      if (variable === null) return;
      const cached = async (request: ExecutionRequest): Promise<ExecutionResult> => {
        const representations = request.variables?.[variable];
        if (!Array.isArray(representations)) return executor(request) as Promise<ExecutionResult>;
        const role = (request.context as Partial<AuthContext> | undefined)?.identity?.role ?? 'anonymous';
        // The request's other variables (a field argument, e.g. a condition to filter therapies by) are part of the
        // selection: the same document with other values is another question.
        const { [variable]: _representations, ...others } = request.variables ?? {};
        const selection = `${role}\u0000${text}\u0000${JSON.stringify(others)}`;
        const keys = representations.map((representation) => `${selection}\u0000${JSON.stringify(representation)}`);
        const answers: unknown[] = keys.map((key) => entities.get(key));
        const missing = answers.flatMap((answer, i) => (answer === undefined ? [i] : []));
        stats.hits += representations.length - missing.length;
        stats.misses += missing.length;
        if (missing.length === 0) return { data: { _entities: answers } };
        const fetched = (await executor({ ...request, variables: { ...request.variables, [variable]: missing.map((i) => representations[i]) } })) as ExecutionResult;
        // Errors name positions in the request that went out: give them back their place in the one that came in.
        const errors = fetched.errors?.map((error) => relocate(error, missing));
        const list = (fetched.data as { _entities?: unknown[] } | null | undefined)?._entities;
        if (!Array.isArray(list)) return { ...fetched, ...(errors ? { errors } : {}) };
        const failed = new Set((errors ?? []).map((error) => (error.path?.[0] === '_entities' && typeof error.path[1] === 'number' ? error.path[1] : -1)));
        missing.forEach((position, j) => {
          answers[position] = list[j] ?? null;
          if (list[j] != null && !failed.has(position) && !failed.has(-1)) entities.set(keys[position]!, list[j]);
        });
        return { ...fetched, data: { ...fetched.data, _entities: answers }, ...(errors ? { errors } : {}) };
      };
      setExecutor(cached as typeof executor);
    },
  };
}

/** The hub's knowledge-graph cache with the defaults but the TTL; its counters beside it. */
export function knowledgeCacheFor(ttlMs: number): { plugin: GatewayPlugin; stats: KnowledgeCacheStats } {
  const stats: KnowledgeCacheStats = { hits: 0, misses: 0 };
  return { plugin: useKnowledgeCache({ ...DEFAULT_KNOWLEDGE_CACHE, subgraph: 'knowledge-graph', ttlMs }, stats), stats };
}

function relocate(error: GraphQLError, missing: readonly number[]): GraphQLError {
  const path = error.path;
  if (!path || path[0] !== '_entities' || typeof path[1] !== 'number' || missing[path[1]] === undefined) return error;
  return new GraphQLError(error.message, { path: ['_entities', missing[path[1]]!, ...path.slice(2)], extensions: error.extensions, originalError: error.originalError ?? undefined });
}
