import path from 'node:path';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '../lib/logger';
import { createPool, migrate, type Pool } from '../lib/postgres';
import { apiKeyResolver, ApiKeyStore, DEFAULT_API_KEY_CACHE_MS } from './api-keys';
import type { ApiKeyResolver, CallerIdentities } from './auth';
import { cachedDocumentLookup, DEFAULT_DOCUMENT_CACHE_MS, PersistedDocumentStore } from './persisted-documents';
import { apqCache, DEFAULT_APQ, usePersistedQueries, type ApqOptions } from './persisted-queries';
import { publishDashboardManifest } from './publish-manifest';

export const GATEWAY_SCHEMA = 'gateway';
export const GATEWAY_MIGRATIONS = path.join(__dirname, 'migrations');

/** The gateway's own tables (schema `gateway`): migrated, and a small pool for the request path. */
export async function openGatewayDatabase(databaseUrl: string, log?: Logger): Promise<{ pool: Pool; apiKeys: ApiKeyStore; documents: PersistedDocumentStore }> {
  await migrate(databaseUrl, GATEWAY_SCHEMA, GATEWAY_MIGRATIONS, log);
  const pool = createPool(databaseUrl, 4);
  return { pool, apiKeys: new ApiKeyStore(pool), documents: new PersistedDocumentStore(pool) };
}

export interface PersistedQueryOptions {
  /** How long an API key's or a trusted document's lookup is reused (revocations show within it). */
  lookupCacheMs?: number;
  /** Bounds of the in-memory APQ registry. */
  apq?: ApqOptions;
}

/** API keys and persisted queries, as the gateway wires them (gateway/server.ts). */
export interface TrustedAccess {
  /** Partner API keys from the database; undefined without one (keys are refused). */
  apiKeys: ApiKeyResolver | undefined;
  /** The still-unrevoked keys among these, read uncached (graphql-ws re-checks); undefined without a database. */
  unrevokedApiKeys: ((keys: string[]) => Promise<Set<string>>) | undefined;
  plugin(callers: CallerIdentities): GatewayPlugin;
  close(): Promise<void>;
}

export async function openTrustedAccess(databaseUrl: string | undefined, options: PersistedQueryOptions = {}, log?: Logger): Promise<TrustedAccess> {
  const apq = apqCache(options.apq ?? DEFAULT_APQ);
  if (!databaseUrl) {
    return { apiKeys: undefined, unrevokedApiKeys: undefined, plugin: (callers) => usePersistedQueries({ callers, apq }), close: async () => undefined };
  }
  const database = await openGatewayDatabase(databaseUrl, log);
  // The dashboard this gateway serves runs its operations by id (`npm run pq -- publish`, idempotent).
  await publishDashboardManifest(database.documents, log);
  const apiKeys = apiKeyResolver(database.apiKeys, { cacheMs: options.lookupCacheMs ?? DEFAULT_API_KEY_CACHE_MS, log });
  const documents = cachedDocumentLookup(database.documents, { cacheMs: options.lookupCacheMs ?? DEFAULT_DOCUMENT_CACHE_MS, log });
  return {
    apiKeys,
    unrevokedApiKeys: (keys) => database.apiKeys.unrevoked(keys),
    plugin: (callers) => usePersistedQueries({ callers, documents, apq }),
    close: () => database.pool.end(),
  };
}
