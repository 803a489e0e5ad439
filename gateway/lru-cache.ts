/**
 * A bounded least-recently-used cache: at most `maxEntries` entries and `maxWeight` in total (each
 * entry weighs what `weigh` says, e.g. a document's length), entries older than `ttlMs` count as
 * absent. A Map keeps insertion order, so re-inserting on every hit makes its first key the least
 * recently used one.
 */
export interface LruOptions<V> {
  maxEntries: number;
  /** Infinity (the default) when only the number of entries matters. */
  maxWeight?: number;
  weigh?: (value: V) => number;
  /** Infinity (the default): entries stay until evicted. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  weight: number;
  storedAt: number;
}

export class LruCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private totalWeight = 0;
  private readonly maxWeight: number;
  private readonly ttlMs: number;
  private readonly weigh: (value: V) => number;
  private readonly now: () => number;

  constructor(private readonly options: LruOptions<V>) {
    this.maxWeight = options.maxWeight ?? Infinity;
    this.ttlMs = options.ttlMs ?? Infinity;
    this.weigh = options.weigh ?? (() => 0);
    this.now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.totalWeight;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() - entry.storedAt >= this.ttlMs) {
      this.totalWeight -= entry.weight;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` unless it alone weighs more than the whole cache may. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight, storedAt: this.now() });
    this.totalWeight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.totalWeight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.totalWeight -= entry.weight;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }

  clear(): void {
    this.entries.clear();
    this.totalWeight = 0;
  }
}
