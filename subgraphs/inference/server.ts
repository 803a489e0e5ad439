import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createRedisEmitter } from '../../lib/redis-emitter';
import type { RedisTimeouts } from '../../lib/dependency-timeouts';
import type { IdentityAssertions } from '../../lib/identity';
import { AccessLog, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../../lib/audit';
import { createPool, migrate } from '../../lib/postgres';
import type { Logger } from '../../lib/logger';
import { PatientSubgraphClient } from '../../lib/patient-client';
import { PostgresPatientDirectory } from '../../lib/contracts/patient-directory';
import { SubgraphClient } from '../../lib/subgraph-client';
import { postgresHealth, serveMercurius, type RunningService } from '../../lib/service-host';
import { DeadLetterRepository } from './events/dead-letters';
import { EventMetrics, METRICS_PATH, serveMetrics } from './events/metrics';
import { eventPipeline } from './events/pipeline';
import type { RetryPolicy } from './events/retry-policy';
import type { DecisionClients } from './decision-service';
import { createInferenceContext, type InferenceServices } from './context';
import { SNAPSHOT_CACHE_ENTRIES, SnapshotCache } from './snapshot-cache';
import { KnowledgeClient } from './knowledge-client';
import { NotesProcessor } from './nlp/notes-processor';
import { RiskModelRegistry } from './learning/registry';
import { TrainingScheduler } from './learning/training-scheduler';
import { resolvers } from './resolvers';

export interface InferenceServiceOptions {
  databaseUrl: string;
  patientUrl: string;
  genomicsUrl: string;
  knowledgeGraphUrl: string;
  /** How long the trial catalogue and HPO corpus read from the knowledge graph are kept (default 5 min). */
  knowledgeCacheMs?: number;
  /** Folder of transformers.js model folders, and the sentence-embedding model id in it. */
  modelDir: string;
  modelId: string;
  /** Set: subscription events fan out across replicas through Redis. */
  redisUrl?: string;
  /** Redis connect and command timeouts (REDIS_CONNECT_TIMEOUT_MS, REDIS_COMMAND_TIMEOUT_MS); defaults when unset. */
  redisTimeouts?: RedisTimeouts;
  /** False: this replica serves queries and subscriptions but leaves the outbox to others. */
  consumeEvents?: boolean;
  /** Replicas with the same group share one outbox cursor; default `inference`. */
  consumerGroup?: string;
  /** How often to check whether enough new outcomes arrived to train again (0: never; default 1 h). */
  trainingCheckIntervalMs?: number;
  /** Where a new consumer group starts reading (see OutboxConsumerOptions.startAt). */
  consumerStart?: 'beginning' | 'end';
  /** Bounded retries of a failed event before it is dead-lettered (default events/retry-policy.ts). */
  eventRetry?: Partial<RetryPolicy>;
  /** How long a replica's claim on an outbox batch lasts without renewal (default 30 s). */
  eventLeaseMs?: number;
  /** The bearer secret `/metrics` asks of a scraper (METRICS_TOKEN, as the gateway's); unset, `/metrics` is refused. */
  metricsToken?: string;
  host: string;
  port: number;
  log: Logger;
  /** Verifies the gateway's identity assertions (and signs this service's own calls). */
  assertions: IdentityAssertions;
}

export const INFERENCE_MIGRATIONS = path.join(__dirname, 'migrations');

export interface InferenceService extends RunningService {
  app: FastifyInstance;
}

export async function startInferenceService(opts: InferenceServiceOptions): Promise<InferenceService> {
  await migrate(opts.databaseUrl, 'inference', INFERENCE_MIGRATIONS, opts.log);
  await migrate(opts.databaseUrl, AUDIT_SCHEMA, AUDIT_MIGRATIONS, opts.log);
  const pool = createPool(opts.databaseUrl);
  const credentials = opts.assertions.forService('inference');
  const patients = new PatientSubgraphClient(opts.patientUrl, credentials);
  const knowledge = new KnowledgeClient(new SubgraphClient('knowledge-graph', opts.knowledgeGraphUrl, credentials), opts.knowledgeCacheMs, {
    onBackgroundError: (error) => opts.log.warn({ reason: (error as Error).message }, 'trial catalogue or HPO corpus not read again; the one in hand is still answered'),
  });
  const registry = new RiskModelRegistry(pool);
  const clients: DecisionClients = { registry, patients, genomics: new SubgraphClient('genomics', opts.genomicsUrl, credentials), knowledge };
  const deadLetters = new DeadLetterRepository(pool);
  const eventMetrics = new EventMetrics(pool);
  const notes = new NotesProcessor({ pool, patients, knowledge, modelDir: opts.modelDir, modelId: opts.modelId, log: opts.log.child({ component: 'notes-nlp' }) });
  // Row access is read from the patient service's access directory, not asked of it per request (issue 19).
  const directory = new PostgresPatientDirectory(pool);
  const services: InferenceServices = { clients, patients, directory, deadLetters, notes, log: opts.log, snapshots: new SnapshotCache(SNAPSHOT_CACHE_ENTRIES) };
  // Redis down: subscribers on this replica still get every event; the others when it is back (lib/redis-emitter.ts).
  const emitter = opts.redisUrl ? createRedisEmitter(opts.redisUrl, opts.log.child({ component: 'events-redis' }), opts.redisTimeouts) : undefined;
  const scheduler = new TrainingScheduler({
    pool,
    patients: new SubgraphClient('patient', opts.patientUrl, credentials, 120_000),
    registry,
    log: opts.log.child({ component: 'training' }),
    intervalMs: opts.consumeEvents === false ? 0 : (opts.trainingCheckIntervalMs ?? 60 * 60_000),
  });

  const service = await serveMercurius({
    name: 'inference',
    resolvers,
    context: (identity, transport) => createInferenceContext(services, identity, transport),
    assertions: opts.assertions,
    // Reads of identified data (note findings, note search hits) are audited before the response leaves.
    accessLog: new AccessLog(pool, 'inference'),
    emitter,
    health: postgresHealth(pool),
    // /metrics has its own bearer secret (events/metrics.ts).
    routes: (app) => serveMetrics(app, { token: opts.metricsToken, metrics: eventMetrics, log: opts.log }),
    openPaths: [METRICS_PATH],
    host: opts.host,
    port: opts.port,
    log: opts.log,
    onClose: async () => {
      if (emitter) await new Promise<void>((resolve) => emitter.close(() => resolve()));
      await pool.end();
    },
  });
  // The event pipeline publishes through the server's subscriptions, so it starts once they serve.
  const events =
    opts.consumeEvents === false
      ? undefined
      : eventPipeline({
          databaseUrl: opts.databaseUrl,
          pool,
          consumerGroup: opts.consumerGroup,
          startAt: opts.consumerStart,
          retry: opts.eventRetry,
          leaseMs: opts.eventLeaseMs,
          metrics: eventMetrics,
          clients,
          notes,
          pubsub: () => service.pubsub,
          log: opts.log,
        });
  scheduler.start();
  await events?.start();
  // Issue 19: the first trialMatches after start-up read the whole trial catalogue (4.3 s against 0.7 s
  // after). Read it now, in the background; a failure is not kept, so the first request tries again.
  const catalogueStarted = performance.now();
  void knowledge.trialCatalogue().then(
    (trials) => opts.log.info({ trials: trials.length, ms: Math.round(performance.now() - catalogueStarted) }, 'trial catalogue read at start-up'),
    (error: unknown) => opts.log.warn({ reason: (error as Error).message }, 'trial catalogue not read at start-up; the first trial match will read it'),
  );
  let closing: Promise<void> | undefined;
  return {
    app: service.app,
    port: service.port,
    url: service.url,
    close() {
      // Background work first (it publishes through the server; notes NLP under way stops at its next
      // forward pass), then the server (requests under way finish), then the model they may use.
      closing ??= (async () => {
        await events?.stop();
        await scheduler.stop();
        await service.close();
        await notes.dispose();
      })();
      return closing;
    },
  };
}
