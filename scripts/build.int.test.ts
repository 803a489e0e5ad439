import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { buildDist, buildInputs, ROOT } from './build';
import { TEST_DATABASE_URL } from '../tests/support/config';

// Inside the checkout, so the compiled code finds node_modules and the package root as dist/ does.
const OUT = path.join(ROOT, '.data', `build-test-${process.pid}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  port: number;
  output: string[];
}

/** `node --enable-source-maps <OUT>/<entry>.js` on a free port, with secrets given (nothing written to .data/auth). */
async function startCompiled(entry: string, portKey: string): Promise<Started> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(OUT, `${entry}.js`)], {
    cwd: OUT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: TEST_DATABASE_URL,
      HUB_INTERNAL_SECRET: 'build-test-internal-secret-0123456789abcdef',
      JWT_SECRET: 'build-test-jwt-secret-0123456789abcdef',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      [portKey]: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, port, output };
}

/** GET over node:http (what a probe does): status and body text. */
function get(port: number, pathname: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, timeout: 2000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body: Buffer.concat(chunks).toString() }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

/** Polls /health until 200, with its body (each service's names its checks). */
async function healthOf(service: Started, timeoutMs = 150_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`exited ${service.child.exitCode}:\n${service.output.join('')}`);
    try {
      const response = await get(service.port, '/health');
      if (response.status === 200) return { status: 200, body: response.body };
      last = `${response.status} ${response.body}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`no healthy /health within ${timeoutMs} ms (last: ${last}):\n${service.output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stop(service: Started): Promise<number | null> {
  if (service.child.exitCode !== null) return Promise.resolve(service.child.exitCode);
  return new Promise((resolve) => {
    service.child.once('exit', (code) => resolve(code));
    service.child.kill('SIGTERM');
  });
}

describe('npm run build', () => {
  beforeAll(async () => {
    await buildDist(OUT);
  }, 120_000);
  afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

  it('compiles every service, importer and CLI but no test, fixture or Neo4j launcher', () => {
    const { compiled } = buildInputs();
    for (const entry of ['gateway/index.ts', 'subgraphs/patient/index.ts', 'subgraphs/genomics/index.ts', 'subgraphs/knowledge-graph/index.ts', 'subgraphs/inference/index.ts', 'knowledge-graph/import.ts', 'scripts/ingest.ts', 'scripts/token.ts']) {
      expect(compiled).toContain(entry);
      expect(fs.existsSync(path.join(OUT, entry.replace(/\.ts$/, '.js')))).toBe(true);
      expect(fs.existsSync(path.join(OUT, entry.replace(/\.ts$/, '.js.map')))).toBe(true);
    }
    expect(compiled.filter((file) => /\.test\.ts$|fixtures\/|knowledge-graph\/launcher\//.test(file))).toEqual([]);
    expect(fs.existsSync(path.join(OUT, 'knowledge-graph', 'launcher'))).toBe(false);
  });

  it('puts what the code reads at run time beside it, and no source map where node-pg-migrate loads every file', () => {
    for (const file of ['schema/supergraph.graphql', 'schema/patient.graphql', 'subgraphs/inference/domain/data/cardiovascular-disease-codes.json', 'knowledge-graph/releases.json', 'dashboard/persisted-documents.json', 'dashboard/dist/index.html']) {
      expect(fs.existsSync(path.join(OUT, file))).toBe(true);
    }
    const migrationDirs = ['lib/audit-migrations', 'gateway/migrations', 'subgraphs/patient/migrations', 'subgraphs/genomics/migrations', 'subgraphs/inference/migrations'];
    for (const dir of migrationDirs) {
      const source = fs.readdirSync(path.join(ROOT, dir)).map((file) => file.replace(/\.ts$/, '.js')).sort();
      expect(fs.readdirSync(path.join(OUT, dir)).sort()).toEqual(source);
    }
  });

  it('starts the patient subgraph and the gateway from the compiled output: /health answers, SIGTERM exits 0', async () => {
    const patient = await startCompiled('subgraphs/patient/index', 'PATIENT_PORT');
    const gateway = await startCompiled('gateway/index', 'GATEWAY_PORT');
    try {
      expect(JSON.parse((await healthOf(patient)).body)).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
      expect(JSON.parse((await healthOf(gateway)).body)).toEqual({ status: 'ok', checks: { supergraph: 'ok' } });
      // The dashboard is served from the copy beside the compiled gateway.
      const dashboard = await get(gateway.port, '/dashboard/');
      expect(dashboard.status).toBe(200);
      expect(dashboard.type).toMatch(/^text\/html/);
    } finally {
      expect(await stop(patient)).toBe(0);
      expect(await stop(gateway)).toBe(0);
    }
    // Start-up runs every migration on the run's fresh database; the suite's load can make that slow.
  }, 360_000);
});
