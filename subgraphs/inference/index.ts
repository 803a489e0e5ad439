import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startInferenceService } from './server';

const config = loadConfig();
const log = createLogger('inference', config.logLevel);
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startInferenceService({
    databaseUrl: config.databaseUrl,
    patientUrl: config.urls.patient,
    genomicsUrl: config.urls.genomics,
    knowledgeGraphUrl: config.urls.knowledgeGraph,
    modelDir: config.modelDir,
    modelId: config.nlpModelId,
    consumerGroup: config.inferenceConsumerGroup,
    consumerStart: config.inferenceConsumerStart,
    redisUrl: config.redisUrl,
    consumeEvents: process.env.INFERENCE_CONSUME_EVENTS !== 'false',
    host: config.host,
    port: config.ports.inference,
    log,
  });
  log.info({ url: service.url, redis: Boolean(config.redisUrl) }, 'inference subgraph listening');
  return [service];
});
