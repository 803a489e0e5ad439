import { SignJWT } from 'jose';
import { IdentityAssertions, IDENTITY_HEADER, type Identity } from '../../lib/identity';

/** Secrets of every hub the tests start (never used outside tests). */
export const TEST_INTERNAL_SECRET = 'precision-hub-tests-internal-secret-000000000000';
export const TEST_JWT_SECRET = 'precision-hub-tests-jwt-secret-0000000000000000000';

export const testAssertions = () => new IdentityAssertions(TEST_INTERNAL_SECRET);

export interface TokenClaims {
  sub?: string;
  role?: string;
  org?: string;
  azp?: string;
  contracts?: string[];
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  /** Sign with another secret (a forged or foreign token). */
  secret?: string;
}

/** A bearer token as the identity provider would issue it (HS256 over the test secret). */
export async function bearerToken(claims: TokenClaims = {}): Promise<string> {
  const { sub = 'test-admin', role = 'admin', org, azp = 'precision-hub-tests', contracts, expiresIn = 600, secret = TEST_JWT_SECRET } = claims;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, azp, ...(org ? { org } : {}), ...(contracts ? { contracts } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(new TextEncoder().encode(secret));
}

export async function bearer(claims: TokenClaims = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await bearerToken(claims)}` };
}

/** The header a subgraph reached directly needs: the gateway's signed identity assertion. */
export async function asserted(identity: Identity): Promise<Record<string, string>> {
  return { [IDENTITY_HEADER]: await testAssertions().sign(identity) };
}

const ADMIN: Identity = { subject: 'test-admin', role: 'admin', client: 'precision-hub-tests' };
let defaults: Promise<Record<string, string>> | undefined;

/**
 * What tests send unless they say otherwise: an admin's bearer token (for gateways) and an admin's
 * identity assertion (for subgraphs reached directly). Each side reads only its own header.
 */
export function defaultCredentials(): Promise<Record<string, string>> {
  defaults ??= Promise.all([bearer(), asserted(ADMIN)]).then(([token, assertion]) => ({ ...token, ...assertion }));
  return defaults;
}
