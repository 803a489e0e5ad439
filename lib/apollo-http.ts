import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Logger } from './logger';
import { traceHttpRequest } from './tracing';
import { ErrorCode, HubError, httpStatusOf } from './errors';
import { SUBGRAPH_MAX_REQUEST_BODY_BYTES } from './body-limits';
import { edgeRefusalBody, isAcceptedPostContentType, unsupportedMediaType } from './graphql-media-types';
import { IDENTITY_HEADER, type Identity, type IdentityAssertions } from './identity';
import { AccessRecorder, boundedRequestId, OPERATION_HEADER, REQUEST_ID_HEADER } from './audit';

export type HealthCheck = () => Promise<Record<string, 'ok' | string>>;

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves an Apollo Server on plain `node:http` (Apollo Server 5 ships no HTTP framework of its own):
 * POST/GET `/graphql`, and `/health` answering 200 when every check passes, 503 otherwise.
 */
export async function serveApollo<TContext extends BaseContext>(opts: {
  server: ApolloServer<TContext>;
  /** Builds the request context for a caller whose identity assertion verified. */
  context: (req: http.IncomingMessage, identity: Identity) => Promise<TContext>;
  /** Verifies the gateway's identity assertion: a request without a valid one is refused (401). */
  assertions: IdentityAssertions;
  health: HealthCheck;
  port: number;
  host: string;
  log: Logger;
  onClose?: () => Promise<void>;
}): Promise<RunningService> {
  const { server, log } = opts;
  await server.start();
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const httpServer = http.createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    handle(req, res).catch((error: unknown) => {
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      const body =
        status === 413
          ? { message: `Request body of more than ${MAX_REQUEST_BYTES} bytes exceeds the limit of ${MAX_REQUEST_BYTES} bytes.`, extensions: { code: ErrorCode.REQUEST_ENTITY_TOO_LARGE, limit: MAX_REQUEST_BYTES } }
          : { message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      res.end(JSON.stringify({ errors: [body] }));
    });
  });
  httpServer.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      const checks = await opts.health().catch((error: unknown) => ({ service: (error as Error).message }));
      const ok = Object.values(checks).every((v) => v === 'ok');
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', checks }));
      return;
    }
    // Every path but /health answers only the gateway: the assertion is checked before anything else.
    let identity: Identity;
    try {
      identity = await opts.assertions.verify(header(req.headers[IDENTITY_HEADER]));
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      log.warn({ code: error.code, reason: error.message, remote: req.socket.remoteAddress }, 'request refused');
      const { message, extensions } = error.toGraphQLError();
      res.writeHead(401, { 'content-type': 'application/graphql-response+json' });
      res.end(JSON.stringify({ errors: [{ message, extensions }] }));
      return;
    }
    if (url.pathname !== '/graphql') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${url.pathname}; GraphQL is at /graphql` }));
      return;
    }
    if (req.method === 'POST' && !isAcceptedPostContentType(req.headers['content-type'])) {
      const refusal = unsupportedMediaType(req.headers['content-type']);
      log.warn({ code: refusal.code, contentType: req.headers['content-type'] }, 'request refused');
      req.resume();
      res.writeHead(httpStatusOf(refusal.code), { 'content-type': 'application/graphql-response+json' });
      res.end(edgeRefusalBody(refusal));
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
    // Continues the caller's trace (W3C traceparent) when tracing is on (lib/tracing.ts).
    const response = await traceHttpRequest(req, () => server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      // Every request gets a recorder for its reads of identified data (written by lib/subgraph.ts).
      context: async () => {
        const access = new AccessRecorder(identity, { operation: header(req.headers[OPERATION_HEADER]), requestId: boundedRequestId(header(req.headers[REQUEST_ID_HEADER])) });
        return Object.assign(await opts.context(req, identity), { access });
      },
    }));
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        // Stop accepting, let requests under way finish (up to a grace period), and only then release
        // the pool they use: a request must not meet an ended pool.
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        if (inFlight > 0) {
          await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
        }
        httpServer.closeAllConnections();
        await closed;
        await server.stop();
        await opts.onClose?.();
      })();
      return closing;
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** How long a closing service waits for requests under way. */
export const SHUTDOWN_GRACE_MS = 5000;

/**
 * Request bodies are capped before they are parsed, above what the gateway forwards for any body it
 * accepts (lib/body-limits.ts): the gateway's limit is the one clients meet.
 */
export const MAX_REQUEST_BYTES = SUBGRAPH_MAX_REQUEST_BODY_BYTES;

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
