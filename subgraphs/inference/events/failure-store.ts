import type { Pool, PoolClient } from '../../../lib/postgres';
import type { OutboxSource } from '../../../lib/contracts/events';
import { nextAttemptDelay, type RetryPolicy } from './retry-policy';

/** An event as the pipeline stores it, before or after its contract is checked. */
export interface StoredEvent {
  id: string;
  txid: string;
  topic: string;
  patientId: string;
  payload: unknown;
  createdAt: Date;
}

/** A retry row a replica has claimed: the event, how often it failed, and whether it is an admin's replay. */
export interface ClaimedRetry extends StoredEvent {
  attempts: number;
  deadLetterId: string | null;
  replayRequestedBy: string | null;
}

export interface FailureOutcome {
  /** Tried again after this many ms; null: dead-lettered. */
  retryInMs: number | null;
}

/** Error texts are kept for admins, bounded: a subgraph's error may be long. */
export const MAX_ERROR_LENGTH = 2000;
/** The error as admins read it: its code (a HubError's) or its class, then its message. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, MAX_ERROR_LENGTH);
  const code = (error as { code?: unknown }).code;
  const label = typeof code === 'string' ? code : error.name === 'Error' ? '' : error.name;
  return `${label ? `${label}: ` : ''}${error.message}`.slice(0, MAX_ERROR_LENGTH);
}

const INSERT_RETRY = `
  INSERT INTO inference.event_retries
    (consumer, source, event_id, txid, topic, patient_id, payload, event_created_at, attempts, last_error, first_failed_at, last_failed_at, next_attempt_at)
  VALUES ($1, $2, $3::bigint, $4::xid8, $5, $6::uuid, $7::jsonb, $8, 1, $9, now(), now(), now() + $10 * interval '1 millisecond')
  ON CONFLICT (consumer, source, event_id) DO NOTHING`;
// A second failure of an event already dead (a replica handled a batch again after losing its lease)
// refreshes the error rather than adding a row: one dead letter per event and group.
const INSERT_DEAD_LETTER = `
  INSERT INTO inference.event_dead_letters
    (consumer, source, event_id, txid, topic, patient_id, payload, event_created_at, error, attempts, first_failed_at, last_failed_at)
  VALUES ($1, $2, $3::bigint, $4::xid8, $5, $6::uuid, $7::jsonb, $8, $9, $10, coalesce($11::timestamptz, now()), now())
  ON CONFLICT (consumer, source, event_id) DO UPDATE SET error = EXCLUDED.error, attempts = inference.event_dead_letters.attempts + EXCLUDED.attempts,
    last_failed_at = EXCLUDED.last_failed_at, dead_at = now()`;

/**
 * Claims due retries of a group in one statement: SKIP LOCKED lets replicas claim disjoint rows, and
 * the claim pushes next_attempt_at out by the lease, so rows of a replica that dies come due again.
 */
const CLAIM_DUE_RETRIES = `
  UPDATE inference.event_retries r SET claim_token = $3, next_attempt_at = now() + $4 * interval '1 millisecond'
  FROM (SELECT consumer, source, event_id FROM inference.event_retries
        WHERE consumer = $1 AND source = $2 AND next_attempt_at <= now()
        ORDER BY next_attempt_at, event_id LIMIT $5 FOR UPDATE SKIP LOCKED) due
  WHERE r.consumer = due.consumer AND r.source = due.source AND r.event_id = due.event_id
  RETURNING r.event_id::text, r.txid::text, r.topic, r.patient_id::text, r.payload, r.event_created_at, r.attempts, r.dead_letter_id::text, r.replay_requested_by`;
const EXTEND_RETRY_CLAIM = `UPDATE inference.event_retries SET next_attempt_at = now() + $2 * interval '1 millisecond' WHERE claim_token = $1`;
const DELETE_CLAIMED_RETRY = `
  DELETE FROM inference.event_retries WHERE consumer = $1 AND source = $2 AND event_id = $3::bigint AND claim_token = $4
  RETURNING attempts, first_failed_at, dead_letter_id::text, replay_requested_by`;
const RESCHEDULE_CLAIMED_RETRY = `
  UPDATE inference.event_retries SET attempts = attempts + 1, last_error = $5, first_failed_at = coalesce(first_failed_at, now()),
    last_failed_at = now(), next_attempt_at = now() + $6 * interval '1 millisecond', claim_token = NULL
  WHERE consumer = $1 AND source = $2 AND event_id = $3::bigint AND claim_token = $4`;
const DELETE_REPLAYED_DEAD_LETTER = `DELETE FROM inference.event_dead_letters WHERE id = $1::bigint RETURNING replay_requested_at`;
// Returns when the replay was asked for, as it was before this update clears it.
const RETURN_TO_DEAD_LETTERS = `
  UPDATE inference.event_dead_letters d SET error = $2, attempts = d.attempts + $3, last_failed_at = now(), dead_at = now(),
    replay_requested_by = NULL, replay_requested_at = NULL
  FROM (SELECT id, replay_requested_at FROM inference.event_dead_letters WHERE id = $1::bigint FOR UPDATE) asked
  WHERE d.id = asked.id RETURNING asked.replay_requested_at`;
const INSERT_REPLAY_RECORD = `
  INSERT INTO inference.event_replays (dead_letter_id, consumer, source, event_id, topic, patient_id, requested_by, requested_at, outcome, error)
  VALUES ($1::bigint, $2, $3, $4::bigint, $5, $6::uuid, $7, coalesce($8::timestamptz, now()), $9, $10)`;

const eventValues = (consumer: string, source: OutboxSource, e: StoredEvent) => [consumer, source, e.id, e.txid, e.topic, e.patientId, JSON.stringify(e.payload), e.createdAt];

/**
 * Where failed events wait for their next attempt and where they end: the retry and dead-letter
 * tables of one consumer group and outbox. Every write runs in a short transaction of its own (or
 * the caller's, when it must commit with the cursor); none is open while an event is handled.
 */
export class FailureStore {
  constructor(
    private readonly consumer: string,
    private readonly source: OutboxSource,
    private readonly policy: RetryPolicy,
  ) {}

  /**
   * A first failure, recorded in the transaction that moves the cursor past the event: it waits in
   * the retry table, or goes straight to the dead letters when it can never succeed (a broken
   * contract) or the policy allows one attempt only.
   */
  async recordFirstFailure(client: PoolClient, event: StoredEvent, error: unknown, permanent: boolean): Promise<FailureOutcome> {
    const delay = permanent ? null : nextAttemptDelay(this.policy, 1);
    const values = eventValues(this.consumer, this.source, event);
    if (delay === null) {
      await client.query(INSERT_DEAD_LETTER, [...values, errorText(error), 1, null]);
      return { retryInMs: null };
    }
    await client.query(INSERT_RETRY, [...values, errorText(error), delay]);
    return { retryInMs: delay };
  }

  async claimDue(pool: Pool, token: string, leaseMs: number, limit: number): Promise<ClaimedRetry[]> {
    const { rows } = await pool.query<{
      event_id: string;
      txid: string;
      topic: string;
      patient_id: string;
      payload: unknown;
      event_created_at: Date;
      attempts: number;
      dead_letter_id: string | null;
      replay_requested_by: string | null;
    }>(CLAIM_DUE_RETRIES, [this.consumer, this.source, token, leaseMs, limit]);
    return rows.map((r) => ({
      id: r.event_id,
      txid: r.txid,
      topic: r.topic,
      patientId: r.patient_id,
      payload: r.payload,
      createdAt: r.event_created_at,
      attempts: r.attempts,
      deadLetterId: r.dead_letter_id,
      replayRequestedBy: r.replay_requested_by,
    }));
  }

  /** Keeps a claim alive while its events are handled; false: no row is claimed by the token any more. */
  async extendClaim(pool: Pool, token: string, leaseMs: number): Promise<boolean> {
    return ((await pool.query(EXTEND_RETRY_CLAIM, [token, leaseMs])).rowCount ?? 0) > 0;
  }

  /**
   * A claimed retry handled: it leaves the retry table, and a replayed dead letter leaves the
   * dead-letter table with a record of the replay. False: the claim had lapsed and another replica
   * has the row now (it will finish it).
   */
  async succeeded(client: PoolClient, retry: ClaimedRetry, token: string): Promise<boolean> {
    const { rows } = await client.query<{ dead_letter_id: string | null; replay_requested_by: string | null }>(DELETE_CLAIMED_RETRY, [
      this.consumer,
      this.source,
      retry.id,
      token,
    ]);
    const row = rows[0];
    if (!row) return false;
    if (row.dead_letter_id) {
      const dead = await client.query<{ replay_requested_at: Date | null }>(DELETE_REPLAYED_DEAD_LETTER, [row.dead_letter_id]);
      await this.recordReplay(client, row.dead_letter_id, retry, row.replay_requested_by, dead.rows[0]?.replay_requested_at ?? null, null);
    }
    return true;
  }

  /** The replay record of a dead letter whose replay ended: `error` null when it succeeded. */
  private async recordReplay(client: PoolClient, deadLetterId: string, retry: ClaimedRetry, requestedBy: string | null, requestedAt: Date | null, error: string | null): Promise<void> {
    await client.query(INSERT_REPLAY_RECORD, [
      deadLetterId,
      this.consumer,
      this.source,
      retry.id,
      retry.topic,
      retry.patientId,
      requestedBy ?? 'unknown',
      requestedAt,
      error === null ? 'succeeded' : 'failed',
      error,
    ]);
  }

  /**
   * A claimed retry failed again: rescheduled with a longer delay, or dead-lettered when the attempts
   * are spent (a replay that fails returns to its dead letter, with the new error and the replay
   * recorded as failed). Null: the claim had lapsed.
   */
  async failedAgain(client: PoolClient, retry: ClaimedRetry, token: string, error: unknown, permanent: boolean): Promise<FailureOutcome | null> {
    const attempts = retry.attempts + 1;
    const delay = permanent ? null : nextAttemptDelay(this.policy, attempts);
    const message = errorText(error);
    if (delay !== null) {
      const updated = await client.query(RESCHEDULE_CLAIMED_RETRY, [this.consumer, this.source, retry.id, token, message, delay]);
      return (updated.rowCount ?? 0) > 0 ? { retryInMs: delay } : null;
    }
    const { rows } = await client.query<{ first_failed_at: Date | null; dead_letter_id: string | null; replay_requested_by: string | null }>(
      DELETE_CLAIMED_RETRY,
      [this.consumer, this.source, retry.id, token],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.dead_letter_id) {
      const back = await client.query<{ replay_requested_at: Date | null }>(RETURN_TO_DEAD_LETTERS, [row.dead_letter_id, message, attempts]);
      await this.recordReplay(client, row.dead_letter_id, retry, row.replay_requested_by, back.rows[0]?.replay_requested_at ?? null, message);
    } else {
      await client.query(INSERT_DEAD_LETTER, [...eventValues(this.consumer, this.source, retry), message, attempts, row.first_failed_at]);
    }
    return { retryInMs: null };
  }
}
