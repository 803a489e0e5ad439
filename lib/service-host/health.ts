/** Each dependency's state: 'ok', or why not. */
export type HealthCheck = () => Promise<Record<string, 'ok' | string>>;

export interface HealthAnswer {
  status: 200 | 503;
  body: { status: 'ok' | 'degraded'; checks: Record<string, string> };
}

/** `/health`: 200 when every check is 'ok', 503 (degraded, with the reasons) otherwise; a check that throws counts as `service`. */
export async function answerHealth(health: HealthCheck): Promise<HealthAnswer> {
  const checks = await health().catch((error: unknown) => ({ service: (error as Error).message }));
  const ok = Object.values(checks).every((v) => v === 'ok');
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', checks } };
}

/** A PostgreSQL pool's health: one round trip. */
export function postgresHealth(pool: { query(sql: string): Promise<unknown> }): HealthCheck {
  return async () => {
    try {
      await pool.query('SELECT 1');
      return { postgres: 'ok' };
    } catch (error) {
      return { postgres: (error as Error).message };
    }
  };
}
