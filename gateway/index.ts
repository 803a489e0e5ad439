import { loadConfig } from '../lib/config';
import { assertionsOf, withLocalSecrets } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { setupTracing } from '../lib/tracing';
import { runUntilSignal } from '../lib/lifecycle';
import { ensureDatabase } from '../lib/postgres';
import { startGateway } from './server';

const config = withLocalSecrets(loadConfig());
const log = createLogger('gateway', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('gateway', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const gateway = await startGateway({
    subgraphUrls: {
      patient: config.urls.patient,
      genomics: config.urls.genomics,
      'knowledge-graph': config.urls.knowledgeGraph,
      inference: config.urls.inference,
    },
    host: config.host,
    port: config.ports.gateway,
    log,
    limits: config.gatewayLimits,
    subgraphTimeoutMs: config.timeouts.gatewaySubgraphMs,
    knowledgeCacheTtlMs: config.gatewayKnowledgeCacheTtlMs,
    subgraphMutationTimeoutMs: config.timeouts.gatewayMutationMs,
    corsOrigins: config.gatewayEdges.corsOrigins,
    metricsToken: config.gatewayEdges.metricsToken,
    queryPlanner: config.gatewayQueryPlanner,
    auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
    databaseUrl: config.databaseUrl,
  });
  log.info({ url: gateway.url }, 'gateway listening');
  return [tracing, gateway];
});
