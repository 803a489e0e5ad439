import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLFormattedError } from 'graphql';
import { REPO_ROOT } from './config';
import { HubError } from './errors';
import { withRoleChecks } from './authorization';
import type { AccessLog, AccessRecorder } from './audit';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from './logger';
import { apolloTracingPlugin } from './apollo-tracing';
import { tracingEnabled } from './tracing';

export function readSubgraphSdl(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'schema', `${name}.graphql`), 'utf8');
}

/**
 * An Apollo Federation 2 subgraph: SDL from `schema/<name>.graphql`, our error catalogue on the way
 * out (internal errors are logged and masked), and Apollo's inline tracing off (we run no Apollo
 * Studio; the trace is overhead on every entity fetch).
 */
export function createSubgraphServer<TContext extends BaseContext>(
  name: string,
  resolvers: object,
  log: Logger,
  /** Services serving identified data audit every read of it here. */
  accessLog?: AccessLog,
): ApolloServer<TContext> {
  const sdl = readSubgraphSdl(name);
  const schema = buildSubgraphSchema({
    typeDefs: parse(sdl),
    // Fields marked @requiresScopes check the caller's role before they resolve (lib/authorization.ts).
    resolvers: withRoleChecks(sdl, resolvers) as GraphQLResolverMap<unknown>,
  });
  return new ApolloServer<TContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(accessLog ? [auditPlugin<TContext>(accessLog, log)] : []), ...(tracingEnabled() ? [apolloTracingPlugin<TContext>(name)] : [])],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const original = unwrapResolverError(error);
      if (original instanceof HubError) {
        const mapped = original.toGraphQLError();
        return { ...formatted, message: mapped.message, extensions: { ...mapped.extensions } };
      }
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        log.error({ err: original, path: formatted.path }, 'resolver failed');
        return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
}

/**
 * Writes the request's reads of identified data before the response leaves. If the audit record
 * cannot be written, the data is withheld: the client gets an error instead of unaudited data.
 */
function auditPlugin<TContext extends BaseContext>(accessLog: AccessLog, log: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const access = (contextValue as { access?: AccessRecorder }).access;
          if (!access || access.isEmpty) return;
          try {
            await accessLog.write(access);
          } catch (error) {
            log.error({ err: error }, 'audit record not written; response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'the audit record for this read could not be written, so its data is withheld', extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }],
              };
            }
            response.http.status = 503;
          }
        },
      };
    },
  };
}
