import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../lib/logger';

/**
 * A small process supervisor (issue 19 item 4): each service of the hub runs as its own Node process,
 * started in dependency order (a stage starts once every service of the stage before answers its
 * health endpoint), restarted with back-off when it dies, and stopped in reverse order (SIGTERM, then
 * SIGKILL after a grace period). `npm start` (scripts/start.ts) and the local multi-replica hub
 * (deploy/local/replicas.ts) run on it.
 */

/** The checkout: the nearest folder above this file with a package.json (this file may run from dist/scripts/). */
const REPO_ROOT = (() => {
  let dir = path.resolve(__dirname, '..');
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
/** Source trees a compiled service is built from: a dist build older than any of them is stale. */
const SOURCE_DIRS = ['gateway', 'subgraphs', 'lib', 'knowledge-graph', 'contracts', 'schema'];

export interface ServiceSpec {
  /** Unique name in logs and the banner (`gateway`, `inference-2`). */
  name: string;
  /** Entry module without extension, relative to the repository root (`subgraphs/patient/index`). */
  entry: string;
  /** Run this instead of the entry (a non-Node process such as HAProxy). */
  command?: { command: string; args: string[] };
  /** Port the service listens on (already chosen: a restart must come back on the same one). */
  port: number;
  host: string;
  /** Environment on top of the supervisor's own. */
  env: Record<string, string | undefined>;
  /** Defaults to http://host:port/health. */
  healthUrl?: string;
}

export interface RestartPolicy {
  /** First wait before a restart; doubled on each crash in a row, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A child that stayed up this long starts over from initialDelayMs on its next crash. */
  stableAfterMs: number;
}

export interface SupervisorOptions {
  /** Started stage by stage; the services of one stage start together. */
  stages: ServiceSpec[][];
  log: Logger;
  restart?: Partial<RestartPolicy>;
  /** SIGTERM to SIGKILL (the services' own drain is SHUTDOWN_GRACE_MS, 5 s, in lib/apollo-http.ts). */
  stopGraceMs?: number;
  /** How long a service may take to answer its health endpoint at start. */
  startTimeoutMs?: number;
  /** stdio of the children (default: inherit stdout/stderr, so their JSON logs go where ours go). */
  stdio?: 'inherit' | 'ignore';
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 };
export const DEFAULT_STOP_GRACE_MS = 10_000;
const DEFAULT_START_TIMEOUT_MS = 180_000;

export class SupervisorError extends Error {
  override name = 'SupervisorError';
}

/** A port free on `host` now (the kernel's choice for port 0), for a service that must keep it across restarts. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.(ts|graphql|json)$/.test(entry) && !/\.test\.ts$/.test(entry) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === 'node_modules' || name === 'target' || name === 'dist' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

const sourcesMtime = new Map<string, number>();

/**
 * How to run an entry: `node dist/<entry>.js` when the build (`npm run build`) is newer than every
 * source file, else `node --import tsx <entry>.ts`. Node itself, never the tsx CLI: the CLI runs the
 * service in a child of its own, so the PID we supervise would not be the service's and a SIGKILL
 * would leave the service behind.
 */
export function commandFor(entry: string, root = REPO_ROOT): { command: string; args: string[]; compiled: boolean } {
  const compiled = path.join(root, 'dist', `${entry}.js`);
  if (fs.existsSync(compiled)) {
    if (!sourcesMtime.has(root)) sourcesMtime.set(root, Math.max(...SOURCE_DIRS.map((dir) => newestMtime(path.join(root, dir)))));
    if (fs.statSync(compiled).mtimeMs >= sourcesMtime.get(root)!) return { command: process.execPath, args: ['--enable-source-maps', compiled], compiled: true };
  }
  return { command: process.execPath, args: ['--import', 'tsx', path.join(root, `${entry}.ts`)], compiled: false };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** One supervised service: its current child, restarts and stop. */
export class SupervisedService {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private crashesInRow = 0;
  private startedAt = 0;
  /** Set once the first child answered health: a child that dies before that fails the start instead. */
  private up = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Restarts so far (tests and the banner read it). */
  restarts = 0;
  readonly healthUrl: string;
  readonly url: string;

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: Logger,
    private readonly policy: RestartPolicy,
    private readonly stdio: 'inherit' | 'ignore',
  ) {
    this.healthUrl = spec.healthUrl ?? `http://${spec.host}:${spec.port}/health`;
    this.url = `http://${spec.host}:${spec.port}/graphql`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child and waits until it answers its health endpoint; fails if it exits first. */
  async start(timeoutMs: number): Promise<void> {
    const child = this.spawnChild();
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.once('exit', (code, signal) => (exit = { code, signal }));
    const deadline = Date.now() + timeoutMs;
    while (!(await healthy(this.healthUrl))) {
      if (exit) throw new SupervisorError(`${this.spec.name} exited during start (code ${exit.code}, signal ${exit.signal}); its log above says why`);
      if (Date.now() > deadline) throw new SupervisorError(`${this.spec.name} did not answer ${this.healthUrl} within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
    this.up = true;
    this.log.info({ event: 'service_started', service: this.spec.name, pid: child.pid, url: this.url, compiled: this.compiled }, `${this.spec.name} is up (pid ${child.pid})`);
  }

  private compiled = false;

  private spawnChild(): ChildProcess {
    const { command, args, compiled } = this.spec.command ? { ...this.spec.command, compiled: false } : commandFor(this.spec.entry);
    this.compiled = compiled;
    // Own process group: a terminal's Ctrl-C reaches the supervisor only, which stops the services in
    // order; the IPC channel lets a child notice that the supervisor died (lib/lifecycle.ts).
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.spec.env, HUB_SUPERVISED: '1' },
      stdio: ['ignore', this.stdio, this.stdio, 'ipc'],
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    return child;
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child || this.stopping || !this.up) return;
    const upMs = Date.now() - this.startedAt;
    this.crashesInRow = upMs >= this.policy.stableAfterMs ? 1 : this.crashesInRow + 1;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (this.crashesInRow - 1));
    this.log.error({ event: 'service_exited', service: this.spec.name, pid: child.pid, code, signal, upMs, restartInMs: delay }, `${this.spec.name} (pid ${child.pid}) exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restarts += 1;
      const next = this.spawnChild();
      void this.announceWhenHealthy(next);
    }, delay);
  }

  private async announceWhenHealthy(child: ChildProcess): Promise<void> {
    while (this.child === child && !this.stopping && child.exitCode === null && child.signalCode === null) {
      if (await healthy(this.healthUrl)) {
        this.log.info({ event: 'service_restarted', service: this.spec.name, pid: child.pid, restarts: this.restarts }, `${this.spec.name} restarted (pid ${child.pid})`);
        return;
      }
      await sleep(200);
    }
  }

  /** Sends `signal` to the running child (tests, rolling restarts); the supervisor restarts it if it exits. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): number | undefined {
    const pid = this.child?.pid;
    if (pid !== undefined && this.child?.exitCode === null) this.child.kill(signal);
    return pid;
  }

  /** Waits until a child other than `pid` answers health (after a kill or restart). */
  async waitReplaced(pid: number | undefined, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const current = this.child;
      if (current && current.pid !== pid && current.exitCode === null && current.signalCode === null && (await healthy(this.healthUrl))) return current.pid!;
      await sleep(100);
    }
    throw new SupervisorError(`${this.spec.name} was not back within ${timeoutMs / 1000} s`);
  }

  /** SIGTERM, then SIGKILL after graceMs; no restart. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => {
      this.log.warn({ event: 'service_killed', service: this.spec.name, pid: child.pid, graceMs }, `${this.spec.name} did not stop within ${graceMs} ms; SIGKILL`);
      child.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(killed);
  }
}

export interface Supervisor {
  services: SupervisedService[];
  byName(name: string): SupervisedService;
  /** Stops every service, last stage first (the gateway before the subgraphs it calls). */
  close(): Promise<void>;
}

/** Starts the stages in order and supervises every service until close(). */
export async function startSupervisor(opts: SupervisorOptions): Promise<Supervisor> {
  const policy = { ...DEFAULT_RESTART, ...opts.restart };
  const grace = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const started: SupervisedService[][] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const stage of [...started].reverse()) await Promise.all(stage.map((service) => service.stop(grace)));
    })());
  try {
    for (const stage of opts.stages) {
      const services = stage.map((spec) => new SupervisedService(spec, opts.log.child({ component: 'supervisor' }), policy, opts.stdio ?? 'inherit'));
      started.push(services);
      await Promise.all(services.map((service) => service.start(opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const services = started.flat();
  return {
    services,
    byName(name) {
      const service = services.find((s) => s.spec.name === name);
      if (!service) throw new SupervisorError(`no service named ${name}`);
      return service;
    },
    close,
  };
}
