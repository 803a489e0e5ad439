import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startGenomicsService } from './server';

const config = loadConfig();
const log = createLogger('genomics', config.logLevel);
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startGenomicsService({
    databaseUrl: config.databaseUrl,
    patientUrl: config.urls.patient,
    host: config.host,
    port: config.ports.genomics,
    log,
  });
  log.info({ url: service.url }, 'genomics subgraph listening');
  return [service];
});
