import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { GraphQLError, Lexer, Source, TokenKind, type ASTVisitor, type ExecutionResult, type ValidationContext } from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '../lib/logger';
import type { GatewayLimits } from '../lib/gateway-limits-config';
import { ErrorCode, httpStatusOf } from '../lib/errors';
import { MAX_JSON_NESTING, nestedDeeperThan } from '../lib/json-nesting';
import { limitExceeded, type LimitErrorCode } from './limit-errors';
import { RateLimiter, rateLimitKey, type CallerContext, type RateLimitKeys } from './rate-limits';
import { REQUEST_ID_HEADER } from '../lib/audit';
import { requestIdOf } from './request-id';
import { isAsyncIterable } from './plugin-types';

export * from '../lib/gateway-limits-config';
export * from './limit-errors';
export * from './rate-limits';

/** The value graphql-armor found, from its message (`… exceeded, found 14.`); its rules expose no other way. */
export function armorFound(message: string): number | undefined {
  const match = /found (\d+(?:\.\d+)?)/.exec(message);
  return match ? Math.ceil(Number(match[1])) : undefined;
}

/** Lexical tokens in a document, as graphql-armor counts them (EOF excluded); stops at a lexing error. */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // a syntax error: the tokens before it are what the parser would have read
  }
  return count;
}

type Rule = (context: ValidationContext) => ASTVisitor;

/** graphql-armor's depth, alias and cost rules, reporting our coded errors instead of its uncoded ones. */
export function queryShapeRules(limits: Pick<GatewayLimits, 'maxDepth' | 'maxAliases' | 'maxCost'>): Rule[] {
  const report =
    (code: LimitErrorCode, what: string, limit: number) =>
    (context: ValidationContext | null, error: GraphQLError) => {
      const actual = armorFound(error.message);
      context?.reportError(limitExceeded(code, `Query ${what} ${actual ?? 'found'} exceeds the limit of ${limit}.`, { limit, actual }));
    };
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [report(ErrorCode.MAX_DEPTH_EXCEEDED, 'depth', limits.maxDepth)],
    }) as Rule,
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [report(ErrorCode.MAX_ALIASES_EXCEEDED, 'aliases', limits.maxAliases)],
    }) as Rule,
    costLimitRule({
      maxCost: limits.maxCost,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [report(ErrorCode.MAX_COST_EXCEEDED, 'cost', limits.maxCost)],
    }) as Rule,
  ];
}

/** Refuses `__schema` and `__type` (not `__typename`, which clients and federation need). */
export function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(
          new GraphQLError(`Introspection is disabled: "${node.name.value}" is not available.`, {
            nodes: [node],
            extensions: { code: ErrorCode.INTROSPECTION_DISABLED, http: { status: 400 } },
          }),
        );
      }
    },
  };
}

/**
 * graphql-js ends "unknown field/argument/enum value" messages with `Did you mean …?`; without
 * introspection those suggestions would disclose the schema one guess at a time.
 */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ Did you mean .*\?$/s, '');
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: error.extensions });
}

/** Parses with at most `maxTokens` tokens; over it, refuses with the document's real token count. */
export function parseWithTokenLimit(maxTokens: number) {
  return (source: string | Source, options?: object) => {
    let exceeded = false;
    try {
      return new MaxTokensParserWLexer(source, {
        ...options,
        n: maxTokens,
        propagateOnRejection: true,
        onReject: [() => void (exceeded = true)],
      }).parseDocument();
    } catch (error) {
      if (!exceeded) throw error;
      const actual = countTokens(typeof source === 'string' ? source : source.body);
      throw limitExceeded(ErrorCode.MAX_TOKENS_EXCEEDED, `Query of ${actual} tokens exceeds the limit of ${maxTokens}.`, { limit: maxTokens, actual });
    }
  };
}

/**
 * The runtime reports a subgraph it could not reach with the subrequest it sent (whose variables may
 * hold patient ids) and the socket error (internal addresses): keep the code and subgraph, drop those.
 */
export function withoutSubrequestDetails(error: GraphQLError): GraphQLError {
  const { request, response, ...extensions } = error.extensions ?? {};
  const unreachable = extensions.code === 'SUBREQUEST_HTTP_ERROR';
  if (request === undefined && response === undefined && !unreachable) return error;
  const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : 'a';
  return new GraphQLError(unreachable ? `The ${service} subgraph could not be reached.` : error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * A variable nested deeper than MAX_JSON_NESTING, refused before any subgraph is called: the runtime's
 * HTTP executor walks variables recursively and ran out of stack on a 2,000-deep one (answering that
 * the subgraph "could not be reached"). BAD_USER_INPUT naming the variable, as the subgraphs name theirs.
 */
export function tooDeepVariable(variables: Record<string, unknown> | null | undefined): ExecutionResult | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!nestedDeeperThan(value, MAX_JSON_NESTING)) continue;
    const message = `Variable "$${name}" nests objects and arrays more than ${MAX_JSON_NESTING} levels deep.`;
    return { errors: [new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: httpStatusOf(ErrorCode.BAD_USER_INPUT) }, field: name } })] };
  }
  return undefined;
}

const isMaskedError = (error: { extensions?: Record<string, unknown> }) => error.extensions?.code === 'INTERNAL_SERVER_ERROR';

export interface LimitPluginOptions {
  limits: GatewayLimits;
  log: Logger;
  /** The gateway's error mask, to tell which execution errors the client will see masked. */
  maskError: (error: unknown, message: string) => Error;
  /** Whose buckets an operation takes from (default: its IP as the caller, no client). */
  rateLimitKeys?: (context: CallerContext) => RateLimitKeys;
  /** The limiter, when the gateway shares it beyond these plugins (default: one of their own from `limits`). */
  limiter?: RateLimiter;
}

/**
 * The runtime plugins that enforce the limits (the body limit and the graphql-ws frame limit sit in
 * front of the runtime, in server.ts). graphql-ws operations go through the same parse, validate and
 * execute hooks, so subscriptions meet the same limits.
 */
export function limitPlugins({ limits, log, maskError, rateLimitKeys = (context) => ({ caller: rateLimitKey(context) }), limiter: shared }: LimitPluginOptions): GatewayPlugin[] {
  const shapeRules = queryShapeRules(limits);
  const parse = parseWithTokenLimit(limits.maxTokens);
  const limiter = shared ?? (limits.rateLimit && new RateLimiter(limits.rateLimit, limits.clientRateLimit));
  /** Uncoded execution errors, before the mask replaces them, to log beside the request id. */
  const maskedCauses = new WeakMap<Request, GraphQLError[]>();

  const rateLimited = (context: CallerContext): ExecutionResult | undefined => limiter?.admit(rateLimitKeys(context));

  /** Before the mask runs: keep the causes of errors it will hide, and strip subrequest details. */
  const onExecutionResult = (context: CallerContext, result: ExecutionResult, setResult: (result: ExecutionResult) => void) => {
    const errors = result.errors ?? [];
    const causes = errors.filter((error) => isMaskedError(maskError(error, '') as GraphQLError));
    if (causes.length && context.request) maskedCauses.set(context.request, [...causes]);
    else if (causes.length) log.error({ causes: causes.map(describeCause) }, 'masked an internal error (graphql-ws)');
    const unreachable = errors.filter((error) => error.extensions?.code === 'SUBREQUEST_HTTP_ERROR');
    if (unreachable.length) {
      log.warn({ requestId: requestIdOf(context.request), errors: unreachable.map((e) => ({ message: e.message, path: e.path, subgraph: e.extensions.serviceName })) }, 'a subgraph could not be reached');
    }
    if (errors.some((error) => withoutSubrequestDetails(error) !== error)) setResult({ ...result, errors: errors.map(withoutSubrequestDetails) });
  };

  return [
    {
      onParse({ setParseFn }) {
        setParseFn(parse as never);
      },
      onValidate({ addValidationRule }) {
        // Introspection is refused per caller (gateway/introspection.ts), not here.
        for (const rule of shapeRules) addValidationRule(rule);
      },
      onExecute({ args, setResultAndStopExecution }) {
        const context = args.contextValue as CallerContext;
        const refused = rateLimited(context) ?? tooDeepVariable(args.variableValues);
        if (refused) {
          setResultAndStopExecution(refused);
          return undefined;
        }
        return {
          onExecuteDone({ result, setResult }) {
            if (!isAsyncIterable(result)) onExecutionResult(context, result, setResult);
          },
        };
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const refused = rateLimited(args.contextValue as CallerContext) ?? tooDeepVariable(args.variableValues);
        if (refused) setResultAndStopExecution(refused);
      },
      onResultProcess({ request, result, setResult }) {
        if (isAsyncIterable(result)) return;
        const requestId = requestIdOf(request);
        const results = Array.isArray(result) ? result : [result];
        const masked = results.flatMap((r) => (r.errors ?? []).filter(isMaskedError));
        if (!masked.length || !requestId) return;
        const stamped = results.map((r) =>
          r.errors?.some(isMaskedError)
            ? { ...r, errors: r.errors.map((e) => (isMaskedError(e) ? withRequestId(e as GraphQLError, requestId) : e)) }
            : r,
        );
        setResult(Array.isArray(result) ? stamped : stamped[0]!);
        const causes = maskedCauses.get(request) ?? [];
        log.error(
          { requestId, errors: masked.map((e) => ({ message: e.message, path: e.path })), causes: causes.map(describeCause) },
          'masked an internal error',
        );
      },
    },
  ];
}

function withRequestId(error: GraphQLError, requestId: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, requestId },
  });
}

/** What the log keeps of an error the client saw masked: its message, where, and its origin's stack. */
function describeCause(error: GraphQLError) {
  const origin = error.originalError ?? error;
  return { message: error.message, path: error.path, stack: origin.stack };
}

/** The GraphQL-over-HTTP body of a refusal made before the runtime sees the request. */
function refusalBody(error: GraphQLError): string {
  const { http: _http, ...extensions } = error.extensions;
  return JSON.stringify({ errors: [{ message: error.message, extensions }] });
}

/**
 * Refuses request bodies over `maxBytes` with 413 before the runtime reads them. A declared
 * Content-Length is checked up front (node's parser never reads past it); a chunked body is read
 * up to the limit, never further, and handed on (whatwg-node takes a buffered `req.body`).
 */
export function limitRequestBody(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => unknown,
  { maxBytes, log }: { maxBytes: number; log: Logger },
): http.RequestListener {
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, declared: number | undefined) => {
    const requestId = (req.headers[REQUEST_ID_HEADER] as string | undefined) || randomUUID();
    const error = limitExceeded(
      ErrorCode.REQUEST_ENTITY_TOO_LARGE,
      `Request body of ${declared === undefined ? `more than ${maxBytes}` : declared} bytes exceeds the limit of ${maxBytes} bytes.`,
      { limit: maxBytes, actual: declared, requestId },
      { status: 413 },
    );
    log.warn({ requestId, limit: maxBytes, declaredBytes: declared }, 'refused a request body over the limit');
    const graphqlResponse = req.headers.accept?.includes('application/graphql-response+json');
    res.writeHead(413, {
      'content-type': `${graphqlResponse ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8`,
      [REQUEST_ID_HEADER]: requestId,
      connection: 'close',
    });
    res.end(refusalBody(error));
    // Discard what the client is still sending (nothing is kept) so it reads the 413, then the
    // connection closes.
    req.resume();
  };

  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return void handler(req, res);
    const declared = req.headers['content-length'];
    if (declared !== undefined) {
      const length = Number(declared);
      if (length > maxBytes) return refuse(req, res, length);
      return void handler(req, res);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      chunks.length = 0;
      refuse(req, res, undefined);
    };
    const onEnd = () => {
      (req as http.IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
      handler(req, res);
    };
    // A client that hangs up mid-body: nothing was handed on, so nothing else will answer or log it.
    req.on('data', onData).on('end', onEnd).on('error', (error) => log.debug({ err: error }, 'request body aborted'));
  };
}
