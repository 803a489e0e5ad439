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
import type { Logger } from './logger';

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
): ApolloServer<TContext> {
  const schema = buildSubgraphSchema({
    typeDefs: parse(readSubgraphSdl(name)),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
  return new ApolloServer<TContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
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
