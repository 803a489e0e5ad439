import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import neo4j, { type AuthToken } from 'neo4j-driver';
import { DEFAULT_DEPENDENCY_TIMEOUTS } from '../lib/dependency-timeouts';
import { REPO_ROOT } from '../lib/config';

/**
 * Embedded Neo4j 5.26 Community for development and tests: a small Java main (knowledge-graph/launcher)
 * built by Maven from Maven Central, run as a child process with Bolt on 127.0.0.1 and auth disabled.
 */

export interface EmbeddedNeo4j {
  uri: string;
  pid: number;
  /** Settles when the JVM has exited, whether by stop() or not (a supervisor watches it). */
  exited: Promise<ExitOutcome>;
  stop(): Promise<void>;
}

export interface StartEmbeddedNeo4jOptions {
  dataDir: string;
  /** Undefined or 0: the OS picks a free port (Neo4j binds port 0 and reports the real one). */
  port?: number;
  /** Appended after the defaults, so e.g. a later -Xmx wins. */
  javaOpts?: string[];
  readyTimeoutMs?: number;
  /** Defaults to `java` on PATH. */
  javaPath?: string;
}

export class Neo4jLaunchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Neo4jLaunchError';
  }
}

// From the checkout's root, not __dirname: compiled code in dist/ uses the launcher built in the checkout.
const LAUNCHER_DIR = path.join(REPO_ROOT, 'knowledge-graph', 'launcher');
const CLASSES_DIR = path.join(LAUNCHER_DIR, 'target', 'classes');
const LIB_DIR = path.join(LAUNCHER_DIR, 'target', 'lib');
const MAIN_CLASS = 'org.precisionhub.neo4j.Launcher';
const MAIN_CLASS_FILE = path.join(CLASSES_DIR, 'org', 'precisionhub', 'neo4j', 'Launcher.class');
const READY_RE = /^NEO4J_READY (bolt:\/\/\S+)$/;
const TAIL_LINES = 20;
const STOP_GRACE_MS = 15_000;
/** Long enough for Neo4j to recover its store after a kill -9 before it opens Bolt (NEO4J_START_TIMEOUT_MS). */
const DEFAULT_READY_TIMEOUT_MS = DEFAULT_DEPENDENCY_TIMEOUTS.neo4j.startMs;
// neo4j.auth.none() exists at runtime but is missing from neo4j-driver 6.3's typings.
const NO_AUTH: AuthToken = { scheme: 'none', principal: '', credentials: '' };
const USE_EXISTING = 'or set NEO4J_URI to an existing Neo4j';

const JVM_DEFAULTS = [
  '-Xms64m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  // A JVM that ran out of heap should die and be noticed, not limp on serving errors.
  '-XX:+ExitOnOutOfMemoryError',
  // Neo4j's page cache and netty use these internals; without them they fall back to slower paths and warn.
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
];

export function launcherBuilt(): boolean {
  if (!fs.existsSync(MAIN_CLASS_FILE)) return false;
  try {
    return fs.readdirSync(LIB_DIR).some((name) => name.startsWith('neo4j-') && name.endsWith('.jar'));
  } catch {
    return false;
  }
}

export async function buildLauncher(log?: (msg: string) => void): Promise<void> {
  const tail = new LineTail(TAIL_LINES);
  const child = spawn('mvn', ['-q', '-B', '-DskipTests', 'package'], {
    cwd: LAUNCHER_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = (line: string) => {
    tail.push(line);
    log?.(line);
  };
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', onLine);

  const outcome = await waitForExit(child);
  if (outcome.error) {
    if (isEnoent(outcome.error)) {
      throw new Neo4jLaunchError(
        `Maven (mvn) not found on PATH: install Maven 3.8+ and a JDK 17 to build the embedded Neo4j launcher, ${USE_EXISTING}`,
        { cause: outcome.error },
      );
    }
    throw new Neo4jLaunchError(`could not run mvn in ${LAUNCHER_DIR}: ${outcome.error.message}`, { cause: outcome.error });
  }
  if (outcome.code !== 0) {
    const output = tail.text();
    const hint = /JAVA_HOME|java: not found|No compiler is provided|release version 17 not supported/i.test(output)
      ? 'Maven needs a JDK 17 (java and javac on PATH or JAVA_HOME set). '
      : /Could not (resolve|transfer)|Connect(ion)? (refused|timed out)|UnknownHost/i.test(output)
        ? 'Maven could not download Neo4j from Maven Central; check network/proxy (~/.m2/settings.xml). '
        : '';
    throw new Neo4jLaunchError(
      `building the embedded Neo4j launcher failed (mvn exit ${outcome.code ?? outcome.signal}). ${hint}` +
        `Retry with \`npm run kg:build\`, ${USE_EXISTING}. Last output:\n${output}`,
    );
  }
  if (!launcherBuilt()) {
    throw new Neo4jLaunchError(`mvn succeeded but ${MAIN_CLASS_FILE} or ${LIB_DIR} is missing; check knowledge-graph/launcher/pom.xml`);
  }
}

export async function startEmbeddedNeo4j(opts: StartEmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> {
  if (!launcherBuilt()) {
    throw new Neo4jLaunchError(
      `the embedded Neo4j launcher is not built (${MAIN_CLASS_FILE} or ${LIB_DIR} missing): run npm run kg:build ` +
        `(needs Maven and a JDK 17), ${USE_EXISTING}`,
    );
  }
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Neo4jLaunchError(`invalid Bolt port ${port}: use 0-65535 (0 or undefined picks a free port)`);
  }
  const dataDir = path.resolve(opts.dataDir);
  const javaPath = opts.javaPath ?? 'java';
  const timeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const classpath = [CLASSES_DIR, path.join(LIB_DIR, '*')].join(path.delimiter);

  const child = spawn(
    javaPath,
    [...JVM_DEFAULTS, ...(opts.javaOpts ?? []), '-cp', classpath, MAIN_CLASS, dataDir, String(port), '--exit-on-stdin-eof'],
    // stdin stays a pipe we never write to: the launcher stops when it closes, so even a SIGKILLed
    // Node process cannot leave an orphan JVM holding the store lock.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const tail = new LineTail(TAIL_LINES);
  const exited = waitForExit(child);
  trackChild(child, exited);

  let resolveReady: (uri: string) => void = () => undefined;
  const readyLine = new Promise<string>((resolve) => (resolveReady = resolve));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const match = READY_RE.exec(line);
    if (match?.[1]) resolveReady(match[1]);
    else tail.push(line);
  });
  let summary = '';
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    // The launcher's own one-line diagnosis; kept apart because a stack trace can push it out of the tail.
    if (line.startsWith('NEO4J_ERROR ')) summary = line.slice('NEO4J_ERROR '.length);
    tail.push(line);
  });

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const failure = (message: string, cause?: unknown) => new Neo4jLaunchError(message, { cause });
  const logHint = `Neo4j's own log: ${path.join(dataDir, 'logs', 'debug.log')}`;

  try {
    const first = await Promise.race([readyLine, exited, timedOut]);
    if (first === 'timeout') {
      throw failure(`embedded Neo4j did not report ready within ${timeoutMs} ms; raise NEO4J_START_TIMEOUT_MS (readyTimeoutMs). ${logHint}. Last output:\n${tail.text()}`);
    }
    if (typeof first !== 'string') {
      throw explainEarlyExit(first, javaPath, port, dataDir, summary, tail.text(), logHint);
    }
    const uri = first;
    const driver = neo4j.driver(uri, NO_AUTH, { connectionTimeout: Math.max(1000, timeoutMs) });
    try {
      const verified = await Promise.race([driver.verifyConnectivity().then(() => 'ok' as const), exited, timedOut]);
      if (verified === 'timeout') throw failure(`embedded Neo4j at ${uri} reported ready but did not accept a Bolt connection within ${timeoutMs} ms. ${logHint}`);
      if (verified !== 'ok') throw explainEarlyExit(verified, javaPath, port, dataDir, summary, tail.text(), logHint);
    } catch (error) {
      if (error instanceof Neo4jLaunchError) throw error;
      throw failure(`embedded Neo4j at ${uri} reported ready but Bolt verification failed: ${(error as Error).message}. ${logHint}`, error);
    } finally {
      await driver.close();
    }
    // Once up, the JVM should not by itself keep Node alive: a script that forgets stop() still exits,
    // and the exit hook below takes the JVM down with it.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) unrefStream(stream);
    const pid = child.pid;
    if (pid === undefined) throw failure(`embedded Neo4j reported ready but its process id is unknown`);
    return { uri, pid, exited, stop: once(() => stopChild(child, exited)) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export interface ExitOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

function waitForExit(child: ChildProcess): Promise<ExitOutcome> {
  return new Promise((resolve) => {
    // 'error' without 'exit' is how spawn reports ENOENT; 'close' waits for stdio to drain so the tail is complete.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

function explainEarlyExit(
  outcome: ExitOutcome,
  javaPath: string,
  port: number,
  dataDir: string,
  summary: string,
  output: string,
  logHint: string,
): Neo4jLaunchError {
  if (outcome.error) {
    if (isEnoent(outcome.error)) {
      return new Neo4jLaunchError(`Java 17 not found on PATH (tried '${javaPath}'): install a JDK 17 ${USE_EXISTING}`, { cause: outcome.error });
    }
    return new Neo4jLaunchError(`could not start '${javaPath}': ${outcome.error.message}`, { cause: outcome.error });
  }
  let hint = '';
  if (/UnsupportedClassVersionError|Unrecognized option: --add-opens/.test(output)) {
    hint = `'${javaPath}' is too old: Neo4j 5.26 needs Java 17 or 21. `;
  } else if (/Address already in use|BindException/.test(output)) {
    hint = `Bolt port ${port} is already in use: stop whatever holds it or pass another port (0 picks a free one). `;
  } else if (/FileLockException|store_lock/.test(output)) {
    hint = `${dataDir} is in use by another Neo4j process: stop it or use another dataDir. `;
  }
  const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
  const said = summary ? `Launcher: ${summary}. ` : '';
  return new Neo4jLaunchError(`embedded Neo4j ${how} before it was ready. ${hint}${said}${logHint}. Last output:\n${output}`);
}

async function stopChild(child: ChildProcess, exited: Promise<ExitOutcome>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    await exited;
    return;
  }
  // SIGTERM runs the launcher's shutdown hook, which checkpoints so the next start skips recovery.
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess, exited: Promise<ExitOutcome>): void {
  liveChildren.add(child);
  void exited.then(() => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // One listener for all launches; 'exit' handlers must be synchronous, so SIGTERM is fire-and-forget.
    process.on('exit', () => {
      for (const c of liveChildren) c.kill('SIGTERM');
    });
  }
}

function unrefStream(stream: unknown): void {
  if (stream && typeof stream === 'object' && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
}

function isEnoent(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= fn());
}

/** The last few lines of a child's output, for error messages, without keeping everything it ever printed. */
class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly max: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  text(): string {
    return this.lines.length ? this.lines.join('\n') : '(no output)';
  }
}
