import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

/** `json` (default): one JSON object per line, for collectors. `pretty`: coloured lines for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_FORMAT, checked: a misspelt value must not silently change what the collectors receive. */
export function logFormatOf(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const raw = env.LOG_FORMAT;
  if (raw === undefined || raw === '') return 'json';
  if ((LOG_FORMATS as readonly string[]).includes(raw)) return raw as LogFormat;
  throw new Error(`LOG_FORMAT="${raw}" is not one of ${LOG_FORMATS.join(', ')}`);
}

export interface LoggerOptions {
  /** Default: LOG_FORMAT. */
  format?: LogFormat;
  /** Default: stdout. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs, one logger per service; never log patient data, only ids. Everything a
 * service logs goes through this logger, the gateway runtime's own messages included
 * (gateway/runtime-logger.ts), so one stream holds one format.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', options: LoggerOptions = {}): Logger {
  const settings = { name: service, level, base: { service } };
  if ((options.format ?? logFormatOf()) === 'pretty') {
    // In this thread, not pino's transport worker: lines appear in order with the process's own output.
    return pino(settings, pinoPretty({ sync: true, destination: options.destination ?? 1, ignore: 'pid,hostname,name' }));
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
