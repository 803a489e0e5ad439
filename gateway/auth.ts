import type http from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '../lib/logger';
import { getOperationAST, GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode, HubError } from '../lib/errors';
import { credentialError, IDENTITY_HEADER, isRole, type Identity, type IdentityAssertions } from '../lib/identity';
import { OPERATION_HEADER, REQUEST_ID_HEADER } from '../lib/audit';
import { requestIdOf } from './request-id';
import { DEFAULT_JWT_MAX_LIFETIME_HOURS } from '../lib/gateway-edges-config';

/**
 * Who may call the gateway: bearer JWTs (HS256 with a shared secret for development, RS256/ES256
 * against a JWKS for production, RFC 7517/7519 via `jose`) and API keys for partners. The gateway
 * verifies the caller once and forwards a signed identity assertion (lib/identity.ts) to every
 * subgraph in the `x-hub-identity` header (graphql-ws: connection parameter).
 */
export interface JwtOptions {
  /** HS256 secret (JWT_SECRET); development and tests. */
  secret?: string;
  /** JWKS endpoint (JWT_JWKS_URL) of the identity provider; production. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Longest lifetime (exp − iat) of a token accepted, in hours (JWT_MAX_LIFETIME_HOURS); default 24. */
  maxLifetimeHours?: number;
}

/** Looks up a partner API key; undefined when unknown or revoked (gateway/api-keys.ts). */
export type ApiKeyResolver = (key: string) => Promise<Identity | undefined>;

export const API_KEY_HEADER = 'x-api-key';

export interface Credentials {
  authorization?: string;
  apiKey?: string;
}

/** A caller as verified, with what bounds its credentials: a token's expiry, or the API key to re-check. */
export interface VerifiedCaller {
  identity: Identity;
  /** Milliseconds since the epoch at which the bearer token expires. */
  expiresAt?: number;
  /** The API key presented, for re-checking that it is still unrevoked (graphql-ws connections). */
  apiKey?: string;
}

/**
 * How long a bearer token that verified is taken as verified again without the signature check: at most this,
 * and never past the token's own `exp`. What could change in that time and is not re-checked on a repeat is
 * the identity provider's key set (a key withdrawn from the JWKS), which jose's JWKS cache already holds for
 * up to ten minutes; a minute adds nothing to that window. Everything else that decides acceptance (the
 * secret or the JWKS, issuer, audience, algorithms, the lifetime bound) is fixed for the gateway's life.
 */
export const VERIFIED_BEARER_MS = 60_000;
/** Verified bearer tokens kept (least recently used first out), and the characters of token text they may hold together. */
const VERIFIED_BEARERS_KEPT = 10_000;
const VERIFIED_BEARER_CHARACTERS = 16 * 1024 * 1024;

export class Authenticator {
  private readonly key: Uint8Array | JWTVerifyGetKey | undefined;
  private readonly algorithms: string[];
  /**
   * Bearer tokens whose signature and claims verified, by their exact text (a changed byte is another key),
   * until VERIFIED_BEARER_MS after the check or the token's `exp`, whichever is first. A client sends the
   * same token on request after request, and the HMAC or RSA check through WebCrypto was the largest single
   * cost of a request in the gateway's CPU profile (issue 19). An entry past its time is verified again in
   * full (an expired token is refused as jose refuses it). Refusals are never kept: garbage fills nothing.
   */
  private readonly verifiedBearers = new LRUCache<string, { caller: VerifiedCaller; validUntilMs: number }>({
    max: VERIFIED_BEARERS_KEPT,
    maxSize: VERIFIED_BEARER_CHARACTERS,
    sizeCalculation: (_value, token) => token.length,
  });
  private readonly bearerStats = { hits: 0, misses: 0 };

  constructor(
    private readonly jwt: JwtOptions,
    private readonly apiKeys: ApiKeyResolver,
  ) {
    if (jwt.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(jwt.jwksUrl));
      this.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    } else if (jwt.secret) {
      this.key = new TextEncoder().encode(jwt.secret);
      this.algorithms = ['HS256'];
    } else {
      this.algorithms = [];
    }
  }

  async authenticate(credentials: Credentials): Promise<Identity> {
    return (await this.verify(credentials)).identity;
  }

  async verify(credentials: Credentials): Promise<VerifiedCaller> {
    if (credentials.apiKey) {
      const identity = await this.apiKeys(credentials.apiKey);
      if (!identity) throw new HubError(ErrorCode.INVALID_TOKEN, `${API_KEY_HEADER} is not a known, unrevoked API key`);
      return { identity, apiKey: credentials.apiKey };
    }
    const authorization = credentials.authorization?.trim();
    if (!authorization) {
      throw new HubError(ErrorCode.UNAUTHENTICATED, `no credentials: send "Authorization: Bearer <JWT>" or "${API_KEY_HEADER}: <key>"`);
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new HubError(ErrorCode.INVALID_TOKEN, 'Authorization header is not "Bearer <JWT>"');
    if (!this.key) throw new HubError(ErrorCode.INVALID_TOKEN, 'this gateway accepts no bearer tokens (neither JWT_SECRET nor JWT_JWKS_URL is set)');
    const token = match[1]!;
    const now = Date.now();
    const known = this.verifiedBearers.get(token);
    if (known && known.validUntilMs > now) {
      this.bearerStats.hits++;
      return { ...known.caller, identity: { ...known.caller.identity } };
    }
    this.bearerStats.misses++;
    const caller = await this.verifyBearer(token);
    this.verifiedBearers.set(token, { caller, validUntilMs: Math.min(caller.expiresAt, now + VERIFIED_BEARER_MS) });
    return { ...caller, identity: { ...caller.identity } };
  }

  /** How often `verify` took a bearer token as already verified (hits) and how often it checked it in full. */
  bearerVerificationCounts(): { hits: number; misses: number } {
    return { ...this.bearerStats };
  }

  private async verifyBearer(token: string): Promise<VerifiedCaller & { expiresAt: number }> {
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: this.algorithms,
        ...(this.jwt.issuer ? { issuer: this.jwt.issuer } : {}),
        ...(this.jwt.audience ? { audience: this.jwt.audience } : {}),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw credentialError(error, 'bearer token');
    }
    const exp = claims.exp as number;
    checkLifetime(exp, claims.iat, this.jwt.maxLifetimeHours ?? DEFAULT_JWT_MAX_LIFETIME_HOURS);
    return { identity: identityFromToken(claims), expiresAt: exp * 1000 };
  }
}

/**
 * A stolen token is useful until it expires, so the hub bounds how long that is: exp − iat, or exp −
 * now when iat is missing or in the future (a token "issued" an hour before a far expiry is still
 * a far expiry), must not exceed `maxHours`.
 */
export function checkLifetime(exp: number, iat: unknown, maxHours: number, nowSeconds = Date.now() / 1000): void {
  const declared = typeof iat === 'number' && iat <= nowSeconds ? exp - iat : undefined;
  const seconds = declared ?? exp - nowSeconds;
  if (seconds <= maxHours * 3600) return;
  const measured = declared !== undefined ? 'exp - iat' : typeof iat === 'number' ? 'exp - now' : 'exp - now: it has no iat';
  const hours = Number((seconds / 3600).toFixed(1));
  throw new HubError(
    ErrorCode.TOKEN_LIFETIME_EXCEEDED,
    `bearer token lives ${hours} h (${measured}), longer than the ${maxHours} h this hub accepts (JWT_MAX_LIFETIME_HOURS)`,
  );
}

/**
 * Claims the hub reads from an identity provider's token: `sub`, `role` (clinician | researcher |
 * partner | admin), `org` (a clinician's organisation), `azp` or `client_id` (the application),
 * `contracts` (a partner's manifests). `service` is never accepted from outside.
 */
export function identityFromToken(claims: Record<string, unknown>): Identity {
  const { sub, role, org, azp, client_id: clientId, contracts } = claims;
  if (!isRole(role) || role === 'service') {
    throw new HubError(ErrorCode.FORBIDDEN, `bearer token role ${JSON.stringify(role ?? null)} is not one of clinician, researcher, partner, admin`);
  }
  if (role === 'clinician' && typeof org !== 'string') {
    throw new HubError(ErrorCode.FORBIDDEN, 'a clinician token must name the organisation ("org" claim) whose patients it may see');
  }
  const client = typeof azp === 'string' ? azp : typeof clientId === 'string' ? clientId : 'unknown';
  return {
    subject: String(sub),
    role,
    client,
    ...(typeof org === 'string' ? { organisation: org } : {}),
    ...(Array.isArray(contracts) ? { contracts: contracts.filter((c): c is string => typeof c === 'string') } : {}),
  };
}

/** What the auth plugin adds to the gateway's context. */
export interface AuthContext {
  identity: Identity;
  /** The signed assertion subgraphs receive (header, or graphql-ws connection parameter). */
  identityAssertion: string;
}

export interface RequestLike {
  request?: Request;
  /** graphql-ws: the upgrade request and the client's connection parameters. */
  req?: http.IncomingMessage;
  connectionParams?: Record<string, unknown>;
}

function header(value: string | string[] | undefined | null): string | undefined {
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/** The caller's credentials: HTTP headers, or graphql-ws connection parameters then upgrade headers. */
export function credentialsOf(context: RequestLike): Credentials {
  const params = context.connectionParams ?? {};
  const fromParams = (name: string) => {
    const value = params[name] ?? params[name.toLowerCase()] ?? params[name.replace(/^x-/, '').replace(/-./g, (m) => m[1]!.toUpperCase())];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    authorization:
      fromParams('authorization') ??
      fromParams('Authorization') ??
      context.request?.headers.get('authorization') ??
      header(context.req?.headers.authorization),
    apiKey: fromParams(API_KEY_HEADER) ?? context.request?.headers.get(API_KEY_HEADER) ?? header(context.req?.headers[API_KEY_HEADER]),
  };
}

/**
 * One authentication per HTTP request (or per graphql-ws connection), shared by the plugin below and
 * by the gateway's other checks (persisted documents for partners, rate limits per client).
 */
export class CallerIdentities {
  private readonly known = new WeakMap<object, Promise<VerifiedCaller>>();

  constructor(private readonly authenticator: Authenticator) {}

  private readonly settled = new WeakMap<object, Identity>();

  of(context: RequestLike): Promise<Identity> {
    return this.verified(context).then((caller) => caller.identity);
  }

  /** The caller with what bounds its credentials (expiry, API key): once per request or graphql-ws connection. */
  verified(context: RequestLike): Promise<VerifiedCaller> {
    const holder = holderOf(context);
    const cached = holder && this.known.get(holder);
    if (cached) return cached;
    const caller = this.authenticator.verify(credentialsOf(context));
    if (holder) {
      this.known.set(holder, caller);
      caller.then((resolved) => this.settled.set(holder, resolved.identity)).catch(() => undefined);
    }
    return caller;
  }

  /** The identity already established for this request, if any (for labels read synchronously). */
  settledFor(context: RequestLike): Identity | undefined {
    const holder = holderOf(context);
    return holder ? this.settled.get(holder) : undefined;
  }
}

const holderOf = (context: RequestLike): object | undefined => context.request ?? context.connectionParams ?? context.req;

/** Refusals are logged (code and reason, never the token) and reach the client as coded errors. */
async function coded<T>(work: Promise<T>, log: Logger): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    log.warn({ code: error.code, reason: error.message }, 'caller refused');
    throw error.toGraphQLError();
  }
}

/**
 * graphql-ws operations: the runtime parses and validates a document before it builds the context
 * that authenticates (gateway-runtime's getGraphQLWSOptions), so an anonymous socket could learn the
 * schema from validation errors. This runs first: the refusal as the operation's result, else nothing.
 */
export async function refuseUnauthenticated(callers: CallerIdentities, context: RequestLike, log: Logger): Promise<ExecutionResult | undefined> {
  try {
    await coded(callers.of(context), log);
    return undefined;
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    throw error;
  }
}

/**
 * The gateway plugin: authenticate each request before its document is parsed (an anonymous caller
 * learns nothing about the schema from validation errors), each graphql-ws operation when its
 * context is built, and sign the identity into every subgraph request.
 */
export function useHubAuth(callers: CallerIdentities, assertions: IdentityAssertions, log: Logger): GatewayPlugin {
  return {
    async onRequestParse({ request }) {
      // Health and metrics endpoints never reach here; GraphiQL's page (GET text/html) needs no identity.
      if (request.method === 'GET' && !new URL(request.url).search && request.headers.get('accept')?.includes('text/html')) return;
      // The refusal's one log line carries the request id the response does (gateway/runtime-logger.ts).
      await coded(callers.of({ request }), log.child({ requestId: requestIdOf(request) }));
    },
    async onContextBuilding({ context, extendContext }) {
      const identity = await coded(callers.of(context as RequestLike), log);
      extendContext({ identity, identityAssertion: await assertions.sign(identity) } satisfies AuthContext as never);
    },
    // The client's operation name (given, or the document's only operation), for audit records.
    onExecute({ args }) {
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name) (args.contextValue as { clientOperation?: string }).clientOperation = name;
    },
    onSubscribe({ args }) {
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (name) (args.contextValue as { clientOperation?: string }).clientOperation = name;
    },
    onFetch({ context, options, setOptions }) {
      const assertion = (context as Partial<AuthContext>).identityAssertion;
      if (!assertion) return;
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set(IDENTITY_HEADER, assertion);
      // For the subgraphs' audit records: the client's own operation name and the request id.
      const { clientOperation, request } = context as { clientOperation?: string; request?: Request };
      if (clientOperation) headers.set(OPERATION_HEADER, clientOperation);
      const requestId = requestIdOf(request);
      if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
}
