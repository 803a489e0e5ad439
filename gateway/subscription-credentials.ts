import { CloseCode } from 'graphql-ws';
import type { Logger } from '../lib/logger';
import type { VerifiedCaller } from './auth';

/**
 * graphql-ws connections end when their credentials do (issue 15). A connection authenticates once,
 * with the credentials of its `connection_init` (or upgrade request), and may then stay open for
 * hours; so the gateway closes it with graphql-ws's Forbidden, 4403, when
 * - its bearer token expires: a timer at the token's `exp`;
 * - its partner API key is revoked: every `recheckMs` (default 30 s, the HTTP lookup cache's span)
 *   the keys of all open connections are looked up again in one query, uncached, and the
 *   connections whose key is gone are closed. A re-check that fails (database down) keeps them and
 *   tries again at the next interval, logged.
 * 4403 is what graphql-ws itself answers a refused connection with; its client does not treat it as
 * fatal, so a client whose `connectionParams` is a function reconnects with fresh credentials.
 */
export const CREDENTIALS_ENDED_CODE = CloseCode.Forbidden;
export const DEFAULT_CREDENTIAL_RECHECK_MS = 30_000;
/** setTimeout's longest delay (~24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ClosableSocket {
  close(code: number, reason: string): void;
}

export interface CredentialWatchOptions {
  /** The API keys among `keys` that are still known and unrevoked, read without any cache. */
  unrevoked: (keys: string[]) => Promise<Set<string>>;
  recheckMs?: number;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  now?: () => number;
}

interface Watched {
  socket: ClosableSocket;
  apiKey?: string;
  timer?: NodeJS.Timeout;
}

export class CredentialWatch {
  private readonly watched = new Set<Watched>();
  private readonly interval: NodeJS.Timeout;
  private checking = false;
  private readonly now: () => number;

  constructor(private readonly options: CredentialWatchOptions) {
    this.now = options.now ?? Date.now;
    this.interval = setInterval(() => void this.recheckApiKeys(), options.recheckMs ?? DEFAULT_CREDENTIAL_RECHECK_MS);
    this.interval.unref();
  }

  /** Watches `socket`'s credentials until the returned function is called (the socket closed). */
  watch(socket: ClosableSocket, caller: VerifiedCaller): () => void {
    const entry: Watched = { socket, apiKey: caller.apiKey };
    this.watched.add(entry);
    if (caller.expiresAt !== undefined) this.closeAt(entry, caller.expiresAt);
    return () => this.forget(entry);
  }

  get size(): number {
    return this.watched.size;
  }

  close(): void {
    clearInterval(this.interval);
    for (const entry of this.watched) this.forget(entry);
  }

  private closeAt(entry: Watched, at: number): void {
    const delay = at - this.now();
    if (delay <= 0) return this.end(entry, 'the bearer token expired');
    entry.timer = setTimeout(() => this.closeAt(entry, at), Math.min(delay, MAX_TIMER_MS));
    entry.timer.unref();
  }

  private end(entry: Watched, why: string): void {
    this.forget(entry);
    this.options.log.info({ reason: why }, 'graphql-ws connection closed: its credentials ended');
    entry.socket.close(CREDENTIALS_ENDED_CODE, `Forbidden: ${why}`);
  }

  private forget(entry: Watched): void {
    clearTimeout(entry.timer);
    this.watched.delete(entry);
  }

  /** One lookup for every distinct key of the open connections; at most one under way at a time. */
  async recheckApiKeys(): Promise<void> {
    if (this.checking) return;
    const withKeys = [...this.watched].filter((entry) => entry.apiKey !== undefined);
    if (!withKeys.length) return;
    this.checking = true;
    try {
      const unrevoked = await this.options.unrevoked([...new Set(withKeys.map((entry) => entry.apiKey!))]);
      for (const entry of withKeys) if (this.watched.has(entry) && !unrevoked.has(entry.apiKey!)) this.end(entry, 'the API key was revoked');
    } catch (error) {
      this.options.log.error({ err: error }, 'API keys of open graphql-ws connections could not be re-checked; trying again at the next interval');
    } finally {
      this.checking = false;
    }
  }
}
