import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../lib/logger';
import { describeJsonError } from '../lib/json-syntax-error';
import { ManifestError, parseManifest, type Manifest } from './manifests';
import type { PersistedDocumentStore, Publication } from './persisted-documents';

/** The dashboard's client name (dashboard/src/graphql/client.ts) and the manifest its codegen writes. */
export const DASHBOARD_CLIENT = 'precision-hub-dashboard';
export const DASHBOARD_MANIFEST = path.join(__dirname, '..', 'dashboard', 'persisted-documents.json');

/** A manifest file, checked; a ManifestError names the file and what is wrong (nothing is published). */
export function readManifestFile(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(`${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(`${file}: ${describeJsonError(text)}`);
  }
  try {
    return parseManifest(json);
  } catch (error) {
    throw error instanceof ManifestError ? new ManifestError(`${file}: refused, nothing published: ${error.message}`) : error;
  }
}

/** `npm run pq -- publish <file> --client <client>`: reads, checks and publishes (idempotent). */
export async function publishManifestFile(store: Pick<PersistedDocumentStore, 'publish'>, file: string, client: string): Promise<Publication> {
  return store.publish(client, readManifestFile(file));
}

/**
 * Registers the dashboard's operations for client `precision-hub-dashboard` when the gateway opens its
 * database, so the app can send ids instead of documents. A missing or invalid manifest is a warning
 * (the dashboard then falls back to sending its documents); the gateway still starts.
 */
export async function publishDashboardManifest(store: Pick<PersistedDocumentStore, 'publish'>, log?: Pick<Logger, 'info' | 'warn'>, file = DASHBOARD_MANIFEST): Promise<void> {
  try {
    const { documents, added } = await publishManifestFile(store, file, DASHBOARD_CLIENT);
    log?.info({ client: DASHBOARD_CLIENT, documents, added }, 'dashboard persisted documents registered');
  } catch (error) {
    log?.warn({ err: error, file }, 'dashboard persisted documents not registered; the dashboard sends its documents instead');
  }
}
