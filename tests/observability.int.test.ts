import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { setupTracing } from '../lib/tracing';
import type { Closeable } from '../lib/lifecycle';
import { ACTIVE_SUBSCRIPTIONS_METRIC, SHARED_EXECUTIONS_METRIC } from '../gateway/observability';
import { testConfig, testNeo4j } from './support/config';
import { bearer } from './support/auth';
import { collect, gql, settle, wsClient } from './support/graphql';

const log = createLogger('test', 'silent');

const CREATE_PATIENT = `
  mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`;
/** Patient (the patient), genomics (its variants) and inference (its risk, which reads the patient subgraph itself). */
const TRACED_QUERY = `
  query TracedPatient($id: ID!) { patient(id: $id) { name variants { id } risk { cardiovascular { pce10y missing } } } }`;

const scope = (span: ReadableSpan) => span.instrumentationScope.name;
const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const service = (span: ReadableSpan) => span.attributes['hub.service'];

/** The scraper's secret: `/metrics` answers only with it (gateway/metrics-endpoint.ts). */
const METRICS_TOKEN = 'observability-test-metrics-token';

async function metricsOf(gatewayUrl: string): Promise<string> {
  const response = await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one sample, e.g. `graphql_envelop_request{operationName="X",...}`; labels in any order. */
function sample(metrics: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

describe('observability of the hub', () => {
  let hub: Hub;
  let tracing: Closeable;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    // Registered before the services start: they install their tracing hooks only when it is on.
    tracing = setupTracing('precision-hub-test', { exporter, logLevel: 'silent' });
    hub = await startHub(testConfig({ gatewayEdges: { corsOrigins: [], metricsToken: METRICS_TOKEN } }), testNeo4j(), log);
  });

  afterAll(async () => {
    await hub?.close();
    await tracing?.close();
  });

  async function createPatient(): Promise<string> {
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, CREATE_PATIENT, {
      input: { name: 'Ada Lovelace', birthDate: '1965-12-10', sex: 'FEMALE', race: 'WHITE', identifiers: [{ system: 'urn:test:observability', value: `MRN-${Date.now()}-${Math.random()}` }] },
    });
    expect(created.errors).toBeUndefined();
    return created.data!.createPatient.id;
  }

  it('traces one federated query through the gateway and three subgraphs as one trace with correct parent links', async () => {
    const id = await createPatient();
    exporter.reset();
    const response = await gql(hub.gateway.url, TRACED_QUERY, { id });
    expect(response.errors).toBeUndefined();

    // The gateway's spans end as its response is written; wait for its operation span.
    let operation: ReadableSpan | undefined;
    for (let i = 0; i < 50 && !operation; i += 1) {
      operation = exporter.getFinishedSpans().find((s) => scope(s) === 'gateway' && s.attributes['graphql.operation.name'] === 'TracedPatient');
      if (!operation) await settle(50);
    }
    expect(operation).toBeDefined();
    await settle(100);
    const { traceId } = operation!.spanContext();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    // One root: the gateway's HTTP request span; every other span's parent is in the same trace.
    const roots = spans.filter((s) => !parentId(s));
    expect(roots.map(scope)).toEqual(['gateway']);
    for (const span of spans.filter((s) => parentId(s))) expect(byId.has(parentId(span)!)).toBe(true);

    // Each subgraph's server span continues the gateway's trace from the gateway's subgraph fetch.
    const serverSpans = spans.filter((s) => scope(s).startsWith('precision-hub/') && s.attributes['url.path'] === '/graphql');
    const calledFromGateway = serverSpans.filter((s) => scope(byId.get(parentId(s)!)!) === 'gateway');
    expect(new Set(calledFromGateway.map(service))).toEqual(new Set(['patient', 'genomics', 'inference']));

    // Resolver spans sit under their own subgraph's server span.
    const riskField = spans.find((s) => s.name === 'Patient.risk' && service(s) === 'inference');
    expect(riskField).toBeDefined();
    expect(service(byId.get(parentId(riskField!)!)!)).toBe('inference');
    // `_entities` on genomics and inference (from the gateway) and on patient (from inference).
    const entities = spans.filter((s) => s.name === 'Query._entities');
    expect(new Set(entities.map(service))).toEqual(new Set(['patient', 'genomics', 'inference']));
    for (const span of entities) expect(service(byId.get(parentId(span)!)!)).toBe(service(span));

    // Inference reads the patient subgraph itself: that call carries the trace on from the risk resolver.
    const nested = serverSpans.filter((s) => service(s) === 'patient' && byId.get(parentId(s)!) && scope(byId.get(parentId(s)!)!) !== 'gateway');
    expect(nested.length).toBeGreaterThan(0);
    for (const span of nested) {
      let ancestor = byId.get(parentId(span)!);
      while (ancestor && ancestor !== riskField && parentId(ancestor)) ancestor = byId.get(parentId(ancestor)!);
      expect(ancestor).toBe(riskField);
    }
  });

  it('counts requests and errors per operation and client, and open subscriptions, at /metrics', async () => {
    // The client label is the authenticated application (the token's azp), never a header a caller may set.
    const client = { ...(await bearer({ azp: 'metrics-test' })), 'x-client-name': 'spoofed' };
    const before = await metricsOf(hub.gateway.url);
    expect(sample(before, 'graphql_envelop_request', { operationName: 'MetricsProbe', client: 'metrics-test' })).toBeUndefined();

    expect(await gql(hub.gateway.url, 'query MetricsProbe { __typename }', {}, client)).toEqual({ data: { __typename: 'Query' } });
    expect(await gql(hub.gateway.url, 'query MetricsProbe { __typename }', {}, await bearer({ azp: 'portal' }))).toEqual({
      data: { __typename: 'Query' },
    });
    const broken = await gql(hub.gateway.url, 'query BrokenProbe { noSuchField }', {}, client);
    expect(broken.errors?.[0]?.message).toContain('noSuchField');

    const after = await metricsOf(hub.gateway.url);
    expect(sample(after, 'graphql_envelop_request', { operationName: 'MetricsProbe', operationType: 'query', client: 'metrics-test' })).toBe(1);
    expect(sample(after, 'graphql_envelop_request', { operationName: 'MetricsProbe', client: 'portal' })).toBe(1);
    expect(sample(after, 'graphql_envelop_request_duration_count', { operationName: 'MetricsProbe', client: 'metrics-test' })).toBe(1);
    expect(sample(after, 'graphql_envelop_error_result', { operationName: 'BrokenProbe', client: 'metrics-test', phase: 'validate' })).toBe(1);
    expect(sample(after, 'graphql_envelop_request', { operationName: 'MetricsProbe', client: 'spoofed' })).toBeUndefined();
    // The traced query above went with the tests' default token (azp precision-hub-tests).
    expect(sample(after, 'graphql_envelop_request', { operationName: 'TracedPatient', client: 'precision-hub-tests' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, ACTIVE_SUBSCRIPTIONS_METRIC)).toBe(0);

    const ws = wsClient(hub.gateway.url);
    const subscriptions = [1, 2].map(() => collect(ws, 'subscription { cohortRiskUpdated(filter: { minAge: 50 }) { ageBand } }', {}));
    try {
      await settle(500);
      const open = await metricsOf(hub.gateway.url);
      expect(sample(open, ACTIVE_SUBSCRIPTIONS_METRIC)).toBe(2);
      // Two identical subscriptions from one caller share one upstream execution.
      expect(sample(open, SHARED_EXECUTIONS_METRIC)).toBe(1);
    } finally {
      for (const subscription of subscriptions) subscription.dispose();
      await settle(300);
    }
    const closed = await metricsOf(hub.gateway.url);
    expect(sample(closed, ACTIVE_SUBSCRIPTIONS_METRIC)).toBe(0);
    expect(sample(closed, SHARED_EXECUTIONS_METRIC)).toBe(0);
    await ws.dispose();
  });
});
