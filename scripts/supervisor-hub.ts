import type { SecuredConfig } from '../lib/local-secrets';
import type { Logger } from '../lib/logger';
import type { Neo4jConnection } from '../knowledge-graph/executor';
import { freePort, startSupervisor, type ServiceSpec, type Supervisor, type SupervisorOptions } from './supervisor';

/** The hub's services, each its own process: entry module and where its port comes from. */
export const HUB_SERVICES = {
  patient: 'subgraphs/patient/index',
  genomics: 'subgraphs/genomics/index',
  knowledgeGraph: 'subgraphs/knowledge-graph/index',
  inference: 'subgraphs/inference/index',
  gateway: 'gateway/index',
} as const;

export type HubServiceName = keyof typeof HUB_SERVICES;

export interface SupervisedHub {
  supervisor: Supervisor;
  urls: Record<HubServiceName, string>;
  pids(): Record<HubServiceName, number | undefined>;
  close(): Promise<void>;
}

const SERVICE_NAMES: Record<HubServiceName, string> = {
  patient: 'patient',
  genomics: 'genomics',
  knowledgeGraph: 'knowledge-graph',
  inference: 'inference',
  gateway: 'gateway',
};

/**
 * The environment every service of one hub shares: each one's port and URL (a port of 0 is chosen
 * here once, so a restarted service comes back where the others look for it), the Neo4j the
 * supervisor ensured, the secrets `withLocalSecrets` settled on, and the configuration's Redis.
 */
export async function hubEnvironment(config: SecuredConfig, neo4j: Neo4jConnection): Promise<{ env: Record<string, string | undefined>; ports: Record<HubServiceName, number> }> {
  const pick = async (port: number) => (port === 0 ? freePort(config.host) : port);
  const ports: Record<HubServiceName, number> = {
    patient: await pick(config.ports.patient),
    genomics: await pick(config.ports.genomics),
    knowledgeGraph: await pick(config.ports.knowledgeGraph),
    inference: await pick(config.ports.inference),
    gateway: await pick(config.ports.gateway),
  };
  const url = (port: number) => `http://${config.host}:${port}/graphql`;
  const env: Record<string, string | undefined> = {
    HOST: config.host,
    DATABASE_URL: config.databaseUrl,
    PORT: String(ports.gateway),
    GATEWAY_PORT: String(ports.gateway),
    PATIENT_PORT: String(ports.patient),
    GENOMICS_PORT: String(ports.genomics),
    KNOWLEDGE_GRAPH_PORT: String(ports.knowledgeGraph),
    INFERENCE_PORT: String(ports.inference),
    PATIENT_URL: url(ports.patient),
    GENOMICS_URL: url(ports.genomics),
    KNOWLEDGE_GRAPH_URL: url(ports.knowledgeGraph),
    INFERENCE_URL: url(ports.inference),
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user ?? '',
    NEO4J_PASSWORD: neo4j.password ?? '',
    HUB_INTERNAL_SECRET: config.auth.internalSecret,
    ...(config.auth.jwt.secret ? { JWT_SECRET: config.auth.jwt.secret } : {}),
    REDIS_URL: config.redisUrl ?? '',
    INFERENCE_CONSUMER_GROUP: config.inferenceConsumerGroup,
    INFERENCE_CONSUMER_START: config.inferenceConsumerStart,
    LOG_LEVEL: config.logLevel,
  };
  return { env, ports };
}

/**
 * `npm start`'s hub as five supervised processes, in dependency order: patient; genomics and
 * knowledge-graph (genomics reads patient); inference (reads all three); the gateway last, so it
 * composes over subgraphs that answer. Patient's calls to genomics need genomics only later, at a
 * request, through GENOMICS_URL.
 */
export async function startSupervisedHub(
  config: SecuredConfig,
  neo4j: Neo4jConnection,
  log: Logger,
  options: Omit<SupervisorOptions, 'stages' | 'log'> = {},
): Promise<SupervisedHub> {
  const { env, ports } = await hubEnvironment(config, neo4j);
  const spec = (service: HubServiceName): ServiceSpec => ({ name: SERVICE_NAMES[service], entry: HUB_SERVICES[service], port: ports[service], host: config.host, env });
  const supervisor = await startSupervisor({
    ...options,
    log,
    stages: [[spec('patient')], [spec('genomics'), spec('knowledgeGraph')], [spec('inference')], [spec('gateway')]],
  });
  const names = Object.keys(HUB_SERVICES) as HubServiceName[];
  return {
    supervisor,
    urls: Object.fromEntries(names.map((n) => [n, supervisor.byName(SERVICE_NAMES[n]).url])) as Record<HubServiceName, string>,
    pids: () => Object.fromEntries(names.map((n) => [n, supervisor.byName(SERVICE_NAMES[n]).pid])) as Record<HubServiceName, number | undefined>,
    close: () => supervisor.close(),
  };
}
