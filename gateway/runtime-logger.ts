import { Logger as RuntimeLogger, type Attributes, type LogLevel, type LogWriter } from '@graphql-hive/logger';
import type { Logger } from '../lib/logger';

/** pino's levels as the runtime's logger names them (it has no `fatal`; `silent` turns it off). */
const RUNTIME_LEVELS: Record<string, LogLevel | false> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', fatal: 'error', silent: false };

/**
 * A coded error with a client status (4xx), as the runtime logs one thrown before execution (an
 * authentication refusal from onRequestParse, which it logs twice, without the request id). The
 * hub logs each refusal once itself, with its request id (gateway/auth.ts, gateway/refusal-log.ts).
 */
export function isLoggedRefusal(attrs: Attributes | null | undefined): boolean {
  if (Array.isArray(attrs)) return attrs.length > 0 && attrs.every((a) => isLoggedRefusal(a as Attributes));
  const extensions = (attrs as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null | undefined)?.extensions;
  const status = extensions?.http?.status;
  return typeof extensions?.code === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

/** Writes the runtime's messages as pino lines of the service's logger, its attributes as fields. */
export class PinoRuntimeWriter implements LogWriter {
  constructor(private readonly log: Logger) {}

  write(level: LogLevel, attrs: Attributes | null | undefined, msg: string | null | undefined): void {
    if (isLoggedRefusal(attrs)) return;
    const fields = attrs && typeof attrs === 'object' && !Array.isArray(attrs) ? attrs : attrs == null ? {} : { attrs };
    this.log[level](fields, msg ?? undefined);
  }
}

/**
 * The gateway runtime's own logger (Hive Logger, the `logging` option of createGatewayRuntime),
 * written through the service's pino logger instead of the console: one stream, one format (JSON
 * lines, or pino-pretty under LOG_FORMAT=pretty), the same `service` field, and the runtime's
 * per-request attributes (`requestId`) as fields of the line. Its level follows pino's.
 */
export function runtimeLogger(log: Logger): RuntimeLogger {
  return new RuntimeLogger({
    level: RUNTIME_LEVELS[log.level] ?? 'info',
    writers: [new PinoRuntimeWriter(log.child({ component: 'gateway-runtime' }))],
  });
}
