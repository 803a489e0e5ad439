import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import { mercuriusFederationPlugin } from '@mercuriusjs/federation';
import type { GraphQLError } from 'graphql';
import mqemitterRedis from 'mqemitter-redis';
import { REPO_ROOT } from '../../lib/config';
import { HubError } from '../../lib/errors';
import { createPool, migrate } from '../../lib/postgres';
import type { Logger } from '../../lib/logger';
import { PatientSubgraphClient } from '../../lib/patient-client';
import type { RunningService } from '../../lib/apollo-http';
import { OutboxConsumer, type OutboxEvent } from './events/outbox-consumer';
import { resolvers, riskTopic } from './resolvers';
import { createRiskLoader } from './risk-service';

export interface InferenceServiceOptions {
  databaseUrl: string;
  patientUrl: string;
  /** Set: subscription events fan out across replicas through Redis. */
  redisUrl?: string;
  /** False: this replica serves queries and subscriptions but leaves the outbox to others. */
  consumeEvents?: boolean;
  /** Replicas with the same group share one outbox cursor; default `inference`. */
  consumerGroup?: string;
  host: string;
  port: number;
  log: Logger;
}

export const INFERENCE_MIGRATIONS = path.join(__dirname, 'migrations');
const OUTBOX_CHANNEL = 'patient_outbox';

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
  const pool = createPool(opts.databaseUrl);
  const patients = new PatientSubgraphClient(opts.patientUrl);
  const emitter = opts.redisUrl ? mqemitterRedis({ connectionString: opts.redisUrl }) : undefined;

  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  await app.register(mercuriusFederationPlugin, {
    schema: fs.readFileSync(path.join(REPO_ROOT, 'schema', 'inference.graphql'), 'utf8'),
    resolvers: resolvers as never,
    graphiql: false,
    path: '/graphql',
    subscription: {
      ...(emitter ? { emitter } : {}),
      context: () => ({ loaders: { risk: createRiskLoader(patients) } }),
    },
    context: () => ({ loaders: { risk: createRiskLoader(patients) } }),
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      const errors = execution.errors ? formatErrors(execution.errors, opts.log) : undefined;
      return { statusCode: formatted.statusCode, response: { ...formatted.response, errors } as never };
    },
  });
  app.get('/health', async (_req, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ok', checks: { postgres: 'ok' } };
    } catch (error) {
      return reply.code(503).send({ status: 'degraded', checks: { postgres: (error as Error).message } });
    }
  });

  // Events → fresh risk → riskUpdated. One publication per patient per batch: the newest data wins.
  const publishRiskUpdates = async (events: OutboxEvent[]) => {
    const latestByPatient = new Map<string, OutboxEvent>();
    for (const event of events) latestByPatient.set(event.patientId, event);
    const loader = createRiskLoader(patients);
    const risks = await loader.loadMany([...latestByPatient.keys()]);
    let index = 0;
    for (const [patientId, event] of latestByPatient) {
      const risk = risks[index++];
      if (risk instanceof Error) throw risk;
      if (!risk) continue; // a patient that no longer exists has no risk to announce
      const riskUpdated = { patient: { id: patientId }, risk, computedAt: new Date().toISOString(), reason: event.topic };
      await app.graphql.pubsub.publish({ topic: riskTopic(patientId), payload: { riskUpdated } });
    }
  };
  const consumer =
    opts.consumeEvents === false
      ? undefined
      : new OutboxConsumer({
          databaseUrl: opts.databaseUrl,
          pool,
          consumer: opts.consumerGroup ?? 'inference',
          source: 'patient.outbox',
          channel: OUTBOX_CHANNEL,
          handle: publishRiskUpdates,
          log: opts.log,
        });

  await app.listen({ port: opts.port, host: opts.host });
  await consumer?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closing: Promise<void> | undefined;
  return {
    app,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        await consumer?.stop();
        await app.close();
        if (emitter) await new Promise<void>((resolve) => emitter.close(() => resolve()));
        await pool.end();
      })();
      return closing;
    },
  };
}
