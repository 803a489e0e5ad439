export interface CachedOptions {
  /**
   * Past `ttlMs`, the value in hand is still answered for up to this much longer while a newer one is
   * fetched in the background (stale-while-revalidate, RFC 5861's idea): the caller who finds it old does
   * not wait for the fetch. 0 (the default): a caller past `ttlMs` waits for the new value.
   */
  staleMs?: number;
  /** After a background fetch failed, the next one starts no sooner than this (default 30 s, at most `ttlMs`). */
  retryMs?: number;
  /** A background fetch failed (the old value is still answered); foreground failures reach their callers. */
  onBackgroundError?: (error: unknown) => void;
  /** The clock (tests). */
  now?: () => number;
}

const DEFAULT_RETRY_MS = 30_000;

/**
 * A value fetched once and shared until it is older than `ttlMs` (Infinity: for good). Concurrent
 * callers share one fetch; a failed fetch is not kept, so the next caller tries again. With `staleMs`
 * an old value is answered while its successor is fetched.
 */
export class Cached<T> {
  /** The last value fetched (`settled` once it resolved) and when its fetch started. */
  private current: { value: Promise<T>; fetchedAt: number; settled: boolean } | undefined;
  private refreshing: Promise<T> | undefined;
  private retryAt = 0;
  private readonly staleMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ttlMs: number,
    private readonly fetch: () => Promise<T>,
    private readonly options: CachedOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 0;
    this.retryMs = Math.min(options.retryMs ?? DEFAULT_RETRY_MS, ttlMs);
    this.now = options.now ?? Date.now;
  }

  get(): Promise<T> {
    const now = this.now();
    const current = this.current;
    if (current && now - current.fetchedAt <= this.ttlMs) return current.value;
    if (current?.settled && now - current.fetchedAt <= this.ttlMs + this.staleMs) {
      if (!this.refreshing && now >= this.retryAt) this.refresh(now, true);
      return current.value;
    }
    return this.refreshing ?? this.refresh(now, false);
  }

  /** The value fetched or being fetched, without starting a fetch. */
  peek(): Promise<T> | undefined {
    return this.refreshing ?? this.current?.value;
  }

  private refresh(startedAt: number, background: boolean): Promise<T> {
    const pending = this.fetch();
    this.refreshing = pending;
    // The first value is in hand for callers at once (they share the pending fetch); a later one replaces
    // the old only once it arrived, so that the old can be answered meanwhile.
    if (!this.current || !background) this.current = { value: pending, fetchedAt: startedAt, settled: false };
    pending.then(
      () => {
        if (this.refreshing !== pending) return;
        this.refreshing = undefined;
        this.current = { value: pending, fetchedAt: startedAt, settled: true };
      },
      (error: unknown) => {
        if (this.refreshing !== pending) return;
        this.refreshing = undefined;
        if (this.current?.value === pending) this.current = undefined;
        if (background) {
          this.retryAt = this.now() + this.retryMs;
          this.options.onBackgroundError?.(error);
        }
      },
    );
    return pending;
  }
}
