import fs from 'node:fs';
import path from 'node:path';
import DataLoader from 'dataloader';
import Fastify, { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import { mercuriusFederationPlugin } from '@mercuriusjs/federation';
import { GraphQLError } from 'graphql';
import { createRedisEmitter } from '../../lib/redis-emitter';
import type { RedisTimeouts } from '../../lib/dependency-timeouts';
import { REPO_ROOT } from '../../lib/config';
import { ErrorCode, HubError, httpStatusOf } from '../../lib/errors';
import { edgeRefusalBody, isAcceptedPostContentType, unsupportedMediaType } from '../../lib/graphql-media-types';
import { IDENTITY_HEADER, type Identity, type IdentityAssertions } from '../../lib/identity';
import { withRoleChecks } from '../../lib/authorization';
import { AccessLog, AccessRecorder, AUDIT_MIGRATIONS, AUDIT_SCHEMA, boundedRequestId, OPERATION_HEADER, REQUEST_ID_HEADER } from '../../lib/audit';
import { createPool, migrate } from '../../lib/postgres';
import type { Logger } from '../../lib/logger';
import { PatientSubgraphClient } from '../../lib/patient-client';
import type { RunningService } from '../../lib/apollo-http';
import { SubgraphClient } from '../../lib/subgraph-client';
import { traceMercurius } from '../../lib/mercurius-tracing';
import { PatientTopic, type EventTopic } from '../../lib/event-contracts';
import { OutboxConsumer, PatientHandlingFailures, type OutboxEvent } from './events/outbox-consumer';
import { DeadLetterRepository } from './events/dead-letters';
import { EventMetrics, METRICS_PATH, serveMetrics } from './events/metrics';
import type { RetryPolicy } from './events/retry-policy';
import { createDecisionLoaders, type DecisionClients } from './decision-service';
import { deidentifiedRiskUpdate } from './domain/deidentify';
import { KnowledgeClient } from './knowledge-client';
import { NotesProcessor } from './nlp/notes-processor';
import { RiskModelRegistry } from './learning/registry';
import { TrainingScheduler } from './learning/training-scheduler';
import { COHORT_RISK_TOPIC, findingsTopic, resolvers, riskTopic, type InferenceContext } from './resolvers';
import { findingView } from './resolvers/Patient';
import { SUBGRAPH_MAX_REQUEST_BODY_BYTES } from '../../lib/body-limits';

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
const headerOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
/** Patient events that can bring notes (FHIR bundles carry DocumentReference / DiagnosticReport). */
const NOTE_TOPICS = new Set<EventTopic>([PatientTopic.RECORDS_INGESTED]);
/** The patient subgraph's research-consent event (lib/event-contracts.ts). */
const CONSENT_CHANGED = PatientTopic.CONSENT_CHANGED;
/** Findings pushed with each findingsUpdated message; the full list is a query away. */
const FINDINGS_IN_UPDATE = 10;

export interface InferenceService extends RunningService {
  app: FastifyInstance;
}

function formatErrors(errors: readonly GraphQLError[], log: Logger) {
  return errors.map((error) => {
    const original = error.originalError;
    if (original instanceof HubError) {
      const mapped = original.toGraphQLError();
      return { message: mapped.message, locations: error.locations, path: error.path, extensions: mapped.extensions };
    }
    if (original && !(original as { extensions?: unknown }).extensions) {
      log.error({ err: original, path: error.path }, 'resolver failed');
      return { message: 'Internal error', locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return { message: error.message, locations: error.locations, path: error.path, extensions: error.extensions };
  });
}

export async function startInferenceService(opts: InferenceServiceOptions): Promise<InferenceService> {
  await migrate(opts.databaseUrl, 'inference', INFERENCE_MIGRATIONS, opts.log);
  await migrate(opts.databaseUrl, AUDIT_SCHEMA, AUDIT_MIGRATIONS, opts.log);
  const pool = createPool(opts.databaseUrl);
  const credentials = opts.assertions.forService('inference');
  const patients = new PatientSubgraphClient(opts.patientUrl, credentials);
  const knowledge = new KnowledgeClient(new SubgraphClient('knowledge-graph', opts.knowledgeGraphUrl, credentials), opts.knowledgeCacheMs);
  const registry = new RiskModelRegistry(pool);
  const clients: DecisionClients = { registry, patients, genomics: new SubgraphClient('genomics', opts.genomicsUrl, credentials), knowledge };
  const deadLetters = new DeadLetterRepository(pool);
  const eventMetrics = new EventMetrics(pool);
  const notes = new NotesProcessor({ pool, patients, knowledge, modelDir: opts.modelDir, modelId: opts.modelId, log: opts.log.child({ component: 'notes-nlp' }) });
  // The caller's identity joins this: from the HTTP hook below, or from onConnect for graphql-ws.
  const callerContext = (identity: Identity) => {
    const patientAccess = patients.accessFor(identity);
    return {
      identity,
      patientAccess,
      checkPatientAccess: (id: string) => patientAccess.check(id),
      countable: (ids: readonly string[]) => patients.countable(identity, ids),
    };
  };
  const context = (): Omit<InferenceContext, 'pubsub' | 'identity' | 'patientAccess' | 'checkPatientAccess' | 'countable'> => ({
    registry,
    deadLetters,
    log: opts.log,
    loaders: createDecisionLoaders(clients),
    knowledge,
    patientExists: patients.existenceLoader(),
    notes,
    noteFindings: new DataLoader(async (ids: readonly string[]) => {
      const byPatient = await notes.repository.findingsByPatients(notes.modelId, ids);
      return ids.map((id) => byPatient.get(id) ?? []);
    }),
    cohortMembers: (filter) => patients.cohortMembers(filter),
    noteRuns: new DataLoader(async (ids: readonly string[]) => {
      const byPatient = await notes.repository.runsByPatients(notes.modelId, ids);
      return ids.map((id) => byPatient.get(id) ?? []);
    }),
  });
  // Redis down: subscribers on this replica still get every event; the others when it is back (lib/redis-emitter.ts).
  const emitter = opts.redisUrl ? createRedisEmitter(opts.redisUrl, opts.log.child({ component: 'events-redis' }), opts.redisTimeouts) : undefined;

  const app = Fastify({ logger: false, bodyLimit: SUBGRAPH_MAX_REQUEST_BODY_BYTES });
  traceMercurius(app, 'inference');
  // Read as JSON like application/json (the onRequest hook below refuses every other type). Added
  // before mercurius registers its routes, whose context copies the parsers it finds then.
  app.addContentTypeParser('application/graphql-response+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  const sdl = fs.readFileSync(path.join(REPO_ROOT, 'schema', 'inference.graphql'), 'utf8');
  await app.register(mercuriusFederationPlugin, {
    schema: sdl,
    // Fields marked @requiresScopes check the caller's role before they resolve (lib/authorization.ts).
    resolvers: withRoleChecks(sdl, resolvers) as never,
    graphiql: false,
    path: '/graphql',
    subscription: {
      ...(emitter ? { emitter } : {}),
      // The gateway sends its identity assertion as a connection parameter; no valid one, no connection.
      onConnect: async ({ payload }: { payload?: Record<string, unknown> }) => {
        const assertion = payload?.[IDENTITY_HEADER];
        try {
          return callerContext(await opts.assertions.verify(typeof assertion === 'string' ? assertion : undefined));
        } catch (error) {
          opts.log.warn({ reason: (error as Error).message }, 'subscription connection refused');
          return false;
        }
      },
      context,
    },
    context: (request) => {
      const identity = identityOf(request);
      const meta = { operation: headerOf(request.headers[OPERATION_HEADER]), requestId: boundedRequestId(headerOf(request.headers[REQUEST_ID_HEADER])) };
      return { ...context(), ...callerContext(identity), access: new AccessRecorder(identity, meta) };
    },
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      const errors = execution.errors ? formatErrors(execution.errors, opts.log) : undefined;
      return { statusCode: formatted.statusCode, response: { ...formatted.response, errors } as never };
    },
  });
  // Every request but /health must carry the gateway's identity assertion, checked before anything
  // else runs: HTTP GraphQL requests, WebSocket upgrades (the gateway sends it as a header on the
  // upgrade as well as a connection parameter, checked again in onConnect above) and unknown paths.
  const identities = new WeakMap<object, Identity>();
  const identityOf = (request: object): Identity => {
    const identity = identities.get(request);
    if (!identity) throw new HubError(ErrorCode.UNAUTHENTICATED, 'no verified identity for this request');
    return identity;
  };
  app.addHook('onRequest', async (request, reply) => {
    // /health is open; /metrics has its own bearer secret (events/metrics.ts).
    if (request.url.split('?')[0] === '/health' || request.url.split('?')[0] === METRICS_PATH) return;
    const assertion = request.headers[IDENTITY_HEADER];
    try {
      identities.set(request, await opts.assertions.verify(Array.isArray(assertion) ? assertion[0] : assertion));
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      opts.log.warn({ code: error.code, reason: error.message, remote: request.ip }, 'request refused');
      const { message, extensions } = error.toGraphQLError();
      return reply.code(401).type('application/graphql-response+json').send({ errors: [{ message, extensions }] });
    }
    // JSON bodies only (lib/graphql-media-types.ts): mercurius would also run application/graphql.
    if (request.method === 'POST' && !isAcceptedPostContentType(request.headers['content-type'])) {
      const refusal = unsupportedMediaType(request.headers['content-type']);
      opts.log.warn({ code: refusal.code, contentType: request.headers['content-type'] }, 'request refused');
      return reply.code(httpStatusOf(refusal.code)).type('application/graphql-response+json').send(edgeRefusalBody(refusal));
    }
  });

  // Reads of identified data (note findings, note search hits) are written to the audit log before
  // the response leaves; if that fails, the data is withheld.
  const accessLog = new AccessLog(pool, 'inference');
  app.graphql.addHook('onResolution', async (execution, ctx) => {
    const access = (ctx as { access?: AccessRecorder }).access;
    if (!access || access.isEmpty) return;
    try {
      await accessLog.write(access);
    } catch (error) {
      opts.log.error({ err: error }, 'audit record not written; response withheld');
      execution.data = null;
      execution.errors = [new GraphQLError('the audit record for this read could not be written, so its data is withheld', { extensions: { code: 'DEPENDENCY_UNAVAILABLE' } })];
      ctx.reply?.code(503);
    }
  });
  app.get('/health', async (_req, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ok', checks: { postgres: 'ok' } };
    } catch (error) {
      return reply.code(503).send({ status: 'degraded', checks: { postgres: (error as Error).message } });
    }
  });

  serveMetrics(app, { token: opts.metricsToken, metrics: eventMetrics, log: opts.log });

  // Events → what changed → riskUpdated / findingsUpdated / cohortRiskUpdated. One publication per
  // patient per batch: the newest data wins. Patient events (observations, medications, conditions)
  // change risk and medication alerts; genomics events (variants) change findings and alerts.
  const publishUpdates = async (events: OutboxEvent[], kinds: { risk: boolean }) => {
    const latestByPatient = new Map<string, OutboxEvent>();
    // A consent decision changes no clinical fact: nothing to recompute (it is read at each publication).
    for (const event of events) if (event.topic !== CONSENT_CHANGED) latestByPatient.set(event.patientId, event);
    const loaders = createDecisionLoaders(clients);
    const ids = [...latestByPatient.keys()];
    const computedAt = new Date();
    // Reads before publications: a batch whose reads fail (one patient's record the patient subgraph
    // cannot serve) has published nothing, so the consumer can hand its patients over one by one
    // (events/outbox-consumer.ts) and no subscriber hears the same update twice.
    const snapshots = await loaders.snapshot.loadMany(ids);
    const present = ids.filter((_, i) => {
      const snapshot = snapshots[i];
      if (snapshot instanceof Error) throw snapshot;
      return snapshot !== null; // a patient that no longer exists has nothing to announce
    });
    const publications: { topic: string; payload: unknown }[] = [];
    if (kinds.risk) {
      // Research portals receive only patients whose research consent is granted now (read at each
      // publication, so a withdrawal takes effect with the next event).
      const consents = await patients.fetchPatients<{ researchConsent: { granted: boolean } }>(present, 'researchConsent { granted }');
      const consented = new Set(present.filter((_, i) => consents[i]?.researchConsent.granted === true));
      for (const patientId of present) {
        const event = latestByPatient.get(patientId)!;
        const risk = (await loaders.risk.load(patientId))!;
        const riskUpdated = { patient: { id: patientId }, risk, computedAt: computedAt.toISOString(), reason: event.topic };
        publications.push({ topic: riskTopic(patientId), payload: { riskUpdated } });
        if (!consented.has(patientId)) continue;
        const { update, facts } = deidentifiedRiskUpdate(risk.cardiovascular, computedAt, event.topic);
        publications.push({ topic: COHORT_RISK_TOPIC, payload: { cohortRiskUpdated: update, facts } });
      }
    }
    // Risk first, for every patient of the batch: it is what open pages and portals wait for.
    for (const publication of publications) await app.graphql.pubsub.publish(publication);
    // Then alerts and findings, batched across the patients (one call per subgraph and kind of data).
    // A patient whose findings cannot be read (knowledge graph or genomics down) has had its risk
    // published: only that patient's events are retried, the others are done.
    const failed = new Map<string, unknown>();
    await Promise.all(
      present.map(async (patientId) => {
        const event = latestByPatient.get(patientId)!;
        let drugs: Awaited<ReturnType<typeof loaders.drugResponses>>;
        let findings: Awaited<ReturnType<typeof loaders.actionableFindings>>;
        try {
          [drugs, findings] = await Promise.all([loaders.drugResponses(patientId), loaders.actionableFindings(patientId)]);
        } catch (error) {
          failed.set(patientId, error);
          return;
        }
        const findingsUpdated = {
          patient: { id: patientId },
          medicationAlerts: (drugs?.alerts ?? []).map((a) => ({ ...a, drug: { id: a.drug.id } })),
          actionableFindings: (findings ?? []).slice(0, FINDINGS_IN_UPDATE).map(findingView),
          computedAt: computedAt.toISOString(),
          reason: event.topic,
        };
        await app.graphql.pubsub.publish({ topic: findingsTopic(patientId), payload: { findingsUpdated } });
      }),
    );
    if (failed.size) throw new PatientHandlingFailures(failed);
  };
  // Every consumer of this replica shares the retry policy, lease and metrics.
  const pipeline = { retry: opts.eventRetry, leaseMs: opts.eventLeaseMs, metrics: eventMetrics, startAt: opts.consumerStart, log: opts.log };
  const consumers =
    opts.consumeEvents === false
      ? []
      : [
          new OutboxConsumer({
            databaseUrl: opts.databaseUrl,
            pool,
            consumer: opts.consumerGroup ?? 'inference',
            source: 'patient.outbox',
            handle: (events) => publishUpdates(events, { risk: true }),
            ...pipeline,
          }),
          // Notes NLP has its own cursor: slow model work never delays risk updates.
          new OutboxConsumer({
            databaseUrl: opts.databaseUrl,
            pool,
            consumer: `${opts.consumerGroup ?? 'inference'}-notes`,
            source: 'patient.outbox',
            handle: async (events) => {
              const ids = [...new Set(events.filter((e) => NOTE_TOPICS.has(e.topic)).map((e) => e.patientId))];
              const counts = await notes.processPatients(ids);
              if (counts.processed + counts.rejected > 0) opts.log.info({ patients: ids.length, ...counts }, 'clinical notes processed');
            },
            ...pipeline,
          }),
          new OutboxConsumer({
            databaseUrl: opts.databaseUrl,
            pool,
            consumer: opts.consumerGroup ?? 'inference',
            source: 'genomics.outbox',
            handle: (events) => publishUpdates(events, { risk: false }),
            ...pipeline,
          }),
        ];

  const scheduler = new TrainingScheduler({
    pool,
    patients: new SubgraphClient('patient', opts.patientUrl, credentials, 120_000),
    registry,
    log: opts.log.child({ component: 'training' }),
    intervalMs: opts.consumeEvents === false ? 0 : (opts.trainingCheckIntervalMs ?? 60 * 60_000),
  });

  await app.listen({ port: opts.port, host: opts.host });
  scheduler.start();
  for (const consumer of consumers) await consumer.start();
  // Issue 19: the first trialMatches after start-up read the whole trial catalogue (4.3 s against 0.7 s
  // after). Read it now, in the background; a failure is not kept, so the first request tries again.
  const catalogueStarted = performance.now();
  void knowledge.trialCatalogue().then(
    (trials) => opts.log.info({ trials: trials.length, ms: Math.round(performance.now() - catalogueStarted) }, 'trial catalogue read at start-up'),
    (error: unknown) => opts.log.warn({ reason: (error as Error).message }, 'trial catalogue not read at start-up; the first trial match will read it'),
  );
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closing: Promise<void> | undefined;
  return {
    app,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        for (const consumer of consumers) await consumer.stop();
        await scheduler.stop();
        await notes.dispose();
        await app.close();
        if (emitter) await new Promise<void>((resolve) => emitter.close(() => resolve()));
        await pool.end();
      })();
      return closing;
    },
  };
}
