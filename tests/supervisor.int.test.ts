import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_DATABASE_URL } from './support/config';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET } from './support/auth';
import { gql } from './support/graphql';

/**
 * `npm start` as a user runs it (scripts/start.ts under Node + tsx), on ephemeral ports: one process
 * per service, a killed one restarted and the hub answering again, SIGTERM stopping every process.
 */
const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['gateway', 'patient', 'genomics', 'knowledge-graph', 'inference'] as const;
const BANNER_LABEL: Record<(typeof SERVICES)[number], string> = {
  gateway: 'gateway (GraphQL, graphql-ws, GraphiQL)',
  patient: 'patient subgraph',
  genomics: 'genomics subgraph',
  'knowledge-graph': 'knowledge-graph subgraph',
  inference: 'inference subgraph',
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const parentOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start: a process per service under a supervisor', () => {
  let supervisor: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (supervisor && supervisor.exitCode === null) {
      supervisor.kill('SIGKILL');
    }
  });

  it('runs each service in its own process, restarts a killed one, and stops them all on SIGTERM', async () => {
    supervisor = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: TEST_DATABASE_URL,
        HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
        JWT_SECRET: TEST_JWT_SECRET,
        PORT: '0',
        PATIENT_PORT: '0',
        GENOMICS_PORT: '0',
        KNOWLEDGE_GRAPH_PORT: '0',
        INFERENCE_PORT: '0',
        INFERENCE_CONSUMER_GROUP: `inference-test-${randomUUID()}`,
        INFERENCE_CONSUMER_START: 'end',
        HUB_DASHBOARD_BUILD: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => supervisor!.once('exit', (code) => resolve(code)));

    const banner = await until('the banner', 150_000, () => {
      if (supervisor!.exitCode !== null) throw new Error(`npm start exited with ${supervisor!.exitCode}:\n${output.slice(-4000)}`);
      return output.includes('Ctrl-C stops everything.') ? output : undefined;
    });
    const line = (service: (typeof SERVICES)[number]) => banner.split('\n').find((l) => l.trimStart().startsWith(BANNER_LABEL[service]))!;
    const pids = Object.fromEntries(SERVICES.map((s) => [s, Number(/\(pid (\d+)\)/.exec(line(s))![1])])) as Record<(typeof SERVICES)[number], number>;
    const gatewayUrl = /(http:\/\/\S+\/graphql)/.exec(line('gateway'))![1]!;

    // One process per service, each a child of the supervisor, none the supervisor itself.
    expect(new Set(Object.values(pids)).size).toBe(SERVICES.length);
    for (const pid of Object.values(pids)) {
      expect(alive(pid)).toBe(true);
      expect(parentOf(pid)).toBe(supervisor.pid);
    }
    const patients = '{ patients(first: 1) { totalCount } }';
    expect((await gql<{ patients: { totalCount: number } }>(gatewayUrl, patients)).data?.patients.totalCount).toEqual(expect.any(Number));

    // A crash of the patient service: the supervisor says so, starts another, and the hub answers again.
    process.kill(pids.patient, 'SIGKILL');
    const restarted = await until('the patient service restarted', 60_000, () => {
      for (const raw of output.split('\n')) {
        if (!raw.startsWith('{')) continue;
        const entry = JSON.parse(raw) as { event?: string; service?: string; pid?: number };
        if (entry.event === 'service_restarted' && entry.service === 'patient') return entry.pid;
      }
      return undefined;
    });
    expect(output).toMatch(/"event":"service_exited","service":"patient","pid":\d+,"code":null,"signal":"SIGKILL"/);
    expect(restarted).not.toBe(pids.patient);
    expect(parentOf(restarted)).toBe(supervisor.pid);
    expect(alive(pids.patient)).toBe(false);
    const answer = await until('the hub answering after the restart', 30_000, async () => {
      const response = await gql<{ patients: { totalCount: number } }>(gatewayUrl, patients).catch(() => undefined);
      return response?.data?.patients ? response : undefined;
    });
    expect(answer.errors).toBeUndefined();
    // The other services were not touched.
    for (const service of SERVICES.filter((s) => s !== 'patient')) expect(alive(pids[service])).toBe(true);

    // SIGTERM (what Ctrl-C or a process manager sends): every service stops, then the supervisor.
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    const all = [...Object.values(pids), restarted];
    await until('every service process gone', 5_000, () => (all.every((pid) => !alive(pid)) ? true : undefined));
    expect(all.filter(alive)).toEqual([]);
  }, 240_000);
});
