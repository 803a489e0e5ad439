/**
 * The hub's published events: every topic, the outbox that carries it, its NOTIFY channel and the
 * shape of its payload. Producers (the patient and genomics subgraphs) write events only through
 * `announce()` and the consumer (the inference subgraph's outbox pipeline) reads them only through
 * `decodeEvent()`, both from this module, so a topic is spelled in one place and a payload that does
 * not match its contract is refused by the compiler and by `announce()` on the producing side, and by
 * `decodeEvent` on the consuming side (a row written by a buggy or newer producer, or by hand).
 *
 * Payloads name what changed; they never carry clinical values: a consumer reads the patient's
 * current data through the owner's GraphQL contract (an event is a nudge, not a copy of the record).
 */
export const PatientTopic = {
  /** One observation stored through `addObservation`. */
  OBSERVATION_ADDED: 'patient.observation.added',
  /** A FHIR bundle's resources for one patient (notes included) stored. */
  RECORDS_INGESTED: 'patient.records.ingested',
  /** A device stream's readings for one patient stored. */
  DEVICE_OBSERVATIONS_INGESTED: 'patient.device-observations.ingested',
  /** A research-consent decision recorded (changes no clinical fact). */
  CONSENT_CHANGED: 'patient.consent.changed',
  /** A demographic link undone: the source's records moved to a patient of their own. */
  UNLINKED: 'patient.unlinked',
} as const;
export type PatientTopic = (typeof PatientTopic)[keyof typeof PatientTopic];

export const GenomicsTopic = {
  /** New or changed variant calls for a patient (API or VCF). */
  VARIANTS_CHANGED: 'genomics.variants.changed',
} as const;
export type GenomicsTopic = (typeof GenomicsTopic)[keyof typeof GenomicsTopic];

export type EventTopic = PatientTopic | GenomicsTopic;

export interface EventPayloads {
  'patient.observation.added': { observationId: string; code: string };
  'patient.records.ingested': { created: number; updated: number };
  'patient.device-observations.ingested': { created: number; updated: number };
  'patient.consent.changed': { granted: boolean };
  'patient.unlinked': { linkId: string };
  'genomics.variants.changed': { variants: number; source?: string; sample?: string | null };
}
export type EventPayload<T extends EventTopic> = EventPayloads[T];

/** Which topics each outbox carries: a producer can announce only its own outbox's topics. */
export interface OutboxTopics {
  'patient.outbox': PatientTopic;
  'genomics.outbox': GenomicsTopic;
}

/** The outbox tables (schema-qualified) and the NOTIFY channel each producer wakes its consumers on. */
export const OUTBOXES = {
  'patient.outbox': { channel: 'patient_outbox', topics: Object.values(PatientTopic) as readonly EventTopic[] },
  'genomics.outbox': { channel: 'genomics_outbox', topics: Object.values(GenomicsTopic) as readonly EventTopic[] },
} as const satisfies Record<keyof OutboxTopics, { channel: string; topics: readonly EventTopic[] }>;
export type OutboxSource = keyof typeof OUTBOXES;
export const OUTBOX_SOURCES = Object.keys(OUTBOXES) as OutboxSource[];

export const isOutboxSource = (value: string): value is OutboxSource => Object.prototype.hasOwnProperty.call(OUTBOXES, value);

type FieldCheck = (value: unknown) => boolean;
const text: FieldCheck = (v) => typeof v === 'string' && v.length > 0;
const count: FieldCheck = (v) => Number.isInteger(v) && (v as number) >= 0;
const flag: FieldCheck = (v) => typeof v === 'boolean';
const optional =
  (check: FieldCheck): FieldCheck =>
  (v) =>
    v === undefined || check(v);
const nullable =
  (check: FieldCheck): FieldCheck =>
  (v) =>
    v === null || check(v);

/** What each payload field must be; fields not listed are allowed (a producer may add fields first). */
const PAYLOAD_FIELDS: { [T in EventTopic]: Record<keyof EventPayloads[T], FieldCheck> } = {
  'patient.observation.added': { observationId: text, code: text },
  'patient.records.ingested': { created: count, updated: count },
  'patient.device-observations.ingested': { created: count, updated: count },
  'patient.consent.changed': { granted: flag },
  'patient.unlinked': { linkId: text },
  'genomics.variants.changed': { variants: count, source: optional(text), sample: optional(nullable(text)) },
};
const FIELD_MEANING = new Map<FieldCheck, string>([
  [text, 'a non-empty string'],
  [count, 'a non-negative integer'],
  [flag, 'a boolean'],
]);

/** An event that breaks its contract: no retry can make it valid, so the consumer dead-letters it at once. */
export class EventContractError extends Error {
  override name = 'EventContractError';
}

/** An event as its contract describes it: the topic narrows the payload. */
export type TypedEvent = { [T in EventTopic]: { topic: T; payload: EventPayloads[T] } }[EventTopic];

/**
 * Checks a stored event against its outbox's contract: the topic belongs to that outbox and the
 * payload has every field of its type. Throws EventContractError naming the event, field and reason.
 */
export function decodeEvent(source: OutboxSource, eventId: string, topic: string, payload: unknown): TypedEvent {
  const where = `event ${eventId} in ${source}`;
  if (!(OUTBOXES[source].topics as readonly string[]).includes(topic)) {
    throw new EventContractError(`${where}: topic "${topic.slice(0, 100)}" is not one ${source} publishes (${OUTBOXES[source].topics.join(', ')})`);
  }
  checkPayload(where, topic as EventTopic, payload);
  return { topic, payload } as TypedEvent;
}

function checkPayload(where: string, topic: EventTopic, payload: unknown): void {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new EventContractError(`${where} (${topic}): payload must be a JSON object`);
  }
  const fields = PAYLOAD_FIELDS[topic] as Record<string, FieldCheck>;
  for (const [field, check] of Object.entries(fields)) {
    const value = (payload as Record<string, unknown>)[field];
    if (!check(value)) {
      const meaning = FIELD_MEANING.get(check) ?? 'of its contract type';
      throw new EventContractError(`${where} (${topic}): payload.${field} is ${JSON.stringify(value)?.slice(0, 100) ?? 'missing'}; it must be ${meaning}`);
    }
  }
}

/** What `announce` needs of a database client: a pg PoolClient inside the producer's transaction. */
export interface OutboxWriter {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

// Table names come from OUTBOXES only, never from input. pg_notify is delivered only on COMMIT, so a
// listener never wakes for a change it cannot see yet. One statement writes the event and queues the
// notification (one round trip to the database per event, not two); the notification names the topic,
// so a consumer that handles only some topics can leave the others to its poll (OutboxConsumer wakeOn),
// and PostgreSQL delivers one notification per channel and topic per transaction (a bundle's events
// wake each consumer once).
const writeEvent = (table: OutboxSource) => `
  WITH event AS (INSERT INTO ${table} (topic, patient_id, payload) VALUES ($1, $2, $3) RETURNING topic)
  SELECT pg_notify($4, topic) FROM event`;
const WRITE_EVENT: { [S in OutboxSource]: string } = {
  'patient.outbox': writeEvent('patient.outbox'),
  'genomics.outbox': writeEvent('genomics.outbox'),
};

/**
 * Publishes one event: writes it to the producer's outbox with `client`, which must be inside the
 * transaction that made the change (so the event exists exactly when the change does), and wakes the
 * outbox's consumers on its channel at COMMIT. The topic must be one `source` carries and the payload
 * its contract type: checked by the compiler and again here (a payload built from `any` is refused
 * with an EventContractError before anything is written, so the transaction rolls back whole).
 */
export async function announce<S extends OutboxSource, T extends OutboxTopics[S]>(
  client: OutboxWriter,
  source: S,
  topic: T,
  patientId: string,
  payload: EventPayload<T>,
): Promise<void> {
  const where = `event for patient ${patientId} announced to ${source}`;
  if (!(OUTBOXES[source].topics as readonly string[]).includes(topic)) {
    throw new EventContractError(`${where}: topic "${String(topic).slice(0, 100)}" is not one ${source} publishes (${OUTBOXES[source].topics.join(', ')})`);
  }
  checkPayload(where, topic, payload);
  await client.query(WRITE_EVENT[source], [topic, patientId, payload, OUTBOXES[source].channel]);
}
