/**
 * How long the hub waits for PostgreSQL, Neo4j, Redis and its own subgraphs before it answers with
 * DEPENDENCY_UNAVAILABLE (or GATEWAY_TIMEOUT), and how it supervises the embedded Neo4j. Pure (no
 * imports) so `lib/config.ts` reads it without loading a driver. Issue 16: a dead Neo4j must cost a
 * request at most 2 s, with the rest of the federated answer still returned.
 */
export interface DependencyTimeouts {
  neo4j: Neo4jTimeouts;
  postgres: PostgresTimeouts;
  redis: RedisTimeouts;
  /** The gateway's wait for one subgraph request (GATEWAY_SUBGRAPH_TIMEOUT_MS); subscriptions are exempt. */
  gatewaySubgraphMs: number;
  /**
   * The gateway's wait for one subgraph mutation (GATEWAY_SUBGRAPH_MUTATION_TIMEOUT_MS). Longer than a
   * query's: a 16 MiB bundle or a whole VCF is one mutation, and a write the gateway gives up on may
   * still commit behind it, so giving up early invites a retry of a write that landed. Above
   * DATABASE_STATEMENT_TIMEOUT_MS (+5 s), so the subgraph reports its own timeout first.
   */
  gatewayMutationMs: number;
}

export interface Neo4jTimeouts {
  /** A new Bolt connection (NEO4J_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /** Waiting for a pooled connection when all are busy (NEO4J_ACQUISITION_TIMEOUT_MS). */
  acquisitionMs: number;
  /**
   * How long the driver keeps retrying a transaction after a transient or unavailable error
   * (NEO4J_MAX_RETRY_TIME_MS). Its first retry comes ~1 s after the first failure (driver default
   * back-off), so 500 ms allows exactly one retry: the driver's 30 s default is what made a killed
   * Neo4j cost 32 s and more per request.
   */
  maxRetryMs: number;
  /** One transaction, enforced by the server and, for a server that stopped answering, by the executor (NEO4J_QUERY_TIMEOUT_MS). */
  queryMs: number;
  /** Start of the embedded Neo4j until Bolt answers, store recovery after a crash included (NEO4J_START_TIMEOUT_MS). */
  startMs: number;
  restart: Neo4jRestartPolicy;
}

export interface Neo4jRestartPolicy {
  /** Restarts allowed within `windowMs` before the supervisor gives up (NEO4J_RESTART_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** NEO4J_RESTART_WINDOW_MS. */
  windowMs: number;
  /** First back-off, doubled per attempt up to `maxDelayMs` (NEO4J_RESTART_DELAY_MS, NEO4J_RESTART_MAX_DELAY_MS). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface PostgresTimeouts {
  /** A new connection (DATABASE_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /**
   * The server's statement_timeout for the hub's pools (DATABASE_STATEMENT_TIMEOUT_MS). Generous:
   * one statement may be the COPY of a whole VCF through the API; the client gives up 5 s later
   * (query_timeout) for a server that stopped answering altogether.
   */
  statementMs: number;
}

export interface RedisTimeouts {
  /** Connecting, and each reconnect attempt (REDIS_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /** One command (REDIS_COMMAND_TIMEOUT_MS). */
  commandMs: number;
}

export const DEFAULT_DEPENDENCY_TIMEOUTS: DependencyTimeouts = {
  neo4j: {
    connectMs: 1_000,
    acquisitionMs: 2_000,
    maxRetryMs: 500,
    // Above the slowest request-path read on a loaded 2-core CI machine (cold caches: ~7 s end to end).
    queryMs: 10_000,
    // Neo4j 5 replays its transaction log after a kill -9 before it opens Bolt; a loaded 2-core
    // machine took up to ~40 s for a cold start with recovery in our runs.
    startMs: 120_000,
    restart: { maxAttempts: 5, windowMs: 10 * 60_000, baseDelayMs: 500, maxDelayMs: 30_000 },
  },
  postgres: { connectMs: 2_000, statementMs: 120_000 },
  redis: { connectMs: 2_000, commandMs: 2_000 },
  // Above NEO4J_QUERY_TIMEOUT_MS (+1 s) and SUBGRAPH_TIMEOUT_MS (lib/subgraph-client.ts), so a subgraph reports its own dependency first.
  gatewaySubgraphMs: 15_000,
  gatewayMutationMs: 130_000,
};

type ConfigErrorClass = new (message: string) => Error;

function millis(env: NodeJS.ProcessEnv, key: string, fallback: number, ConfigError: ConfigErrorClass, min = 1): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${key}="${raw}" is not a whole number of milliseconds ≥ ${min}`);
  return value;
}

export function loadDependencyTimeouts(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): DependencyTimeouts {
  const d = DEFAULT_DEPENDENCY_TIMEOUTS;
  const restart = d.neo4j.restart;
  return {
    neo4j: {
      connectMs: millis(env, 'NEO4J_CONNECT_TIMEOUT_MS', d.neo4j.connectMs, ConfigError),
      acquisitionMs: millis(env, 'NEO4J_ACQUISITION_TIMEOUT_MS', d.neo4j.acquisitionMs, ConfigError),
      maxRetryMs: millis(env, 'NEO4J_MAX_RETRY_TIME_MS', d.neo4j.maxRetryMs, ConfigError, 0),
      queryMs: millis(env, 'NEO4J_QUERY_TIMEOUT_MS', d.neo4j.queryMs, ConfigError),
      startMs: millis(env, 'NEO4J_START_TIMEOUT_MS', d.neo4j.startMs, ConfigError),
      restart: {
        maxAttempts: millis(env, 'NEO4J_RESTART_MAX_ATTEMPTS', restart.maxAttempts, ConfigError, 0),
        windowMs: millis(env, 'NEO4J_RESTART_WINDOW_MS', restart.windowMs, ConfigError),
        baseDelayMs: millis(env, 'NEO4J_RESTART_DELAY_MS', restart.baseDelayMs, ConfigError, 0),
        maxDelayMs: millis(env, 'NEO4J_RESTART_MAX_DELAY_MS', restart.maxDelayMs, ConfigError, 0),
      },
    },
    postgres: {
      connectMs: millis(env, 'DATABASE_CONNECT_TIMEOUT_MS', d.postgres.connectMs, ConfigError),
      statementMs: millis(env, 'DATABASE_STATEMENT_TIMEOUT_MS', d.postgres.statementMs, ConfigError),
    },
    redis: {
      connectMs: millis(env, 'REDIS_CONNECT_TIMEOUT_MS', d.redis.connectMs, ConfigError),
      commandMs: millis(env, 'REDIS_COMMAND_TIMEOUT_MS', d.redis.commandMs, ConfigError),
    },
    gatewaySubgraphMs: millis(env, 'GATEWAY_SUBGRAPH_TIMEOUT_MS', d.gatewaySubgraphMs, ConfigError),
    gatewayMutationMs: millis(env, 'GATEWAY_SUBGRAPH_MUTATION_TIMEOUT_MS', d.gatewayMutationMs, ConfigError),
  };
}
