import { createHash } from 'node:crypto';
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';

/**
 * Trusted-document manifests as client tooling writes them, checked before anything is stored:
 * - Apollo's persisted query manifest (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name", "type", "body" }] }`;
 * - GraphQL Code Generator client preset's `persisted-documents.json` (`persistedDocuments: { hashAlgorithm: 'sha256' }`):
 *   `{ "<sha256 of the document>": "<document>" }`.
 * Both key a document by the SHA-256 (hex) of its exact text, as Apollo's APQ protocol does, so an id
 * proves its document. One bad entry refuses the whole manifest, naming that entry.
 */
export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
export const CODEGEN_MANIFEST_FORMAT = 'graphql-codegen-persisted-documents';
export type ManifestFormat = typeof APOLLO_MANIFEST_FORMAT | typeof CODEGEN_MANIFEST_FORMAT;

export type OperationType = 'query' | 'mutation' | 'subscription';

export interface ManifestDocument {
  sha256: string;
  body: string;
  operationName: string | null;
  operationType: OperationType;
}

export interface Manifest {
  format: ManifestFormat;
  /** One per distinct id, in the manifest's order. */
  documents: ManifestDocument[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The id both formats and APQ use: SHA-256 of the document text (UTF-8), lowercase hex. */
export const documentHash = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

export const SHA256_HEX = /^[0-9a-f]{64}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const short = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);

/** The document's only operation; the manifest entry `where` is named in every refusal. */
function onlyOperation(body: string, where: string): OperationDefinitionNode {
  let document;
  try {
    document = parse(body, { noLocation: true });
  } catch (error) {
    throw new ManifestError(`${where}: the document does not parse: ${(error as GraphQLError).message}`);
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) throw new ManifestError(`${where}: the document has ${operations.length} operations; a persisted document holds exactly one`);
  return operations[0]!;
}

function checkedDocument(id: unknown, body: unknown, where: string): ManifestDocument {
  if (typeof id !== 'string' || !SHA256_HEX.test(id)) {
    const hint = typeof id === 'string' && /^[0-9a-f]{40}$/.test(id) ? " (a SHA-1: set the client preset's persistedDocuments.hashAlgorithm to 'sha256')" : '';
    throw new ManifestError(`${where}: id ${JSON.stringify(id)} is not a SHA-256 hash (64 lowercase hex digits)${hint}`);
  }
  if (typeof body !== 'string' || !body.trim()) throw new ManifestError(`${where}: the document is missing or empty`);
  const actual = documentHash(body);
  if (actual !== id) throw new ManifestError(`${where}: id is not the SHA-256 of its document (which hashes to ${actual})`);
  const operation = onlyOperation(body, where);
  return { sha256: id, body, operationName: operation.name?.value ?? null, operationType: operation.operation };
}

function apolloManifest(json: Record<string, unknown>): ManifestDocument[] {
  if (json.version !== 1) throw new ManifestError(`${APOLLO_MANIFEST_FORMAT} version ${JSON.stringify(json.version ?? null)} is not supported (only 1)`);
  if (!Array.isArray(json.operations)) throw new ManifestError(`${APOLLO_MANIFEST_FORMAT}: "operations" is not an array`);
  return json.operations.map((entry: unknown, index) => {
    const base = `operations[${index}]`;
    if (!isObject(entry)) throw new ManifestError(`${base}: not an object with id, name, type and body`);
    const where = `${base} (id ${typeof entry.id === 'string' ? short(entry.id) : JSON.stringify(entry.id ?? null)}${typeof entry.name === 'string' ? `, ${entry.name}` : ''})`;
    const document = checkedDocument(entry.id, entry.body, where);
    if (entry.type !== undefined && entry.type !== document.operationType) {
      throw new ManifestError(`${where}: type "${String(entry.type)}" but the document is a ${document.operationType}`);
    }
    if (entry.name !== undefined && entry.name !== document.operationName) {
      throw new ManifestError(`${where}: name "${String(entry.name)}" but the document's operation is ${document.operationName ? `"${document.operationName}"` : 'anonymous'}`);
    }
    return document;
  });
}

function codegenManifest(json: Record<string, unknown>): ManifestDocument[] {
  return Object.entries(json).map(([id, body]) => checkedDocument(id, body, `entry "${short(id)}"`));
}

/** Reads either format; throws ManifestError naming the first bad entry. */
export function parseManifest(json: unknown): Manifest {
  if (!isObject(json)) throw new ManifestError('a manifest is a JSON object: Apollo persisted query manifest or GraphQL Codegen persisted-documents.json');
  let format: ManifestFormat;
  let documents: ManifestDocument[];
  if ('format' in json) {
    if (json.format !== APOLLO_MANIFEST_FORMAT) throw new ManifestError(`manifest format ${JSON.stringify(json.format)} is not known (expected "${APOLLO_MANIFEST_FORMAT}")`);
    format = APOLLO_MANIFEST_FORMAT;
    documents = apolloManifest(json);
  } else {
    format = CODEGEN_MANIFEST_FORMAT;
    documents = codegenManifest(json);
  }
  if (!documents.length) throw new ManifestError('the manifest holds no operations');
  const distinct = new Map(documents.map((d) => [d.sha256, d]));
  return { format, documents: [...distinct.values()] };
}
