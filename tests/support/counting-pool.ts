import { createPool, type Pool, type PoolClient } from '../../lib/postgres';

/**
 * A pool that counts every statement its connections run, inside transactions or not: each new
 * connection's `query` is wrapped as the pool opens it. For tests and benchmarks that assert or
 * report SQL statements per request.
 */
export function countingPool(databaseUrl: string): { pool: Pool; counter: { statements: number } } {
  const counter = { statements: 0 };
  const pool = createPool(databaseUrl);
  pool.on('connect', (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      counter.statements++;
      return query(...args);
    }) as unknown as PoolClient['query'];
  });
  return { pool, counter };
}
