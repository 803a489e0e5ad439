import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startPatientService } from './server';

const config = loadConfig();
const log = createLogger('patient', config.logLevel);
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startPatientService({
    databaseUrl: config.databaseUrl,
    host: config.host,
    port: config.ports.patient,
    log,
  });
  log.info({ url: service.url }, 'patient subgraph listening');
  return [service];
});
