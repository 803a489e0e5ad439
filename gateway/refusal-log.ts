import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionResult } from 'graphql';
import type { Logger } from '../lib/logger';
import { requestIdOf } from './request-id';

/**
 * Every refused request is logged once, at warn, with its codes and request id (never the document,
 * variables or token): limits, rate limits, persisted-query rules and role refusals arrive here as
 * coded results. Authentication refusals are logged where they happen (gateway/auth.ts) and skipped.
 */
const LOGGED_ELSEWHERE = new Set(['UNAUTHENTICATED', 'INVALID_TOKEN', 'TOKEN_EXPIRED']);
/** Codes of the caller's own making, not faults: what a refusal log should show. */
const NOT_REFUSALS = new Set(['INTERNAL_SERVER_ERROR', 'DEPENDENCY_UNAVAILABLE', 'SUBREQUEST_HTTP_ERROR']);

function codesOf(result: unknown): string[] {
  const results = (Array.isArray(result) ? result : [result]) as (ExecutionResult | undefined)[];
  return results.flatMap((r) =>
    (r?.errors ?? []).flatMap((e) => {
      const code = (e.extensions as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' ? [code] : [];
    }),
  );
}

export function useRefusalLog(log: Logger): GatewayPlugin {
  return {
    onResultProcess({ request, result }) {
      // Streams (subscriptions, incremental delivery) are logged per message elsewhere or not at all.
      if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return;
      const codes = [...new Set(codesOf(result))].filter((code) => !NOT_REFUSALS.has(code));
      if (!codes.length || codes.every((code) => LOGGED_ELSEWHERE.has(code))) return;
      log.warn({ codes, requestId: requestIdOf(request), method: request.method }, 'request refused');
    },
  };
}
