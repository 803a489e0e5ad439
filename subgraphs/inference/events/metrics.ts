import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import { ErrorCode, HubError } from '../../../lib/errors';
import type { Logger } from '../../../lib/logger';
import type { Pool } from '../../../lib/postgres';
import { isOutboxSource, type OutboxSource } from '../../../lib/contracts/events';

/**
 * The outbox pipeline's metrics, in this inference replica's own registry (several replicas may run
 * in one process in tests). Counters count what this replica did; the gauges are read from the
 * database at each scrape, so every replica reports the same group-wide lag and backlog.
 *
 * - hub_events_lag{consumer,source}: events committed after the group's cursor (not yet taken)
 * - hub_events_lag_seconds{consumer,source}: age of the oldest of them (0 when none)
 * - hub_events_retry_pending{consumer,source}: failed events waiting for their next attempt
 * - hub_events_dead_letters{consumer,source}: events in the dead-letter table
 * - hub_events_handled_total{consumer,source}: events handled on their first attempt
 * - hub_events_retries_total{consumer,source}: failures that scheduled another attempt
 * - hub_events_retried_total{consumer,source,outcome}: retry attempts, succeeded or failed
 * - hub_events_dead_lettered_total{consumer,source}: events this replica moved to the dead letters
 * - hub_events_lease_lost_total{consumer,source}: batches whose lease another replica took over
 */
export const EVENT_METRICS = {
  lag: 'hub_events_lag',
  lagSeconds: 'hub_events_lag_seconds',
  retryPending: 'hub_events_retry_pending',
  deadLetters: 'hub_events_dead_letters',
  handled: 'hub_events_handled_total',
  retries: 'hub_events_retries_total',
  retried: 'hub_events_retried_total',
  deadLettered: 'hub_events_dead_lettered_total',
  leaseLost: 'hub_events_lease_lost_total',
} as const;

const lagOf = (source: OutboxSource) => `
  SELECT count(e.id)::int AS behind, coalesce(extract(epoch FROM now() - min(e.created_at)), 0)::float8 AS age
  FROM ${source} e
  LEFT JOIN inference.outbox_cursor c ON c.consumer = $1 AND c.source = $2
  WHERE (e.txid, e.id) > (coalesce(c.last_txid, '0'::xid8), coalesce(c.last_id, 0))`;
const BACKLOG = `
  SELECT g.consumer, g.source,
    (SELECT count(*)::int FROM inference.event_retries r WHERE r.consumer = g.consumer AND r.source = g.source) AS retry_pending,
    (SELECT count(*)::int FROM inference.event_dead_letters d WHERE d.consumer = g.consumer AND d.source = g.source) AS dead_letters
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS g(consumer, source, n) ORDER BY g.n`;

interface GroupBacklog {
  consumer: string;
  source: OutboxSource;
  behind: number;
  age: number;
  retryPending: number;
  deadLetters: number;
}
/** A scrape reads the database once for all four gauges. */
const SNAPSHOT_REUSE_MS = 500;

export class EventMetrics {
  readonly registry = new Registry();
  private readonly groups = new Map<string, { consumer: string; source: OutboxSource }>();
  private readonly handledCounter: Counter<'consumer' | 'source'>;
  private readonly retriesCounter: Counter<'consumer' | 'source'>;
  private readonly retriedCounter: Counter<'consumer' | 'source' | 'outcome'>;
  private readonly deadLetteredCounter: Counter<'consumer' | 'source'>;
  private readonly leaseLostCounter: Counter<'consumer' | 'source'>;
  private reading: { at: number; rows: Promise<GroupBacklog[]> } | undefined;

  constructor(private readonly pool: Pool) {
    const registers = [this.registry];
    const labelNames = ['consumer', 'source'] as const;
    this.handledCounter = new Counter({ name: EVENT_METRICS.handled, help: 'Outbox events handled on their first attempt', labelNames, registers });
    this.retriesCounter = new Counter({ name: EVENT_METRICS.retries, help: 'Event handling failures that scheduled another attempt', labelNames, registers });
    this.retriedCounter = new Counter({ name: EVENT_METRICS.retried, help: 'Retry attempts of failed events, by outcome', labelNames: [...labelNames, 'outcome'], registers });
    this.deadLetteredCounter = new Counter({ name: EVENT_METRICS.deadLettered, help: 'Events moved to the dead-letter table', labelNames, registers });
    this.leaseLostCounter = new Counter({ name: EVENT_METRICS.leaseLost, help: 'Batches whose lease another replica took over before they were committed', labelNames, registers });
    // The four gauges are read together at each scrape (one read shared by their collects).
    const gauge = (name: string, help: string, field: 'behind' | 'age' | 'retryPending' | 'deadLetters') =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect: async function (this: Gauge<'consumer' | 'source'>) {
          this.reset();
          for (const row of await backlog()) this.set({ consumer: row.consumer, source: row.source }, row[field]);
        },
      });
    const backlog = () => {
      if (!this.reading || Date.now() - this.reading.at > SNAPSHOT_REUSE_MS) this.reading = { at: Date.now(), rows: this.readBacklog() };
      return this.reading.rows;
    };
    gauge(EVENT_METRICS.lag, 'Outbox events committed after the consumer group cursor', 'behind');
    gauge(EVENT_METRICS.lagSeconds, 'Age in seconds of the oldest outbox event after the consumer group cursor', 'age');
    gauge(EVENT_METRICS.retryPending, 'Failed events waiting for their next attempt', 'retryPending');
    gauge(EVENT_METRICS.deadLetters, 'Events in the dead-letter table', 'deadLetters');
  }

  private async readBacklog(): Promise<GroupBacklog[]> {
    const all = [...this.groups.values()];
    if (!all.length) return [];
    const lags = await Promise.all(all.map(({ consumer, source }) => this.pool.query<{ behind: number; age: number }>(lagOf(source), [consumer, source])));
    const { rows } = await this.pool.query<{ consumer: string; source: OutboxSource; retry_pending: number; dead_letters: number }>(BACKLOG, [
      all.map((g) => g.consumer),
      all.map((g) => g.source),
    ]);
    return rows.map((row, i) => ({
      consumer: row.consumer,
      source: row.source,
      behind: lags[i]?.rows[0]?.behind ?? 0,
      age: lags[i]?.rows[0]?.age ?? 0,
      retryPending: row.retry_pending,
      deadLetters: row.dead_letters,
    }));
  }

  /** A consumer group whose lag and backlog are reported. */
  watch(consumer: string, source: OutboxSource): void {
    if (!isOutboxSource(source)) throw new Error(`unknown outbox ${String(source)}`);
    this.groups.set(`${consumer}\u0000${source}`, { consumer, source });
  }

  handled(consumer: string, source: OutboxSource, n: number): void {
    if (n > 0) this.handledCounter.inc({ consumer, source }, n);
  }

  retryScheduled(consumer: string, source: OutboxSource): void {
    this.retriesCounter.inc({ consumer, source });
  }

  retried(consumer: string, source: OutboxSource, outcome: 'succeeded' | 'failed', n: number): void {
    if (n > 0) this.retriedCounter.inc({ consumer, source, outcome }, n);
  }

  deadLettered(consumer: string, source: OutboxSource): void {
    this.deadLetteredCounter.inc({ consumer, source });
  }

  leaseLost(consumer: string, source: OutboxSource): void {
    this.leaseLostCounter.inc({ consumer, source });
  }

  /** Prometheus text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export const METRICS_PATH = '/metrics';
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * `GET /metrics` on this subgraph, guarded as the gateway guards its own (gateway/metrics-endpoint.ts):
 * a shared bearer secret (METRICS_TOKEN) compared in constant time; without one the path is refused
 * (403), so the lag and dead-letter counts, which name consumer groups, are for operators only.
 */
export function serveMetrics(app: FastifyInstance, { token, metrics, log }: { token: string | undefined; metrics: EventMetrics; log: Logger }): void {
  const expected = token === undefined ? undefined : digest(token);
  app.route({
    method: ['GET', 'HEAD'],
    url: METRICS_PATH,
    handler: async (request, reply) => {
      const refuse = (status: number, error: HubError) => {
        log.warn({ code: error.code, path: METRICS_PATH }, 'metrics request refused');
        const { message, extensions } = error.toGraphQLError();
        if (status === 401) reply.header('www-authenticate', 'Bearer realm="metrics"');
        return reply.code(status).type('application/json; charset=utf-8').send({ errors: [{ message, extensions }] });
      };
      if (!expected) return refuse(403, new HubError(ErrorCode.FORBIDDEN, `${METRICS_PATH} is off: set METRICS_TOKEN to serve it`));
      const presented = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!presented || !timingSafeEqual(digest(presented), expected)) {
        return refuse(401, new HubError(ErrorCode.UNAUTHENTICATED, `${METRICS_PATH} needs "Authorization: Bearer <METRICS_TOKEN>"`));
      }
      try {
        const text = await metrics.metrics();
        return reply.code(200).type(metrics.contentType).send(request.method === 'HEAD' ? undefined : text);
      } catch (error) {
        log.error({ err: error }, 'metrics could not be collected');
        return reply.code(500).type('text/plain; charset=utf-8').send('metrics could not be collected');
      }
    },
  });
}
