import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { unifiedGraphHandler as routerUnifiedGraphHandler } from '@graphql-hive/router-runtime';
import { GraphQLError } from 'graphql';
import { GRAPHIQL_OPTIONS, renderHubGraphiQL } from './graphiql';
import { WebSocketServer } from 'ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { SharedSubscriptions } from './shared-subscriptions';
import { SubscriptionSharing, type WsParams } from './subscription-sharing';
import { RateLimiter } from './rate-limits';
import { useSubgraphDeadline } from './subgraph-deadline';
import { useExecutionData, useSubscriptionRefusals } from './planner-results';
import { knowledgeCacheFor, type KnowledgeCacheStats } from './knowledge-cache';
import { DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS } from '../lib/gateway-knowledge-cache-config';
import { DEFAULT_DEPENDENCY_TIMEOUTS } from '../lib/dependency-timeouts';
import { useRefusalLog } from './refusal-log';
import { useIntrospectionPolicy } from './introspection';
import { runtimeLogger } from './runtime-logger';
import { withDashboard } from './dashboard';
import { supergraphHealth, withHealth } from './health';
import { DEFAULT_GATEWAY_LIMITS, limitPlugins, rateLimitKey, type CallerContext, limitRequestBody, type GatewayLimits, type RateLimitKeys } from './limits';
import { requestIdOptions, withBoundedRequestId } from './request-id';
import { GatewayObservability, type GatewayObservabilityOptions } from './observability';
import { withMetricsEndpoint } from './metrics-endpoint';
import { corsPolicy } from './cors';
import { useGraphQLMediaTypes } from './media-types';
import { CredentialWatch } from './subscription-credentials';
import { Authenticator, CallerIdentities, refuseUnauthenticated, useHubAuth, type AuthContext, type ApiKeyResolver, type JwtOptions, type RequestLike } from './auth';
import { IDENTITY_HEADER, type IdentityAssertions } from '../lib/identity';
import { variableCoercionError } from '../lib/errors';
import { openTrustedAccess, type PersistedQueryOptions } from './trusted-access';
import { SUPERGRAPH_PATH, type SubgraphName } from '../schema/compose';
import type { Logger } from '../lib/logger';
import { DEFAULT_GATEWAY_QUERY_PLANNER, type GatewayQueryPlanner } from '../lib/gateway-query-planner';
import { SHUTDOWN_GRACE_MS, type RunningService } from '../lib/apollo-http';

export interface GatewayOptions {
  /** Where each subgraph listens now; overrides the URLs written in the generated supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  host: string;
  port: number;
  log: Logger;
  supergraphSdl?: string;
  /** Query, body and rate limits and introspection (gateway/limits.ts); the defaults when unset. */
  limits?: GatewayLimits;
  /** How long one subgraph query may take before its fields answer DEPENDENCY_UNAVAILABLE (GATEWAY_SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs?: number;
  /** The same for a mutation (GATEWAY_SUBGRAPH_MUTATION_TIMEOUT_MS). */
  subgraphMutationTimeoutMs?: number;
  /** Metrics (`/metrics`) and tracing options; see gateway/observability.ts. */
  observability?: GatewayObservabilityOptions;
  /** The bearer secret `/metrics` asks of a scraper (METRICS_TOKEN); unset, `/metrics` is refused. */
  metricsToken?: string;
  /** Browser origins given CORS headers (CORS_ORIGINS); none when unset (gateway/cors.ts). */
  corsOrigins?: readonly string[];
  /** How often the API keys of open graphql-ws connections are looked up again (default 30 s). */
  credentialRecheckMs?: number;
  /** PostgreSQL (schema `gateway`): partner API keys and persisted-document manifests. Unset: API keys are refused, partners run nothing. */
  databaseUrl?: string;
  /** Lookup caching and APQ bounds (gateway/trusted-access.ts); defaults when unset. */
  persistedQueries?: PersistedQueryOptions;
  /** The Federation query planner (GATEWAY_QUERY_PLANNER, lib/gateway-query-planner.ts); the default when unset. */
  queryPlanner?: GatewayQueryPlanner;
  /** Knowledge-graph entity cache (GATEWAY_KNOWLEDGE_CACHE_TTL_MS; 0: off); DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS when unset. */
  knowledgeCacheTtlMs?: number;
  auth: {
    jwt: JwtOptions;
    /** Partner API keys; without it, API keys are refused. */
    apiKeys?: ApiKeyResolver;
    /** Signs the caller's identity into every subgraph request. */
    assertions: IdentityAssertions;
  };
}

export interface Gateway extends RunningService {
  runtime: GatewayRuntime;
  /** Identical graphql-ws subscriptions executing once for all their subscribers. */
  sharedSubscriptions: SharedSubscriptions;
  /** This gateway's metrics registry (also served at `/metrics`). */
  observability: GatewayObservability;
  /** Knowledge-graph entities answered from the gateway's cache, and fetched (gateway/knowledge-cache.ts). */
  knowledgeCache: KnowledgeCacheStats;
}

export function readSupergraph(): string {
  if (!fs.existsSync(SUPERGRAPH_PATH)) {
    throw new Error('schema/supergraph.graphql is missing: run `npm run compose` to generate it');
  }
  return fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/** The coded errors inside a gateway error: its own, its cause's, or each of an AggregateError's or error list's. */
function codedErrors(error: unknown): GraphQLError[] {
  if (!error || typeof error !== 'object') return [];
  const code = (error as GraphQLError).extensions?.code;
  if (typeof code === 'string') return code === 'INTERNAL_SERVER_ERROR' ? [] : [error as GraphQLError];
  if (error instanceof AggregateError) return error.errors.flatMap(codedErrors);
  // A subgraph's graphql-ws `error` message (e.g. a refused subscribe) arrives as its error list.
  if (Array.isArray(error)) return error.flatMap(codedErrors);
  return codedErrors((error as GraphQLError).originalError);
}

/**
 * Subgraphs already turn their failures into coded, patient-free errors: pass those through so
 * clients see what failed and where; anything uncoded (a gateway fault) stays masked.
 */
export function passCodedErrors(error: unknown, message: string): Error {
  // A variable the client sent that its type refuses (issue 16: `bundle: null`, `value: 1e309`).
  const refusedVariable = variableCoercionError(error);
  if (refusedVariable) return refusedVariable;
  const path = error instanceof GraphQLError ? error.path : undefined;
  const coded = codedErrors(error);
  if (coded.length) {
    const messages = [...new Set(coded.map((e) => e.message))];
    return new GraphQLError(messages.join('; '), { path, extensions: { ...coded[0]!.extensions } });
  }
  return new GraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** Rate limits are per authenticated caller under a ceiling per client application (the IP only before authentication). */
const rateLimitKeys = (context: CallerContext): RateLimitKeys => {
  const identity = (context as Partial<AuthContext>).identity;
  return identity ? { caller: `caller:${identity.subject}`, client: identity.client } : { caller: `ip:${rateLimitKey(context)}` };
};

/** Results waiting for one graphql-ws subscriber before it is cut off as too slow (shared-subscriptions.ts). */
const MAX_QUEUED_PER_SUBSCRIBER = 64;

/** For a gateway given its own ApiKeyResolver (no database): re-resolve each key (through its cache). */
const unrevokedBy =
  (resolve: ApiKeyResolver) =>
  async (keys: string[]): Promise<Set<string>> =>
    new Set((await Promise.all(keys.map(async (key) => ((await resolve(key)) ? key : undefined)))).filter((key): key is string => key !== undefined));

/**
 * The runtime's supergraph handler for a planner: `undefined` keeps the runtime's own (JavaScript)
 * planner; `rust` plans with the Hive Router's native planner. Imported only when chosen, so a gateway
 * on the JS planner never loads the native addon (which ships for Linux and macOS only).
 */
export async function unifiedGraphHandlerFor(planner: GatewayQueryPlanner, log?: Logger): Promise<typeof routerUnifiedGraphHandler | undefined> {
  if (planner === 'js') return undefined;
  try {
    // The CommonJS build's types, as the runtime's own import here resolves (the ESM ones are a separate copy).
    const router = (await import('@graphql-hive/router-runtime')) as { unifiedGraphHandler: typeof routerUnifiedGraphHandler };
    return router.unifiedGraphHandler;
  } catch (error) {
    // The Rust planner is a native addon for Linux and macOS on x64 and arm64: elsewhere the gateway still starts,
    // on the JavaScript planner, and says why.
    if (!log) throw error;
    log.error({ err: error, platform: `${process.platform}-${process.arch}` }, 'the Rust query planner cannot load here; the gateway runs the JavaScript one (GATEWAY_QUERY_PLANNER=js silences this)');
    return undefined;
  }
}

/**
 * The public entry point: Hive Gateway runtime (Federation 2 query planning) on `node:http`, with
 * graphql-ws on the same `/graphql` path. Subscriptions reach the inference subgraph over graphql-ws.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { subgraphUrls: urls } = opts;
  const limits = opts.limits ?? DEFAULT_GATEWAY_LIMITS;
  const noApiKeys: ApiKeyResolver = async () => undefined;
  const trustedAccess = await openTrustedAccess(opts.databaseUrl, opts.persistedQueries, opts.log);
  const callers = new CallerIdentities(new Authenticator(opts.auth.jwt, opts.auth.apiKeys ?? trustedAccess.apiKeys ?? noApiKeys));
  const observability = new GatewayObservability({
    // The authenticated application, never a header a caller may set (validation errors come before the context).
    clientName: (context) => ((context as Partial<AuthContext>).identity ?? callers.settledFor(context as never))?.client ?? 'unknown',
    ...opts.observability,
  });
  const supergraphSdl = opts.supergraphSdl ?? readSupergraph();
  // One rate limiter for the runtime's plugins and for subscribers joining a shared subscription.
  const limiter = limits.rateLimit ? new RateLimiter(limits.rateLimit, limits.clientRateLimit) : undefined;
  // After the deadline plugin, so it wraps it: an entity answered from the cache waits for no subgraph.
  const knowledgeCache = knowledgeCacheFor(opts.knowledgeCacheTtlMs ?? DEFAULT_GATEWAY_KNOWLEDGE_CACHE_TTL_MS);
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    unifiedGraphHandler: await unifiedGraphHandlerFor(opts.queryPlanner ?? DEFAULT_GATEWAY_QUERY_PLANNER, opts.log),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    // No CORS headers but for the CORS_ORIGINS allow-list (the runtime's default reflects any Origin).
    cors: corsPolicy(opts.corsOrigins ?? []),
    // The bundled GraphiQL (offline: clinical networks often block CDNs) with a sign-in bar (gateway/graphiql.ts).
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL: renderHubGraphiQL,
    // The runtime's own messages through the service's pino logger: one format, one stream (gateway/runtime-logger.ts).
    logging: runtimeLogger(opts.log),
    // Subgraphs already turn their failures into coded, patient-free errors: pass those through so
    // clients see what failed and where; anything uncoded (a gateway fault) stays masked.
    maskedErrors: { maskError: passCodedErrors },
    // `x-request-id` on every response and log line; masked errors carry it too (gateway/limits.ts).
    requestId: requestIdOptions,
    // No in-flight deduplication of subgraph requests: the executor keys it on the body alone (the
    // identity header is added later, in onFetch), so two callers asking the same thing at once
    // would share one answer, authorized and audited for only one of them.
    transportEntries: {
      patient: { location: urls.patient, options: { deduplicateInflightRequests: false } },
      genomics: { location: urls.genomics, options: { deduplicateInflightRequests: false } },
      'knowledge-graph': { location: urls['knowledge-graph'], options: { deduplicateInflightRequests: false } },
      inference: {
        location: urls.inference,
        options: {
          deduplicateInflightRequests: false,
          // graphql-ws has no per-request headers: the identity assertion travels as a connection parameter,
          // and as a header of the upgrade request, which the subgraph verifies before upgrading.
          subscriptions: {
            kind: 'ws',
            headers: [[IDENTITY_HEADER, '{context.identityAssertion}']],
            options: { connectionParams: { [IDENTITY_HEADER]: '{context.identityAssertion}' } },
          },
        },
      },
    },
    plugins: (ctx) => [...observability.plugins(ctx), useSubgraphDeadline({ queryMs: opts.subgraphTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUTS.gatewaySubgraphMs, mutationMs: opts.subgraphMutationTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUTS.gatewayMutationMs }, opts.log), useSubscriptionRefusals(), useExecutionData(), knowledgeCache.plugin, useGraphQLMediaTypes(), useHubAuth(callers, opts.auth.assertions, opts.log), useRefusalLog(opts.log), trustedAccess.plugin(callers), useIntrospectionPolicy({ everyone: limits.introspection, callerOf: (context) => callers.settledFor(context as RequestLike) }), ...limitPlugins({ limits, log: opts.log, maskError: passCodedErrors, rateLimitKeys, limiter })],
  });

  // The runtime loads the supergraph lazily on its first HTTP request; a graphql-ws subscription
  // arriving first would find no schema. Load it before accepting connections.
  const sharing = new SubscriptionSharing(await runtime.getSchema(), supergraphSdl);

  // The built dashboard under /dashboard/ (gateway/dashboard.ts); everything else to the runtime.
  // In front of the runtime: request ids bounded, /metrics behind its token, the dashboard's files, the body limit.
  const server = http.createServer(
    withBoundedRequestId(
      withMetricsEndpoint(withHealth(withDashboard(limitRequestBody(runtime, { maxBytes: limits.maxBodyBytes, log: opts.log })), supergraphHealth(runtime)), {
        token: opts.metricsToken,
        metrics: () => observability.metrics(),
        contentType: observability.registry.contentType,
        log: opts.log,
      }),
    ),
  );
  server.keepAliveTimeout = 65_000;
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: limits.maxBodyBytes });
  const wsOptions = getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
  }));
  const shared = new SharedSubscriptions({
    maxQueued: MAX_QUEUED_PER_SUBSCRIBER,
    onCloseError: (error) => opts.log.warn({ err: error }, 'closing a shared subscription failed'),
  });
  observability.observeSharedSubscriptions(shared);
  observability.observeKnowledgeCache(knowledgeCache.stats);
  const credentialWatch = new CredentialWatch({
    // The same source the Authenticator reads keys from.
    unrevoked: opts.auth.apiKeys ? unrevokedBy(opts.auth.apiKeys) : (trustedAccess.unrevokedApiKeys ?? unrevokedBy(noApiKeys)),
    recheckMs: opts.credentialRecheckMs,
    log: opts.log,
  });
  const wsServer = useServer(
    {
      ...wsOptions,
      onOperation: observability.trackSubscriptions,
      // The connection lives as long as its credentials (gateway/subscription-credentials.ts). A caller
      // refused here is refused again, coded, on each operation it sends.
      async onConnect(ctx) {
        const caller = await callers.verified({ connectionParams: ctx.connectionParams as Record<string, unknown> | undefined, req: ctx.extra.request }).catch(() => undefined);
        if (caller) ctx.extra.socket.once('close', credentialWatch.watch(ctx.extra.socket, caller));
        return true;
      },
      async execute(args) {
        return (await refuseUnauthenticated(callers, args.contextValue as RequestLike, opts.log)) ?? wsOptions.execute!(args);
      },
      async subscribe(args) {
        const refused = await refuseUnauthenticated(callers, args.contextValue as RequestLike, opts.log);
        if (refused) return refused;
        const context = args.contextValue as { params: WsParams; connectionParams?: Record<string, unknown>; req: http.IncomingMessage };
        const identity = await callers.of(context as RequestLike);
        const key = sharing.key(context.params, identity);
        if (key === undefined) return wsOptions.subscribe!(args);
        // A subscriber joining a running execution skips the runtime's plugins: its own rate limit here.
        if (shared.has(key)) {
          const refused = limiter?.admit(rateLimitKeys({ ...context, identity } as CallerContext));
          if (refused) return refused;
        }
        return shared.subscribe(key, () => wsOptions.subscribe!(args) as never);
      },
    },
    wss,
  );

  let inFlight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    runtime,
    sharedSubscriptions: shared,
    observability,
    knowledgeCache: knowledgeCache.stats,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        credentialWatch.close();
        await wsServer.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        // Stop accepting, let HTTP requests under way finish (up to SHUTDOWN_GRACE_MS, as the
        // subgraphs do in lib/apollo-http.ts), then cut what is left: a rolling restart fails nothing.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
        server.closeAllConnections();
        await closed;
        await runtime[Symbol.asyncDispose]();
        await trustedAccess.close();
      })();
      return closing;
    },
  };
}
