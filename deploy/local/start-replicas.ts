import { loadConfig } from '../../lib/config';
import { withLocalSecrets } from '../../lib/local-secrets';
import { createLogger } from '../../lib/logger';
import { runUntilSignal } from '../../lib/lifecycle';
import { redact } from '../../lib/postgres';
import { ensureDatabase } from '../../lib/postgres';
import { ensureKnowledgeGraph } from '../../knowledge-graph/bootstrap';
import { DEFAULT_EMBEDDING_MODEL_ID, prepareDefaultModelFolder } from '../../subgraphs/inference/nlp/model-folder';
import { REPLICATED_SERVICES, startReplicaHub } from './replicas';

/**
 * `npm run start:replicas`: the local multi-replica hub (deploy/local/replicas.ts). HAProxy listens
 * on the usual ports (gateway 4000, patient 4001, …; PORT and the *_PORT keys move them), its
 * statistics on HAPROXY_STATS_PORT (8404); REPLICAS (2) per service; Redis at REDIS_URL
 * (default redis://127.0.0.1:6379); PostgreSQL at DATABASE_URL; Neo4j embedded unless NEO4J_URI.
 */
const config = withLocalSecrets(loadConfig());
const log = createLogger('replicas', config.logLevel);
const redisUrl = config.redisUrl ?? 'redis://127.0.0.1:6379';
runUntilSignal(log, async () => {
  await ensureDatabase(config.databaseUrl);
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log, config.timeouts.neo4j);
  if (config.nlpModelId === DEFAULT_EMBEDDING_MODEL_ID) {
    try {
      prepareDefaultModelFolder(config.modelDir, (line) => log.info(line));
    } catch (error) {
      log.warn({ err: error }, 'notes NLP model not available; the rest of the hub works');
    }
  }
  try {
    const hub = await startReplicaHub({
      databaseUrl: config.databaseUrl,
      redisUrl,
      neo4j: neo4j.connection,
      replicas: Number(process.env.REPLICAS ?? 2),
      host: config.host,
      frontendPorts: {
        gateway: config.ports.gateway,
        patient: config.ports.patient,
        genomics: config.ports.genomics,
        'knowledge-graph': config.ports.knowledgeGraph,
        inference: config.ports.inference,
      },
      statsPort: Number(process.env.HAPROXY_STATS_PORT ?? 8404),
      env: {
        HUB_INTERNAL_SECRET: config.auth.internalSecret,
        ...(config.auth.jwt.secret ? { JWT_SECRET: config.auth.jwt.secret } : {}),
        INFERENCE_CONSUMER_GROUP: config.inferenceConsumerGroup,
        LOG_LEVEL: config.logLevel,
      },
      log,
    });
    const rows = REPLICATED_SERVICES.map((service) => {
      const replicas = hub.replicas[service.name].map((r) => `${r.spec.name} :${r.spec.port} pid ${r.pid}`).join(', ');
      return `  ${service.name.padEnd(16)} ${hub.frontendUrls[service.name].padEnd(34)} ${replicas}`;
    });
    console.log(
      [
        '',
        'Precision Hub (multi-replica, local) is up — clinical decision support, not a medical device.',
        `  clients use the gateway through HAProxy   ${hub.gatewayUrl}`,
        ...rows,
        `  HAProxy statistics                        http://${config.host}:${hub.haproxy.spec.port}/stats (config ${hub.dir}/haproxy.cfg)`,
        `  PostgreSQL                                ${redact(config.databaseUrl)}`,
        `  Neo4j                                     ${neo4j.connection.uri}`,
        `  events fan-out                            Redis ${redisUrl}`,
        '  a bearer token for trying it             npm run token -- --role clinician --org demo',
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
