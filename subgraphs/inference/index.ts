import { loadConfig } from '../../lib/config';
import { assertionsOf, withLocalSecrets } from '../../lib/local-secrets';
import { createLogger } from '../../lib/logger';
import { setupTracing } from '../../lib/tracing';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startInferenceService } from './server';

const config = withLocalSecrets(loadConfig());
const log = createLogger('inference', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('inference', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startInferenceService({
    assertions: assertionsOf(config),
    databaseUrl: config.databaseUrl,
    patientUrl: config.urls.patient,
    genomicsUrl: config.urls.genomics,
    knowledgeGraphUrl: config.urls.knowledgeGraph,
    modelDir: config.modelDir,
    modelId: config.nlpModelId,
    consumerGroup: config.inferenceConsumerGroup,
    consumerStart: config.inferenceConsumerStart,
    redisUrl: config.redisUrl,
    redisTimeouts: config.timeouts.redis,
    consumeEvents: process.env.INFERENCE_CONSUME_EVENTS !== 'false',
    metricsToken: config.gatewayEdges.metricsToken,
    host: config.host,
    port: config.ports.inference,
    log,
  });
  log.info({ url: service.url, redis: Boolean(config.redisUrl) }, 'inference subgraph listening');
  return [tracing, service];
});
