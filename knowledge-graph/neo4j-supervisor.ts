import type { Logger } from '../lib/logger';
import type { Neo4jRestartPolicy } from '../lib/dependency-timeouts';
import { startEmbeddedNeo4j, type EmbeddedNeo4j, type ExitOutcome, type StartEmbeddedNeo4jOptions } from './neo4j-launcher';

/** running: Bolt answered at the last (re)start; restarting: the JVM died and a restart is pending; failed: given up. */
export type Neo4jState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface Neo4jStatus {
  state: Neo4jState;
  /** Restarts within the current window (the one under way included). */
  attempt: number;
  /** When the state last changed (ISO 8601). */
  since: string;
}

export interface SupervisedNeo4j {
  uri: string;
  /** The JVM now running (changes with each restart). */
  readonly pid: number;
  status(): Neo4jStatus;
  /** Why Neo4j cannot answer now, or undefined while it runs. */
  downReason(): string | undefined;
  /** Resolves when the state changes next (tests and the health endpoint's callers wait on it). */
  nextState(): Promise<Neo4jStatus>;
  stop(): Promise<void>;
}

export interface SuperviseOptions extends StartEmbeddedNeo4jOptions {
  restart: Neo4jRestartPolicy;
  log: Logger;
  /** The launcher (tests give a fake one to exercise the back-off without a JVM). */
  start?: (opts: StartEmbeddedNeo4jOptions) => Promise<EmbeddedNeo4j>;
}

/** The back-off before restart `attempt` (1-based): base × 2^(attempt−1), capped. */
export function restartDelayMs(policy: Neo4jRestartPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Starts the embedded Neo4j and keeps it up: when the JVM exits without our stop() (kill -9, an
 * out-of-memory exit), it is started again on the same Bolt port and data directory after a bounded
 * exponential back-off, so drivers holding the same URI reconnect by themselves. Neo4j recovers its
 * store from the transaction log on that start. More than `maxAttempts` restarts within `windowMs`
 * and the supervisor gives up: the state stays `failed` (health reports it) until the hub restarts.
 * Every step is logged as structured JSON with its attempt number.
 */
export async function superviseEmbeddedNeo4j(opts: SuperviseOptions): Promise<SupervisedNeo4j> {
  const { restart: policy, log } = opts;
  const start = opts.start ?? startEmbeddedNeo4j;
  let current = await start(opts);
  // Port 0 picked a free port: every restart must come back on that one, which drivers already hold.
  const port = Number(new URL(current.uri.replace(/^bolt:/, 'http:')).port);
  let status: Neo4jStatus = { state: 'running', attempt: 0, since: new Date().toISOString() };
  let stopping = false;
  let cancelWait: (() => void) | undefined;
  let recovering: Promise<void> | undefined;
  const restarts: number[] = [];
  const waiters: ((s: Neo4jStatus) => void)[] = [];

  const setState = (state: Neo4jState, attempt: number) => {
    status = { state, attempt, since: new Date().toISOString() };
    for (const resolve of waiters.splice(0)) resolve(status);
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      cancelWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const onExit = async (outcome: ExitOutcome, pid: number) => {
    if (stopping) return;
    log.error({ event: 'neo4j_exited', pid, code: outcome.code, signal: outcome.signal }, 'embedded Neo4j exited unexpectedly');
    for (;;) {
      const now = Date.now();
      while (restarts.length && restarts[0]! <= now - policy.windowMs) restarts.shift();
      if (restarts.length >= policy.maxAttempts) {
        setState('failed', restarts.length);
        log.error(
          { event: 'neo4j_restart_gave_up', attempts: restarts.length, windowMs: policy.windowMs },
          `embedded Neo4j restarted ${restarts.length} times within ${policy.windowMs} ms; giving up until the hub restarts`,
        );
        return;
      }
      restarts.push(now);
      const attempt = restarts.length;
      const delayMs = restartDelayMs(policy, attempt);
      setState('restarting', attempt);
      log.warn({ event: 'neo4j_restart_scheduled', attempt, maxAttempts: policy.maxAttempts, delayMs }, 'restarting embedded Neo4j');
      await sleep(delayMs);
      if (stopping) return;
      const began = Date.now();
      try {
        const next = await start({ ...opts, port });
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        watch(next);
        setState('running', attempt);
        log.info({ event: 'neo4j_restarted', attempt, pid: next.pid, uri: next.uri, startMs: Date.now() - began }, 'embedded Neo4j is back');
        return;
      } catch (error) {
        log.error({ event: 'neo4j_restart_failed', attempt, err: error, startMs: Date.now() - began }, 'embedded Neo4j restart failed');
      }
    }
  };
  const watch = (neo4j: EmbeddedNeo4j) => {
    void neo4j.exited.then((outcome) => {
      recovering = onExit(outcome, neo4j.pid);
    });
  };
  watch(current);

  return {
    uri: current.uri,
    get pid() {
      return current.pid;
    },
    status: () => status,
    downReason: () => {
      if (status.state === 'running') return undefined;
      if (status.state === 'restarting') return `embedded Neo4j is restarting (attempt ${status.attempt} of ${policy.maxAttempts})`;
      if (status.state === 'failed') return `embedded Neo4j was restarted ${status.attempt} times within ${policy.windowMs} ms and the supervisor gave up; restart the hub`;
      return 'embedded Neo4j is stopped';
    },
    nextState: () => new Promise((resolve) => waiters.push(resolve)),
    async stop() {
      stopping = true;
      cancelWait?.();
      // A restart under way ends with that JVM stopped (onExit checks `stopping`).
      await recovering;
      await current.stop();
      setState('stopped', status.attempt);
    },
  };
}
