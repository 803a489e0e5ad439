import { ErrorCode, HubError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { inTransaction, type Pool } from '../lib/postgres';
import { LRUCache } from 'lru-cache';
import type { Manifest } from './manifests';

/** A trusted document and the manifests (clients) that list it. */
export interface TrustedDocument {
  body: string;
  manifests: string[];
}

export interface Publication {
  manifest: string;
  format: Manifest['format'];
  /** Distinct documents in the manifest. */
  documents: number;
  /** Of those, how many the manifest did not list before (0: publishing again changed nothing). */
  added: number;
}

const INSERT_DOCUMENTS = `
  INSERT INTO gateway.persisted_documents (sha256, body)
  SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (sha256) DO NOTHING`;
const INSERT_MANIFEST_DOCUMENTS = `
  INSERT INTO gateway.manifest_documents (manifest, sha256, operation_name, operation_type)
  SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
  ON CONFLICT (manifest, sha256) DO NOTHING`;
const INSERT_PUBLICATION = `
  INSERT INTO gateway.manifest_publications (manifest, format, documents, added) VALUES ($1, $2, $3, $4)`;
const FIND_DOCUMENT = `
  SELECT d.body, array_agg(m.manifest ORDER BY m.manifest) AS manifests
  FROM gateway.persisted_documents d JOIN gateway.manifest_documents m USING (sha256)
  WHERE d.sha256 = $1
  GROUP BY d.body`;
const LIST_MANIFESTS = `
  SELECT manifest, count(*)::int AS documents, max(published_at) AS "lastPublishedAt"
  FROM gateway.manifest_documents GROUP BY manifest ORDER BY manifest`;

/** Persisted-document manifests in the gateway's database (schema `gateway`). */
export class PersistedDocumentStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Adds a checked manifest's documents to client `manifest`'s list, in one transaction. Publishing the
   * same manifest again adds nothing and records nothing; documents are never removed, so a client's
   * older releases keep working.
   */
  async publish(manifest: string, { format, documents }: Manifest): Promise<Publication> {
    if (!manifest.trim()) throw new HubError(ErrorCode.BAD_USER_INPUT, 'a manifest is published for a client: give its name');
    return inTransaction(this.pool, async (client) => {
      await client.query(INSERT_DOCUMENTS, [documents.map((d) => d.sha256), documents.map((d) => d.body)]);
      const { rowCount } = await client.query(INSERT_MANIFEST_DOCUMENTS, [
        manifest,
        documents.map((d) => d.sha256),
        documents.map((d) => d.operationName),
        documents.map((d) => d.operationType),
      ]);
      const added = rowCount ?? 0;
      if (added > 0) await client.query(INSERT_PUBLICATION, [manifest, format, documents.length, added]);
      return { manifest, format, documents: documents.length, added };
    });
  }

  async find(sha256: string): Promise<TrustedDocument | undefined> {
    const { rows } = await this.pool.query<TrustedDocument>(FIND_DOCUMENT, [sha256]);
    return rows[0];
  }

  async manifests(): Promise<{ manifest: string; documents: number; lastPublishedAt: Date }[]> {
    return (await this.pool.query(LIST_MANIFESTS)).rows;
  }
}

export type TrustedDocumentLookup = (sha256: string) => Promise<TrustedDocument | undefined>;

export const DEFAULT_DOCUMENT_CACHE_MS = 30_000;
const MAX_CACHED_DOCUMENTS = 5_000;

/**
 * Lookups for the request path: documents found are reused for `cacheMs` (a manifest published
 * since shows up within it for a document already cached; a new document at once, since misses are
 * not cached). A failing database is DEPENDENCY_UNAVAILABLE to the caller, its cause logged.
 */
export function cachedDocumentLookup(
  store: Pick<PersistedDocumentStore, 'find'>,
  { cacheMs = DEFAULT_DOCUMENT_CACHE_MS, log }: { cacheMs?: number; log?: Pick<Logger, 'error'> } = {},
): TrustedDocumentLookup {
  const cache = new LRUCache<string, TrustedDocument>({ max: MAX_CACHED_DOCUMENTS, ttl: cacheMs });
  return async (sha256) => {
    const cached = cache.get(sha256);
    if (cached) return cached;
    let found: TrustedDocument | undefined;
    try {
      found = await store.find(sha256);
    } catch (error) {
      log?.error({ err: error }, 'persisted document lookup failed');
      throw new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'persisted documents cannot be read now: the gateway database is unavailable');
    }
    if (found && cacheMs > 0) cache.set(sha256, found);
    return found;
  };
}
