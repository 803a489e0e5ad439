import type { PubSub } from 'mercurius';
import { PatientTopic, type EventTopic } from '../../../lib/contracts/events';
import type { Pool } from '../../../lib/postgres';
import type { Logger } from '../../../lib/logger';
import type { DecisionClients } from '../decision-service';
import type { NotesProcessor } from '../nlp/notes-processor';
import { OutboxConsumer } from './outbox-consumer';
import type { EventMetrics } from './metrics';
import type { RetryPolicy } from './retry-policy';
import { updatePublisher } from './update-publisher';

/** Patient events that can bring notes (FHIR bundles carry DocumentReference / DiagnosticReport). */
const NOTE_TOPICS = new Set<EventTopic>([PatientTopic.RECORDS_INGESTED]);

export interface EventPipelineOptions {
  databaseUrl: string;
  pool: Pool;
  /** Replicas with the same group share one outbox cursor; default `inference`. */
  consumerGroup?: string;
  /** Where a new consumer group starts reading (see OutboxConsumerOptions.startAt). */
  startAt?: 'beginning' | 'end';
  retry?: Partial<RetryPolicy>;
  leaseMs?: number;
  metrics: EventMetrics;
  clients: DecisionClients;
  notes: NotesProcessor;
  /** Where updates are published (the service's subscriptions; known once it is serving). */
  pubsub: () => PubSub;
  log: Logger;
}

/**
 * The inference subgraph's event consumers: patient events → risk and findings updates; patient
 * events → notes NLP (its own cursor: slow model work never delays risk updates); genomics events →
 * findings updates. Every consumer shares the retry policy, lease and metrics.
 */
export function eventPipeline(opts: EventPipelineOptions) {
  const group = opts.consumerGroup ?? 'inference';
  const publish = updatePublisher({ clients: opts.clients, pubsub: opts.pubsub });
  const shared = { databaseUrl: opts.databaseUrl, pool: opts.pool, retry: opts.retry, leaseMs: opts.leaseMs, metrics: opts.metrics, startAt: opts.startAt, log: opts.log };
  const consumers = [
    new OutboxConsumer({ ...shared, consumer: group, source: 'patient.outbox', handle: (events) => publish(events, { risk: true }) }),
    new OutboxConsumer({
      ...shared,
      consumer: `${group}-notes`,
      source: 'patient.outbox',
      // Woken by bundles only; the poll moves its cursor past observations and the like (before, every
      // blood pressure cost this consumer a claim and a commit: 9 statements for nothing to do).
      wakeOn: NOTE_TOPICS,
      handle: async (events, signal) => {
        const ids = [...new Set(events.filter((e) => NOTE_TOPICS.has(e.topic)).map((e) => e.patientId))];
        const counts = await opts.notes.processPatients(ids, signal);
        if (counts.processed + counts.rejected > 0) opts.log.info({ patients: ids.length, ...counts }, 'clinical notes processed');
      },
    }),
    new OutboxConsumer({ ...shared, consumer: group, source: 'genomics.outbox', handle: (events) => publish(events, { risk: false }) }),
  ];
  return {
    async start(): Promise<void> {
      for (const consumer of consumers) await consumer.start();
    },
    async stop(): Promise<void> {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
    },
  };
}
