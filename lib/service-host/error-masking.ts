import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HubError } from '../errors';
import type { Logger } from '../logger';

export const INTERNAL_ERROR: GraphQLFormattedError['extensions'] = { code: 'INTERNAL_SERVER_ERROR' };

/**
 * One rule for every subgraph's errors on the way out (lib/errors.ts is the catalogue):
 * - a HubError keeps its message and extensions (`code`, `field`, …): it was written for the client;
 * - an exception from our code (an Error with no extensions) or an error the server itself marked
 *   INTERNAL_SERVER_ERROR is logged with its path and masked as "Internal error": stack traces, SQL and
 *   patient data never leave;
 * - anything else (validation, coded GraphQL errors) passes as GraphQL formatted it.
 */
export function maskSubgraphError(formatted: GraphQLFormattedError, original: unknown, log: Logger): GraphQLFormattedError {
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof HubError) {
    const mapped = original.toGraphQLError();
    return { message: mapped.message, ...where, extensions: { ...mapped.extensions } };
  }
  const uncoded = original instanceof Error && !(original instanceof GraphQLError) && !(original as { extensions?: unknown }).extensions;
  if (uncoded || formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
    log.error({ err: original, path: formatted.path }, 'resolver failed');
    return { message: 'Internal error', ...where, extensions: { ...INTERNAL_ERROR } };
  }
  return formatted;
}
