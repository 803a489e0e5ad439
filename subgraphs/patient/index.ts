import { loadConfig } from '../../lib/config';
import { assertionsOf, withLocalSecrets } from '../../lib/local-secrets';
import { createLogger } from '../../lib/logger';
import { setupTracing } from '../../lib/tracing';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startPatientService } from './server';

const config = withLocalSecrets(loadConfig());
const log = createLogger('patient', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('patient', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startPatientService({
    assertions: assertionsOf(config),
    genomicsUrl: () => config.urls.genomics,
    databaseUrl: config.databaseUrl,
    host: config.host,
    port: config.ports.patient,
    log,
  });
  log.info({ url: service.url }, 'patient subgraph listening');
  return [tracing, service];
});
