import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { runUntilSignal } from '../../lib/lifecycle';
import { ensureKnowledgeGraph } from '../../knowledge-graph/bootstrap';
import { startKnowledgeGraphService } from './server';

const config = loadConfig();
const log = createLogger('knowledge-graph', config.logLevel);
runUntilSignal(log, async () => {
  const store = await ensureKnowledgeGraph(config.neo4j, log);
  const service = await startKnowledgeGraphService({
    neo4j: store.connection,
    host: config.host,
    port: config.ports.knowledgeGraph,
    log,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  log.info({ url: service.url, neo4j: store.connection.uri }, 'knowledge-graph subgraph listening');
  return [store, service];
});
