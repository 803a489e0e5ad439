/**
 * How often and how soon a failed event is tried again: exponential back-off (base × 2^(n−1) after
 * the n-th failed attempt, capped), a bounded number of attempts in all, then the dead-letter table.
 * A bounded count keeps one poison event from costing work forever; the doubling keeps a dependency
 * that is briefly down (a subgraph restarting) from being hammered by every event that needs it.
 */
export interface RetryPolicy {
  /** Handling attempts in all, the first included; after the last failure the event is dead-lettered. */
  maxAttempts: number;
  /** Delay after the first failure. */
  baseDelayMs: number;
  /** No delay longer than this. */
  maxDelayMs: number;
}

/**
 * 5 attempts: tried again after 2, 4, 8 and 16 s, dead-lettered ~30 s after the first failure — long
 * enough to ride out a subgraph restart or a supervised Neo4j coming back, short enough that a
 * poison event is in front of an admin within a minute.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2000, maxDelayMs: 5 * 60_000 };

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error(`retry maxAttempts ${policy.maxAttempts} must be a positive integer`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new Error(`retry delays must satisfy 0 <= baseDelayMs (${policy.baseDelayMs}) <= maxDelayMs (${policy.maxDelayMs})`);
  }
  return policy;
}

/** The delay before the next attempt after `attemptsMade` failed attempts, or null: give up. */
export function nextAttemptDelay(policy: RetryPolicy, attemptsMade: number): number | null {
  if (attemptsMade >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
}
