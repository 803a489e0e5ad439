import { GraphQLError } from 'graphql';

/**
 * The catalogue of client-facing error codes. Each error says what was wrong and where, carries
 * `extensions.code`, and never includes a stack trace or patient data beyond the id the caller sent.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  PATIENT_NOT_FOUND: 'PATIENT_NOT_FOUND',
  LINK_NOT_FOUND: 'LINK_NOT_FOUND',
  /** An identifier already names another patient of the same organisation (identifiers are per organisation). */
  IDENTIFIER_IN_USE: 'IDENTIFIER_IN_USE',
  /** An idempotency key already stored a different write for this patient (a key names one write). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  INVALID_VARIANT_ID: 'INVALID_VARIANT_ID',
  INVALID_VARIANT: 'INVALID_VARIANT',
  UNKNOWN_LOINC_CODE: 'UNKNOWN_LOINC_CODE',
  UNIT_NOT_ALLOWED: 'UNIT_NOT_ALLOWED',
  /** A physically impossible measurement (negative concentration, blood pressure ≤ 0; lib/contracts/reference/loinc-catalogue.ts). */
  IMPOSSIBLE_VALUE: 'IMPOSSIBLE_VALUE',
  INVALID_RISK_INPUT: 'INVALID_RISK_INPUT',
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  INVALID_TOKEN: 'INVALID_TOKEN',
  FORBIDDEN: 'FORBIDDEN',
  /** A bearer token whose lifetime (exp − iat) is longer than JWT_MAX_LIFETIME_HOURS. */
  TOKEN_LIFETIME_EXCEEDED: 'TOKEN_LIFETIME_EXCEEDED',
  /** A POST whose body is not JSON (forms, multipart, text): GraphQL over HTTP takes JSON only here. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  // Gateway limits (gateway/limits.ts): refused before execution, naming the limit and the value found.
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  MAX_COST_EXCEEDED: 'MAX_COST_EXCEEDED',
  /** The code GraphQL Yoga's own body limit uses, so clients see one for both. */
  REQUEST_ENTITY_TOO_LARGE: 'REQUEST_ENTITY_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  // Persisted queries (gateway/persisted-queries.ts).
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  PERSISTED_QUERY_INVALID_ID: 'PERSISTED_QUERY_INVALID_ID',
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  PATIENT_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  IDENTIFIER_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_VARIANT_ID: 400,
  INVALID_VARIANT: 400,
  UNKNOWN_LOINC_CODE: 400,
  UNIT_NOT_ALLOWED: 400,
  IMPOSSIBLE_VALUE: 400,
  INVALID_RISK_INPUT: 400,
  DEPENDENCY_UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_TOKEN: 401,
  FORBIDDEN: 403,
  TOKEN_LIFETIME_EXCEEDED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MAX_DEPTH_EXCEEDED: 400,
  MAX_ALIASES_EXCEEDED: 400,
  MAX_TOKENS_EXCEEDED: 400,
  MAX_COST_EXCEEDED: 400,
  REQUEST_ENTITY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTROSPECTION_DISABLED: 400,
  // Apollo Client 3's link disables APQ for the session on a 400 or 500; Apollo Server answers 200.
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_HASH_MISMATCH: 400,
  PERSISTED_QUERY_INVALID_ID: 400,
  PERSISTED_QUERY_ONLY: 403,
  PERSISTED_QUERY_NOT_ALLOWED: 403,
};

/** The HTTP status a response refused with `code` carries. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** A domain error with a code; thrown by pure code, turned into a GraphQLError at the edge. */
export class HubError extends Error {
  override name = 'HubError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /**
   * GraphQL-js copies `extensions` from an error thrown in a resolver or subscribe function, so a
   * HubError stays coded even where no formatter runs (e.g. graphql-ws subscribe errors).
   */
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.details };
  }

  toGraphQLError(): GraphQLError {
    return new GraphQLError(this.message, {
      extensions: { code: this.code, http: { status: HTTP_STATUS[this.code] }, ...this.details },
    });
  }
}

/** Map anything thrown in a resolver to what the client may see. */
export function toClientError(error: unknown): GraphQLError {
  if (error instanceof HubError) return error.toGraphQLError();
  if (error instanceof GraphQLError) return error;
  return new GraphQLError('Internal error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * graphql-js's variable coercion (execution/values.ts, coerceVariableValues) reports a variable of the
 * wrong type, a null for a non-null type or a value a scalar refuses (a Float given 1e309, which
 * JSON.parse reads as Infinity) as an uncoded GraphQLError whose message starts `Variable "$name"`,
 * and with no path (nothing was executed). That is the client's input, not a fault.
 */
const VARIABLE_COERCION = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"(?:[^]*? at "([^"]+)";)?/;
/** Coercion messages quote the value sent: a megabyte-long one is cut to this many characters. */
const MAX_COERCION_MESSAGE = 500;

/**
 * BAD_USER_INPUT naming the variable and the place in it (`field`: `input.value`, or `bundle`) when
 * `error` is a variable-coercion error (above); null for anything else.
 */
export function variableCoercionError(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError) || error.path !== undefined || typeof error.extensions?.code === 'string') return null;
  const match = VARIABLE_COERCION.exec(error.message);
  if (!match) return null;
  const message = error.message.length > MAX_COERCION_MESSAGE ? `${error.message.slice(0, MAX_COERCION_MESSAGE)}…` : error.message;
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: HTTP_STATUS.BAD_USER_INPUT }, field: match[2] ?? match[1] },
  });
}
