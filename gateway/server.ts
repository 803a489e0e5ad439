import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { GraphQLError, getOperationAST, parse } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { WebSocketServer } from 'ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { SharedSubscriptions } from './shared-subscriptions';
import { SUPERGRAPH_PATH, type SubgraphName } from '../schema/compose';
import type { Logger } from '../lib/logger';
import type { RunningService } from '../lib/apollo-http';

export interface GatewayOptions {
  /** Where each subgraph listens now; overrides the URLs written in the generated supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  host: string;
  port: number;
  log: Logger;
  supergraphSdl?: string;
}

export interface Gateway extends RunningService {
  runtime: GatewayRuntime;
  /** Identical graphql-ws subscriptions executing once for all their subscribers. */
  sharedSubscriptions: SharedSubscriptions;
}

export function readSupergraph(): string {
  if (!fs.existsSync(SUPERGRAPH_PATH)) {
    throw new Error('schema/supergraph.graphql is missing: run `npm run compose` to generate it');
  }
  return fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/** The coded errors inside a gateway error: its own, its cause's, or each of an AggregateError's or error list's. */
function codedErrors(error: unknown): GraphQLError[] {
  if (!error || typeof error !== 'object') return [];
  const code = (error as GraphQLError).extensions?.code;
  if (typeof code === 'string') return code === 'INTERNAL_SERVER_ERROR' ? [] : [error as GraphQLError];
  if (error instanceof AggregateError) return error.errors.flatMap(codedErrors);
  // A subgraph's graphql-ws `error` message (e.g. a refused subscribe) arrives as its error list.
  if (Array.isArray(error)) return error.flatMap(codedErrors);
  return codedErrors((error as GraphQLError).originalError);
}

/**
 * Subgraphs already turn their failures into coded, patient-free errors: pass those through so
 * clients see what failed and where; anything uncoded (a gateway fault) stays masked.
 */
export function passCodedErrors(error: unknown, message: string): Error {
  const path = error instanceof GraphQLError ? error.path : undefined;
  const coded = codedErrors(error);
  if (coded.length) {
    const messages = [...new Set(coded.map((e) => e.message))];
    return new GraphQLError(messages.join('; '), { path, extensions: { ...coded[0]!.extensions } });
  }
  return new GraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** Results waiting for one graphql-ws subscriber before it is cut off as too slow (shared-subscriptions.ts). */
const MAX_QUEUED_PER_SUBSCRIBER = 64;

interface WsParams {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * Which subscriptions may share one execution: the same document, operation and variables from the
 * same caller (the credentials the connection presented), so sharing never widens what anyone sees.
 * Queries and mutations sent over graphql-ws are never shared (`undefined`).
 */
export function subscriptionKey(params: WsParams, caller: { connectionParams?: unknown; authorization?: string }): string | undefined {
  if (!params.query) return undefined;
  let operation;
  try {
    operation = getOperationAST(parse(params.query), params.operationName ?? undefined);
  } catch {
    return undefined; // unparsable: let the runtime report the syntax error to this caller
  }
  if (operation?.operation !== 'subscription') return undefined;
  return JSON.stringify([
    params.query,
    params.operationName ?? null,
    params.variables ?? null,
    params.extensions ?? null,
    caller.connectionParams ?? null,
    caller.authorization ?? null,
  ]);
}

/**
 * The public entry point: Hive Gateway runtime (Federation 2 query planning) on `node:http`, with
 * graphql-ws on the same `/graphql` path. Subscriptions reach the inference subgraph over graphql-ws.
 */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { subgraphUrls: urls } = opts;
  const runtime = createGatewayRuntime({
    supergraph: opts.supergraphSdl ?? readSupergraph(),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'Precision Hub — clinical decision support, not a medical device' },
    // The bundled GraphiQL works offline (clinical networks often block CDNs); the default loads from one.
    renderGraphiQL,
    logging: opts.log.level === 'silent' ? false : opts.log.level === 'debug' ? 'debug' : 'error',
    // Subgraphs already turn their failures into coded, patient-free errors: pass those through so
    // clients see what failed and where; anything uncoded (a gateway fault) stays masked.
    maskedErrors: { maskError: passCodedErrors },
    transportEntries: {
      patient: { location: urls.patient },
      genomics: { location: urls.genomics },
      'knowledge-graph': { location: urls['knowledge-graph'] },
      inference: { location: urls.inference, options: { subscriptions: { kind: 'ws' } } },
    },
  });

  // The runtime loads the supergraph lazily on its first HTTP request; a graphql-ws subscription
  // arriving first would find no schema. Load it before accepting connections.
  await runtime.getSchema();

  const server = http.createServer(runtime);
  server.keepAliveTimeout = 65_000;
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const wsOptions = getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({
    req: ctx.extra.request,
    socket: ctx.extra.socket,
  }));
  const shared = new SharedSubscriptions({
    maxQueued: MAX_QUEUED_PER_SUBSCRIBER,
    onCloseError: (error) => opts.log.warn({ err: error }, 'closing a shared subscription failed'),
  });
  const wsServer = useServer(
    {
      ...wsOptions,
      subscribe(args) {
        const context = args.contextValue as { params: WsParams; connectionParams?: unknown; req: http.IncomingMessage };
        const key = subscriptionKey(context.params, {
          connectionParams: context.connectionParams,
          authorization: context.req.headers.authorization,
        });
        return key === undefined ? wsOptions.subscribe!(args) : shared.subscribe(key, () => wsOptions.subscribe!(args) as never);
      },
    },
    wss,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    runtime,
    sharedSubscriptions: shared,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        await wsServer.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await runtime[Symbol.asyncDispose]();
      })();
      return closing;
    },
  };
}
