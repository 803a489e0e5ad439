import { ConfigError } from './config';
import { DEFAULT_DEPENDENCY_TIMEOUTS, loadDependencyTimeouts } from './dependency-timeouts';
import { asDependencyError } from './postgres';
import { redisOptionsFromUrl } from './redis-emitter';
import { HubError } from './errors';

describe('dependency timeouts', () => {
  it('takes the defaults when nothing is set', () => {
    expect(loadDependencyTimeouts({}, ConfigError)).toEqual(DEFAULT_DEPENDENCY_TIMEOUTS);
  });

  it('reads each key from the environment', () => {
    const timeouts = loadDependencyTimeouts(
      { NEO4J_CONNECT_TIMEOUT_MS: '250', NEO4J_MAX_RETRY_TIME_MS: '0', NEO4J_RESTART_MAX_ATTEMPTS: '2', DATABASE_STATEMENT_TIMEOUT_MS: '5000', REDIS_COMMAND_TIMEOUT_MS: '700', GATEWAY_SUBGRAPH_TIMEOUT_MS: '3000' },
      ConfigError,
    );
    expect(timeouts.neo4j).toEqual(expect.objectContaining({ connectMs: 250, maxRetryMs: 0, restart: expect.objectContaining({ maxAttempts: 2 }) }));
    expect(timeouts.postgres.statementMs).toBe(5000);
    expect(timeouts.redis.commandMs).toBe(700);
    expect(timeouts.gatewaySubgraphMs).toBe(3000);
  });

  it('refuses a value that is not a whole number of milliseconds, naming the key', () => {
    expect(() => loadDependencyTimeouts({ NEO4J_QUERY_TIMEOUT_MS: '2s' }, ConfigError)).toThrow('NEO4J_QUERY_TIMEOUT_MS="2s" is not a whole number of milliseconds ≥ 1');
    expect(() => loadDependencyTimeouts({ GATEWAY_SUBGRAPH_TIMEOUT_MS: '0' }, ConfigError)).toThrow(ConfigError);
  });
});

describe('PostgreSQL failures as coded errors', () => {
  const where = 'postgres://127.0.0.1:5432/hub';

  it('codes a refused, reset or timed-out connection DEPENDENCY_UNAVAILABLE', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      // A socket error from another realm (jest) is a plain object, not an Error.
      { errno: -111, code: 'ECONNREFUSED', syscall: 'connect' },
    ]) {
      const coded = asDependencyError(error, where);
      expect(coded).toBeInstanceOf(HubError);
      expect((coded as HubError).code).toBe('DEPENDENCY_UNAVAILABLE');
    }
  });

  it('codes a statement cancelled by statement_timeout, and leaves constraint violations alone', () => {
    expect((asDependencyError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), where) as HubError).message).toBe(
      `PostgreSQL at ${where} cancelled a statement that ran over DATABASE_STATEMENT_TIMEOUT_MS`,
    );
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(asDependencyError(unique, where)).toBe(unique);
  });
});

describe('Redis URLs', () => {
  it('become ioredis options, credentials and database included', () => {
    expect(redisOptionsFromUrl('redis://user:p%40ss@cache.internal:6380/2')).toEqual({ host: 'cache.internal', port: 6380, username: 'user', password: 'p@ss', db: 2 });
    expect(redisOptionsFromUrl('rediss://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, tls: {} });
    expect(() => redisOptionsFromUrl('http://127.0.0.1:6379')).toThrow('REDIS_URL must be redis:// or rediss://, not http:');
  });
});
