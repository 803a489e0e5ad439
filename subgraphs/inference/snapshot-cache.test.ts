import type { ClinicalSnapshot } from './domain/cardiovascular';
import { SnapshotCache } from './snapshot-cache';

const record = (id: string, observations: number) => ({ id, organization: 'org', observations: Array.from({ length: observations }, (_, i) => ({ id: `o${i}` })) }) as unknown as ClinicalSnapshot;

describe('SnapshotCache', () => {
  it('answers a record only for the version it was stored under, and counts hits and misses', () => {
    const cache = new SnapshotCache(10);
    cache.set('p1', '7.abc', record('p1', 1));
    expect(cache.get('p1', '7.abc')).toEqual(record('p1', 1));
    expect(cache.get('p1', '8.abc')).toBeUndefined();
    expect(cache.get('p2', '7.abc')).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 2]);
  });

  it('keeps at most its count and its size of records, the least recently used going first, and none larger than the whole', () => {
    const byCount = new SnapshotCache(2);
    for (const id of ['a', 'b', 'c']) byCount.set(id, '1', record(id, 1));
    expect(byCount.get('a', '1')).toBeUndefined();
    expect(byCount.get('c', '1')).toBeDefined();
    const small = JSON.stringify(record('s', 1)).length;
    const bySize = new SnapshotCache(100, small * 2);
    bySize.set('s1', '1', record('s1', 1));
    bySize.set('s2', '1', record('s2', 1));
    bySize.set('s3', '1', record('s3', 1));
    expect([bySize.get('s1', '1'), bySize.get('s3', '1')]).toEqual([undefined, record('s3', 1)]);
    bySize.set('big', '1', record('big', 1000));
    expect(bySize.get('big', '1')).toBeUndefined();
  });
});
