import type { Pool } from '../../../lib/postgres';
import { OUTBOXES, type OutboxSource } from '../../../lib/contracts/events';

/** An event the pipeline gave up on, as admins see it (GraphQL `eventDeadLetters`, `npm run events -- list`). */
export interface DeadLetter {
  id: string;
  consumer: string;
  source: OutboxSource;
  eventId: string;
  topic: string;
  patientId: string;
  payload: unknown;
  error: string;
  attempts: number;
  eventCreatedAt: Date;
  firstFailedAt: Date;
  lastFailedAt: Date;
  deadAt: Date;
  /** Set while a replay is under way. */
  replayRequestedBy: string | null;
  replayRequestedAt: Date | null;
}

export interface DeadLetterFilter {
  source?: OutboxSource;
  consumer?: string;
}

export interface ReplayRequest {
  /** Dead letters by id, or every one (of the filter) not already being replayed. */
  ids: string[] | 'all';
  filter?: DeadLetterFilter;
  /** Who asked: kept on the dead letter while it replays and in the replay record after. */
  requestedBy: string;
}

export interface ReplayResult {
  requested: DeadLetter[];
  /** Ids asked for that are not in the table (never were, or replayed successfully since). */
  notFound: string[];
  /** Ids asked for that are being replayed already. */
  alreadyReplaying: string[];
}

/** How a replay ended: a dead letter replayed successfully is gone from its table, and this says it was there. */
export interface ReplayRecord {
  deadLetterId: string;
  consumer: string;
  source: string;
  eventId: string;
  topic: string;
  patientId: string;
  requestedBy: string;
  requestedAt: Date;
  outcome: 'succeeded' | 'failed';
  error: string | null;
  finishedAt: Date;
}

export const MAX_DEAD_LETTERS_PER_PAGE = 500;

const COLUMNS = `id::text, consumer, source, event_id::text, topic, patient_id::text, payload, error, attempts, event_created_at,
  first_failed_at, last_failed_at, dead_at, replay_requested_by, replay_requested_at`;
// Filters are optional: a null parameter matches everything.
const MATCHES = `($1::text IS NULL OR source = $1) AND ($2::text IS NULL OR consumer = $2)`;
const SELECT_PAGE = `SELECT ${COLUMNS} FROM inference.event_dead_letters WHERE ${MATCHES} AND id > $3::bigint ORDER BY id LIMIT $4`;
const COUNT = `SELECT count(*)::int AS n FROM inference.event_dead_letters WHERE ${MATCHES}`;
const SELECT_BY_IDS = `SELECT id::text, replay_requested_by FROM inference.event_dead_letters WHERE id = ANY($1::bigint[])`;
/**
 * Marks the dead letters as replaying and puts their events back into the group's retry table with
 * a fresh set of attempts, due now, in one statement: a dead letter is never half-replayed.
 */
const REQUEST_REPLAY = `
  WITH asked AS (
    UPDATE inference.event_dead_letters SET replay_requested_by = $5, replay_requested_at = now()
    WHERE ${MATCHES} AND ($3::boolean OR id = ANY($4::bigint[])) AND replay_requested_by IS NULL
    RETURNING ${COLUMNS}, txid
  ), queued AS (
    INSERT INTO inference.event_retries (consumer, source, event_id, txid, topic, patient_id, payload, event_created_at, attempts, next_attempt_at,
      dead_letter_id, replay_requested_by)
    SELECT consumer, source, event_id::bigint, txid, topic, patient_id::uuid, payload, event_created_at, 0, now(), id::bigint, $5 FROM asked
    ON CONFLICT (consumer, source, event_id) DO UPDATE SET attempts = 0, next_attempt_at = now(), claim_token = NULL,
      dead_letter_id = EXCLUDED.dead_letter_id, replay_requested_by = EXCLUDED.replay_requested_by
  )
  SELECT ${COLUMNS} FROM asked ORDER BY id`;
const NOTIFY = `SELECT pg_notify($1, 'replay')`;
const SELECT_REPLAYS = `
  SELECT dead_letter_id::text, consumer, source, event_id::text, topic, patient_id::text, requested_by, requested_at, outcome, error, finished_at
  FROM inference.event_replays WHERE ($1::bigint IS NULL OR dead_letter_id = $1::bigint) ORDER BY id DESC LIMIT $2`;

interface DeadLetterRow {
  id: string;
  consumer: string;
  source: OutboxSource;
  event_id: string;
  topic: string;
  patient_id: string;
  payload: unknown;
  error: string;
  attempts: number;
  event_created_at: Date;
  first_failed_at: Date;
  last_failed_at: Date;
  dead_at: Date;
  replay_requested_by: string | null;
  replay_requested_at: Date | null;
}

const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  consumer: r.consumer,
  source: r.source,
  eventId: r.event_id,
  topic: r.topic,
  patientId: r.patient_id,
  payload: r.payload,
  error: r.error,
  attempts: r.attempts,
  eventCreatedAt: r.event_created_at,
  firstFailedAt: r.first_failed_at,
  lastFailedAt: r.last_failed_at,
  deadAt: r.dead_at,
  replayRequestedBy: r.replay_requested_by,
  replayRequestedAt: r.replay_requested_at,
});

/** A dead letter id as the table numbers them: a positive decimal integer. */
export const isDeadLetterId = (id: string): boolean => /^[1-9][0-9]{0,17}$/.test(id);

/**
 * The dead-letter table as admins use it: list, replay, and the replay history. The GraphQL fields
 * and `npm run events` both go through here; callers check the caller's role and log who asked.
 */
export class DeadLetterRepository {
  constructor(private readonly pool: Pool) {}

  /** Oldest first, `first` at most MAX_DEAD_LETTERS_PER_PAGE, after the dead letter with id `after`. */
  async list(filter: DeadLetterFilter, first: number, after?: string): Promise<{ deadLetters: DeadLetter[]; totalCount: number; hasNextPage: boolean }> {
    const params = [filter.source ?? null, filter.consumer ?? null];
    const [page, count] = await Promise.all([
      this.pool.query<DeadLetterRow>(SELECT_PAGE, [...params, after ?? '0', first + 1]),
      this.pool.query<{ n: number }>(COUNT, params),
    ]);
    return { deadLetters: page.rows.slice(0, first).map(toDeadLetter), totalCount: count.rows[0]!.n, hasNextPage: page.rows.length > first };
  }

  async replay({ ids, filter = {}, requestedBy }: ReplayRequest): Promise<ReplayResult> {
    const all = ids === 'all';
    const asked = all ? [] : [...new Set(ids)];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DeadLetterRow>(REQUEST_REPLAY, [filter.source ?? null, filter.consumer ?? null, all, asked, requestedBy]);
      // Consumers of these outboxes wake on their channel and find the retries due now.
      for (const source of new Set(rows.map((r) => r.source))) await client.query(NOTIFY, [OUTBOXES[source].channel]);
      const existing = asked.length ? (await client.query<{ id: string; replay_requested_by: string | null }>(SELECT_BY_IDS, [asked])).rows : [];
      await client.query('COMMIT');
      const requested = new Set(rows.map((r) => r.id));
      const present = new Set(existing.map((r) => r.id));
      return {
        requested: rows.map(toDeadLetter),
        notFound: asked.filter((id) => !present.has(id)),
        alreadyReplaying: asked.filter((id) => present.has(id) && !requested.has(id)),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Replays, newest first (of one dead letter, or of all). */
  async replays(deadLetterId: string | null, limit = 100): Promise<ReplayRecord[]> {
    const { rows } = await this.pool.query<{
      dead_letter_id: string;
      consumer: string;
      source: string;
      event_id: string;
      topic: string;
      patient_id: string;
      requested_by: string;
      requested_at: Date;
      outcome: 'succeeded' | 'failed';
      error: string | null;
      finished_at: Date;
    }>(SELECT_REPLAYS, [deadLetterId, limit]);
    return rows.map((r) => ({
      deadLetterId: r.dead_letter_id,
      consumer: r.consumer,
      source: r.source,
      eventId: r.event_id,
      topic: r.topic,
      patientId: r.patient_id,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      outcome: r.outcome,
      error: r.error,
      finishedAt: r.finished_at,
    }));
  }
}
