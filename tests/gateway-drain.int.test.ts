import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort } from '../scripts/supervisor';
import { TEST_DATABASE_URL } from './support/config';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET, bearer } from './support/auth';

/**
 * A gateway process told to stop (SIGTERM: a rolling restart, a scale-down) finishes the requests it
 * is serving before it exits. The replica test (deploy/local/replicas-test.ts) saw requests under way
 * answered `SHUTTING_DOWN` instead: the Hive runtime disposed itself on SIGTERM at once
 * (@whatwg-node/server's terminate handler), before lib/lifecycle.ts could drain the HTTP server.
 */
const ROOT = path.resolve(__dirname, '..');
const SUBGRAPH_DELAY_MS = 2_000;

describe('gateway process on SIGTERM', () => {
  it('answers a request under way in full, then exits 0', async () => {
    // A knowledge-graph stand-in that answers slowly: the request is in flight when SIGTERM arrives.
    let reached!: () => void;
    const subgraphReached = new Promise<void>((resolve) => (reached = resolve));
    const slow = http.createServer((req, res) => {
      req.resume();
      reached();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { gene: { symbol: 'BRAF' } } }));
      }, SUBGRAPH_DELAY_MS);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    const port = await freePort();
    const gateway = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'gateway/index.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
        JWT_SECRET: TEST_JWT_SECRET,
        PORT: String(port),
        PATIENT_URL: slowUrl,
        GENOMICS_URL: slowUrl,
        KNOWLEDGE_GRAPH_URL: slowUrl,
        INFERENCE_URL: slowUrl,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    gateway.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
        if (ok) break;
        if (gateway.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not start:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const response = fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await bearer()) },
        body: JSON.stringify({ query: '{ gene(symbol: "BRAF") { symbol } }' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
      await subgraphReached;
      gateway.kill('SIGTERM');
      expect(await response).toEqual({ status: 200, body: { data: { gene: { symbol: 'BRAF' } } } });
      expect(await exited).toBe(0);
    } finally {
      if (gateway.exitCode === null) gateway.kill('SIGKILL');
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  }, 120_000);
});
