import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Pool } from '../../../lib/postgres';
import type { Logger } from '../../../lib/logger';
import { decodeEvent, EventContractError, isOutboxSource, OUTBOXES, type EventTopic, type OutboxSource, type TypedEvent } from '../../../lib/contracts/events';
import { FailureStore, type ClaimedRetry, type FailureOutcome, type StoredEvent } from './failure-store';
import { retryPolicy, type RetryPolicy } from './retry-policy';
import type { EventMetrics } from './metrics';

export { OUTBOX_SOURCES, type OutboxSource } from '../../../lib/contracts/events';

/** An outbox event that satisfies its contract (lib/contracts/events.ts): the topic narrows the payload. */
export type OutboxEvent = TypedEvent & {
  id: string;
  txid: string;
  patientId: string;
  createdAt: Date;
  source: OutboxSource;
};

export interface OutboxConsumerOptions {
  databaseUrl: string;
  pool: Pool;
  /** Consumer group: replicas with the same name share one cursor. */
  consumer: string;
  /** The outbox table, schema-qualified. */
  source: OutboxSource;
  /** The NOTIFY channel; default the outbox's own (lib/contracts/events.ts). */
  channel?: string;
  /**
   * Handles events that satisfy their contract. Throwing fails them all; the consumer then hands the
   * patients of the batch over one by one, so only the failing patient's events are retried. A
   * handler should therefore do its reads before its side effects (publications), so that a batch
   * that fails has published nothing and no patient hears twice. `signal` aborts when the consumer
   * stops: long work (notes NLP) should give up then; the batch is handed over again, not failed.
   */
  handle: (events: OutboxEvent[], signal: AbortSignal) => Promise<void>;
  log: Logger;
  batchSize?: number;
  /** Safety net for a missed NOTIFY (e.g. during a reconnect), and how soon a lapsed lease is noticed. */
  pollIntervalMs?: number;
  /**
   * The topics whose notification wakes this consumer at once (default: every notification). Others
   * are taken by the next poll, in order and none skipped: a consumer that acts on a few topics (notes
   * NLP acts on bundles only) then claims once per poll instead of once per event on a busy outbox.
   * A notification that names no topic (a dead letter's replay) always wakes.
   */
  wakeOn?: ReadonlySet<EventTopic>;
  /**
   * Where a group with no cursor yet starts: `beginning` (default: every event ever written, nothing
   * lost) or `end` (only events committed from now on — for short-lived groups such as a test's).
   */
  startAt?: 'beginning' | 'end';
  /** Bounded retries with back-off before an event is dead-lettered (events/retry-policy.ts). */
  retry?: Partial<RetryPolicy>;
  /** How long a claim on a batch (or on due retries) lasts without renewal; default 30 s. */
  leaseMs?: number;
  /** Patients handled at once when a failed batch is split; default 4. */
  isolationConcurrency?: number;
  metrics?: EventMetrics;
}

/**
 * Thrown by a handler that finished for every patient but these: the consumer retries only their
 * events and does not hand the others over again (they were handled, and may have been published).
 */
export class PatientHandlingFailures extends Error {
  override name = 'PatientHandlingFailures';
  constructor(readonly failed: ReadonlyMap<string, unknown>) {
    super(`handling failed for ${failed.size} patient(s): ${[...new Set([...failed.values()].map((e) => (e as Error)?.message))].join('; ').slice(0, 500)}`);
  }
}

/** A handler gave up because the consumer is stopping: its batch is neither done nor failed. */
class HandlingStopped extends Error {
  override name = 'HandlingStopped';
}

/** One event's failure: `permanent` when it breaks its contract, which no retry can change. */
interface Failure {
  event: StoredEvent;
  error: unknown;
  permanent: boolean;
}

/*
 * The protocol (issue 16: no transaction held across HTTP calls; one poison event stops nothing).
 *
 * Gap-free reading: outbox ids are handed out before commit, so a later id can commit first. Rows
 * are therefore read in (txid, id) order and only from transactions older than every transaction
 * still running (txid < xmin of the current snapshot): nothing can later appear behind the cursor.
 *
 * 1. Claim, in two statements and no transaction: (a) read the cursor row and its lease and, unless
 *    another replica's lease is live (the batch is being handled: claim nothing), up to `batchSize`
 *    events after the cursor; (b) write a new lease (random token, owner, expiry = now + leaseMs) as
 *    a compare-and-set: only where the cursor is still where (a) read it and no other replica's lease
 *    is live (ON CONFLICT DO UPDATE … WHERE locks the row and tests its newest version). Of two
 *    replicas that read the same batch, one writes its lease and the other claims nothing; a holder
 *    whose lease lapsed can still finish its batch between (a) and (b), and the moved cursor makes
 *    (b) fail (before this check the replica test once counted 204 handlings of 201 events, no lease
 *    lost). Two round trips, not six, and no xid is taken before the reads, so no one's xmin is held.
 * 2. Handle, outside any transaction. A heartbeat renews the lease every leaseMs/3, so a slow but
 *    live replica keeps it and a crashed one's lapses after leaseMs (another replica's poll then
 *    claims the same batch: at-least-once). Events that break their contract are not handed over;
 *    if the batch fails, its patients are handled one by one and only the failing ones' events fail.
 * 3. Commit (short transaction T2; one statement when nothing failed): move the cursor to the
 *    batch's last event and clear the lease only where the token is still ours (a replica that lost
 *    its lease to another moves nothing; the other handles the batch again), and in the same
 *    transaction write each failed event to the retry table (or, if it broke its contract, to the
 *    dead letters). The cursor never waits for a failing event.
 * Retries: due rows are claimed in one statement (FOR UPDATE SKIP LOCKED, token, next_attempt_at
 *    pushed out by the lease), handled outside any transaction with the same per-patient isolation,
 *    and finished in a short transaction that checks the token: success deletes the row (and, for a
 *    replayed dead letter, the dead letter, with a replay record); failure reschedules it with a
 *    doubled delay until the attempts are spent, then moves it to the dead-letter table.
 * Handlers must be idempotent (publishing a freshly computed risk is): a lapsed lease or a crash
 * between handling and T2 hands the same events over again.
 */
// The table name comes from lib/contracts/events.ts OUTBOXES only (checked in the constructor), never from input.
// One row per event, or one row of nulls when there is none or another replica's lease is live ($3 is this replica).
const readBatch = (source: OutboxSource) => `
  WITH cursor AS (
    SELECT last_txid, last_id, lease_owner, lease_expires_at > now() AS lease_live
    FROM inference.outbox_cursor WHERE consumer = $1 AND source = $2),
  at AS (
    SELECT coalesce((SELECT last_txid FROM cursor), '0'::xid8) AS last_txid, coalesce((SELECT last_id FROM cursor), 0::bigint) AS last_id,
           coalesce((SELECT lease_live AND lease_owner IS DISTINCT FROM $3 FROM cursor), false) AS held)
  SELECT at.last_txid::text AS last_txid, at.last_id::text AS last_id, at.held,
         e.id::text AS id, e.txid::text AS txid, e.topic, e.patient_id::text AS patient_id, e.payload, e.created_at
  FROM at LEFT JOIN LATERAL (
    SELECT id, txid, topic, patient_id, payload, created_at FROM ${source}
    WHERE NOT at.held AND (txid, id) > (at.last_txid, at.last_id) AND txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY txid, id LIMIT $4) e ON true
  ORDER BY e.txid, e.id`;
const TAKE_LEASE = `
  INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id, lease_token, lease_owner, lease_expires_at)
  VALUES ($1, $2, $3::xid8, $4::bigint, $5, $6, now() + $7 * interval '1 millisecond')
  ON CONFLICT (consumer, source) DO UPDATE SET lease_token = EXCLUDED.lease_token, lease_owner = EXCLUDED.lease_owner,
    lease_expires_at = EXCLUDED.lease_expires_at
  WHERE outbox_cursor.last_txid = EXCLUDED.last_txid AND outbox_cursor.last_id = EXCLUDED.last_id
    AND (outbox_cursor.lease_expires_at IS NULL OR outbox_cursor.lease_expires_at <= now() OR outbox_cursor.lease_owner = EXCLUDED.lease_owner)`;
const RENEW_LEASE = `
  UPDATE inference.outbox_cursor SET lease_expires_at = now() + $4 * interval '1 millisecond'
  WHERE consumer = $1 AND source = $2 AND lease_token = $3`;
const RELEASE_LEASE = `
  UPDATE inference.outbox_cursor SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
  WHERE consumer = $1 AND source = $2 AND lease_token = $3`;
const ADVANCE_CURSOR = `
  UPDATE inference.outbox_cursor SET last_txid = $3::xid8, last_id = $4::bigint, lease_token = NULL, lease_owner = NULL,
    lease_expires_at = NULL, updated_at = now()
  WHERE consumer = $1 AND source = $2 AND lease_token = $5`;

const DEFAULT_LEASE_MS = 30_000;

/** Runs a step again and again while it finds work; one run at a time, no wake-up lost. */
class SerialLane {
  private running: Promise<void> | undefined;
  private again = false;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly step: () => Promise<number>,
    private readonly onError: (error: unknown, failures: number) => void,
  ) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && (await this.step()) > 0);
      this.failures = 0;
    } catch (error) {
      // The database itself failing (not a handler): try the whole step again later.
      this.failures += 1;
      this.onError(error, this.failures);
      const delay = Math.min(30_000, 200 * 2 ** Math.min(this.failures, 8));
      if (!this.stopped) setTimeout(() => this.wake(), delay).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }
}

/**
 * Reads an outbox table from a cursor shared by the replicas of a consumer group, woken by
 * LISTEN/NOTIFY, under the lease protocol above: at-least-once, one replica at a time per group, and
 * a failing event retried and dead-lettered on its own while the cursor moves on.
 */
export class OutboxConsumer {
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Aborted by stop(): a handler under way gives up, and its batch is left for the next holder. */
  private readonly stopping = new AbortController();

  /** This replica's name in leases (host, process and a random part: two consumers never share one). */
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly readBatch: string;
  private readonly startAtEnd: string;
  private readonly channel: string;
  private readonly leaseMs: number;
  private readonly failureStore: FailureStore;
  private readonly main: SerialLane;
  private readonly retries: SerialLane;

  constructor(private readonly opts: OutboxConsumerOptions) {
    if (!isOutboxSource(opts.source)) throw new Error(`unknown outbox ${String(opts.source)}`);
    this.readBatch = readBatch(opts.source);
    this.channel = opts.channel ?? OUTBOXES[opts.source].channel;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.failureStore = new FailureStore(opts.consumer, opts.source, retryPolicy(opts.retry));
    // The newest row no running transaction can still precede (same horizon as the reads).
    this.startAtEnd = `
      INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id)
      SELECT $1, $2, coalesce(max(txid), '0'::xid8), coalesce((array_agg(id ORDER BY txid DESC, id DESC))[1], 0)
      FROM ${opts.source} WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
      ON CONFLICT (consumer, source) DO NOTHING`;
    const failed = (lane: string) => (error: unknown, failures: number) =>
      this.opts.log.error({ err: error, failures, consumer: opts.consumer, source: opts.source, lane }, 'outbox pipeline step failed; it will be tried again');
    this.main = new SerialLane(() => this.drainBatch(), failed('outbox'));
    this.retries = new SerialLane(() => this.retryDue(), failed('retries'));
    opts.metrics?.watch(opts.consumer, opts.source);
  }

  async start(): Promise<void> {
    if (this.opts.startAt === 'end') {
      await this.opts.pool.query(this.startAtEnd, [this.opts.consumer, this.opts.source]);
    }
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.opts.pollIntervalMs ?? 1000);
    this.timer.unref();
    this.wake();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.databaseUrl });
    const topics = new Set<string>(Object.values(OUTBOXES).flatMap((o) => o.topics));
    const { wakeOn } = this.opts;
    client.on('notification', ({ payload }) => {
      if (!wakeOn || !payload || !topics.has(payload) || wakeOn.has(payload as EventTopic)) this.wake();
    });
    client.on('error', (error) => {
      this.opts.log.warn({ err: error }, 'outbox listener lost its connection; reconnecting');
      this.listener = undefined;
      client.end().catch(() => undefined);
      this.relisten(0);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Anything committed while we were not listening is found by this drain.
    this.wake();
  }

  /**
   * Listens again after a lost connection, with back-off (0.5 s doubling to 30 s) until it succeeds or
   * the consumer stops; meanwhile the poll timer keeps events flowing, only later.
   */
  private relisten(attempt: number): void {
    if (this.stopped) return;
    const delay = Math.min(30_000, 500 * 2 ** attempt);
    setTimeout(() => {
      if (this.stopped) return;
      this.listen().catch((error: unknown) => {
        this.opts.log.warn({ err: error, attempt: attempt + 1 }, 'outbox listener could not reconnect; trying again');
        this.relisten(attempt + 1);
      });
    }, delay).unref();
  }

  /** Drains the outbox and the due retries now, or once more after the running drains. */
  wake(): void {
    if (this.stopped) return;
    this.main.wake();
    this.retries.wake();
  }

  private wakeRetriesIn(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retries.wake();
    }, ms + 10);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** Renews a claim every leaseMs/3 until the returned function is called. */
  private heartbeat(renew: () => Promise<boolean>, what: string): () => void {
    const timer = setInterval(() => {
      renew().then(
        (held) => {
          if (!held) this.opts.log.warn({ consumer: this.opts.consumer, source: this.opts.source }, `${what} lapsed while its events were handled`);
        },
        (error: unknown) => this.opts.log.warn({ err: error }, `${what} could not be renewed`),
      );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Step 1: claims the next batch under a lease; undefined when there is none or another replica holds
   * it, 'moved' when the cursor moved or another replica claimed between the read and the lease.
   */
  private async claimBatch(): Promise<{ token: string; rows: StoredEvent[] } | 'moved' | undefined> {
    const { pool, consumer, source } = this.opts;
    const { rows } = await pool.query<{
      last_txid: string;
      last_id: string;
      held: boolean;
      id: string | null;
      txid: string;
      topic: string;
      patient_id: string;
      payload: unknown;
      created_at: Date;
    }>(this.readBatch, [consumer, source, this.owner, this.opts.batchSize ?? 200]);
    // Our own live lease is one a failed step 3 left behind: this replica handles nothing else of the group.
    const at = rows[0];
    if (!at || at.held || at.id === null) return undefined;
    const token = randomUUID();
    const taken = await pool.query(TAKE_LEASE, [consumer, source, at.last_txid, at.last_id, token, this.owner, this.leaseMs]);
    if (!taken.rowCount) return 'moved';
    return { token, rows: rows.map((r) => ({ id: r.id!, txid: r.txid, topic: r.topic, patientId: r.patient_id, payload: r.payload, createdAt: r.created_at })) };
  }

  /**
   * Claims, handles and commits one batch (steps 1–3). Returns how many events it took off the
   * outbox, failed ones included: 0 when there were none, or another replica holds the lease.
   */
  async drainBatch(): Promise<number> {
    const { pool, consumer, source, log, metrics } = this.opts;
    let claim = await this.claimBatch();
    // At most once more: the next read sees who claimed, or where the cursor moved.
    if (claim === 'moved') claim = await this.claimBatch();
    if (!claim || claim === 'moved') return 0;
    const stopHeartbeat = this.heartbeat(async () => ((await pool.query(RENEW_LEASE, [consumer, source, claim.token, this.leaseMs])).rowCount ?? 0) > 0, 'outbox lease');
    let failures: Failure[];
    try {
      failures = await this.handleIsolated(claim.rows);
    } catch (error) {
      if (!(error instanceof HandlingStopped)) throw error;
      // Stopped part-way: nothing is recorded as failed and the cursor stays; the lease is given up so
      // that another replica (or this one's next start) handles the batch again at once (handlers are
      // idempotent). A replica going down does not wait for a long batch (issue 20: graceful shutdown).
      await pool.query(RELEASE_LEASE, [consumer, source, claim.token]).catch(() => undefined);
      log.info({ consumer, source, events: claim.rows.length }, 'consumer stopped while handling a batch; the batch is handed over again');
      return 0;
    } finally {
      stopHeartbeat();
    }
    const last = claim.rows.at(-1)!;
    const outcomes: { failure: Failure; outcome: FailureOutcome }[] = [];
    if (!failures.length) {
      // Nothing to record: moving the cursor is one statement, its own transaction (one round trip, not three).
      const moved = await pool.query(ADVANCE_CURSOR, [consumer, source, last.txid, last.id, claim.token]);
      if (!moved.rowCount) return this.leaseLost(claim.rows.length);
      metrics?.handled(consumer, source, claim.rows.length);
      return claim.rows.length;
    }
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const moved = await client.query(ADVANCE_CURSOR, [consumer, source, last.txid, last.id, claim.token]);
      if (!moved.rowCount) {
        await client.query('ROLLBACK');
        return this.leaseLost(claim.rows.length);
      }
      for (const failure of failures) {
        outcomes.push({ failure, outcome: await this.failureStore.recordFirstFailure(client, failure.event, failure.error, failure.permanent) });
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    metrics?.handled(consumer, source, claim.rows.length - failures.length);
    this.reportFailures(outcomes, 1);
    return claim.rows.length;
  }

  private leaseLost(events: number): 0 {
    const { consumer, source, log, metrics } = this.opts;
    metrics?.leaseLost(consumer, source);
    log.warn({ consumer, source, events }, 'outbox lease was taken over while its batch was handled; the new holder handles the batch again');
    return 0;
  }

  /** One round of due retries: claimed, handled with the same isolation, finished under the claim. */
  async retryDue(): Promise<number> {
    const { pool, consumer, source, metrics } = this.opts;
    const token = randomUUID();
    const claimed = await this.failureStore.claimDue(pool, token, this.leaseMs, this.opts.batchSize ?? 200);
    if (!claimed.length) return 0;
    const stopHeartbeat = this.heartbeat(() => this.failureStore.extendClaim(pool, token, this.leaseMs), 'retry claim');
    let failures: Failure[];
    try {
      failures = await this.handleIsolated(claimed);
    } catch (error) {
      // Stopped part-way: the claim lapses after leaseMs and the retries are tried again then, unchanged.
      if (error instanceof HandlingStopped) return 0;
      throw error;
    } finally {
      stopHeartbeat();
    }
    const failed = new Map(failures.map((f) => [f.event.id, f]));
    const outcomes: { failure: Failure; outcome: FailureOutcome; attempts: number }[] = [];
    let succeeded = 0;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const retry of claimed) {
        const failure = failed.get(retry.id);
        if (!failure) {
          if (await this.failureStore.succeeded(client, retry, token)) succeeded += 1;
          continue;
        }
        const outcome = await this.failureStore.failedAgain(client, retry, token, failure.error, failure.permanent);
        if (outcome) outcomes.push({ failure, outcome, attempts: retry.attempts + 1 });
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    metrics?.retried(consumer, source, 'succeeded', succeeded);
    metrics?.retried(consumer, source, 'failed', outcomes.length);
    for (const retry of claimed) {
      if (retry.deadLetterId && !failed.has(retry.id)) {
        this.opts.log.info({ consumer, source, eventId: retry.id, topic: retry.topic, deadLetterId: retry.deadLetterId, replayedBy: retry.replayRequestedBy }, 'dead letter replayed');
      }
    }
    for (const { failure, outcome, attempts } of outcomes) this.reportFailures([{ failure, outcome }], attempts);
    return claimed.length;
  }

  private reportFailures(outcomes: { failure: Failure; outcome: FailureOutcome }[], attempts: number): void {
    const { consumer, source, log, metrics } = this.opts;
    for (const { failure, outcome } of outcomes) {
      const about = { consumer, source, eventId: failure.event.id, topic: failure.event.topic, attempts, reason: (failure.error as Error)?.message };
      if (outcome.retryInMs === null) {
        metrics?.deadLettered(consumer, source);
        log.error(about, 'event dead-lettered: its handling failed and will not be tried again until an admin replays it');
      } else {
        metrics?.retryScheduled(consumer, source);
        log.warn({ ...about, retryInMs: outcome.retryInMs }, 'event handling failed; it will be tried again');
        this.wakeRetriesIn(outcome.retryInMs);
      }
    }
  }

  /**
   * Hands the events that satisfy their contract to the handler, as one batch; when that fails, the
   * patients' events one patient at a time, so a poison event fails only its own patient's.
   */
  private async handleIsolated(rows: readonly (StoredEvent | ClaimedRetry)[]): Promise<Failure[]> {
    const failures: Failure[] = [];
    const events: OutboxEvent[] = [];
    const rowOf = new Map<string, StoredEvent>();
    for (const row of rows) {
      try {
        const typed = decodeEvent(this.opts.source, row.id, row.topic, row.payload);
        events.push({ ...typed, id: row.id, txid: row.txid, patientId: row.patientId, createdAt: row.createdAt, source: this.opts.source } as OutboxEvent);
        rowOf.set(row.id, row);
      } catch (error) {
        if (!(error instanceof EventContractError)) throw error;
        failures.push({ event: row, error, permanent: true });
      }
    }
    if (!events.length) return failures;
    const failAll = (group: OutboxEvent[], error: unknown) => {
      // A handler naming the patients it failed for fails their events only, each with its own error.
      for (const event of group) {
        if (error instanceof PatientHandlingFailures && !error.failed.has(event.patientId)) continue;
        const cause = error instanceof PatientHandlingFailures ? error.failed.get(event.patientId) : error;
        failures.push({ event: rowOf.get(event.id)!, error: cause, permanent: false });
      }
    };
    const signal = this.stopping.signal;
    try {
      await this.opts.handle(events, signal);
      return failures;
    } catch (batchError) {
      // Stopping, not failing: the batch is handed over again (drainBatch).
      if (signal.aborted) throw new HandlingStopped();
      const byPatient = new Map<string, OutboxEvent[]>();
      for (const event of events) byPatient.set(event.patientId, [...(byPatient.get(event.patientId) ?? []), event]);
      if (byPatient.size === 1 || batchError instanceof PatientHandlingFailures) {
        failAll(events, batchError);
        return failures;
      }
      this.opts.log.warn(
        { err: batchError, consumer: this.opts.consumer, source: this.opts.source, events: events.length, patients: byPatient.size },
        'event batch failed; handling its patients one by one',
      );
      const groups = [...byPatient.values()];
      const worker = async () => {
        for (let group = groups.shift(); group && !signal.aborted; group = groups.shift()) {
          try {
            await this.opts.handle(group, signal);
          } catch (error) {
            failAll(group, error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(groups.length, this.opts.isolationConcurrency ?? 4) }, worker));
      // Some patients not handled, or failed by the stop itself: the whole batch is handed over again.
      if (signal.aborted) throw new HandlingStopped();
      return failures;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    await Promise.all([this.main.stop(), this.retries.stop()]);
    await this.listener?.end().catch(() => undefined);
  }
}
