import type { Logger } from './logger';
import { HubError } from './errors';

export interface Closeable {
  close(): Promise<void>;
}

/**
 * Starts services and stops them in reverse order on SIGINT/SIGTERM, so connections drain and
 * Neo4j checkpoints before the process exits. A failed start exits non-zero with the reason.
 */
export function runUntilSignal(log: Logger, start: () => Promise<Closeable[]>): void {
  let running: Closeable[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    for (const service of [...running].reverse()) {
      await service.close().catch((error: unknown) => log.error({ err: error }, 'close failed'));
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  start()
    .then((services) => {
      running = services;
    })
    .catch((error: unknown) => {
      log.fatal({ err: error }, (error as Error).message);
      console.error(`\n${(error as Error).message}\n`);
      process.exit(1);
    });
}

/**
 * Runs a command-line tool's main and exits with its code; a coded error prints only its message
 * (what was wrong and where), anything else in full.
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof HubError ? error.message : error);
      process.exit(1);
    },
  );
}
