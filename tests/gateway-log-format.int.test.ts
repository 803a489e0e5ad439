/**
 * One log format (issue 21 item 5): the gateway as `npm run start:gateway` runs it, its stdout read
 * line by line. The runtime's own logger goes through the service's pino logger, so a refused
 * request is one JSON line (the refusal, with its request id), never a second, multi-line one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { TEST_DATABASE_URL } from './support/config';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET, bearer } from './support/auth';

const REPO = path.join(__dirname, '..');
/** Subgraphs nobody listens on: refused requests never reach them. */
const NOWHERE = 'http://127.0.0.1:9/graphql';

interface RunningGateway {
  url: string;
  /** Every stdout line since the gateway said it was listening. */
  lines: string[];
  stderr: string[];
  stop(): Promise<void>;
}

function startGatewayProcess(env: Record<string, string>): Promise<RunningGateway> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', 'gateway/index.ts'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      DATABASE_URL: TEST_DATABASE_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      PATIENT_URL: NOWHERE,
      GENOMICS_URL: NOWHERE,
      KNOWLEDGE_GRAPH_URL: NOWHERE,
      INFERENCE_URL: NOWHERE,
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 60 s; stderr: ${stderr.join('\n')}`)), 60_000);
    let url: string | undefined;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (url) return void lines.push(line);
      const listening = /"url":"(http:[^"]+)".*"msg":"gateway listening"/.exec(line);
      if (!listening) return;
      url = listening[1]!;
      clearTimeout(timer);
      resolve({
        url,
        lines,
        stderr,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before listening; stderr: ${stderr.join('\n')}`)));
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

async function post(url: string, query: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.text() };
}

describe('the gateway’s log lines', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGatewayProcess({});
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  it('writes exactly one JSON line, with the request id, for a request refused for want of credentials', async () => {
    gateway.lines.splice(0);
    gateway.stderr.splice(0);
    const refused = await post(gateway.url, '{ __typename }', {});
    expect(refused.status).toBe(401);
    await settle();
    expect({ stdout: gateway.lines, stderr: gateway.stderr }).toEqual({ stdout: [expect.any(String)], stderr: [] });
    expect(JSON.parse(gateway.lines[0]!)).toEqual(
      expect.objectContaining({ level: 40, service: 'gateway', requestId: refused.requestId, code: 'UNAUTHENTICATED', msg: 'caller refused' }),
    );
  });

  it('writes exactly one JSON line, with the request id, for a clinician refused introspection', async () => {
    gateway.lines.splice(0);
    gateway.stderr.splice(0);
    const refused = await post(gateway.url, '{ __schema { queryType { name } } }', await bearer({ role: 'clinician', org: 'org-log', sub: 'dr-log' }));
    expect(refused.body).toContain('INTROSPECTION_DISABLED');
    await settle();
    expect({ stdout: gateway.lines, stderr: gateway.stderr }).toEqual({ stdout: [expect.any(String)], stderr: [] });
    expect(JSON.parse(gateway.lines[0]!)).toEqual(
      expect.objectContaining({ level: 40, service: 'gateway', requestId: refused.requestId, codes: ['INTROSPECTION_DISABLED'], msg: 'request refused' }),
    );
  });
});
