import { serveApollo, type RunningService } from '../../lib/apollo-http';
import { createSubgraphServer } from '../../lib/subgraph';
import type { Logger } from '../../lib/logger';
import type { IdentityAssertions } from '../../lib/identity';
import { createDriver, Neo4jExecutor, type Neo4jConnection } from '../../knowledge-graph/executor';
import { createKnowledgeContext, type KnowledgeContext } from './context';
import { Neo4jKnowledgeRepository } from './repository/knowledge-repository';
import { resolvers } from './resolvers';

export interface KnowledgeGraphServiceOptions {
  neo4j: Neo4jConnection;
  host: string;
  port: number;
  log: Logger;
  /** Verifies the gateway's identity assertions (and signs this service's own calls). */
  assertions: IdentityAssertions;
}

export async function startKnowledgeGraphService(opts: KnowledgeGraphServiceOptions): Promise<RunningService> {
  const executor = new Neo4jExecutor(createDriver(opts.neo4j), opts.neo4j.uri);
  const repository = new Neo4jKnowledgeRepository(executor);
  const server = createSubgraphServer<KnowledgeContext>('knowledge-graph', resolvers, opts.log);
  return serveApollo({
    server,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    assertions: opts.assertions,
    context: async (_req, identity) => createKnowledgeContext(repository, identity),
    health: async () => {
      try {
        await executor.read('RETURN 1');
        return { neo4j: 'ok' };
      } catch (error) {
        return { neo4j: (error as Error).message };
      }
    },
    onClose: () => executor.close(),
  });
}
