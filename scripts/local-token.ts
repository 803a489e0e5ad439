/** Bearer tokens for trying the hub locally (`npm run token`, the dashboard link `npm start` prints). */
import { SignJWT } from 'jose';

export interface LocalTokenClaims {
  role: string;
  org?: string;
  sub?: string;
  client: string;
  contracts?: string[];
  hours: number;
}

/** An HS256 token over this checkout's JWT secret, as the identity provider would issue it. */
export function mintLocalToken(secret: string, claims: LocalTokenClaims): Promise<string> {
  return new SignJWT({
    role: claims.role,
    azp: claims.client,
    ...(claims.org ? { org: claims.org } : {}),
    ...(claims.contracts ? { contracts: claims.contracts } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? `local-${claims.role}`)
    .setIssuedAt()
    .setExpirationTime(`${claims.hours}h`)
    .sign(new TextEncoder().encode(secret));
}
