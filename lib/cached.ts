/**
 * A value fetched once and shared until it is older than `ttlMs` (Infinity: for good). Concurrent
 * callers share one fetch; a failed fetch is not kept, so the next caller tries again.
 */
export class Cached<T> {
  private value: Promise<T> | undefined;
  private fetchedAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly fetch: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    if (!this.value || Date.now() - this.fetchedAt > this.ttlMs) {
      this.fetchedAt = Date.now();
      const pending = this.fetch();
      this.value = pending;
      pending.catch(() => {
        if (this.value === pending) this.value = undefined;
      });
    }
    return this.value;
  }

  /** The value fetched or being fetched, without starting a fetch. */
  peek(): Promise<T> | undefined {
    return this.value;
  }
}
