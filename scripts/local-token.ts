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

/**
 * Why `hours` is not a lifetime the gateway would accept (a finite number in (0, maxHours],
 * JWT_MAX_LIFETIME_HOURS); undefined when it is.
 */
export function tokenHoursRefusal(hours: string | number, maxHours: number): string | undefined {
  const value = typeof hours === 'number' ? hours : hours.trim() === '' ? Number.NaN : Number(hours);
  if (Number.isFinite(value) && value > 0 && value <= maxHours) return undefined;
  return `--hours ${hours}: a number of hours greater than 0 and at most ${maxHours} (JWT_MAX_LIFETIME_HOURS)`;
}

/**
 * An HS256 token over this checkout's JWT secret, as the identity provider would issue it; refused
 * (rejects) when it would live longer than `maxHours`, which the gateway would refuse anyway.
 */
export async function mintLocalToken(secret: string, claims: LocalTokenClaims, maxHours: number): Promise<string> {
  const refusal = tokenHoursRefusal(claims.hours, maxHours);
  if (refusal) throw new Error(refusal);
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({
    role: claims.role,
    azp: claims.client,
    ...(claims.org ? { org: claims.org } : {}),
    ...(claims.contracts ? { contracts: claims.contracts } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? `local-${claims.role}`)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round(claims.hours * 3600))
    .sign(new TextEncoder().encode(secret));
}
