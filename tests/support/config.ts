import { randomUUID } from 'node:crypto';
import { loadConfig, type HubConfig } from '../../lib/config';
import type { SecuredConfig } from '../../lib/local-secrets';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET } from './auth';

/** Set by tests/global-setup.ts to this run's own database (or given by the caller). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The hub's configuration for tests: the test database, every port ephemeral. */
export function testConfig(overrides: Partial<HubConfig> = {}): SecuredConfig {
  const base = loadConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    LOG_LEVEL: 'silent',
    HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    JWT_SECRET: TEST_JWT_SECRET,
    // The suite runs on either query planner (the default, rust, or `GATEWAY_QUERY_PLANNER=js npm run jest -- tests/...`).
    GATEWAY_QUERY_PLANNER: process.env.GATEWAY_QUERY_PLANNER,
  });
  return {
    ...base,
    ports: { gateway: 0, patient: 0, genomics: 0, knowledgeGraph: 0, inference: 0 },
    redisUrl: undefined,
    // Every hub a test starts has its own consumer group from the current end of the outbox: hubs of
    // test files running side by side (in-memory pub/sub each) must not take each other's events.
    inferenceConsumerGroup: `inference-test-${randomUUID()}`,
    inferenceConsumerStart: 'end',
    // A new PostgreSQL connection may take longer than the production bound (2 s) while the whole suite
    // loads this 2-core machine; tests about that bound (tests/faults/) set their own.
    timeouts: { ...base.timeouts, postgres: { ...base.timeouts.postgres, connectMs: 10_000 } },
    ...overrides,
  } as SecuredConfig;
}

/** The Neo4j the global setup started (or NEO4J_URI when the caller gave one). */
export function testNeo4j(): { uri: string; user?: string; password?: string } {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set: tests/global-setup.ts starts the embedded Neo4j');
  return { uri, user: process.env.NEO4J_USER || undefined, password: process.env.NEO4J_PASSWORD || undefined };
}
