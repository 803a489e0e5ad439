import type { ExecutionResult } from 'graphql';
import { ErrorCode } from '../lib/errors';
import type { RateLimit } from '../lib/gateway-limits-config';
import { limitExceeded } from './limit-errors';

/**
 * Rate limits per caller, under a ceiling per client application (defaults and their reasoning in
 * lib/gateway-limits-config.ts and README "Limits"). Each operation takes one token from its caller's
 * bucket and one from its client application's: a busy ward shares the ceiling, not a bucket, and
 * one runaway caller is stopped before it empties the ceiling for everyone else.
 */

/** Callers tracked by the rate limiter before idle (full) buckets are dropped. */
const MAX_TRACKED_CALLERS = 10_000;

/**
 * One token bucket per key (RFC 2697's single-rate idea): `burst` operations at once, refilled at
 * `perSecond`. `take` answers 0 when the operation may go ahead (and takes its token), else the
 * seconds to wait; `wait` answers the same without taking anything.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): number {
    const wait = this.wait(key);
    if (wait === 0) this.buckets.get(key)!.tokens -= 1;
    return wait;
  }

  wait(key: string): number {
    const bucket = this.refilled(key, this.now());
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.rate.perSecond);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number) {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_CALLERS) this.forgetIdle(now);
      bucket = { tokens: this.rate.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    return bucket;
  }

  /** A full bucket is the same as none; if every caller is busy, the longest-known go first. */
  private forgetIdle(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond >= this.rate.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < MAX_TRACKED_CALLERS) break;
      this.buckets.delete(key);
    }
  }
}

/** What the rate limiter and request ids read from a GraphQL context (HTTP or graphql-ws). */
export interface CallerContext {
  /** node:http's request: set by the runtime for HTTP and by server.ts for graphql-ws. */
  req?: { socket?: { remoteAddress?: string | undefined } | null };
  request?: Request;
}

/** The caller's IP (the socket's, not X-Forwarded-For, which any client can write): the key before authentication. */
export function rateLimitKey(context: CallerContext): string {
  return context.req?.socket?.remoteAddress ?? 'unknown';
}

/** Whose buckets an operation takes from: its caller's, and its client application's when known. */
export interface RateLimitKeys {
  caller: string;
  /** The client application's name (a token's azp/client_id, an API key's client). */
  client?: string;
}

export type LimitedBy = 'caller' | 'client';

export class RateLimiter {
  private readonly callers: TokenBuckets;
  private readonly clients: TokenBuckets | undefined;

  constructor(
    private readonly callerRate: RateLimit,
    private readonly clientRate: RateLimit | undefined,
    now?: () => number,
  ) {
    this.callers = new TokenBuckets(callerRate, now);
    this.clients = clientRate && new TokenBuckets(clientRate, now);
  }

  /**
   * Undefined when the operation may go ahead (both its tokens taken); else a 429 RATE_LIMITED
   * result naming the limit it hit (`limitedBy`). A refused operation takes no token from either.
   */
  admit(keys: RateLimitKeys): ExecutionResult | undefined {
    const callerWait = this.callers.wait(keys.caller);
    if (callerWait > 0) return this.refusal('caller', this.callerRate, callerWait);
    const clientKey = keys.client === undefined ? undefined : `client:${keys.client}`;
    if (this.clients && clientKey !== undefined) {
      const clientWait = this.clients.wait(clientKey);
      if (clientWait > 0) return this.refusal('client', this.clientRate!, clientWait, keys.client);
      this.clients.take(clientKey);
    }
    this.callers.take(keys.caller);
    return undefined;
  }

  private refusal(limitedBy: LimitedBy, { burst, perSecond }: RateLimit, retryAfter: number, client?: string): ExecutionResult {
    const message =
      limitedBy === 'caller'
        ? `Rate limit exceeded for this caller: at most ${burst} operations at once and ${perSecond} a second per caller; retry after ${retryAfter} s.`
        : `Rate limit exceeded for client application ${client}: at most ${burst} operations at once and ${perSecond} a second across its callers; retry after ${retryAfter} s.`;
    return {
      errors: [
        limitExceeded(ErrorCode.RATE_LIMITED, message, { limitedBy, limit: { burst, perSecond }, retryAfterSeconds: retryAfter }, { status: 429, headers: { 'retry-after': String(retryAfter) } }),
      ],
    };
  }
}
