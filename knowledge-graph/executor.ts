import neo4j, { type Driver, type QueryResult, type RecordShape } from 'neo4j-driver';
import { ErrorCode, HubError } from '../lib/errors';
import { DEFAULT_DEPENDENCY_TIMEOUTS, type Neo4jTimeouts } from '../lib/dependency-timeouts';

export interface Neo4jConnection {
  uri: string;
  user?: string;
  password?: string;
  /** The embedded Neo4j's supervisor (knowledge-graph/neo4j-supervisor.ts), when the hub launched it. */
  availability?: Neo4jAvailability;
}

/** What the hub knows of its own Neo4j's process without asking it over Bolt. */
export interface Neo4jAvailability {
  /** Why Neo4j cannot answer now (exited, restarting, given up), or undefined while it runs. */
  downReason(): string | undefined;
}

type DriverTimeouts = Pick<Neo4jTimeouts, 'connectMs' | 'acquisitionMs' | 'maxRetryMs'>;

export function createDriver(conn: Neo4jConnection, timeouts: DriverTimeouts = DEFAULT_DEPENDENCY_TIMEOUTS.neo4j): Driver {
  // No user: the embedded launcher runs with auth disabled, which takes the 'none' scheme.
  const auth = conn.user ? neo4j.auth.basic(conn.user, conn.password ?? '') : { scheme: 'none', principal: '', credentials: '' };
  return neo4j.driver(conn.uri, auth, {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 50,
    // The driver's defaults (30 s connect, 60 s acquisition, 30 s of retries) made a killed Neo4j
    // cost a request 32-62 s (issue 16); each is bounded here (lib/dependency-timeouts.ts).
    connectionTimeout: timeouts.connectMs,
    connectionAcquisitionTimeout: timeouts.acquisitionMs,
    maxTransactionRetryTime: timeouts.maxRetryMs,
  });
}

export interface Neo4jExecutorOptions {
  /**
   * Each read transaction's limit on the request path (NEO4J_QUERY_TIMEOUT_MS), sent to the server as
   * the transaction timeout and enforced here too (plus a second for the server's own answer) for a
   * server that stopped answering. Unset (seed, importers, schema): no limit but the server's own.
   * Writes are seed and import batches and never limited here.
   */
  readTimeoutMs?: number;
  /**
   * Why Neo4j is known to be down (the embedded Neo4j's supervisor: exited, restarting), or undefined
   * when it should be up: while it is down, calls fail at once instead of each waiting on the driver.
   */
  knownDown?: () => string | undefined;
}

/** After the driver found Neo4j unreachable, calls fail at once for this long instead of each paying the driver's connect and retry. */
const FAIL_FAST_MS = 1_000;
/** What the executor allows past the server-side transaction timeout before giving up on an answer. */
const DEADLINE_GRACE_MS = 1_000;

class DeadlineExceeded extends Error {}

/**
 * The one door to Neo4j: a session per call, managed read/write transactions (retried by the driver
 * on transient errors), the session closed in `finally`, and driver failures turned into a coded
 * error that names the server and the fix.
 */
export class Neo4jExecutor {
  private failFastUntil = 0;

  constructor(
    readonly driver: Driver,
    private readonly uri: string,
    private readonly options: Neo4jExecutorOptions = {},
  ) {}

  read<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.run('READ', cypher, params);
  }

  write<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    return this.run('WRITE', cypher, params);
  }

  private async run<R extends RecordShape>(mode: 'READ' | 'WRITE', cypher: string, params: Record<string, unknown>) {
    const down = this.options.knownDown?.();
    if (down) throw this.unavailable(down);
    if (Date.now() < this.failFastUntil) throw this.unavailable('it refused a connection moments ago');
    const session = this.driver.session({ defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
    let timer: NodeJS.Timeout | undefined;
    let abandoned = false;
    try {
      const work = (tx: { run: (q: string, p: Record<string, unknown>) => Promise<QueryResult<R>> }) => tx.run(cypher, params);
      const timeoutMs = this.options.readTimeoutMs;
      if (mode === 'WRITE') return await session.executeWrite(work);
      if (timeoutMs === undefined) return await session.executeRead(work);
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded()), timeoutMs + DEADLINE_GRACE_MS);
      });
      return await Promise.race([session.executeRead(work, { timeout: timeoutMs }), deadline]);
    } catch (error) {
      if (error instanceof DeadlineExceeded) {
        abandoned = true;
        throw this.unavailable(`no answer within ${(this.options.readTimeoutMs ?? 0) + DEADLINE_GRACE_MS} ms`);
      }
      const code = (error as { code?: string }).code ?? '';
      if (code === 'ServiceUnavailable' || code === 'SessionExpired' || (error as Error).message.includes('ECONNREFUSED')) {
        this.failFastUntil = Date.now() + FAIL_FAST_MS;
        throw this.unavailable((error as Error).message);
      }
      if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
        throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, `Neo4j at ${this.uri} ended a read that ran over ${this.options.readTimeoutMs ?? 0} ms (NEO4J_QUERY_TIMEOUT_MS)`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      // A session whose server stopped answering would not close either: let it go in the background.
      if (abandoned) void session.close().catch(() => undefined);
      else await session.close();
    }
  }

  private unavailable(reason: string): HubError {
    return new HubError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      `Neo4j unreachable at ${this.uri} (${reason}): start the hub's launcher (npm start) or set NEO4J_URI to a running Neo4j`,
    );
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
