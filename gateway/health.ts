import type http from 'node:http';
import { answerHealth, type HealthCheck } from '../lib/service-host/health';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * `GET /health` (and HEAD) answered in front of the runtime, in the subgraphs' shape
 * (lib/service-host/health.ts): 200 `{"status":"ok","checks":{…}}`, or 503 `degraded` with the reason.
 * The runtime's own endpoint answers an empty 200, which tells an operator nothing. What it checks is the
 * gateway's own state only (the supergraph is loaded before the gateway listens); a subgraph that is down
 * is that subgraph's /health, and must not take the gateway out of a load balancer.
 */
export function withHealth(next: Handler, health: HealthCheck): Handler {
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== '/health' || (req.method !== 'GET' && req.method !== 'HEAD')) return next(req, res);
    answerHealth(health).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      },
      () => res.writeHead(503).end(),
    );
  };
}

/** The runtime's schema is there (it is loaded before the gateway listens; a failed reload would show here). */
export function supergraphHealth(runtime: { getSchema(): unknown }): HealthCheck {
  return async () => {
    try {
      await runtime.getSchema();
      return { supergraph: 'ok' };
    } catch (error) {
      return { supergraph: (error as Error).message };
    }
  };
}
