/**
 * GATEWAY_QUERY_PLANNER: which Federation query planner the gateway runs. Pure (no imports) so
 * `lib/config.ts` can read it without loading the gateway; `ConfigError` is the loader's error class, passed in.
 *
 * - `js`: the Hive Gateway runtime's own planner (`@graphql-tools/federation`, stitching-based).
 * - `rust`: the Hive Router's planner (`@graphql-hive/router-runtime` over the native addon
 *   `@graphql-hive/router-query-planner`, Linux and macOS x64/arm64 only).
 *
 * Both are kept so either can be measured (bench/gateway.bench.ts; docs/benchmarks.md, issue 19 item 5).
 */

type ConfigErrorClass = new (message: string) => Error;

export const GATEWAY_QUERY_PLANNERS = ['js', 'rust'] as const;
export type GatewayQueryPlanner = (typeof GATEWAY_QUERY_PLANNERS)[number];

/**
 * `js`: the Rust planner measured faster on the patient-360 bench (docs/benchmarks.md, 2026-12-06) but
 * loses subgraph error codes and paths and `data: null` that the gateway's tests require.
 */
export const DEFAULT_GATEWAY_QUERY_PLANNER: GatewayQueryPlanner = 'js';

export function loadGatewayQueryPlanner(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): GatewayQueryPlanner {
  const raw = env.GATEWAY_QUERY_PLANNER?.trim();
  if (!raw) return DEFAULT_GATEWAY_QUERY_PLANNER;
  const planner = GATEWAY_QUERY_PLANNERS.find((name) => name === raw.toLowerCase());
  if (!planner) throw new ConfigError(`GATEWAY_QUERY_PLANNER="${raw}" is not one of ${GATEWAY_QUERY_PLANNERS.join(', ')}`);
  return planner;
}
