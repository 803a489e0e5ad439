import type http from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type ProxyTracerProvider,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { disable as disableOpenTelemetry, openTelemetrySetup } from '@graphql-hive/plugin-opentelemetry/setup';
import { createLoggerFromLogging } from '@graphql-hive/gateway-runtime';
import type { GraphQLResolveInfo, ResponsePath } from 'graphql';
import type { Closeable } from './lifecycle';

/**
 * Distributed tracing across the gateway and the subgraphs (OpenTelemetry).
 *
 * Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the standard variable; the OTLP/HTTP exporter
 * also honours `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`, ...). Off means
 * nothing is registered: `@opentelemetry/api` hands out no-op tracers, the gateway adds no tracing
 * plugin and the subgraphs install no hooks, so a request pays nothing for it.
 *
 * On: one tracer provider per process (Hive's `openTelemetrySetup`: W3C Trace Context + Baggage
 * propagators, an AsyncLocalStorage context manager, batched OTLP export). The gateway's Hive
 * plugin injects `traceparent` into every subgraph request; each subgraph continues that trace
 * (`traceHttpRequest`), with a span per root field and per field it adds to an entity
 * (`isTracedField`), and carries it on to the subgraphs it calls itself (`withTraceHeaders`).
 */

/** The W3C Trace Context header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export const TRACEPARENT_HEADER = 'traceparent';

let enabled = false;

/** True once `setupTracing` registered a provider in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT; unset and no `exporter`: tracing stays off. */
  otlpEndpoint?: string;
  /** Export here instead of OTLP (tests: an InMemorySpanExporter), unbatched. */
  exporter?: SpanExporter;
  /** LOG_LEVEL: `silent` keeps the setup's one "integration is enabled" line out of the output. */
  logLevel?: string;
}

/**
 * Registers this process's tracer provider when tracing is configured; call before starting the
 * services. The returned Closeable flushes the spans still buffered and unregisters it.
 */
export function setupTracing(serviceName: string, options: TracingOptions): Closeable {
  const exporter = options.exporter ?? (options.otlpEndpoint ? new OTLPTraceExporter() : undefined);
  if (!exporter || enabled) return { close: async () => undefined };
  openTelemetrySetup({
    contextManager: new AsyncLocalStorageContextManager().enable(),
    resource: { serviceName },
    // A test's exporter sees each span as it ends; OTLP goes out in batches.
    traces: { exporter, batching: options.exporter === undefined },
    configureDiagLogger: false,
    log: createLoggerFromLogging(options.logLevel === 'silent' ? false : 'info'),
  });
  enabled = true;
  return {
    async close() {
      if (!enabled) return;
      enabled = false;
      const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as { shutdown?: () => Promise<void> };
      await provider.shutdown?.();
      disableOpenTelemetry();
    },
  };
}

export function serviceTracer(service: string) {
  return trace.getTracer(`precision-hub/${service}`);
}

type HeaderCarrier = http.IncomingHttpHeaders | { get(name: string): string | null | undefined; keys(): Iterable<string> };

const headerGetter: TextMapGetter<HeaderCarrier> = {
  get(carrier, key) {
    if (typeof carrier.get === 'function') return (carrier.get as (name: string) => string | null | undefined)(key) ?? undefined;
    return (carrier as http.IncomingHttpHeaders)[key];
  },
  keys(carrier) {
    return typeof carrier.keys === 'function' ? [...(carrier.keys as () => Iterable<string>)()] : Object.keys(carrier);
  },
};

/**
 * The caller's trace context from a request's headers. Always from the root context, never the
 * active one: in `npm start` and in tests every service shares one process, and a subgraph must
 * join the trace the header names, not whatever the process happened to be doing.
 */
export function incomingTraceContext(headers: HeaderCarrier): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * Starts a subgraph's server span for one HTTP request, continuing the caller's trace. Without a
 * `service` (the shared Apollo HTTP server does not know which subgraph it serves) the span is
 * named and attributed by `nameOperationSpan` once the operation is known.
 */
export function startRequestSpan(service: string | undefined, method: string, headers: HeaderCarrier): { span: Span; context: Context } {
  const parent = incomingTraceContext(headers);
  const span = serviceTracer(service ?? 'subgraph').startSpan(
    `${service ? `${service} ` : ''}${method} /graphql`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': '/graphql', ...(service ? { 'hub.service': service } : {}) } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Records the HTTP status on a request span and ends it. */
export function endRequestSpan(span: Span, statusCode: number): void {
  span.setAttribute('http.response.status_code', statusCode);
  if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Runs `handle` inside a server span continuing the caller's trace, so resolvers and the subgraph
 * calls they make (`withTraceHeaders`) belong to it. Tracing off: just `handle()`.
 */
export async function traceHttpRequest<T extends { status?: number }>(req: http.IncomingMessage, handle: () => Promise<T>): Promise<T> {
  if (!enabled) return handle();
  const { span, context: active } = startRequestSpan(undefined, req.method ?? 'GET', req.headers);
  try {
    const result = await context.with(active, handle);
    endRequestSpan(span, result.status ?? 200);
    return result;
  } catch (error) {
    span.recordException(error as Error);
    endRequestSpan(span, 500);
    throw error;
  }
}

/** Names the active request span after the GraphQL operation it runs (OTel GraphQL semantic conventions). */
export function nameOperationSpan(span: Span | undefined, service: string, operationType: string | undefined, operationName: string | null | undefined): void {
  if (!span) return;
  span.setAttribute('hub.service', service);
  if (operationType) span.setAttribute('graphql.operation.type', operationType);
  if (operationName) span.setAttribute('graphql.operation.name', operationName);
  span.updateName(`${service} ${operationType ?? 'graphql'}${operationName ? ` ${operationName}` : ''}`);
}

/**
 * The resolvers worth a span: root fields (queries, mutations, `_entities`) and the fields a
 * subgraph contributes to an entity the gateway asked for (`_entities.<i>.<field>`) — where a
 * subgraph spends its time in a federated query. Deeper fields would multiply spans per list item.
 */
export function isTracedField(info: Pick<GraphQLResolveInfo, 'path'>): boolean {
  const path: ResponsePath = info.path;
  if (!path.prev) return true;
  const index = path.prev;
  return typeof index.key === 'number' && index.prev?.key === '_entities' && index.prev.prev === undefined;
}

/** Starts a span for one resolver under `parent`; end it with `endFieldSpan`. */
export function startFieldSpan(service: string, info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName' | 'path'>, parent: Context): Span {
  return serviceTracer(service).startSpan(
    `${info.parentType.name}.${info.fieldName}`,
    { kind: SpanKind.INTERNAL, attributes: { 'graphql.field.name': info.fieldName, 'graphql.field.type': info.parentType.name, 'hub.service': service } },
    parent,
  );
}

export function endFieldSpan(span: Span, error?: unknown): void {
  if (error) {
    span.recordException(error instanceof Error ? error : new Error(String(error)));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Adds the active trace context (`traceparent`) to an outgoing request's headers; none when tracing is off. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (enabled) propagation.inject(context.active(), headers);
  return headers;
}
