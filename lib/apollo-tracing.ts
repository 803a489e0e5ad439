import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { endFieldSpan, isTracedField, nameOperationSpan, startFieldSpan } from './tracing';

/**
 * Tracing for an Apollo subgraph (see lib/tracing.ts). The HTTP server span continuing the
 * gateway's trace is started by `serveApollo` (lib/apollo-http.ts) and is the active span while
 * Apollo runs the request; this plugin names it after the operation, marks it failed on errors, and
 * adds a child span for each resolver of interest (`isTracedField`). Installed only when tracing is on.
 */
export function apolloTracingPlugin<TContext extends BaseContext>(service: string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const parent = context.active();
      const span = trace.getSpan(parent);
      return {
        async didResolveOperation({ operation, operationName }) {
          nameOperationSpan(span, service, operation?.operation, operationName);
        },
        async didEncounterErrors({ errors }) {
          span?.setAttribute('graphql.error.count', errors.length);
          span?.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
        },
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (!isTracedField(info)) return undefined;
              const fieldSpan = startFieldSpan(service, info, parent);
              return (error) => endFieldSpan(fieldSpan, error ?? undefined);
            },
          };
        },
      };
    },
  };
}
