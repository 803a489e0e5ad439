import neo4j, { type Driver, type QueryResult, type RecordShape } from 'neo4j-driver';
import { ErrorCode, HubError } from '../lib/errors';

export interface Neo4jConnection {
  uri: string;
  user?: string;
  password?: string;
}

export function createDriver(conn: Neo4jConnection): Driver {
  // No user: the embedded launcher runs with auth disabled, which takes the 'none' scheme.
  const auth = conn.user ? neo4j.auth.basic(conn.user, conn.password ?? '') : { scheme: 'none', principal: '', credentials: '' };
  return neo4j.driver(conn.uri, auth, { disableLosslessIntegers: true, maxConnectionPoolSize: 50 });
}

/**
 * The one door to Neo4j: a session per call, managed read/write transactions (retried by the driver
 * on transient errors), the session closed in `finally`, and driver failures turned into a coded
 * error that names the server and the fix.
 */
export class Neo4jExecutor {
  constructor(
    readonly driver: Driver,
    private readonly uri: string,
  ) {}

  read<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.run('READ', cypher, params);
  }

  write<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.run('WRITE', cypher, params);
  }

  private async run<R extends RecordShape>(mode: 'READ' | 'WRITE', cypher: string, params: Record<string, unknown>) {
    const session = this.driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
    try {
      const work = (tx: { run: (q: string, p: Record<string, unknown>) => Promise<QueryResult<R>> }) => tx.run(cypher, params);
      return mode === 'READ' ? await session.executeRead(work) : await session.executeWrite(work);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code === 'ServiceUnavailable' || code === 'SessionExpired' || (error as Error).message.includes('ECONNREFUSED')) {
        throw new HubError(
          ErrorCode.DEPENDENCY_UNAVAILABLE,
          `Neo4j unreachable at ${this.uri}: start the hub's launcher (npm start) or set NEO4J_URI to a running Neo4j`,
        );
      }
      throw error;
    } finally {
      await session.close();
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
