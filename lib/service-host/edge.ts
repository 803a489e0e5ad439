import type { Logger } from '../logger';
import { HubError, httpStatusOf } from '../errors';
import { edgeRefusalBody, isAcceptedPostContentType, unsupportedMediaType } from '../graphql-media-types';
import { IDENTITY_HEADER, type Identity, type IdentityAssertions } from '../identity';
import { AccessRecorder, boundedRequestId, OPERATION_HEADER, REQUEST_ID_HEADER } from '../audit';

/**
 * What every subgraph checks at its edge, whatever serves it (lib/service-host/apollo.ts,
 * lib/service-host/mercurius.ts): one implementation, so a forged assertion or a wrong media type is
 * refused alike by every service.
 */

/** A refusal the adapter writes as it is: status, content type and body. */
export interface EdgeRefusal {
  status: number;
  contentType: string;
  body: string;
}

export type AssertionCheck = { identity: Identity; refusal?: undefined } | { identity?: undefined; refusal: EdgeRefusal };

type HeaderValue = string | string[] | undefined;

export const firstHeader = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Paths answered without the gateway's assertion: the health check (load balancers, the supervisor). */
export const HEALTH_PATH = '/health';

/**
 * Verifies the gateway's identity assertion (lib/identity.ts): every path but the open ones answers
 * only the gateway. A missing, forged or expired assertion is a 401 naming why, logged with the
 * caller's address; an unexpected failure is thrown (the adapter answers 500).
 */
export async function checkAssertion(assertions: IdentityAssertions, header: HeaderValue, log: Logger, remote: string | undefined): Promise<AssertionCheck> {
  try {
    return { identity: await assertions.verify(firstHeader(header)) };
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    log.warn({ code: error.code, reason: error.message, remote }, 'request refused');
    const { message, extensions } = error.toGraphQLError();
    return { refusal: { status: 401, contentType: 'application/graphql-response+json', body: JSON.stringify({ errors: [{ message, extensions }] }) } };
  }
}

/**
 * The graphql-ws variant: the gateway sends the assertion as the `x-hub-identity` connection
 * parameter. Undefined (and a warning) when it does not verify: the connection is refused.
 */
export async function connectionIdentity(assertions: IdentityAssertions, payload: Record<string, unknown> | undefined, log: Logger): Promise<Identity | undefined> {
  const assertion = payload?.[IDENTITY_HEADER];
  try {
    return await assertions.verify(typeof assertion === 'string' ? assertion : undefined);
  } catch (error) {
    log.warn({ reason: (error as Error).message }, 'subscription connection refused');
    return undefined;
  }
}

/** JSON bodies only (lib/graphql-media-types.ts): a POST of any other type is refused with 415. */
export function mediaTypeRefusal(method: string | undefined, contentType: HeaderValue, log: Logger): EdgeRefusal | undefined {
  const type = firstHeader(contentType);
  if (method !== 'POST' || isAcceptedPostContentType(type)) return undefined;
  const refusal = unsupportedMediaType(type);
  log.warn({ code: refusal.code, contentType: type }, 'request refused');
  return { status: httpStatusOf(refusal.code), contentType: 'application/graphql-response+json', body: edgeRefusalBody(refusal) };
}

/** Every request gets a recorder for its reads of identified data, named by the client's operation and request id. */
export function accessRecorderFor(identity: Identity, headers: Record<string, HeaderValue>): AccessRecorder {
  return new AccessRecorder(identity, { operation: firstHeader(headers[OPERATION_HEADER]), requestId: boundedRequestId(firstHeader(headers[REQUEST_ID_HEADER])) });
}
