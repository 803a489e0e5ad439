import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, GraphQLError } from 'graphql';
import { httpStatusOf } from '../lib/errors';
import { isAcceptedPostContentType, mediaTypeOf, unsupportedMediaType } from '../lib/graphql-media-types';

/**
 * What the gateway reads as a GraphQL request (GraphQL over HTTP): POSTs of JSON only
 * (lib/graphql-media-types.ts) and GETs of queries only. The runtime would also run
 * form-encoded, multipart and application/graphql POSTs, and subscriptions over GET (SSE); a
 * browser sends the first two cross-site without a preflight. Mutations over GET are the runtime's
 * own 405 already.
 */
export function useGraphQLMediaTypes(): GatewayPlugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const contentType = request.headers.get('content-type');
      if (!isAcceptedPostContentType(contentType)) {
        const refusal = unsupportedMediaType(contentType);
        throw new GraphQLError(refusal.message, { extensions: { code: refusal.code, http: { status: httpStatusOf(refusal.code) } } });
      }
      // The runtime's JSON parser matches application/json only: read the other accepted type alike.
      if (mediaTypeOf(contentType) !== 'application/json') setRequestParser(parseJsonBody);
    },
    onParse() {
      return ({ result, context }) => {
        const { request, params } = context as { request?: Request; params?: { operationName?: string } };
        // graphql-ws operations carry no request; their subscriptions are what graphql-ws is for.
        if (request?.method !== 'GET' || result instanceof Error) return;
        if (getOperationAST(result, params?.operationName)?.operation === 'subscription') {
          throw new GraphQLError('Only queries may be sent with GET: send a subscription over graphql-ws (or POST).', {
            extensions: { code: 'BAD_REQUEST', http: { status: 405, headers: { allow: 'POST' } } },
          });
        }
      };
    },
  };
}

async function parseJsonBody(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new GraphQLError('POST body sent invalid JSON.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphQLError('POST body is expected to be a JSON object.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  }
  return body as Record<string, unknown>;
}
