import { Writable } from 'node:stream';
import pino from 'pino';
import type { EmbeddedNeo4j, ExitOutcome, StartEmbeddedNeo4jOptions } from './neo4j-launcher';
import { restartDelayMs, superviseEmbeddedNeo4j } from './neo4j-supervisor';

/** A launcher without a JVM: each start is a fake process the test can kill, or a start that fails. */
function fakeLauncher(failStarts: (n: number) => boolean = () => false) {
  const started: { opts: StartEmbeddedNeo4jOptions; kill: () => void; stopped: boolean }[] = [];
  let count = 0;
  const start = async (opts: StartEmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> => {
    count += 1;
    if (failStarts(count)) throw new Error(`start ${count} failed`);
    let exit: (outcome: ExitOutcome) => void = () => undefined;
    const exited = new Promise<ExitOutcome>((resolve) => (exit = resolve));
    const entry = { opts, kill: () => exit({ code: null, signal: 'SIGKILL' }), stopped: false };
    started.push(entry);
    return {
      uri: `bolt://127.0.0.1:${opts.port || 7999}`,
      pid: 1000 + count,
      exited,
      stop: async () => {
        entry.stopped = true;
        exit({ code: 0, signal: null });
      },
    };
  };
  return { start, started };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, sink) };
}

const policy = { maxAttempts: 2, windowMs: 60_000, baseDelayMs: 10, maxDelayMs: 25 };
const events = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event).map(({ event, attempt }) => ({ event, attempt }));

describe('the embedded Neo4j supervisor', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => restartDelayMs({ ...policy, baseDelayMs: 500, maxDelayMs: 3000 }, attempt))).toEqual([500, 1000, 2000, 3000]);
  });

  it('restarts a Neo4j that died on the port it first bound, and reports running again', async () => {
    const launcher = fakeLauncher();
    const { lines, log } = capture();
    const neo4j = await superviseEmbeddedNeo4j({ dataDir: '/tmp/x', port: 0, restart: policy, log, start: launcher.start });
    launcher.started[0]!.kill();
    expect(await neo4j.nextState()).toEqual(expect.objectContaining({ state: 'restarting', attempt: 1 }));
    expect(neo4j.downReason()).toBe('embedded Neo4j is restarting (attempt 1 of 2)');
    expect(await neo4j.nextState()).toEqual(expect.objectContaining({ state: 'running', attempt: 1 }));
    expect(launcher.started[1]!.opts).toEqual(expect.objectContaining({ dataDir: '/tmp/x', port: 7999 }));
    expect(neo4j.pid).toBe(1002);
    expect(neo4j.downReason()).toBeUndefined();
    expect(events(lines)).toEqual([
      { event: 'neo4j_exited', attempt: undefined },
      { event: 'neo4j_restart_scheduled', attempt: 1 },
      { event: 'neo4j_restarted', attempt: 1 },
    ]);
    await neo4j.stop();
    expect(neo4j.status().state).toBe('stopped');
  });

  it('does not restart a Neo4j it stopped itself', async () => {
    const launcher = fakeLauncher();
    const { lines, log } = capture();
    const neo4j = await superviseEmbeddedNeo4j({ dataDir: '/tmp/x', restart: policy, log, start: launcher.start });
    await neo4j.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(launcher.started).toHaveLength(1);
    expect(events(lines)).toEqual([]);
  });

  it('gives up after maxAttempts restarts within the window and stays failed', async () => {
    // The first start works; every restart fails (a store that cannot recover, a port taken).
    const launcher = fakeLauncher((n) => n > 1);
    const { lines, log } = capture();
    const neo4j = await superviseEmbeddedNeo4j({ dataDir: '/tmp/x', restart: policy, log, start: launcher.start });
    launcher.started[0]!.kill();
    let status = await neo4j.nextState();
    while (status.state !== 'failed') status = await neo4j.nextState();
    expect(status).toEqual(expect.objectContaining({ state: 'failed', attempt: 2 }));
    expect(neo4j.downReason()).toBe('embedded Neo4j was restarted 2 times within 60000 ms and the supervisor gave up; restart the hub');
    expect(events(lines)).toEqual([
      { event: 'neo4j_exited', attempt: undefined },
      { event: 'neo4j_restart_scheduled', attempt: 1 },
      { event: 'neo4j_restart_failed', attempt: 1 },
      { event: 'neo4j_restart_scheduled', attempt: 2 },
      { event: 'neo4j_restart_failed', attempt: 2 },
      { event: 'neo4j_restart_gave_up', attempt: undefined },
    ]);
    await neo4j.stop();
  });
});
