import { GenomicsTopic, OUTBOXES, type EventPayload } from '../../../lib/event-contracts';
import type { PoolClient } from '../../../lib/postgres';

/** Topic of the event announcing new or changed variant calls for a patient. */
export const VARIANTS_CHANGED = GenomicsTopic.VARIANTS_CHANGED;
export const GENOMICS_OUTBOX_CHANNEL = OUTBOXES['genomics.outbox'].channel;

const INSERT_OUTBOX_EVENT = `INSERT INTO genomics.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`;
const NOTIFY_OUTBOX = `SELECT pg_notify($1, $2)`;

/** Written in the transaction that changed the calls, so the event exists exactly when the change does (lib/event-contracts.ts). */
export async function announceVariantsChanged(client: PoolClient, patientId: string, payload: EventPayload<typeof VARIANTS_CHANGED>): Promise<void> {
  await client.query(INSERT_OUTBOX_EVENT, [VARIANTS_CHANGED, patientId, payload]);
  await client.query(NOTIFY_OUTBOX, [GENOMICS_OUTBOX_CHANNEL, patientId]);
}
