/**
 * A small typed GraphQL client over fetch (queries, sent by persisted-document id) and graphql-ws
 * (subscriptions, which need the document) on the gateway's one `/graphql` path. Operations come from
 * GraphQL Code Generator as strings with their types, so the browser bundle carries no GraphQL parser.
 */
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';

export const GATEWAY_PATH = '/graphql';
export const CLIENT_NAME = 'precision-hub-dashboard';

export interface GraphQLErrorItem {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface Result<T> {
  data?: T | null;
  errors?: GraphQLErrorItem[];
}

/** The request failed as a whole: the gateway is down, or refused the credentials. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'unauthenticated' | 'http',
  ) {
    super(message);
  }
}

/** Ids the gateway did not know (a gateway without the dashboard's manifest): their documents are sent. */
const unknownIds = new Set<string>();

/**
 * Runs an operation by its persisted-document id (`documentId`, the SHA-256 the client preset embeds and
 * dashboard/persisted-documents.json lists, registered by the gateway for client precision-hub-dashboard).
 * A gateway that answers PERSISTED_QUERY_NOT_FOUND gets the document instead, once per operation.
 */
export async function execute<T, V>(document: TypedDocumentString<T, V>, variables: V, token: string): Promise<Result<T>> {
  const operationName = /(?:query|mutation)\s+(\w+)/.exec(document.toString())?.[1];
  const id = (document.__meta__ as { hash?: string } | undefined)?.hash;
  if (id && !unknownIds.has(id)) {
    const result = await post<T>(token, { documentId: id, operationName, variables });
    if (!result.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) return result;
    unknownIds.add(id);
  }
  return post<T>(token, { query: document.toString(), operationName, variables });
}

async function post<T>(token: string, payload: Record<string, unknown>): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(GATEWAY_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
        'x-client-name': CLIENT_NAME,
      },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new RequestError('The gateway cannot be reached. Is the hub running?', 'unreachable');
  }
  let body: Result<T> | undefined;
  try {
    body = (await response.json()) as Result<T>;
  } catch {
    throw new RequestError(`The gateway answered HTTP ${response.status} without a GraphQL response.`, response.status >= 502 ? 'unreachable' : 'http');
  }
  if (response.status === 401 || body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    throw new RequestError(body.errors?.[0]?.message ?? 'The session is not valid.', 'unauthenticated');
  }
  return body;
}

export type LinkState = 'connecting' | 'connected' | 'reconnecting';

/**
 * One graphql-ws connection per page, retried for ever with graphql-ws's randomised exponential
 * back-off; `onState` reports connection changes so the page can show a disconnected link.
 */
export function liveClient(token: string, onState: (state: LinkState) => void): Client {
  const url = new URL(GATEWAY_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let connectedOnce = false;
  return createClient({
    url: url.toString(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    on: {
      connecting: () => onState(connectedOnce ? 'reconnecting' : 'connecting'),
      connected: () => {
        connectedOnce = true;
        onState('connected');
      },
      closed: () => onState(connectedOnce ? 'reconnecting' : 'connecting'),
    },
  });
}

/** How long a refused or failed subscription waits before it subscribes again. */
export const RESUBSCRIBE_MS = 5000;

/**
 * Subscribes and keeps subscribing: a subscription the server ends with an error (its subgraph is
 * down, say) is reported through `onError` and tried again after RESUBSCRIBE_MS; the first result
 * after that clears the error (`onError(undefined)`). Socket drops are graphql-ws's own retries.
 */
export function subscribe<T, V>(
  client: Client,
  document: TypedDocumentString<T, V>,
  variables: V,
  onData: (data: T) => void,
  onError: (message: string | undefined) => void,
): () => void {
  let disposed = false;
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = () => {
    unsubscribe = client.subscribe<T>(
      { query: document.toString(), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) onError(result.errors.map((e) => e.message).join('; '));
          else onError(undefined);
          if (result.data) onData(result.data as T);
        },
        error: (error) => {
          onError(describe(error));
          if (!disposed) timer = setTimeout(start, RESUBSCRIBE_MS);
        },
        complete: () => undefined,
      },
    );
  };
  start();
  return () => {
    disposed = true;
    clearTimeout(timer);
    unsubscribe?.();
  };
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message ?? String(e)).join('; ');
  if (error && typeof error === 'object' && 'reason' in error && 'code' in error) return `connection closed (${String(error.code)})`;
  return error instanceof Error ? error.message : 'subscription failed';
}

/**
 * A panel's errors: those whose path starts with its field, or all of them when the patient itself
 * came back null (a non-null field that failed nulls its parent).
 */
export function patientPanelErrors(result: Result<{ patient: unknown }> | undefined, field: string): GraphQLErrorItem[] {
  if (!result?.errors?.length) return [];
  return result.data?.patient ? errorsAt(result.errors, 'patient', field) : result.errors;
}

/** The errors whose path starts with the given fields (a panel's part of a partial result). */
export function errorsAt(errors: GraphQLErrorItem[] | undefined, ...path: (string | number)[]): GraphQLErrorItem[] {
  return (errors ?? []).filter((e) => path.every((segment, i) => e.path?.[i] === segment));
}
