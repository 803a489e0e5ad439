import { DEFAULT_RETRY_POLICY, nextAttemptDelay, retryPolicy } from './retry-policy';

describe('retry policy', () => {
  it('doubles the delay after each failure and gives up after the last attempt', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => nextAttemptDelay(DEFAULT_RETRY_POLICY, n));
    expect(delays).toEqual([2000, 4000, 8000, 16000, null]);
  });

  it('caps the delay', () => {
    expect(nextAttemptDelay(retryPolicy({ maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 5000 }), 10)).toBe(5000);
  });

  it('refuses a policy that would never try or never wait sensibly', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow('retry maxAttempts 0 must be a positive integer');
    expect(() => retryPolicy({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow('retry delays must satisfy');
  });
});
