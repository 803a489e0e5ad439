import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, HubError } from '../lib/errors';
import type { Identity } from '../lib/identity';
import type { Logger } from '../lib/logger';
import type { Pool } from '../lib/postgres';
import type { ApiKeyResolver } from './auth';
import { LRUCache } from 'lru-cache';

/**
 * Partner API keys (`x-api-key`). A key is 32 random bytes (256 bits, base64url) behind a readable
 * prefix; the gateway's database keeps only its SHA-256, so reading the table opens nothing. A slow
 * password hash is not needed: the key is random and long, not a guessable password (OWASP ASVS 4.0
 * §2.9.2 asks for an approved hash of such secrets, not a work factor).
 */
export const API_KEY_PREFIX = 'phk_';

/** How long a key's lookup (found or not) is reused: a revocation is visible within this. */
export const DEFAULT_API_KEY_CACHE_MS = 30_000;
const MAX_CACHED_KEYS = 10_000;

export interface ApiKeyRecord {
  id: string;
  client: string;
  role: 'partner';
  contracts: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export const generateApiKey = (): string => API_KEY_PREFIX + randomBytes(32).toString('base64url');

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** The identity a key's requests carry: the key's client, as a partner, with its contracts. */
export const identityOfApiKey = (record: ApiKeyRecord): Identity => ({
  subject: `api-key:${record.id}`,
  role: record.role,
  client: record.client,
  contracts: record.contracts,
});

const COLUMNS = 'id::text AS id, client, role, contracts, created_at AS "createdAt", revoked_at AS "revokedAt"';
const INSERT_KEY = `INSERT INTO gateway.api_keys (key_sha256, client, contracts) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`;
const FIND_UNREVOKED_KEY = `SELECT ${COLUMNS} FROM gateway.api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL`;
const REVOKE_KEY = `UPDATE gateway.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`;
const LIST_KEYS = `SELECT ${COLUMNS} FROM gateway.api_keys ORDER BY id`;
/** Which of these hashes are still unrevoked keys: one query for every open graphql-ws connection's key. */
const UNREVOKED_HASHES = `SELECT key_sha256 FROM gateway.api_keys WHERE key_sha256 = ANY($1::text[]) AND revoked_at IS NULL`;

export interface NewApiKey {
  client: string;
  contracts: string[];
}

export class ApiKeyStore {
  constructor(private readonly pool: Pool) {}

  /** Creates a key; the returned `key` is the only time it exists outside the caller's hands. */
  async create({ client, contracts }: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
    if (!client.trim()) throw new HubError(ErrorCode.BAD_USER_INPUT, 'an API key needs a client name');
    const key = generateApiKey();
    const { rows } = await this.pool.query<ApiKeyRecord>(INSERT_KEY, [hashApiKey(key), client, contracts]);
    return { key, record: rows[0]! };
  }

  /** The unrevoked key's record, or undefined. */
  async find(key: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<ApiKeyRecord>(FIND_UNREVOKED_KEY, [hashApiKey(key)]);
    return rows[0];
  }

  /** Revokes key `id` (again: keeps the first revocation time); undefined when there is no such key. */
  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    if (!/^\d+$/.test(id)) throw new HubError(ErrorCode.BAD_USER_INPUT, `API key id "${id}" is not a number (see \`npm run apikey -- list\`)`);
    const { rows } = await this.pool.query<ApiKeyRecord>(REVOKE_KEY, [id]);
    return rows[0];
  }

  /** The keys among `keys` that are known and unrevoked now (no cache: graphql-ws connections re-check with it). */
  async unrevoked(keys: string[]): Promise<Set<string>> {
    const byHash = new Map(keys.map((key) => [hashApiKey(key), key]));
    const { rows } = await this.pool.query<{ key_sha256: string }>(UNREVOKED_HASHES, [[...byHash.keys()]]);
    return new Set(rows.map((row) => byHash.get(row.key_sha256)!));
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRecord>(LIST_KEYS)).rows;
  }
}

/**
 * The gateway's ApiKeyResolver over the store: each lookup, found or not, is reused for `cacheMs`
 * (30 s by default), so a busy partner costs one query per half minute, and a revoked key stops
 * working at most `cacheMs` after `npm run apikey -- revoke`. Keys that are obviously not ours
 * (wrong prefix) never reach the database.
 */
export interface ApiKeyResolverOptions {
  cacheMs?: number;
  /** Where a failed lookup's cause goes (the caller sees only DEPENDENCY_UNAVAILABLE). */
  log?: Pick<Logger, 'error'>;
  now?: () => number;
}

export function apiKeyResolver(store: Pick<ApiKeyStore, 'find'>, { cacheMs = DEFAULT_API_KEY_CACHE_MS, log, now }: ApiKeyResolverOptions = {}): ApiKeyResolver {
  // ttlResolution 0: each lookup reads the clock (lru-cache otherwise reuses a reading for a millisecond).
  const cache = new LRUCache<string, { identity: Identity | undefined }>({ max: MAX_CACHED_KEYS, ttl: cacheMs, ttlResolution: 0, ...(now ? { perf: { now } } : {}) });
  return async (key) => {
    if (!key.startsWith(API_KEY_PREFIX)) return undefined;
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    if (cached) return cached.identity;
    let record: ApiKeyRecord | undefined;
    try {
      record = await store.find(key);
    } catch (error) {
      log?.error({ err: error }, 'API key lookup failed');
      throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'API keys cannot be checked now: the gateway database is unavailable');
    }
    const identity = record && identityOfApiKey(record);
    if (cacheMs > 0) cache.set(hash, { identity });
    return identity;
  };
}
