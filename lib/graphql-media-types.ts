import { MIMEType } from 'node:util';
import { ErrorCode, HubError } from './errors';

/**
 * What a GraphQL POST body may be, at the gateway and at every subgraph: JSON only. GraphQL over HTTP
 * (https://graphql.github.io/graphql-over-http/draft/#sec-POST) names `application/json`; we also take
 * `application/graphql-response+json` for clients that send their Accept type as the body's type.
 * Forms, multipart and text/plain are what a browser sends cross-site without a CORS preflight, so
 * a mutation in one of those must never run.
 */
export const ACCEPTED_POST_MEDIA_TYPES: readonly string[] = ['application/json', 'application/graphql-response+json'];

/** The media type of a Content-Type header (`type/subtype`, lower case, no parameters); undefined when absent or malformed. */
export function mediaTypeOf(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  try {
    return new MIMEType(contentType).essence;
  } catch {
    return undefined;
  }
}

/** Whether a POST with this Content-Type carries a GraphQL request this hub reads. */
export const isAcceptedPostContentType = (contentType: string | null | undefined): boolean => {
  const mediaType = mediaTypeOf(contentType);
  return mediaType !== undefined && ACCEPTED_POST_MEDIA_TYPES.includes(mediaType);
};

/** The refusal (415 UNSUPPORTED_MEDIA_TYPE) of a POST whose body is not JSON. */
export function unsupportedMediaType(contentType: string | null | undefined): HubError {
  const what = contentType ? `Content-Type "${contentType.slice(0, 100)}"` : 'a POST without a Content-Type';
  return new HubError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${what} is not accepted: send the GraphQL request as JSON (application/json or application/graphql-response+json)`);
}

/** The body of a refusal made at an HTTP edge, before any GraphQL server sees the request. */
export function edgeRefusalBody(error: HubError): string {
  return JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] });
}
