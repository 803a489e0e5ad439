import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { ErrorCode, HubError } from './errors';

/**
 * Who is asking, as the gateway established it and every subgraph reads it. Roles follow the
 * architecture note (least privilege, HIPAA §164.502(b) "minimum necessary"):
 * - clinician: identified data of patients in their organisation's care;
 * - researcher: de-identified data of consenting patients only;
 * - partner: persisted operations of its contracts only;
 * - admin: everything, including the audit trail;
 * - service: one hub service calling another for its own work (event processing, training), never
 *   a person; assertions for it are minted by the services, not by the gateway.
 */
export const ROLES = ['clinician', 'researcher', 'partner', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** The person or system: the token's `sub`, the API key's client, or the service's name. */
  subject: string;
  role: Role;
  /** The calling application (the token's `azp`/`client_id`, or the API key's client). */
  client: string;
  /** A clinician's organisation (the token's `org` claim). */
  organisation?: string;
  /** A partner's contracts: the persisted-operation manifests it may run. */
  contracts?: string[];
}

/** The header (and graphql-ws connection parameter) carrying the signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-hub-identity';

const ISSUER = 'precision-hub-gateway';
const AUDIENCE = 'precision-hub-subgraphs';
/** Long enough for a slow request; a captured assertion is useless minutes later. */
export const ASSERTION_TTL_SECONDS = 300;

/** Verified assertions kept (a few hundred bytes each): one per caller per half lifetime is what a busy hub sees. */
const VERIFIED_ASSERTIONS_KEPT = 10_000;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Signs and verifies identity assertions between the gateway and the subgraphs: a JWT (HS256 over
 * the hub's internal secret, RFC 7519) carrying the Identity, five minutes long. A subgraph reached
 * without one, or with one not signed by this hub, refuses (UNAUTHENTICATED).
 */
export class IdentityAssertions {
  private readonly key: Uint8Array;
  /** Signing is ~20 µs; a busy client would pay it per request without this cache. */
  private readonly signed = new Map<string, { token: string; renewAt: number }>();
  /**
   * Assertions whose signature and claims verified, by their exact text, until their `exp`. The gateway
   * sends one assertion per caller for half its lifetime (`sign` above), so a subgraph sees the same text
   * on request after request; a patient-360 is verified by three subgraphs. An HS256 verification through
   * WebCrypto costs a few promise turns each time; a repeat is a lookup. Expiry is checked on every use
   * (an expired entry is verified again, and refused as jose refuses it), and a changed byte is another
   * key, so nothing the full check would refuse is accepted.
   */
  private readonly verified = new LRUCache<string, { identity: Identity; expiresAtMs: number }>({ max: VERIFIED_ASSERTIONS_KEPT });
  private readonly verifiedStats = { hits: 0, misses: 0 };

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the internal secret (HUB_INTERNAL_SECRET) must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async sign(identity: Identity): Promise<string> {
    const cacheKey = JSON.stringify(identity);
    const now = Date.now();
    const cached = this.signed.get(cacheKey);
    if (cached && cached.renewAt > now) return cached.token;
    const token = await new SignJWT({ ...identity })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ASSERTION_TTL_SECONDS}s`)
      .sign(this.key);
    if (this.signed.size > 10_000) this.signed.clear();
    this.signed.set(cacheKey, { token, renewAt: now + (ASSERTION_TTL_SECONDS * 1000) / 2 });
    return token;
  }

  /** The identity in `token`; UNAUTHENTICATED when absent, INVALID_TOKEN / TOKEN_EXPIRED when bad. */
  async verify(token: string | undefined): Promise<Identity> {
    if (!token) {
      throw new HubError(ErrorCode.UNAUTHENTICATED, `no ${IDENTITY_HEADER} assertion: subgraphs answer only requests that come through the gateway`);
    }
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) {
      this.verifiedStats.hits++;
      return { ...known.identity };
    }
    this.verifiedStats.misses++;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const identity = identityFromClaims(payload as Record<string, unknown>);
      // jose has checked `exp` is there and in the future (every assertion this hub signs carries one).
      if (typeof payload.exp === 'number') this.verified.set(token, { identity, expiresAtMs: payload.exp * 1000 });
      return { ...identity };
    } catch (error) {
      throw credentialError(error, `${IDENTITY_HEADER} assertion`);
    }
  }

  /** How often `verify` answered from verified assertions (hits) and how often it ran the full check. */
  verificationCounts(): { hits: number; misses: number } {
    return { ...this.verifiedStats };
  }

  /** A key for another purpose (research pseudonyms, cursors), derived from the same secret: HMAC-SHA256(secret, purpose). */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`precision-hub:${purpose}`).digest();
  }

  /** Credentials for a hub service calling another on its own behalf (events, training). */
  forService(name: string): () => Promise<string> {
    const identity: Identity = { subject: name, role: 'service', client: 'precision-hub' };
    return () => this.sign(identity);
  }
}

function identityFromClaims(claims: Record<string, unknown>): Identity {
  const { subject, role, client, organisation, contracts } = claims;
  if (typeof subject !== 'string' || !isRole(role) || typeof client !== 'string') {
    throw new HubError(ErrorCode.INVALID_TOKEN, 'identity assertion lacks subject, role or client');
  }
  return {
    subject,
    role,
    client,
    ...(typeof organisation === 'string' ? { organisation } : {}),
    ...(Array.isArray(contracts) ? { contracts: contracts.filter((c): c is string => typeof c === 'string') } : {}),
  };
}

/** Maps a jose failure to a coded error that says what was wrong with which credential. */
export function credentialError(error: unknown, what: string): HubError {
  if (error instanceof HubError) return error;
  if (error instanceof joseErrors.JWTExpired) return new HubError(ErrorCode.TOKEN_EXPIRED, `${what} expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new HubError(ErrorCode.INVALID_TOKEN, `${what} signature does not verify`);
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new HubError(ErrorCode.INVALID_TOKEN, `${what} claim "${error.claim}" is not acceptable: ${error.message}`);
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new HubError(ErrorCode.INVALID_TOKEN, `${what} uses an algorithm this hub does not accept`);
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) {
    return new HubError(ErrorCode.INVALID_TOKEN, `${what} is not a well-formed JWT`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new HubError(ErrorCode.INVALID_TOKEN, `${what} was signed with a key the JWKS does not hold`);
  return new HubError(ErrorCode.INVALID_TOKEN, `${what} could not be verified`);
}
