import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('keeps the total weight within maxWeight and refuses an entry heavier than the whole cache', () => {
    const cache = new LruCache<string, string>({ maxEntries: 100, maxWeight: 10, weigh: (v) => v.length });
    cache.set('a', 'xxxx');
    cache.set('b', 'yyyy');
    cache.set('c', 'zzzz');
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.weight]).toEqual([false, true, true, 8]);
    cache.set('d', 'x'.repeat(11));
    expect([cache.has('d'), cache.size, cache.weight]).toEqual([false, 2, 8]);
  });

  it('treats entries older than ttlMs as absent', () => {
    let now = 0;
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 1000, now: () => now });
    cache.set('a', 1);
    now = 999;
    expect(cache.get('a')).toBe(1);
    now = 1000;
    expect([cache.get('a'), cache.size]).toEqual([undefined, 0]);
  });

  it('replaces an entry set again, counting its weight once', () => {
    const cache = new LruCache<string, string>({ maxEntries: 10, weigh: (v) => v.length });
    cache.set('a', 'xx');
    cache.set('a', 'yyy');
    expect([cache.get('a'), cache.size, cache.weight]).toEqual(['yyy', 1, 3]);
  });
});
