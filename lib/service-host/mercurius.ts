import Fastify, { type FastifyInstance } from 'fastify';
import mercurius, { type PubSub } from 'mercurius';
import { mercuriusFederationPlugin } from '@mercuriusjs/federation';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MQEmitter } from 'mqemitter';
import { ErrorCode, HubError } from '../errors';
import { withRoleChecks } from '../authorization';
import type { AccessLog, AccessRecorder } from '../audit';
import { IDENTITY_HEADER, type Identity, type IdentityAssertions } from '../identity';
import type { Logger } from '../logger';
import { traceMercurius } from '../mercurius-tracing';
import { SUBGRAPH_MAX_REQUEST_BODY_BYTES } from '../body-limits';
import { readSubgraphSdl } from './apollo';
import { accessRecorderFor, checkAssertion, connectionIdentity, HEALTH_PATH, mediaTypeRefusal } from './edge';
import { maskSubgraphError } from './error-masking';
import { auditBeforeResponse, AUDIT_WITHHELD, AUDIT_WITHHELD_STATUS } from './audit-withholding';
import { answerHealth, type HealthCheck } from './health';
import type { RunningService } from './lifecycle';

export interface MercuriusSubgraph extends RunningService {
  app: FastifyInstance;
  /** Publishes to this service's subscriptions (through `emitter` when one is given: every replica hears it). */
  pubsub: PubSub;
}

export interface MercuriusSubgraphOptions<TContext extends object> {
  /** `schema/<name>.graphql`, and the service's name in traces. */
  name: string;
  /** The SDL; default `schema/<name>.graphql`. */
  sdl?: string;
  resolvers: object;
  /** The context of one request (or one graphql-ws connection) of a caller whose assertion verified. */
  context: (identity: Identity, transport: 'http' | 'ws') => TContext;
  assertions: IdentityAssertions;
  health: HealthCheck;
  /** Services serving identified data audit every read of it here (data withheld if it cannot be written). */
  accessLog?: AccessLog;
  /** Fans subscription events out across replicas (lib/redis-emitter.ts). */
  emitter?: MQEmitter;
  /** Routes of the service's own with their own credentials (e.g. `/metrics`); the assertion check skips `openPaths`. */
  routes?: (app: FastifyInstance) => void;
  openPaths?: readonly string[];
  host: string;
  port: number;
  log: Logger;
  /** After the listener closed: release what requests used (pools, emitters). */
  onClose?: () => Promise<void>;
}

/**
 * A mercurius Federation subgraph on fastify, with the host's edge (assertion first on every path but
 * the open ones, WebSocket upgrades included; JSON bodies only), error masking, audit withholding,
 * health, tracing and shutdown: the same rules as the Apollo adapter (lib/service-host/apollo.ts).
 */
export async function serveMercurius<TContext extends object>(opts: MercuriusSubgraphOptions<TContext>): Promise<MercuriusSubgraph> {
  const { log } = opts;
  const app = Fastify({ logger: false, bodyLimit: SUBGRAPH_MAX_REQUEST_BODY_BYTES });
  traceMercurius(app, opts.name);
  // Read as JSON like application/json (the onRequest hook below refuses every other type). Added
  // before mercurius registers its routes, whose context copies the parsers it finds then.
  app.addContentTypeParser('application/graphql-response+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  const identities = new WeakMap<object, Identity>();
  const identityOf = (request: object): Identity => {
    const identity = identities.get(request);
    if (!identity) throw new HubError(ErrorCode.UNAUTHENTICATED, 'no verified identity for this request');
    return identity;
  };
  const sdl = opts.sdl ?? readSubgraphSdl(opts.name);
  await app.register(mercuriusFederationPlugin, {
    schema: sdl,
    // Fields marked @requiresScopes check the caller's role before they resolve (lib/authorization.ts).
    resolvers: withRoleChecks(sdl, opts.resolvers) as never,
    graphiql: false,
    path: '/graphql',
    subscription: {
      ...(opts.emitter ? { emitter: opts.emitter } : {}),
      // The gateway sends its identity assertion as a connection parameter; no valid one, no connection.
      onConnect: async ({ payload }: { payload?: Record<string, unknown> }) => {
        const identity = await connectionIdentity(opts.assertions, payload, log);
        return identity ? opts.context(identity, 'ws') : false;
      },
    },
    context: (request) => {
      const identity = identityOf(request);
      return { ...opts.context(identity, 'http'), access: accessRecorderFor(identity, request.headers) };
    },
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      const errors = execution.errors?.map((error) => maskSubgraphError(mercuriusFormatted(error), error.originalError, log));
      return { statusCode: formatted.statusCode, response: { ...formatted.response, errors } as never };
    },
  });

  // Every request but the open paths must carry the gateway's identity assertion, checked before
  // anything else runs: HTTP GraphQL requests, WebSocket upgrades (the gateway sends it as a header on
  // the upgrade as well as a connection parameter, checked again in onConnect above) and unknown paths.
  const open = new Set([HEALTH_PATH, ...(opts.openPaths ?? [])]);
  app.addHook('onRequest', async (request, reply) => {
    if (open.has(request.url.split('?')[0]!)) return;
    const checked = await checkAssertion(opts.assertions, request.headers[IDENTITY_HEADER], log, request.ip);
    if (checked.refusal) return reply.code(checked.refusal.status).type(checked.refusal.contentType).send(checked.refusal.body);
    identities.set(request, checked.identity);
    // JSON bodies only: mercurius would also run application/graphql.
    const wrongType = mediaTypeRefusal(request.method, request.headers['content-type'], log);
    if (wrongType) return reply.code(wrongType.status).type(wrongType.contentType).send(wrongType.body);
  });

  if (opts.accessLog) {
    const accessLog = opts.accessLog;
    app.graphql.addHook('onResolution', async (execution, ctx) => {
      if (await auditBeforeResponse(accessLog, (ctx as { access?: AccessRecorder }).access, log)) return;
      execution.data = null;
      execution.errors = [new GraphQLError(AUDIT_WITHHELD.message, { extensions: AUDIT_WITHHELD.extensions })];
      ctx.reply?.code(AUDIT_WITHHELD_STATUS);
    });
  }
  app.get(HEALTH_PATH, async (_req, reply) => {
    const answer = await answerHealth(opts.health);
    return reply.code(answer.status).send(answer.body);
  });
  opts.routes?.(app);

  await app.listen({ port: opts.port, host: opts.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closing: Promise<void> | undefined;
  return {
    app,
    pubsub: app.graphql.pubsub,
    port,
    url: `http://${opts.host}:${port}/graphql`,
    close() {
      closing ??= (async () => {
        // fastify stops accepting and waits for requests under way before it resolves.
        await app.close();
        await opts.onClose?.();
      })();
      return closing;
    },
  };
}

/** A GraphQLError as the host's rule reads it (undefined members are left out of the JSON). */
function mercuriusFormatted(error: GraphQLError): GraphQLFormattedError {
  return { message: error.message, locations: error.locations, path: error.path, extensions: error.extensions };
}
