import { GraphQLError } from 'graphql';
import { ErrorCode, httpStatusOf } from '../lib/errors';

/**
 * What the gateway refuses before execution. Every refusal is a coded GraphQL error naming the
 * limit and, where it can be measured, the value found; nothing reaches a subgraph.
 */
/** The gateway's limit codes, in the hub's one catalogue (lib/errors.ts). */
export type LimitErrorCode = Extract<ErrorCode, 'MAX_DEPTH_EXCEEDED' | 'MAX_ALIASES_EXCEEDED' | 'MAX_TOKENS_EXCEEDED' | 'MAX_COST_EXCEEDED' | 'REQUEST_ENTITY_TOO_LARGE' | 'RATE_LIMITED' | 'INTROSPECTION_DISABLED'>;

/** A refusal: `limit` is what is allowed, `actual` what was sent; the status is the catalogue's. */
export function limitExceeded(
  code: LimitErrorCode,
  message: string,
  details: Record<string, unknown>,
  http: { status: number; headers?: Record<string, string> } = { status: httpStatusOf(code) },
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http } });
}
