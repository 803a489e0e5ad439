import fs from 'node:fs';
import path from 'node:path';
import { loadGatewayLimits, type GatewayLimits } from './gateway-limits-config';
import { loadGatewayEdges, loadJwtMaxLifetimeHours, type GatewayEdges } from './gateway-edges-config';
import { loadDependencyTimeouts, type DependencyTimeouts } from './dependency-timeouts';
import { loadGatewayKnowledgeCacheTtl } from './gateway-knowledge-cache-config';
import { loadGatewayQueryPlanner, type GatewayQueryPlanner } from './gateway-query-planner';

/**
 * The hub's whole configuration, read once from the environment. Every key has an embedded default
 * so `npm start` works on a fresh machine; tests build their own with `testConfig`.
 */
export interface HubConfig {
  databaseUrl: string;
  neo4j: {
    /** Set: use this server and launch nothing. Unset: the project's embedded launcher. */
    uri: string | undefined;
    user: string | undefined;
    password: string | undefined;
    dataDir: string;
    boltPort: number;
  };
  /** Unset: events fan out in-process (single instance). Set: across replicas through Redis. */
  redisUrl: string | undefined;
  /** Folder of transformers.js model folders (MODEL_DIR). */
  modelDir: string;
  /** Sentence-embedding model id: a sub-folder of modelDir (NLP_MODEL_ID). */
  nlpModelId: string;
  /** The inference outbox consumer group (INFERENCE_CONSUMER_GROUP) and where a new one starts. */
  inferenceConsumerGroup: string;
  inferenceConsumerStart: 'beginning' | 'end';
  host: string;
  ports: ServicePorts;
  /** Where each service reaches the others; defaults follow `host` and `ports`. */
  urls: ServiceUrls;
  logLevel: string;
  /** What the gateway refuses before execution (GATEWAY_MAX_*, GATEWAY_RATE_LIMIT_*, GATEWAY_INTROSPECTION). */
  gatewayLimits: GatewayLimits;
  /** The gateway's edges: CORS_ORIGINS (none by default) and METRICS_TOKEN (unset: `/metrics` refused). */
  gatewayEdges: GatewayEdges;
  /** Which Federation query planner the gateway runs (GATEWAY_QUERY_PLANNER, lib/gateway-query-planner.ts). */
  gatewayQueryPlanner: GatewayQueryPlanner;
  /** How long the gateway serves knowledge-graph entities from its cache; 0: off (GATEWAY_KNOWLEDGE_CACHE_TTL_MS). */
  gatewayKnowledgeCacheTtlMs: number;
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT (the standard OpenTelemetry variable): set, every service exports its
   * spans there over OTLP/HTTP (the exporter also reads the other standard OTEL_EXPORTER_OTLP_* keys);
   * unset, tracing is off and costs nothing (lib/tracing.ts).
   */
  otlpEndpoint: string | undefined;
  /** Connect, query and subgraph timeouts and the embedded Neo4j's restart policy (lib/dependency-timeouts.ts). */
  timeouts: DependencyTimeouts;
  auth: AuthConfig;
}

/**
 * Authentication. Secrets have no default in code: where they are not set, `withLocalSecrets`
 * (lib/local-secrets.ts) generates them once per checkout into .data/auth/.
 */
export interface AuthConfig {
  /** Gateway ↔ subgraph identity assertions (HUB_INTERNAL_SECRET, ≥ 32 characters). */
  internalSecret: string | undefined;
  jwt: {
    /** HS256 secret for bearer tokens (JWT_SECRET): development and tests. */
    secret: string | undefined;
    /** JWKS endpoint of the identity provider (JWT_JWKS_URL): production, RS256/ES256. */
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    /** Longest bearer-token lifetime accepted, exp − iat (JWT_MAX_LIFETIME_HOURS, default 24). */
    maxLifetimeHours: number;
  };
}

export interface ServicePorts {
  gateway: number;
  patient: number;
  genomics: number;
  knowledgeGraph: number;
  inference: number;
}

export interface ServiceUrls {
  patient: string;
  genomics: string;
  knowledgeGraph: string;
  inference: string;
}

/**
 * The checkout's (or image's) root, the folder with package.json: `.data/` and `schema/` resolve from
 * here. From source that is the folder above lib/; compiled (`npm run build`) this file is in
 * dist/lib/, and the checkout is one further up, so `node dist/...` shares `.data/` with `tsx`.
 */
export const REPO_ROOT = packageRoot(path.resolve(__dirname, '..'));

function packageRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  const parent = path.dirname(dir);
  return parent === dir ? path.resolve(__dirname, '..') : packageRoot(parent);
}
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/precision_hub';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function port(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${key}="${raw}" is not a TCP port (0-65535)`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const host = env.HOST ?? '127.0.0.1';
  const ports: ServicePorts = {
    gateway: port(env, 'PORT', port(env, 'GATEWAY_PORT', 4000)),
    patient: port(env, 'PATIENT_PORT', 4001),
    genomics: port(env, 'GENOMICS_PORT', 4002),
    knowledgeGraph: port(env, 'KNOWLEDGE_GRAPH_PORT', 4003),
    inference: port(env, 'INFERENCE_PORT', 4004),
  };
  const url = (p: number) => `http://${host}:${p}/graphql`;
  return {
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    neo4j: {
      uri: env.NEO4J_URI || undefined,
      user: env.NEO4J_USER || undefined,
      password: env.NEO4J_PASSWORD || undefined,
      dataDir: env.NEO4J_DATA_DIR ?? path.join(REPO_ROOT, '.data', 'neo4j'),
      boltPort: port(env, 'NEO4J_BOLT_PORT', 7687),
    },
    redisUrl: env.REDIS_URL || undefined,
    modelDir: env.MODEL_DIR || path.join(REPO_ROOT, '.data', 'models'),
    nlpModelId: env.NLP_MODEL_ID || 'all-minilm-l6-v2-q',
    inferenceConsumerGroup: env.INFERENCE_CONSUMER_GROUP || 'inference',
    inferenceConsumerStart: env.INFERENCE_CONSUMER_START === 'end' ? 'end' : 'beginning',
    host,
    ports,
    urls: {
      patient: env.PATIENT_URL ?? url(ports.patient),
      genomics: env.GENOMICS_URL ?? url(ports.genomics),
      knowledgeGraph: env.KNOWLEDGE_GRAPH_URL ?? url(ports.knowledgeGraph),
      inference: env.INFERENCE_URL ?? url(ports.inference),
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    gatewayLimits: loadGatewayLimits(env, ConfigError),
    gatewayEdges: loadGatewayEdges(env, ConfigError),
    gatewayQueryPlanner: loadGatewayQueryPlanner(env, ConfigError),
    gatewayKnowledgeCacheTtlMs: loadGatewayKnowledgeCacheTtl(env, ConfigError),
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    timeouts: loadDependencyTimeouts(env, ConfigError),
    auth: {
      internalSecret: env.HUB_INTERNAL_SECRET || undefined,
      jwt: {
        secret: env.JWT_SECRET || undefined,
        jwksUrl: env.JWT_JWKS_URL || undefined,
        issuer: env.JWT_ISSUER || undefined,
        audience: env.JWT_AUDIENCE || undefined,
        maxLifetimeHours: loadJwtMaxLifetimeHours(env, ConfigError),
      },
    },
  };
}
