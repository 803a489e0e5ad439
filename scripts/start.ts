import { loadConfig } from '../lib/config';
import { LOCAL_SECRETS_DIR, withLocalSecrets } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { setupTracing } from '../lib/tracing';
import { runUntilSignal } from '../lib/lifecycle';
import { redact } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from './hub';
import { ensureDashboardBuild } from './dashboard-build';
import { mintLocalToken } from './local-token';

/** `npm start`: the whole hub on one machine with embedded defaults. */
const config = withLocalSecrets(loadConfig());
const log = createLogger('hub', config.logLevel);
// Before any service starts: they install tracing hooks only when it is on.
const tracing = setupTracing('precision-hub', { otlpEndpoint: config.otlpEndpoint, logLevel: config.logLevel });
const startedAt = Date.now();
runUntilSignal(log, async () => {
  // Vite builds the dashboard (~1 s, offline) while Neo4j starts, only when its sources changed.
  const dashboardBuild = ensureDashboardBuild().catch((error: unknown) => {
    log.warn({ err: error }, 'dashboard build failed; /dashboard/ will say so, the API works');
  });
  // The embedded Neo4j runs under a supervisor that restarts it if it dies (knowledge-graph/neo4j-supervisor.ts).
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log, config.timeouts.neo4j);
  try {
    const hub = await startHub(config, neo4j.connection, log);
    await dashboardBuild;
    // A ready clinician session for the dashboard: the token rides in the URL fragment, never sent to a server.
    const dashboardUrl = hub.gateway.url.replace(/\/graphql$/, '/dashboard/');
    const dashboardToken = config.auth.jwt.secret
      ? await mintLocalToken(config.auth.jwt.secret, { role: 'clinician', org: 'demo', client: 'precision-hub-dashboard', hours: Math.min(8, config.auth.jwt.maxLifetimeHours) }, config.auth.jwt.maxLifetimeHours)
      : undefined;
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
        `  auth                                     ${config.auth.jwt.jwksUrl ? `JWKS ${config.auth.jwt.jwksUrl}` : process.env.JWT_SECRET ? 'JWT_SECRET (HS256)' : `HS256, local secret in ${LOCAL_SECRETS_DIR}`}`,
        '  a bearer token for trying it            npm run token -- --role clinician --org demo',
        `  dashboard                                ${dashboardUrl}`,
        ...(dashboardToken ? [`  dashboard as a clinician (org demo, 8 h) ${dashboardUrl}#token=${dashboardToken}`] : []),
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    return [tracing, neo4j, hub];
  } catch (error) {
    await neo4j.close();
    throw error;
  }
});
