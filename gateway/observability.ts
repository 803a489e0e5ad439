import type http from 'node:http';
import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import usePrometheus, { createCounter, createHistogram, type FillLabelsFnParams } from '@graphql-mesh/plugin-prometheus';
import { useOpenTelemetry } from '@graphql-hive/plugin-opentelemetry';
import type { ExecutionResult } from 'graphql';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { tracingEnabled } from '../lib/tracing';

/**
 * The gateway's metrics (Prometheus text format on `METRICS_PATH`) and traces (lib/tracing.ts).
 *
 * - `@graphql-mesh/plugin-prometheus` (Hive Gateway's Prometheus plugin) measures requests, latency,
 *   errors, each GraphQL phase, subgraph calls and upstream fetches. Its request, latency and error
 *   metrics are given here with a `client` label added (`createCounter`/`createHistogram`); the
 *   rest keep the plugin's defaults.
 * - Open subscriptions are counted by hand (`trackSubscriptions`): no plugin sees a graphql-ws
 *   subscription end, only graphql-ws itself does, so the gauge is kept from its `onOperation` hook.
 * - Each gateway has its own prom-client Registry, not the global one: several gateways run in one
 *   process in tests, and each must report only its own traffic.
 */

export const METRICS_PATH = '/metrics';

/** The hand-made metrics; the plugin's own (`graphql_envelop_*`, `graphql_gateway_*`, `graphql_yoga_*`) are listed in README.md. */
export const ACTIVE_SUBSCRIPTIONS_METRIC = 'hub_gateway_active_subscriptions';
export const SHARED_EXECUTIONS_METRIC = 'hub_gateway_shared_subscription_executions';
export const KNOWLEDGE_CACHE_METRIC = 'hub_gateway_knowledge_cache_entities';

/** Client label of a request whose caller did not say who it is. */
export const UNKNOWN_CLIENT = 'unknown';
/** A client label no longer taken once this many distinct ones were seen (`other`): a header is caller-controlled, and every label value is a time series. */
export const MAX_CLIENT_LABELS = 100;
const CLIENT_NAME_PATTERN = /^[A-Za-z0-9._:/@-]{1,64}$/;
/** Headers naming the calling application: our own, and the one Apollo's clients send. */
export const CLIENT_NAME_HEADERS = ['x-client-name', 'apollographql-client-name'] as const;

/** What a client name is read from: the gateway's GraphQL context over HTTP or graphql-ws. */
export interface ClientContext {
  headers?: Record<string, string | undefined>;
  request?: { headers?: { get(name: string): string | null } };
  req?: http.IncomingMessage;
  [key: string]: unknown;
}

/** Names the calling application for the `client` label; swap in the authenticated identity's client when it is known. */
export type ClientNameResolver = (context: ClientContext | undefined) => string | undefined;

function header(context: ClientContext, name: string): string | undefined {
  const value = context.headers?.[name] ?? context.request?.headers?.get(name) ?? context.req?.headers[name];
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/** The `x-client-name` or `apollographql-client-name` header. */
export const clientNameFromHeaders: ClientNameResolver = (context) => {
  if (!context) return undefined;
  for (const name of CLIENT_NAME_HEADERS) {
    const value = header(context, name);
    if (value) return value;
  }
  return undefined;
};

/** Turns resolved client names into bounded label values: `unknown`, `invalid`, `other` or the name. */
export function clientLabeller(resolve: ClientNameResolver, maxLabels = MAX_CLIENT_LABELS): (context: unknown) => string {
  const seen = new Set<string>();
  return (context) => {
    const name = resolve(context as ClientContext | undefined);
    if (!name) return UNKNOWN_CLIENT;
    if (!CLIENT_NAME_PATTERN.test(name)) return 'invalid';
    if (seen.has(name)) return name;
    if (seen.size >= maxLabels) return 'other';
    seen.add(name);
    return name;
  };
}

export interface GatewayObservabilityOptions {
  /** Default `clientNameFromHeaders`. */
  clientName?: ClientNameResolver;
  /** Process metrics (CPU, memory, event loop lag, GC) in this gateway's registry; default true. */
  processMetrics?: boolean;
}

/** Seconds; the plugin's defaults stop at 10 s, and a cold cohort or trial query can take longer. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayObservability {
  readonly registry = new Registry();
  private readonly activeSubscriptions: Gauge;
  private readonly clientLabel: (context: unknown) => string;

  constructor(options: GatewayObservabilityOptions = {}) {
    this.clientLabel = clientLabeller(options.clientName ?? clientNameFromHeaders);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.activeSubscriptions = new Gauge({
      name: ACTIVE_SUBSCRIPTIONS_METRIC,
      help: 'graphql-ws subscriptions open on this gateway (one per subscriber)',
      registers: [this.registry],
    });
  }

  /** The runtime plugins: Prometheus, and OpenTelemetry when tracing is on. */
  plugins(ctx: GatewayConfigContext): GatewayPlugin[] {
    const registry = this.registry;
    const labels = (params: FillLabelsFnParams, context: unknown) => ({
      operationName: params.operationName ?? 'Anonymous',
      operationType: params.operationType ?? 'unknown',
      client: this.clientLabel(context),
    });
    const plugins: GatewayPlugin[] = [
      usePrometheus({
        log: ctx.log,
        registry,
        // Served by gateway/metrics-endpoint.ts, behind METRICS_TOKEN, not by the plugin to anyone.
        endpoint: false,
        metrics: {
          graphql_envelop_request: createCounter({
            registry,
            counter: {
              name: 'graphql_envelop_request',
              help: 'GraphQL operations executed, per operation and client',
              labelNames: ['operationName', 'operationType', 'client'],
            },
            fillLabelsFn: labels,
          }),
          graphql_envelop_request_duration: createHistogram({
            registry,
            histogram: {
              name: 'graphql_envelop_request_duration',
              help: 'Seconds from parse to the end of execution (a subscription: to its first result), per operation and client',
              labelNames: ['operationName', 'operationType', 'client'],
              buckets: LATENCY_BUCKETS,
            },
            fillLabelsFn: labels,
          }),
          graphql_envelop_error_result: createCounter({
            registry,
            counter: {
              name: 'graphql_envelop_error_result',
              help: 'GraphQL errors reported, per operation, client and phase (parse, validate, context, execute, subscribe)',
              labelNames: ['operationName', 'operationType', 'client', 'phase'],
            },
            fillLabelsFn: (params: FillLabelsFnParams, context: unknown) => ({ ...labels(params, context), phase: params.errorPhase ?? 'unknown' }),
          }),
          // The histogram above answers the same question with buckets that aggregate across gateways.
          graphql_envelop_request_time_summary: false,
        },
        // The full URL (with a GET request's query string) would be a label value per request.
        labels: { url: false },
      }) as GatewayPlugin,
    ];
    if (tracingEnabled()) plugins.push(useOpenTelemetry({ ...ctx, traces: true }) as GatewayPlugin);
    return plugins;
  }

  /** Reports how many distinct subscriptions execute upstream (SharedSubscriptions `size`) at each scrape. */
  observeSharedSubscriptions(shared: { readonly size: number }): void {
    new Gauge({
      name: SHARED_EXECUTIONS_METRIC,
      help: 'distinct subscriptions executing upstream, each shared by its identical subscribers',
      registers: [this.registry],
      collect() {
        this.set(shared.size);
      },
    });
  }

  /** Knowledge-graph entities answered from the gateway's cache and fetched (gateway/knowledge-cache.ts), read at each scrape. */
  observeKnowledgeCache(stats: { readonly hits: number; readonly misses: number }): void {
    new Gauge({
      name: KNOWLEDGE_CACHE_METRIC,
      help: "knowledge-graph entities since start, answered from the gateway's cache (result=hit) or fetched (result=miss)",
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        this.set({ result: 'hit' }, stats.hits);
        this.set({ result: 'miss' }, stats.misses);
      },
    });
  }

  /**
   * graphql-ws `onOperation` hook: counts each subscription stream from its first `next()` until it
   * ends, fails or is returned (client `complete`, socket closed, server shutdown). A wrapper
   * object rather than an async generator: a generator's `return()` waits for its pending `next()`,
   * so a quiet subscription could not be cancelled.
   */
  readonly trackSubscriptions = (_ctx: unknown, _id: unknown, _payload: unknown, _args: unknown, result: unknown): AsyncIterableIterator<ExecutionResult> | undefined => {
    if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return undefined;
    const source = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
    const gauge = this.activeSubscriptions;
    let state: 'idle' | 'open' | 'ended' = 'idle';
    const end = () => {
      if (state === 'open') gauge.dec();
      state = 'ended';
    };
    const settle = async (step: Promise<IteratorResult<ExecutionResult>>) => {
      try {
        const outcome = await step;
        if (outcome.done) end();
        return outcome;
      } catch (error) {
        end();
        throw error;
      }
    };
    const tracked: AsyncIterableIterator<ExecutionResult> = {
      next() {
        if (state === 'idle') {
          state = 'open';
          gauge.inc();
        }
        return settle(source.next());
      },
      return(value?: unknown) {
        end();
        return source.return ? source.return(value) : Promise.resolve({ value: undefined, done: true });
      },
      throw(error?: unknown) {
        end();
        return source.throw ? source.throw(error) : Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return tracked;
      },
    };
    return tracked;
  };

  /** The metrics in Prometheus text format (what `/metrics` answers). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
