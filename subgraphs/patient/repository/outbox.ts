import { OUTBOXES, type EventPayload, type PatientTopic } from '../../../lib/event-contracts';
import type { PoolClient } from '../../../lib/postgres';

/** The channel the inference consumer LISTENs on. */
export const OUTBOX_CHANNEL = OUTBOXES['patient.outbox'].channel;

const INSERT_OUTBOX_EVENT = `INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`;
// Delivered only on COMMIT, so a listener never wakes for a change it cannot see yet.
const NOTIFY_OUTBOX = `SELECT pg_notify($1, $2)`;

/**
 * Written in the transaction that made the change, so the event exists exactly when the change does.
 * Topic and payload follow lib/event-contracts.ts, which the consumer checks them against.
 */
export async function announcePatientChange<T extends PatientTopic>(client: PoolClient, topic: T, patientId: string, payload: EventPayload<T>): Promise<void> {
  await client.query(INSERT_OUTBOX_EVENT, [topic, patientId, payload]);
  await client.query(NOTIFY_OUTBOX, [OUTBOX_CHANNEL, patientId]);
}
