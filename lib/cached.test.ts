import { Cached, type CachedOptions } from './cached';

/** A fetch whose calls are counted and each answered when the test says. */
function controlledFetch() {
  const calls: { resolve(value: string): void; reject(error: Error): void }[] = [];
  const fetch = () =>
    new Promise<string>((resolve, reject) => {
      calls.push({ resolve, reject });
    });
  return { fetch, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A Cached (ttlMs 100, staleMs 1,000) holding 'v1' fetched at time 1,000, with its clock and fetches. */
async function holdingV1(options: Omit<CachedOptions, 'now' | 'staleMs'> = {}) {
  const clock = { now: 1_000 };
  const { fetch, calls } = controlledFetch();
  const cached = new Cached(100, fetch, { staleMs: 1_000, now: () => clock.now, ...options });
  const first = cached.get();
  calls[0]!.resolve('v1');
  await first;
  return { cached, calls, clock };
}

describe('Cached', () => {
  it('shares one fetch among concurrent callers, keeps the value for ttlMs, then has the next caller wait for a new one', async () => {
    let now = 1_000;
    const { fetch, calls } = controlledFetch();
    const cached = new Cached(100, fetch, { now: () => now });
    const first = [cached.get(), cached.get()];
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('v1');
    expect(await Promise.all(first)).toEqual(['v1', 'v1']);
    now = 1_100;
    await expect(cached.get()).resolves.toBe('v1');
    now = 1_101;
    const waiting = cached.get();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v2');
    await expect(waiting).resolves.toBe('v2');
  });

  it('keeps no failed fetch: the next caller tries again', async () => {
    const { fetch, calls } = controlledFetch();
    const cached = new Cached(100, fetch);
    const failing = cached.get();
    calls[0]!.reject(new Error('knowledge graph down'));
    await expect(failing).rejects.toThrow('knowledge graph down');
    const retried = cached.get();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v1');
    await expect(retried).resolves.toBe('v1');
  });

  it('with staleMs, answers the old value at once while one fetch gets the new one, and the new one once it arrived', async () => {
    const { cached, calls, clock } = await holdingV1();
    clock.now = 1_500;
    await expect(cached.get()).resolves.toBe('v1');
    await expect(cached.get()).resolves.toBe('v1');
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v2');
    await settle();
    await expect(cached.get()).resolves.toBe('v2');
    expect(calls).toHaveLength(2);
  });

  it('with staleMs, keeps answering the old value when the background fetch fails, reports it, and tries again after retryMs', async () => {
    const failures: unknown[] = [];
    const { cached, calls, clock } = await holdingV1({ retryMs: 50, onBackgroundError: (error) => failures.push(error) });
    clock.now = 1_200;
    await expect(cached.get()).resolves.toBe('v1');
    calls[1]!.reject(new Error('knowledge graph down'));
    await settle();
    expect(failures).toEqual([new Error('knowledge graph down')]);
    clock.now = 1_249;
    await expect(cached.get()).resolves.toBe('v1');
    expect(calls).toHaveLength(2);
    clock.now = 1_250;
    await expect(cached.get()).resolves.toBe('v1');
    expect(calls).toHaveLength(3);
    calls[2]!.resolve('v2');
    await settle();
    await expect(cached.get()).resolves.toBe('v2');
  });

  it('with staleMs, has the caller wait once the value is older than ttlMs + staleMs', async () => {
    const { cached, calls, clock } = await holdingV1();
    clock.now = 2_101;
    const waiting = cached.get();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v2');
    await expect(waiting).resolves.toBe('v2');
  });
});
