import { loadConfig } from '../../lib/config';
import { assertionsOf, withLocalSecrets } from '../../lib/local-secrets';
import { createLogger } from '../../lib/logger';
import { setupTracing } from '../../lib/tracing';
import { ensureDatabase } from '../../lib/postgres';
import { runUntilSignal } from '../../lib/lifecycle';
import { startGenomicsService } from './server';

const config = withLocalSecrets(loadConfig());
const log = createLogger('genomics', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('genomics', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const service = await startGenomicsService({
    assertions: assertionsOf(config),
    databaseUrl: config.databaseUrl,
    patientUrl: config.urls.patient,
    host: config.host,
    port: config.ports.genomics,
    log,
  });
  log.info({ url: service.url }, 'genomics subgraph listening');
  return [tracing, service];
});
