import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { ErrorCode, HubError } from '../lib/errors';
import { edgeRefusalBody } from '../lib/graphql-media-types';
import type { Logger } from '../lib/logger';
import { METRICS_PATH } from './observability';

/**
 * `GET /metrics` behind its own bearer secret (METRICS_TOKEN), in front of the runtime: the metrics
 * name partner client applications and operations, which are nobody's business but the operators'.
 * A scraper sends `Authorization: Bearer <METRICS_TOKEN>` (Prometheus `authorization` in its scrape
 * config). Without METRICS_TOKEN the path is refused (403): no open default. The token is a shared
 * secret, not a JWT: a caller's bearer token opens nothing here.
 */
export interface MetricsEndpointOptions {
  token: string | undefined;
  /** The metrics in Prometheus text format, and their content type. */
  metrics: () => Promise<string>;
  contentType: string;
  log: Logger;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function withMetricsEndpoint(next: http.RequestListener, { token, metrics, contentType, log }: MetricsEndpointOptions): http.RequestListener {
  // Compared as digests, in constant time: the length of the token leaks nothing either.
  const expected = token === undefined ? undefined : digest(token);
  const refuse = (res: http.ServerResponse, status: number, error: HubError, challenge: boolean) => {
    log.warn({ code: error.code, path: METRICS_PATH }, 'metrics request refused');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(challenge ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}) });
    res.end(edgeRefusalBody(error));
  };
  return (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== METRICS_PATH) return next(req, res);
    if (!expected) return refuse(res, 403, new HubError(ErrorCode.FORBIDDEN, `${METRICS_PATH} is off: set METRICS_TOKEN to serve it`), false);
    const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      return refuse(res, 401, new HubError(ErrorCode.UNAUTHENTICATED, `${METRICS_PATH} needs "Authorization: Bearer <METRICS_TOKEN>"`), true);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        log.error({ err: error }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics could not be collected');
      },
    );
  };
}
