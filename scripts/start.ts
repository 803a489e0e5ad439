import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { runUntilSignal } from '../lib/lifecycle';
import { redact } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from './hub';

/** `npm start`: the whole hub on one machine with embedded defaults. */
const config = loadConfig();
const log = createLogger('hub', config.logLevel);
const startedAt = Date.now();
runUntilSignal(log, async () => {
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  try {
    const hub = await startHub(config, neo4j.connection, log);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(
      [
        '',
        `Precision Hub is up in ${seconds} s — clinical decision support, not a medical device.`,
        `  gateway (GraphQL, graphql-ws, GraphiQL)  ${hub.gateway.url}`,
        `  patient subgraph                         ${hub.patient.url}`,
        `  genomics subgraph                        ${hub.genomics.url}`,
        `  knowledge-graph subgraph                 ${hub.knowledgeGraph.url}`,
        `  inference subgraph                       ${hub.inference.url}`,
        `  PostgreSQL                               ${redact(config.databaseUrl)}`,
        `  Neo4j                                    ${neo4j.connection.uri}${config.neo4j.uri ? '' : ' (embedded)'}`,
        `  events fan-out                           ${config.redisUrl ? `Redis ${config.redisUrl}` : 'in-process'}`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    return [neo4j, hub];
  } catch (error) {
    await neo4j.close();
    throw error;
  }
});
