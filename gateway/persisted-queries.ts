import { GraphQLError } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ErrorCode, HubError, httpStatusOf } from '../lib/errors';
import type { Identity } from '../lib/identity';
import type { CallerIdentities } from './auth';
import { LRUCache } from 'lru-cache';
import { documentHash, SHA256_HEX } from './manifests';
import type { TrustedDocumentLookup } from './persisted-documents';

/**
 * Persisted queries at the gateway, one plugin for three protocols, all keyed by the SHA-256 of the
 * document text:
 * - trusted documents: `documentId` (`<hash>` or `sha256:<hash>`, GraphQL-over-HTTP persisted
 *   documents; in the body or, for GET, the URL) or `extensions.persistedQuery.sha256Hash`, looked up
 *   in the manifests published with `npm run pq -- publish`;
 * - Automatic Persisted Queries as Apollo Client's persisted-query link speaks them
 *   (https://www.apollographql.com/docs/apollo-server/performance/apq): a hash alone runs a known
 *   document or answers PERSISTED_QUERY_NOT_FOUND (HTTP 200, as Apollo Server does, so the link
 *   retries with the query instead of disabling itself); the hash with its query is verified, run,
 *   and remembered in a bounded in-memory LRU once the document has validated;
 * - partners (role `partner`) run only documents of the manifests their contracts name: never an
 *   ad-hoc document, never another client's, never an APQ registration.
 * Hive's `persistedDocuments` option (Yoga's usePersistedOperations) is not used: given a query and a
 * hash it runs the query without checking or registering the hash, so it cannot serve APQ.
 */
/** The persisted-query codes, in the hub's one catalogue (lib/errors.ts, with their HTTP statuses). */
export type PersistedQueryErrorCode = Extract<ErrorCode, `PERSISTED_QUERY_${string}`>;

export function persistedQueryError(code: PersistedQueryErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: httpStatusOf(code) } } });
}

export interface ApqOptions {
  /** Documents remembered (least recently used go first). */
  maxEntries: number;
  /** Their total length in characters. */
  maxChars: number;
}

export const DEFAULT_APQ: ApqOptions = { maxEntries: 2_000, maxChars: 8 * 1024 * 1024 };

/** APQ registrations: hash → document, bounded in entries and characters; per gateway process. */
export const apqCache = ({ maxEntries, maxChars }: ApqOptions = DEFAULT_APQ) =>
  new LRUCache<string, string>({ max: maxEntries, maxSize: maxChars, sizeCalculation: (body) => Math.max(1, body.length) });

interface Params {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  documentId?: unknown;
}

/** The persisted document a request names, if any: `{ hash }`, after checking what was sent. */
export function requestedHash(params: Params, url: string | undefined): string | undefined {
  let hash: string | undefined;
  const persisted = params.extensions?.persistedQuery;
  if (persisted !== undefined && persisted !== null) {
    const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1) {
      throw persistedQueryError(ErrorCode.PERSISTED_QUERY_INVALID_ID, `extensions.persistedQuery.version ${JSON.stringify(version ?? null)} is not supported (only 1)`);
    }
    if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
      throw persistedQueryError(ErrorCode.PERSISTED_QUERY_INVALID_ID, 'extensions.persistedQuery.sha256Hash is not a SHA-256 hash (64 lowercase hex digits)');
    }
    hash = sha256Hash;
  }
  const documentId = params.documentId ?? (url?.includes('documentId=') ? new URL(url).searchParams.get('documentId') : undefined);
  if (documentId !== undefined && documentId !== null) {
    const id = typeof documentId === 'string' ? documentId.replace(/^sha256:/, '') : '';
    if (!SHA256_HEX.test(id)) {
      throw persistedQueryError(ErrorCode.PERSISTED_QUERY_INVALID_ID, 'documentId is not "sha256:<hash>" or a SHA-256 hash (64 lowercase hex digits)');
    }
    if (hash && hash !== id) {
      throw persistedQueryError(ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, 'documentId and extensions.persistedQuery.sha256Hash name different documents');
    }
    hash = id;
  }
  return hash;
}

const contractsOf = (identity: Identity) => identity.contracts ?? [];
const mayRun = (identity: Identity, manifests: string[]) => manifests.some((m) => contractsOf(identity).includes(m));
const shortHash = (hash: string) => `${hash.slice(0, 12)}…`;

function notAllowed(identity: Identity, hash: string): GraphQLError {
  const contracts = contractsOf(identity);
  return persistedQueryError(
    ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
    `document ${shortHash(hash)} is not in the manifests of this application's contracts (${contracts.length ? contracts.join(', ') : 'none'})`,
    { documentId: hash },
  );
}

const partnerOnly = (identity: Identity) =>
  persistedQueryError(
    ErrorCode.PERSISTED_QUERY_ONLY,
    `partner applications run only the persisted operations of their contracts (${contractsOf(identity).join(', ') || 'none'}): send documentId or extensions.persistedQuery.sha256Hash without a query`,
  );

export interface PersistedQueriesOptions {
  callers: CallerIdentities;
  /** Trusted documents (PostgreSQL); without them only APQ works and partners can run nothing. */
  documents?: TrustedDocumentLookup;
  apq: LRUCache<string, string>;
}

async function coded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof HubError ? error.toGraphQLError() : error;
  }
}

type OnParamsPayload = Parameters<NonNullable<GatewayPlugin['onParams']>>[0];

export function usePersistedQueries({ callers, documents, apq }: PersistedQueriesOptions): GatewayPlugin {
  /** Contexts whose partner caller was given a document of its contracts. */
  const trusted = new WeakSet<object>();
  /** APQ registrations waiting for their document to validate (Apollo Server registers then, too). */
  const pending = new WeakMap<object, { hash: string; body: string }>();
  const lookup: TrustedDocumentLookup = documents ? (hash) => coded(documents(hash)) : async () => undefined;

  const guardPartner = (context: object) => {
    const identity = (context as { identity?: Identity }).identity;
    if (identity?.role === 'partner' && !trusted.has(context)) throw partnerOnly(identity);
    const registration = pending.get(context);
    if (registration) apq.set(registration.hash, registration.body);
  };

  async function resolveParams({ params, request, context, setParams }: OnParamsPayload): Promise<void> {
    const sent = params as Params;
    const hash = requestedHash(sent, request?.url);
    const identity = await coded(callers.of(request ? { request } : (context as never)));
    const partner = identity.role === 'partner';
    if (!hash) {
      if (partner) throw partnerOnly(identity);
      return;
    }
    const { documentId: _documentId, ...rest } = sent;
    if (typeof sent.query === 'string' && sent.query) {
      const actual = documentHash(sent.query);
      if (actual !== hash) {
        throw persistedQueryError(ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, `the persisted query hash ${shortHash(hash)} is not the SHA-256 of the query sent (${shortHash(actual)})`, {
          documentId: hash,
        });
      }
      if (partner) {
        const found = await lookup(hash);
        if (!found || !mayRun(identity, found.manifests)) throw found ? notAllowed(identity, hash) : partnerOnly(identity);
        trusted.add(context);
      } else {
        pending.set(context, { hash, body: sent.query });
      }
      setParams(rest as never);
      return;
    }
    let body = partner ? undefined : apq.get(hash);
    if (body === undefined) {
      const found = await lookup(hash);
      if (found && partner && !mayRun(identity, found.manifests)) throw notAllowed(identity, hash);
      body = found?.body;
    }
    if (body === undefined) {
      throw persistedQueryError(
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        partner
          ? `PersistedQueryNotFound: no published document has the hash ${shortHash(hash)}`
          : `PersistedQueryNotFound: no document with the hash ${shortHash(hash)} is known here; send it once with its query to register it (APQ)`,
        { documentId: hash },
      );
    }
    if (partner) trusted.add(context);
    setParams({ ...rest, query: body } as never);
  }

  return {
    async onParams(payload) {
      try {
        await resolveParams(payload);
      } catch (error) {
        // graphql-ws runs onParams outside the runtime's error handling (an error thrown here would
        // close the socket as an internal error): answer the operation with the refusal instead.
        if (payload.request || !(error instanceof GraphQLError)) throw error;
        payload.setResult({ errors: [error] });
      }
    },
    // Also checked here, whatever reached execution: a partner's operation came from its manifests.
    onExecute({ args }) {
      guardPartner(args.contextValue as object);
    },
    onSubscribe({ args }) {
      guardPartner(args.contextValue as object);
    },
  };
}
