import { CredentialWatch } from './subscription-credentials';

const silent = { warn: () => undefined, error: () => undefined, info: () => undefined };

function socket() {
  const closes: { code: number; reason: string }[] = [];
  return { closes, close: (code: number, reason: string) => void closes.push({ code, reason }) };
}

describe('CredentialWatch', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('closes a connection with 4403 at its token’s expiry, not before, and waits past setTimeout’s 24.8-day limit in steps', () => {
    const watch = new CredentialWatch({ unrevoked: async () => new Set(), log: silent });
    const soon = socket();
    const late = socket();
    watch.watch(soon, { identity: { subject: 's', role: 'admin', client: 'c' }, expiresAt: 5_000 });
    watch.watch(late, { identity: { subject: 'l', role: 'admin', client: 'c' }, expiresAt: 30 * 86_400_000 });
    jest.advanceTimersByTime(4_999);
    expect(soon.closes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(soon.closes).toEqual([{ code: 4403, reason: 'Forbidden: the bearer token expired' }]);
    jest.advanceTimersByTime(30 * 86_400_000 - 5_001);
    expect(late.closes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(late.closes).toEqual([{ code: 4403, reason: 'Forbidden: the bearer token expired' }]);
    watch.close();
  });

  it('forgets a connection that closed on its own', () => {
    const watch = new CredentialWatch({ unrevoked: async () => new Set(), log: silent });
    const closed = socket();
    const unwatch = watch.watch(closed, { identity: { subject: 's', role: 'admin', client: 'c' }, expiresAt: 1_000 });
    unwatch();
    jest.advanceTimersByTime(2_000);
    expect({ closes: closed.closes, watched: watch.size }).toEqual({ closes: [], watched: 0 });
    watch.close();
  });

  it('re-checks every distinct API key in one lookup, closes revoked keys’ connections, and keeps them all when the lookup fails', async () => {
    const lookups: string[][] = [];
    let answer: () => Set<string> = () => {
      throw new Error('database unavailable');
    };
    const watch = new CredentialWatch({
      unrevoked: async (keys) => {
        lookups.push(keys);
        return answer();
      },
      log: silent,
    });
    const [a1, a2, b] = [socket(), socket(), socket()];
    for (const [s, apiKey] of [[a1, 'phk_a'], [a2, 'phk_a'], [b, 'phk_b']] as const) watch.watch(s, { identity: { subject: apiKey, role: 'partner', client: 'p' }, apiKey });
    await watch.recheckApiKeys();
    expect({ lookups, closes: [a1.closes, a2.closes, b.closes] }).toEqual({ lookups: [['phk_a', 'phk_b']], closes: [[], [], []] });
    answer = () => new Set(['phk_b']);
    await watch.recheckApiKeys();
    const revoked = [{ code: 4403, reason: 'Forbidden: the API key was revoked' }];
    expect([a1.closes, a2.closes, b.closes]).toEqual([revoked, revoked, []]);
    expect(watch.size).toBe(1);
    watch.close();
  });
});
