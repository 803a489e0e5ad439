import { MAX_REQUEST_BODY_BYTES } from './body-limits';

/**
 * What the gateway refuses before execution, and the environment variables that change it. Pure
 * (its one import, lib/body-limits.ts, has none) so `lib/config.ts` can read it without loading the gateway
 * (it lives in lib/ because lib/ must not import a service: see the boundary lint in eslint.config.mjs). Defaults were measured
 * against the hub's own queries (README examples, tests, GraphiQL's introspection query) and sit
 * well above the largest of them; see `gateway/limits.test.ts`.
 */

/** Deepest selection nesting; the hub's deepest real query (rare-disease matches) is 6. */
export const MAX_QUERY_DEPTH = 12;
/** Aliased fields per operation; GraphQL's batching-by-alias is the usual amplification attack. */
export const MAX_QUERY_ALIASES = 30;
/** Lexical tokens per document (variables excluded; the hub's largest query has ~180): bounds parser work. */
export const MAX_QUERY_TOKENS = 3_000;
/**
 * graphql-armor's static cost (objects 2, scalars 1, each level ×1.5, ×a literal `first`/`last`):
 * the README's Decisions example costs 845, a full patients page (`first: 100`, the patient
 * subgraph's maximum) ~8,200; GraphiQL's introspection is not counted.
 */
export const MAX_QUERY_COST = 20_000;
/** Request body bytes: the hub's one limit (lib/body-limits.ts), which every subgraph accepts with room to spare. */
export { MAX_REQUEST_BODY_BYTES };
/**
 * Rate limits, sized for a hospital (README "Limits" has the arithmetic). The dashboard's patient
 * page is 6 operations (record, genomics, risk and decisions queries, the riskUpdated and
 * findingsUpdated subscriptions) and a what-if change one more. Per caller (a token's `sub`, an API
 * key): a clinician paging through patients as fast as a person can, a page a second, sends 6
 * operations/s; 20/s is three times that, and a burst of 100 opens 16 pages at once (a restored
 * browser session). Per client application, the ceiling a whole ward or hospital shares on one app:
 * 500 clinicians on shift each opening a page every 15 s at the busiest (morning rounds) is ~200
 * operations/s; 400/s is twice that, and a burst of 1,500 is 250 pages in the same second (shift
 * change). Both are per gateway replica.
 */
export const RATE_LIMIT_BURST = 100;
export const RATE_LIMIT_PER_SECOND = 20;
export const CLIENT_RATE_LIMIT_BURST = 1_500;
export const CLIENT_RATE_LIMIT_PER_SECOND = 400;

export interface RateLimit {
  /** Operations a caller may send at once (the token bucket's size). */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  /** Per caller (token subject or API key); undefined: no rate limits at all (GATEWAY_RATE_LIMIT_PER_SECOND=0). */
  rateLimit: RateLimit | undefined;
  /** The ceiling every caller of one client application shares; undefined: none (GATEWAY_CLIENT_RATE_LIMIT_PER_SECOND=0). */
  clientRateLimit: RateLimit | undefined;
  /** Introspection and "Did you mean …" suggestions; off in production unless GATEWAY_INTROSPECTION=true. */
  introspection: boolean;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  maxDepth: MAX_QUERY_DEPTH,
  maxAliases: MAX_QUERY_ALIASES,
  maxTokens: MAX_QUERY_TOKENS,
  maxCost: MAX_QUERY_COST,
  maxBodyBytes: MAX_REQUEST_BODY_BYTES,
  rateLimit: { burst: RATE_LIMIT_BURST, perSecond: RATE_LIMIT_PER_SECOND },
  clientRateLimit: { burst: CLIENT_RATE_LIMIT_BURST, perSecond: CLIENT_RATE_LIMIT_PER_SECOND },
  introspection: true,
};

type ConfigErrorClass = new (message: string) => Error;

function positiveInteger(env: NodeJS.ProcessEnv, key: string, fallback: number, ConfigError: ConfigErrorClass, allowZero = false): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigError(`${key}="${raw}" is not a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean, ConfigError: ConfigErrorClass): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${key}="${raw}" is not true or false`);
}

/** GATEWAY_MAX_BODY_BYTES may lower the limit, not raise it: the subgraphs would refuse what the gateway let through. */
function bodyLimit(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): number {
  const value = positiveInteger(env, 'GATEWAY_MAX_BODY_BYTES', DEFAULT_GATEWAY_LIMITS.maxBodyBytes, ConfigError);
  if (value > MAX_REQUEST_BODY_BYTES) {
    throw new ConfigError(
      `GATEWAY_MAX_BODY_BYTES=${value} is above the hub's request-body limit of ${MAX_REQUEST_BODY_BYTES} bytes (lib/body-limits.ts), which the subgraphs are sized for; raise that constant instead`,
    );
  }
  return value;
}

/**
 * The limits from GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES, GATEWAY_MAX_TOKENS, GATEWAY_MAX_COST,
 * GATEWAY_MAX_BODY_BYTES, GATEWAY_RATE_LIMIT_BURST and GATEWAY_RATE_LIMIT_PER_SECOND (per caller; 0:
 * every rate limit off), GATEWAY_CLIENT_RATE_LIMIT_BURST and GATEWAY_CLIENT_RATE_LIMIT_PER_SECOND (per
 * client application; 0: no ceiling) and GATEWAY_INTROSPECTION (default: on unless NODE_ENV=production). `ConfigError` is the loader's
 * error class, passed in so this file stays free of imports.
 */
export function loadGatewayLimits(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): GatewayLimits {
  const d = DEFAULT_GATEWAY_LIMITS;
  const perSecond = positiveInteger(env, 'GATEWAY_RATE_LIMIT_PER_SECOND', RATE_LIMIT_PER_SECOND, ConfigError, true);
  const burst = positiveInteger(env, 'GATEWAY_RATE_LIMIT_BURST', RATE_LIMIT_BURST, ConfigError);
  const clientPerSecond = positiveInteger(env, 'GATEWAY_CLIENT_RATE_LIMIT_PER_SECOND', CLIENT_RATE_LIMIT_PER_SECOND, ConfigError, true);
  const clientBurst = positiveInteger(env, 'GATEWAY_CLIENT_RATE_LIMIT_BURST', CLIENT_RATE_LIMIT_BURST, ConfigError);
  return {
    maxDepth: positiveInteger(env, 'GATEWAY_MAX_DEPTH', d.maxDepth, ConfigError),
    maxAliases: positiveInteger(env, 'GATEWAY_MAX_ALIASES', d.maxAliases, ConfigError, true),
    maxTokens: positiveInteger(env, 'GATEWAY_MAX_TOKENS', d.maxTokens, ConfigError),
    maxCost: positiveInteger(env, 'GATEWAY_MAX_COST', d.maxCost, ConfigError),
    maxBodyBytes: bodyLimit(env, ConfigError),
    rateLimit: perSecond === 0 ? undefined : { burst, perSecond },
    clientRateLimit: perSecond === 0 || clientPerSecond === 0 ? undefined : { burst: clientBurst, perSecond: clientPerSecond },
    introspection: flag(env, 'GATEWAY_INTROSPECTION', env.NODE_ENV !== 'production', ConfigError),
  };
}
