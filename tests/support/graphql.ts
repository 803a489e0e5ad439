import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { defaultCredentials } from './auth';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * POSTs one GraphQL operation and returns the parsed body, whatever the HTTP status. Without
 * `headers`, it sends an admin's credentials (tests/support/auth.ts); `{}` sends none.
 */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(headers ?? (await defaultCredentials())),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** A graphql-ws client; without `connectionParams`, it presents an admin's credentials. */
export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: async () => connectionParams ?? (await defaultCredentials()),
  });
}

/** Collects subscription messages; `next(ms)` resolves with the next one or rejects after ms. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>) {
  const messages: GraphQLResponse<T>[] = [];
  const waiters: ((m: GraphQLResponse<T>) => void)[] = [];
  let failure: unknown;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        const waiter = waiters.shift();
        if (waiter) waiter(message as GraphQLResponse<T>);
        else messages.push(message as GraphQLResponse<T>);
      },
      error: (error) => {
        failure = error;
      },
      complete: () => undefined,
    },
  );
  return {
    messages,
    get failure() {
      return failure;
    },
    next(timeoutMs: number): Promise<GraphQLResponse<T>> {
      const queued = messages.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(wrapped), 1);
          reject(new Error(`no subscription message within ${timeoutMs} ms${failure ? ` (error: ${JSON.stringify(failure)})` : ''}`));
        }, timeoutMs);
        const wrapped = (m: GraphQLResponse<T>) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push(wrapped);
      });
    },
    dispose,
  };
}

/** Waits until the subscription has been set up end to end (gateway → subgraph). */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
