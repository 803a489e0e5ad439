import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLFormattedError } from 'graphql';
import { REPO_ROOT } from '../config';
import { ErrorCode } from '../errors';
import { withRoleChecks } from '../authorization';
import type { AccessLog, AccessRecorder } from '../audit';
import type { Identity, IdentityAssertions } from '../identity';
import { IDENTITY_HEADER } from '../identity';
import type { Logger } from '../logger';
import { apolloTracingPlugin } from '../apollo-tracing';
import { traceHttpRequest, tracingEnabled } from '../tracing';
import { SUBGRAPH_MAX_REQUEST_BODY_BYTES } from '../body-limits';
import { accessRecorderFor, checkAssertion, HEALTH_PATH, mediaTypeRefusal, type EdgeRefusal } from './edge';
import { maskSubgraphError } from './error-masking';
import { auditBeforeResponse, AUDIT_WITHHELD, AUDIT_WITHHELD_STATUS } from './audit-withholding';
import { answerHealth, type HealthCheck } from './health';
import { drainingClose, SHUTDOWN_GRACE_MS, type RunningService } from './lifecycle';

export { SHUTDOWN_GRACE_MS };

export function readSubgraphSdl(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'schema', `${name}.graphql`), 'utf8');
}

/**
 * An Apollo Federation 2 subgraph: SDL from `schema/<name>.graphql`, role checks on every
 * `@requiresScopes` field, errors masked by the host's one rule, the audit written before the
 * response leaves (services serving identified data pass `accessLog`), tracing when it is on, and
 * Apollo's inline tracing off (we run no Apollo Studio; the trace is overhead on every entity fetch).
 */
export function createSubgraphServer<TContext extends BaseContext>(
  name: string,
  resolvers: object,
  log: Logger,
  /** Services serving identified data audit every read of it here. */
  accessLog?: AccessLog,
  /** The SDL; default `schema/<name>.graphql`. */
  sdl: string = readSubgraphSdl(name),
): ApolloServer<TContext> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(sdl),
    // Fields marked @requiresScopes check the caller's role before they resolve (lib/authorization.ts).
    resolvers: withRoleChecks(sdl, resolvers) as GraphQLResolverMap<unknown>,
  });
  return new ApolloServer<TContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Apollo's own SIGTERM handler (on unless NODE_ENV=test) stops the server at once and re-raises the
    // signal, killing the process before lib/lifecycle.ts drains and closes the pools (exit 143, not 0).
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(accessLog ? [auditPlugin<TContext>(accessLog, log)] : []), ...(tracingEnabled() ? [apolloTracingPlugin<TContext>(name)] : [])],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => maskSubgraphError(formatted, unwrapResolverError(error), log),
  });
}

/** The host's audit withholding, as an Apollo plugin: the data is replaced before the response leaves. */
function auditPlugin<TContext extends BaseContext>(accessLog: AccessLog, log: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const access = (contextValue as { access?: AccessRecorder }).access;
          if (await auditBeforeResponse(accessLog, access, log)) return;
          if (response.body.kind === 'single') response.body.singleResult = { data: null, errors: [AUDIT_WITHHELD] };
          response.http.status = AUDIT_WITHHELD_STATUS;
        },
      };
    },
  };
}

/**
 * Serves an Apollo Server on plain `node:http` (Apollo Server 5 ships no HTTP framework of its own):
 * POST/GET `/graphql` behind the host's edge checks, and `/health`.
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
  const httpServer = http.createServer((req, res) => {
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
  const close = drainingClose(httpServer, async () => {
    await server.stop();
    await opts.onClose?.();
  });

  const refuse = (res: http.ServerResponse, refusal: EdgeRefusal) => {
    res.writeHead(refusal.status, { 'content-type': refusal.contentType });
    res.end(refusal.body);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === HEALTH_PATH) {
      const answer = await answerHealth(opts.health);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    // Every path but /health answers only the gateway: the assertion is checked before anything else.
    const checked = await checkAssertion(opts.assertions, req.headers[IDENTITY_HEADER], log, req.socket.remoteAddress);
    if (checked.refusal) return refuse(res, checked.refusal);
    const { identity } = checked;
    if (url.pathname !== '/graphql') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${url.pathname}; GraphQL is at /graphql` }));
      return;
    }
    const wrongType = mediaTypeRefusal(req.method, req.headers['content-type'], log);
    if (wrongType) {
      req.resume();
      return refuse(res, wrongType);
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
    // Continues the caller's trace (W3C traceparent) when tracing is on (lib/tracing.ts).
    const response = await traceHttpRequest(req, () =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        // Every request gets a recorder for its reads of identified data (written by the audit plugin).
        context: async () => Object.assign(await opts.context(req, identity), { access: accessRecorderFor(identity, req.headers) }),
      }),
    );
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
  return { port, url: `http://${opts.host}:${port}/graphql`, close };
}

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
