import { loadConfig } from '../../lib/config';
import { assertionsOf, withLocalSecrets } from '../../lib/local-secrets';
import { createLogger } from '../../lib/logger';
import { setupTracing } from '../../lib/tracing';
import { runUntilSignal } from '../../lib/lifecycle';
import { ensureKnowledgeGraph } from '../../knowledge-graph/bootstrap';
import { startKnowledgeGraphService } from './server';

const config = withLocalSecrets(loadConfig());
const log = createLogger('knowledge-graph', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('knowledge-graph', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
runUntilSignal(log, async () => {
  const store = await ensureKnowledgeGraph(config.neo4j, log, config.timeouts.neo4j);
  const service = await startKnowledgeGraphService({
    assertions: assertionsOf(config),
    neo4j: store.connection,
    timeouts: config.timeouts.neo4j,
    host: config.host,
    port: config.ports.knowledgeGraph,
    log,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  log.info({ url: service.url, neo4j: store.connection.uri }, 'knowledge-graph subgraph listening');
  return [tracing, store, service];
});
