import { API_KEY_PREFIX, apiKeyResolver, generateApiKey, hashApiKey, type ApiKeyRecord } from './api-keys';

const RECORD: ApiKeyRecord = { id: '7', client: 'acme', role: 'partner', contracts: ['acme-portal'], createdAt: new Date(0), revokedAt: null };

describe('partner API keys', () => {
  it('generates 256-bit keys behind a readable prefix and hashes them with SHA-256', () => {
    const key = generateApiKey();
    expect(key).toMatch(new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(generateApiKey()).not.toBe(key);
    // FIPS 180-2 appendix B.1 test vector.
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it("resolves a key to its client's partner identity and reuses the lookup until the cache expires", async () => {
    // A clock reading, never 0: lru-cache takes an entry stored at time 0 as one without a time to live.
    let now = 5_000;
    const known = new Map([[hashApiKey('phk_good'), RECORD]]);
    const lookups: string[] = [];
    const resolve = apiKeyResolver(
      {
        find: async (key) => {
          lookups.push(key);
          return known.get(hashApiKey(key));
        },
      },
      { cacheMs: 30_000, now: () => now },
    );
    expect(await resolve('phk_good')).toEqual({ subject: 'api-key:7', role: 'partner', client: 'acme', contracts: ['acme-portal'] });
    known.clear(); // revoked
    now = 5_000 + 30_000;
    expect(await resolve('phk_good')).toEqual(expect.objectContaining({ client: 'acme' }));
    now = 5_000 + 30_001;
    expect(await resolve('phk_good')).toBeUndefined();
    expect(lookups).toEqual(['phk_good', 'phk_good']);
  });

  it('never looks up a key without the prefix', async () => {
    const resolve = apiKeyResolver({ find: async () => RECORD });
    expect(await resolve('pk_unknown')).toBeUndefined();
  });

  it('answers DEPENDENCY_UNAVAILABLE when the database fails, and logs the cause', async () => {
    const logged: unknown[] = [];
    const resolve = apiKeyResolver(
      {
        find: async () => {
          throw new Error('connection refused');
        },
      },
      { log: { error: (obj: unknown) => void logged.push(obj) } as never },
    );
    await expect(resolve('phk_x')).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: 'API keys cannot be checked now: the gateway database is unavailable' });
    expect(logged).toEqual([{ err: new Error('connection refused') }]);
  });
});
