import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { runUntilSignal } from '../lib/lifecycle';
import { startGateway } from './server';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
runUntilSignal(log, async () => {
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
  });
  log.info({ url: gateway.url }, 'gateway listening');
  return [gateway];
});
