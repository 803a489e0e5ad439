/**
 * CORS for the gateway's runtime (`cors` option, @whatwg-node/server's useCORS): only the origins
 * listed in CORS_ORIGINS get CORS headers, each its own origin back; any other origin, and every
 * origin when none is listed, gets none, and its browser keeps the response from its script. The
 * dashboard is served from the gateway's own origin and needs none. Credentials (cookies) are never
 * allowed: callers authenticate with a bearer token or an API key, which a script sets itself.
 * The runtime's default, used until now, reflected any Origin with allow-credentials.
 */
export const CORS_METHODS = ['GET', 'POST'];
/** What a listed origin's script may read: the request id (for support tickets) and Retry-After on 429. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after'];
/** How long a browser may reuse a preflight (seconds). */
const CORS_MAX_AGE = 600;

/** The runtime's CORS options for one request (graphql-yoga's CORSOptions); false: no CORS headers. */
export type CorsAnswer = { origin: string; methods: string[]; exposedHeaders: string[]; credentials: boolean; maxAge: number } | false;

export function corsPolicy(origins: readonly string[]): (request: Request) => CorsAnswer {
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    // One origin, the caller's own: useCORS answers a single listed origin as is (a list would be reflected).
    return { origin, methods: CORS_METHODS, exposedHeaders: CORS_EXPOSED_HEADERS, credentials: false, maxAge: CORS_MAX_AGE };
  };
}
