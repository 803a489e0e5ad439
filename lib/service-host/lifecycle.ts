import type http from 'node:http';

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long a closing service waits for requests under way. */
export const SHUTDOWN_GRACE_MS = 5000;

/**
 * Graceful shutdown for a node:http server, the same for every subgraph: stop accepting, let requests
 * under way finish (up to SHUTDOWN_GRACE_MS), close what is left, and only then release what the
 * requests use (`release`: pools, drivers): a request must not meet an ended pool. Idempotent.
 */
export function drainingClose(httpServer: http.Server, release: () => Promise<void>): () => Promise<void> {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  httpServer.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
  });
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
      }
      httpServer.closeAllConnections();
      await closed;
      await release();
    })());
}
