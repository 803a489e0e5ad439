/**
 * The gateway's edge settings read from the environment: CORS origins, the metrics scraper's secret
 * and the longest bearer-token lifetime accepted. Pure (no imports) so `lib/config.ts` can read it
 * without loading the gateway (lib/ must not import a service); `ConfigError` is the loader's error class, passed in.
 */

type ConfigErrorClass = new (message: string) => Error;

/** Bearer tokens living longer than this (exp − iat) are refused: an identity provider's usual session is 8–12 h. */
export const DEFAULT_JWT_MAX_LIFETIME_HOURS = 24;
/** The metrics secret must not be guessable; 16 characters is ~95 bits of base64. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

export interface GatewayEdges {
  /** Browser origins (scheme://host[:port]) allowed to call the gateway cross-origin; none by default. */
  corsOrigins: string[];
  /** The bearer secret a Prometheus scraper sends to read `/metrics`; unset, `/metrics` is refused. */
  metricsToken: string | undefined;
}

/**
 * CORS_ORIGINS: comma-separated origins, each exactly as a browser sends it in `Origin` (the WHATWG
 * URL parser decides: `https://portal.example.org`, no path, no `*`). A wrong entry stops startup
 * rather than silently opening or closing the door.
 */
export function parseCorsOrigins(raw: string | undefined, ConfigError: ConfigErrorClass): string[] {
  if (!raw?.trim()) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigError(`CORS_ORIGINS: "${entry}" is not an origin (scheme://host[:port])`);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== entry.replace(/\/$/, '')) {
        throw new ConfigError(`CORS_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path, no wildcard); did you mean "${url.origin}"?`);
      }
      return url.origin;
    });
}

export function loadGatewayEdges(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): GatewayEdges {
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(`METRICS_TOKEN is ${metricsToken.length} characters; it needs at least ${MIN_METRICS_TOKEN_LENGTH}`);
  }
  return { corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, ConfigError), metricsToken };
}

/** JWT_MAX_LIFETIME_HOURS: a finite number of hours above 0 (default 24). */
export function loadJwtMaxLifetimeHours(env: NodeJS.ProcessEnv, ConfigError: ConfigErrorClass): number {
  const raw = env.JWT_MAX_LIFETIME_HOURS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_JWT_MAX_LIFETIME_HOURS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new ConfigError(`JWT_MAX_LIFETIME_HOURS="${raw}" is not a number of hours above 0`);
  return hours;
}
