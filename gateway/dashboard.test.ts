import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { withDashboard } from './dashboard';

describe('the dashboard route on the gateway', () => {
  let dist: string;
  let outside: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-dashboard-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, '.source-hash'), 'secret-ish');
    // A file beside the folder: no path may reach it.
    outside = `${dist}-outside.txt`;
    fs.writeFileSync(outside, 'outside');
    server = http.createServer(withDashboard((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('runtime'), dist));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dist, { recursive: true, force: true });
    fs.rmSync(outside, { force: true });
  });

  const get = async (pathname: string, init?: RequestInit) => {
    const response = await fetch(`${base}${pathname}`, { redirect: 'manual', ...init });
    return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), csp: response.headers.get('content-security-policy'), body: await response.text() };
  };

  it('serves hashed assets for a year and index.html fresh, with a same-origin content security policy', async () => {
    expect(await get('/dashboard/assets/main-abc123.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable', body: 'console.log(1)' });
    const index = await get('/dashboard/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache', body: '<!doctype html><title>app</title>' });
    expect(index.csp).toContain("script-src 'self'");
  });

  it('answers app routes with index.html, so a reload of /dashboard/patients/<id> works', async () => {
    expect(await get('/dashboard/patients/abc?x=1')).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    expect(await get('/dashboard')).toMatchObject({ status: 308 });
  });

  it('refuses missing assets, dot files, paths out of the folder and writes', async () => {
    expect(await get('/dashboard/assets/gone-000.js')).toMatchObject({ status: 404 });
    expect((await get('/dashboard/.source-hash')).body).toBe('<!doctype html><title>app</title>');
    const name = path.basename(outside);
    expect((await get(`/dashboard/..%2F${name}`)).body).not.toBe('outside');
    expect((await get(`/dashboard/%2e%2e/${name}`)).body).not.toBe('outside');
    expect((await get(`/dashboard/assets/..%2F..%2F${name}`)).body).not.toBe('outside');
    expect(await get('/dashboard/', { method: 'POST' })).toMatchObject({ status: 405 });
  });

  it('leaves every other path to the GraphQL runtime', async () => {
    expect(await get('/graphql')).toMatchObject({ status: 200, body: 'runtime' });
    expect(await get('/dashboards')).toMatchObject({ status: 200, body: 'runtime' });
  });
});
