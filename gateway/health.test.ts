import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { supergraphHealth, withHealth } from './health';

/** Serves `withHealth` in front of a handler that answers 418, and fetches `path`. */
async function ask(check: () => unknown, path: string, method = 'GET'): Promise<{ status: number; type: string | null; body: string }> {
  const server = http.createServer(withHealth((_req, res) => res.writeHead(418).end('runtime'), supergraphHealth({ getSchema: check })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { method });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("the gateway's /health", () => {
  it('answers 200 with a JSON body naming its checks, as the subgraphs do', async () => {
    expect(await ask(async () => ({}), '/health')).toEqual({ status: 200, type: 'application/json', body: '{"status":"ok","checks":{"supergraph":"ok"}}' });
    expect(await ask(async () => ({}), '/health?probe=1', 'HEAD')).toEqual({ status: 200, type: 'application/json', body: '' });
  });

  it('answers 503 degraded, with the reason, when the supergraph cannot be had', async () => {
    const answer = await ask(async () => {
      throw new Error('supergraph.graphql: no such file');
    }, '/health');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ status: 'degraded', checks: { supergraph: 'supergraph.graphql: no such file' } });
  });

  it('leaves every other path and method to the runtime', async () => {
    expect((await ask(async () => ({}), '/graphql')).status).toBe(418);
    expect((await ask(async () => ({}), '/healthz')).status).toBe(418);
    expect((await ask(async () => ({}), '/health', 'POST')).status).toBe(418);
  });
});
