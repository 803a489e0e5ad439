/**
 * The caller's bearer token: taken from the URL fragment (`#token=…`, which browsers never send to a
 * server) or pasted, kept in sessionStorage (this tab only, gone when it closes), and dropped when it
 * expires. The gateway verifies it; the claims read here only decide what to show.
 */
const STORAGE_KEY = 'precision-hub.token';

export interface Session {
  token: string;
  role: string;
  subject: string;
  org?: string;
  /** Seconds since the epoch; undefined when the token carries no `exp`. */
  expiresAt?: number;
}

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function sessionOf(token: string): Session | undefined {
  const claims = decodeClaims(token.trim());
  if (!claims) return undefined;
  return {
    token: token.trim(),
    role: typeof claims.role === 'string' ? claims.role : 'unknown',
    subject: typeof claims.sub === 'string' ? claims.sub : 'unknown',
    org: typeof claims.org === 'string' ? claims.org : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
}

export const isExpired = (session: Session, now = Date.now()) => session.expiresAt !== undefined && session.expiresAt * 1000 <= now;

/** Moves a `#token=` fragment into sessionStorage and removes it from the address bar and history. */
export function takeTokenFromFragment(): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (!token) return;
  sessionStorage.setItem(STORAGE_KEY, token);
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  return token ? sessionOf(token) : undefined;
}

export function storeToken(token: string): Session | undefined {
  const session = sessionOf(token);
  if (session) sessionStorage.setItem(STORAGE_KEY, session.token);
  return session;
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
