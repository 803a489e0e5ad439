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
  // Started by the supervisor (scripts/supervisor.ts) with an IPC channel: when the supervisor dies
  // without stopping us (SIGKILL, crash), the channel closes and this service stops too, so no
  // orphan keeps its port. The channel alone must not keep the process alive.
  if (process.send && process.env.HUB_SUPERVISED === '1') {
    process.channel?.unref();
    process.once('disconnect', () => void stop('supervisor gone'));
  }
  start()
    .then((services) => {
      running = services;
      releaseForeignTerminateHandlers();
    })
    .catch((error: unknown) => {
      log.fatal({ err: error }, (error as Error).message);
      console.error(`\n${(error as Error).message}\n`);
      process.exit(1);
    });
}

/**
 * @whatwg-node/server (under the Hive gateway runtime) disposes its servers on SIGINT/SIGTERM by
 * itself, at once: requests under way were answered SHUTTING_DOWN before `stop` above could drain
 * them (a rolling restart failed them; tests/gateway-drain.int.test.ts). Its handlers are named
 * `terminateHandler` (@whatwg-node/server utils.js); the services' own close() disposes the same
 * runtime after the drain, so they are removed once the services are up.
 */
function releaseForeignTerminateHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (listener.name === 'terminateHandler') process.removeListener(signal, listener);
    }
  }
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
