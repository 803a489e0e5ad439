/**
 * Start time and memory of each service run by tsx (what `npm run start:<service>` does) and compiled
 * (`node --enable-source-maps dist/<service>/index.js`, `npm run start:<service>:prod`), in one run:
 *
 *   npx tsx bench/service-start.bench.ts [--rounds 3] [--tsc 1]
 *
 * It builds dist/ first (and, with --tsc 1, times `tsc -p tsconfig.build.json` emitting to a temporary
 * folder, the alternative esbuild was chosen over). One embedded Neo4j and one database serve every
 * start; a warm-up start of each service runs the migrations first, so no measured start migrates.
 * Rounds alternate tsx and dist. "start" is from spawn to the first 200 from the service's /health;
 * RSS is the resident memory of the service's process tree then (tsx's CLI is a parent process that
 * runs the service in a child node: both count, as both run in production under tsx); "stop" is
 * from SIGTERM to exit. Medians of the rounds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { numberOption } from './options';
import { buildDist, DIST, ROOT } from '../scripts/build';
import { startEmbeddedNeo4j } from '../knowledge-graph/neo4j-launcher';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { ensureDatabase } from '../lib/postgres';
import { createLogger } from '../lib/logger';

interface ServiceUnderTest {
  name: string;
  entry: string;
  portKey: string;
}

const SERVICES: ServiceUnderTest[] = [
  { name: 'gateway', entry: 'gateway/index', portKey: 'GATEWAY_PORT' },
  { name: 'patient', entry: 'subgraphs/patient/index', portKey: 'PATIENT_PORT' },
  { name: 'genomics', entry: 'subgraphs/genomics/index', portKey: 'GENOMICS_PORT' },
  { name: 'knowledge-graph', entry: 'subgraphs/knowledge-graph/index', portKey: 'KNOWLEDGE_GRAPH_PORT' },
  { name: 'inference', entry: 'subgraphs/inference/index', portKey: 'INFERENCE_PORT' },
];

type Mode = 'tsx' | 'dist';
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const START_TIMEOUT_MS = 120_000;

interface Sample {
  startMs: number;
  rssMb: number;
  stopMs: number;
}

function command(mode: Mode, service: ServiceUnderTest): string[] {
  return mode === 'tsx' ? [TSX_CLI, path.join(ROOT, `${service.entry}.ts`)] : ['--enable-source-maps', path.join(DIST, `${service.entry}.js`)];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function treeRssKb(pid: number): number {
  let total = 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) total += treeRssKb(Number(child));
    }
  } catch {
    // The process left between listing and reading: it holds no memory any more.
  }
  return total;
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startOnce(mode: Mode, service: ServiceUnderTest, env: NodeJS.ProcessEnv): Promise<Sample> {
  const port = await freePort();
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, command(mode, service), {
    cwd: ROOT,
    env: { ...env, [service.portKey]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`${service.name} (${mode}) exited ${child.exitCode}:\n${output.join('')}`);
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`${service.name} (${mode}) not healthy after ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const startMs = performance.now() - started;
    const rssMb = treeRssKb(child.pid!) / 1024;
    const stopping = performance.now();
    child.kill('SIGTERM');
    await exited(child);
    return { startMs, rssMb, stopMs: performance.now() - stopping };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const rounds = numberOption('rounds', 3);
  const build = await buildDist();
  console.log(`npm run build (esbuild): ${build.compiled} files compiled, ${build.copied} copied in ${build.seconds.toFixed(1)} s`);
  if (numberOption('tsc', 1) === 1) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-tsc-'));
    const started = performance.now();
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out], { encoding: 'utf8' });
    console.log(`tsc -p tsconfig.build.json (emit, for comparison): exit ${tsc.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    fs.rmSync(out, { recursive: true, force: true });
  }

  const neo4jDir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-bench-neo4j-'));
  const neo4j = await startEmbeddedNeo4j({ dataDir: neo4jDir });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench_start';
  const env: NodeJS.ProcessEnv = { ...process.env, NEO4J_URI: neo4j.uri, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', INFERENCE_CONSUME_EVENTS: 'false' };
  try {
    await ensureDatabase(databaseUrl);
    const store = await ensureKnowledgeGraph({ uri: neo4j.uri, user: undefined, password: undefined, dataDir: '', boltPort: 0 }, createLogger('bench', 'silent'));
    await store.close();
    const rows: string[] = [];
    for (const service of SERVICES) {
      await startOnce('dist', service, env); // warm-up: migrations, file cache
      const samples: Record<Mode, Sample[]> = { tsx: [], dist: [] };
      for (let round = 0; round < rounds; round++) {
        for (const mode of round % 2 === 0 ? (['tsx', 'dist'] as const) : (['dist', 'tsx'] as const)) {
          samples[mode].push(await startOnce(mode, service, env));
        }
      }
      const m = (mode: Mode, key: keyof Sample) => median(samples[mode].map((s) => s[key]));
      rows.push(
        `| ${service.name} | ${m('tsx', 'startMs').toFixed(0)} | ${m('dist', 'startMs').toFixed(0)} | ${(m('dist', 'startMs') / m('tsx', 'startMs')).toFixed(2)} | ` +
          `${m('tsx', 'rssMb').toFixed(0)} | ${m('dist', 'rssMb').toFixed(0)} | ${(m('dist', 'rssMb') / m('tsx', 'rssMb')).toFixed(2)} | ` +
          `${m('tsx', 'stopMs').toFixed(0)} | ${m('dist', 'stopMs').toFixed(0)} |`,
      );
      console.error(`${service.name} done`);
    }
    console.log(`\nservice start, ${rounds} rounds (medians), ${os.cpus().length} cores, node ${process.version}`);
    console.log('| service | start tsx (ms) | start dist (ms) | dist/tsx | RSS tsx (MB) | RSS dist (MB) | dist/tsx | stop tsx (ms) | stop dist (ms) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) console.log(row);
  } finally {
    await neo4j.stop();
    fs.rmSync(neo4jDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
