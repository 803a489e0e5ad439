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
 * `rust`: on the patient-360 bench it serves more requests for less CPU than the JavaScript planner
 * (docs/benchmarks.md, issue 19). Where it answered a failing subgraph differently (error codes and paths,
 * `data: null`), gateway/planner-results.ts and gateway/subgraph-deadline.ts give both planners the same
 * answers, and the suite passes on either. Where its native addon cannot load, the gateway falls back to `js`
 * (gateway/server.ts `unifiedGraphHandlerFor`).
 */
export const DEFAULT_GATEWAY_QUERY_PLANNER: GatewayQueryPlanner = 'rust';

export function loadGatewayQueryPlanner(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): GatewayQueryPlanner {
  const raw = env.GATEWAY_QUERY_PLANNER?.trim();
  if (!raw) return DEFAULT_GATEWAY_QUERY_PLANNER;
  const planner = GATEWAY_QUERY_PLANNERS.find((name) => name === raw.toLowerCase());
  if (!planner) throw new ConfigError(`GATEWAY_QUERY_PLANNER="${raw}" is not one of ${GATEWAY_QUERY_PLANNERS.join(', ')}`);
  return planner;
}
