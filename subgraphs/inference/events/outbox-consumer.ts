import pg from 'pg';
import type { Pool } from '../../../lib/postgres';
import type { Logger } from '../../../lib/logger';

export interface OutboxEvent {
  id: string;
  txid: string;
  topic: string;
  patientId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The outbox tables services write (same shape: id, txid, topic, patient_id, payload, created_at). */
export const OUTBOX_SOURCES = ['patient.outbox', 'genomics.outbox'] as const;
export type OutboxSource = (typeof OUTBOX_SOURCES)[number];

export interface OutboxConsumerOptions {
  databaseUrl: string;
  pool: Pool;
  /** Consumer group: replicas with the same name share one cursor. */
  consumer: string;
  /** The outbox table, schema-qualified. */
  source: OutboxSource;
  channel: string;
  handle: (events: OutboxEvent[]) => Promise<void>;
  log: Logger;
  batchSize?: number;
  /** Safety net for a missed NOTIFY (e.g. during a reconnect). */
  pollIntervalMs?: number;
  /**
   * Where a group with no cursor yet starts: `beginning` (default: every event ever written, nothing
   * lost) or `end` (only events committed from now on — for short-lived groups such as a test's).
   */
  startAt?: 'beginning' | 'end';
}

/*
 * Gap-free reading: outbox ids are handed out before commit, so a later id can commit first. Rows
 * are therefore read in (txid, id) order and only from transactions older than every transaction
 * still running (txid < xmin of the current snapshot): nothing can later appear behind the cursor.
 * The consumer's own transaction takes no xid before it reads, so it does not hold xmin back.
 */
const LOCK_GROUP = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;
const SELECT_CURSOR = `SELECT last_txid::text, last_id::text FROM inference.outbox_cursor WHERE consumer = $1 AND source = $2`;
// The table name comes from OUTBOX_SOURCES only (checked in the constructor), never from input.
const selectEvents = (source: OutboxSource) => `
  SELECT id::text, txid::text, topic, patient_id, payload, created_at FROM ${source}
  WHERE (txid, id) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY txid, id LIMIT $3`;
const UPSERT_CURSOR = `
  INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id) VALUES ($1, $2, $3::xid8, $4::bigint)
  ON CONFLICT (consumer, source) DO UPDATE SET last_txid = EXCLUDED.last_txid, last_id = EXCLUDED.last_id, updated_at = now()`;

/**
 * Reads an outbox table from a shared cursor, woken by LISTEN/NOTIFY. The cursor moves in the same
 * transaction that read the batch, after `handle` succeeded: a crash or a failed handler leaves the
 * batch to be read again (at-least-once; a handler must be idempotent, as publishing a fresh risk is).
 */
export class OutboxConsumer {
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failures = 0;

  private readonly selectEvents: string;
  private readonly startAtEnd: string;

  constructor(private readonly opts: OutboxConsumerOptions) {
    if (!OUTBOX_SOURCES.includes(opts.source)) throw new Error(`unknown outbox ${String(opts.source)}`);
    this.selectEvents = selectEvents(opts.source);
    // The newest row no running transaction can still precede (same horizon as the reads).
    this.startAtEnd = `
      INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id)
      SELECT $1, $2, coalesce(max(txid), '0'::xid8), coalesce((array_agg(id ORDER BY txid DESC, id DESC))[1], 0)
      FROM ${opts.source} WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
      ON CONFLICT (consumer, source) DO NOTHING`;
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
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.opts.log.warn({ err: error }, 'outbox listener lost its connection; reconnecting');
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 500).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.opts.channel)}`);
    this.listener = client;
    // Anything committed while we were not listening is found by this drain.
    this.wake();
  }

  /** Drains now, or once more after the running drain, so no wake-up is lost. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.drainBatch()) > 0);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.opts.log.error({ err: error, failures: this.failures }, 'outbox batch failed; it will be retried');
      const delay = Math.min(30_000, 200 * 2 ** Math.min(this.failures, 8));
      if (!this.stopped) setTimeout(() => this.wake(), delay).unref();
    }
  }

  /** Handles one batch; returns how many events it handled. */
  async drainBatch(): Promise<number> {
    const { pool, consumer, source } = this.opts;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(LOCK_GROUP, [`${consumer}:${source}`]);
      const cursor = await client.query<{ last_txid: string; last_id: string }>(SELECT_CURSOR, [consumer, source]);
      const lastTxid = cursor.rows[0]?.last_txid ?? '0';
      const lastId = cursor.rows[0]?.last_id ?? '0';
      const { rows } = await client.query<{
        id: string;
        txid: string;
        topic: string;
        patient_id: string;
        payload: Record<string, unknown>;
        created_at: Date;
      }>(this.selectEvents, [lastTxid, lastId, this.opts.batchSize ?? 200]);
      if (!rows.length) {
        await client.query('COMMIT');
        return 0;
      }
      const events = rows.map((r) => ({
        id: r.id,
        txid: r.txid,
        topic: r.topic,
        patientId: r.patient_id,
        payload: r.payload,
        createdAt: r.created_at,
      }));
      await this.opts.handle(events);
      const last = rows.at(-1)!;
      await client.query(UPSERT_CURSOR, [consumer, source, last.txid, last.id]);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }
}
