import type { FastifyInstance, FastifyRequest } from 'fastify';
import { context, trace, type Context, type Span } from '@opentelemetry/api';
import { getOperationAST, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { endFieldSpan, endRequestSpan, isTracedField, nameOperationSpan, startFieldSpan, startRequestSpan, tracingEnabled } from './tracing';

/**
 * Tracing for a mercurius subgraph on fastify (see lib/tracing.ts); call before registering
 * mercurius, so its route gets the hooks. Does nothing when tracing is off.
 *
 * - `onRequest` starts the server span continuing the caller's trace (`traceparent`); `onResponse` ends it.
 * - `preHandler` (after the body is read: a body's stream events run outside any request context)
 *   makes it the active span for the handler, so resolvers and the subgraph calls they make join it.
 * - Resolvers of interest (`isTracedField`) get a span each, active while they run.
 */
export function traceMercurius(app: FastifyInstance, service: string): void {
  if (!tracingEnabled()) return;
  const requests = new WeakMap<FastifyRequest, { span: Span; context: Context }>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/graphql')) requests.set(request, startRequestSpan(service, request.method, request.headers));
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const traced = requests.get(request);
    if (traced) context.with(traced.context, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const traced = requests.get(request);
    if (traced) endRequestSpan(traced.span, reply.statusCode);
    done();
  });
  app.addHook('onReady', async () => {
    wrapResolvers(app.graphql.schema, service);
    app.graphql.addHook('preExecution', async (_schema, document, ctx) => {
      const request = (ctx as { reply?: { request: FastifyRequest } }).reply?.request;
      const traced = request && requests.get(request);
      if (!traced) return;
      const operation = getOperationAST(document);
      nameOperationSpan(traced.span, service, operation?.operation, operation?.name?.value);
    });
  });
}

/**
 * Wraps every resolver the schema defines (root fields, `_entities`, entity fields) so those
 * `isTracedField` selects run inside a span. Subscription fields are left alone: their `resolve`
 * runs once per published event, outside any request.
 */
function wrapResolvers(schema: GraphQLSchema, service: string): void {
  const subscriptionType = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === subscriptionType) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve) field.resolve = tracedResolver(field.resolve, service);
    }
  }
}

function tracedResolver(resolve: GraphQLFieldResolver<unknown, unknown>, service: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, ctx, info) => {
    if (!isTracedField(info)) return resolve(source, args, ctx, info);
    const parent = context.active();
    const span = startFieldSpan(service, info, parent);
    let result: unknown;
    try {
      result = context.with(trace.setSpan(parent, span), () => resolve(source, args, ctx, info));
    } catch (error) {
      endFieldSpan(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          endFieldSpan(span);
          return value;
        },
        (error: unknown) => {
          endFieldSpan(span, error);
          throw error;
        },
      );
    }
    endFieldSpan(span);
    return result;
  };
}
