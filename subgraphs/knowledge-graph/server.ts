import { createSubgraphServer, serveApollo, type RunningService } from '../../lib/service-host';
import type { Logger } from '../../lib/logger';
import type { IdentityAssertions } from '../../lib/identity';
import { DEFAULT_DEPENDENCY_TIMEOUTS, type Neo4jTimeouts } from '../../lib/dependency-timeouts';
import { createDriver, Neo4jExecutor, type Neo4jConnection } from '../../knowledge-graph/executor';
import { createKnowledgeContext, type KnowledgeContext } from './context';
import { Neo4jKnowledgeRepository } from './repository/knowledge-repository';
import { resolvers } from './resolvers';

export interface KnowledgeGraphServiceOptions {
  neo4j: Neo4jConnection;
  /** Driver and query timeouts (NEO4J_*_TIMEOUT_MS); the defaults when unset. */
  timeouts?: Neo4jTimeouts;
  host: string;
  port: number;
  log: Logger;
  /** Verifies the gateway's identity assertions (and signs this service's own calls). */
  assertions: IdentityAssertions;
}

export async function startKnowledgeGraphService(opts: KnowledgeGraphServiceOptions): Promise<RunningService & { warmedUp: Promise<void> }> {
  const timeouts = opts.timeouts ?? DEFAULT_DEPENDENCY_TIMEOUTS.neo4j;
  const availability = opts.neo4j.availability;
  const executor = new Neo4jExecutor(createDriver(opts.neo4j, timeouts), opts.neo4j.uri, {
    readTimeoutMs: timeouts.queryMs,
    knownDown: availability ? () => availability.downReason() : undefined,
  });
  const repository = new Neo4jKnowledgeRepository(executor);
  const server = createSubgraphServer<KnowledgeContext>('knowledge-graph', resolvers, opts.log);
  // In the background: start-up does not wait, and a failure (Neo4j restarting) only leaves the first reads slower.
  const started = performance.now();
  const warmedUp = repository.warmUp().then(
    () => opts.log.info({ ms: Math.round(performance.now() - started) }, 'knowledge-graph patient-page reads planned'),
    (error: unknown) => opts.log.warn({ err: error }, 'knowledge-graph warm-up failed; the first reads will plan their queries'),
  );
  const service = await serveApollo({
    server,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    assertions: opts.assertions,
    context: async (_req, identity) => createKnowledgeContext(repository, identity),
    // 'ok', or why not: the supervisor's state of the embedded Neo4j (restarting, failed) or the driver's error.
    health: async () => {
      try {
        await executor.read('RETURN 1');
        return { neo4j: 'ok' };
      } catch (error) {
        return { neo4j: (error as Error).message };
      }
    },
    onClose: async () => {
      await warmedUp;
      await executor.close();
    },
  });
  return Object.assign(service, { warmedUp });
}
