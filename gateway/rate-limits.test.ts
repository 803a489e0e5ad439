import { RateLimiter, TokenBuckets, rateLimitKey } from './rate-limits';

describe('token buckets', () => {
  it('allow a burst, refuse the next with the seconds to wait, and refill over time', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 3, perSecond: 1 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    expect(buckets.take('b')).toBe(0); // another key has its own bucket
    now = 1000;
    expect(buckets.wait('a')).toBe(0); // waiting takes nothing
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('key an unauthenticated caller by the socket address, not a header the client writes', () => {
    expect(rateLimitKey({ req: { socket: { remoteAddress: '10.0.0.7' } } })).toBe('10.0.0.7');
    expect(rateLimitKey({})).toBe('unknown');
  });
});

describe('rate limits per caller under a ceiling per client application', () => {
  const codeOf = (refusal: ReturnType<RateLimiter['admit']>) => refusal?.errors?.[0]?.extensions;

  it('gives each caller of one client its own bucket', () => {
    const limiter = new RateLimiter({ burst: 2, perSecond: 1 }, { burst: 10, perSecond: 5 }, () => 0);
    expect([limiter.admit({ caller: 'dr-a', client: 'ward' }), limiter.admit({ caller: 'dr-a', client: 'ward' })]).toEqual([undefined, undefined]);
    expect(codeOf(limiter.admit({ caller: 'dr-a', client: 'ward' }))).toEqual({
      code: 'RATE_LIMITED',
      limitedBy: 'caller',
      limit: { burst: 2, perSecond: 1 },
      retryAfterSeconds: 1,
      http: { status: 429, headers: { 'retry-after': '1' } },
    });
    expect(limiter.admit({ caller: 'dr-b', client: 'ward' })).toBeUndefined();
  });

  it('refuses every caller of a client over its ceiling, naming the client, and takes no token from a refused caller', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perSecond: 1 }, { burst: 3, perSecond: 1 }, () => now);
    for (const caller of ['a', 'b', 'c']) expect(limiter.admit({ caller, client: 'portal' })).toBeUndefined();
    const refused = limiter.admit({ caller: 'd', client: 'portal' });
    expect(refused?.errors?.[0]?.message).toBe('Rate limit exceeded for client application portal: at most 3 operations at once and 1 a second across its callers; retry after 1 s.');
    expect(codeOf(refused)).toMatchObject({ limitedBy: 'client', limit: { burst: 3, perSecond: 1 } });
    // Caller d was refused by the ceiling: its own bucket is still full once the ceiling refills.
    now = 2000;
    expect([limiter.admit({ caller: 'd', client: 'portal' }), limiter.admit({ caller: 'd', client: 'portal' })]).toEqual([undefined, undefined]);
  });

  it('applies no ceiling to a caller whose client is unknown, or when the ceiling is off', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, undefined, () => 0);
    expect(limiter.admit({ caller: 'x', client: 'portal' })).toBeUndefined();
    expect(codeOf(limiter.admit({ caller: 'x', client: 'portal' }))).toMatchObject({ limitedBy: 'caller' });
  });
});
