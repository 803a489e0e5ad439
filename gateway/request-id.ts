import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { isSafeRequestId, REQUEST_ID_HEADER } from '../lib/audit';

/**
 * Request ids at the gateway. Every response carries `x-request-id`: the caller's own when it is a
 * safe id (lib/audit.ts: ≤ 128 characters of `[A-Za-z0-9._:-]`), a generated UUID otherwise. The
 * same id goes into log lines, masked errors, subgraph requests and so the audit log.
 */

const generatedRequestIds = new WeakMap<Request, string>();

/**
 * For the runtime's `requestId` option: it answers each request with `x-request-id` (the caller's
 * own when sent, else a UUID) and logs with it; we remember the UUIDs to put them in masked errors.
 */
export const requestIdOptions = {
  headerName: REQUEST_ID_HEADER,
  generateRequestId({ request }: { request: Request }): string {
    const id = randomUUID();
    generatedRequestIds.set(request, id);
    return id;
  },
};

export function requestIdOf(request: Request | undefined): string | undefined {
  if (!request) return undefined;
  return generatedRequestIds.get(request) ?? request.headers.get(REQUEST_ID_HEADER) ?? undefined;
}

/**
 * In front of the runtime (which takes any `x-request-id` it is sent): an unsafe id is dropped
 * before anything reads it, so the runtime generates one in its place.
 */
export function withBoundedRequestId(next: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const sent = req.headers[REQUEST_ID_HEADER];
    if (sent !== undefined && (Array.isArray(sent) || !isSafeRequestId(sent))) delete req.headers[REQUEST_ID_HEADER];
    next(req, res);
  };
}
