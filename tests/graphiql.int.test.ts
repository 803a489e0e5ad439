/**
 * The gateway's bundled GraphiQL in a real browser (Debian's chromium driven by playwright-core) on a
 * hub in production mode (introspection for admins only): signing in with a pasted token loads the
 * schema (docs and completion), runs an operation, and opens graphql-ws with the same credential.
 * Screenshots go to test-output/graphiql/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page, type Request as PageRequest } from 'playwright-core';
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { GRAPHIQL_CREDENTIAL_KEY } from '../gateway/graphiql-sign-in';
import { testConfig, testNeo4j } from './support/config';
import { bearerToken } from './support/auth';
import { gql } from './support/graphql';

const log = createLogger('test', 'silent');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', 'test-output', 'graphiql');

/** Waits until `condition` holds, checking every 100 ms; fails after `ms`. */
async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GraphiQL in a browser', () => {
  let hub: Hub;
  let browser: Browser;
  let endpoint: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const config = testConfig();
    [hub, browser] = await Promise.all([
      startHub({ ...config, gatewayLimits: { ...config.gatewayLimits, introspection: false } }, testNeo4j(), log),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    endpoint = hub.gateway.url;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function open(url = endpoint): Promise<{ page: Page; posts: PageRequest[]; offOrigin: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const posts: PageRequest[] = [];
    const offOrigin: string[] = [];
    page.on('request', (request) => {
      const target = new URL(request.url());
      if (!['blob:', 'data:'].includes(target.protocol) && target.origin !== new URL(endpoint).origin) offOrigin.push(request.url());
      if (request.method() === 'POST' && target.pathname === '/graphql') posts.push(request);
    });
    await page.goto(url);
    return { page, posts, offOrigin };
  }

  async function signIn(page: Page, token: string, posts: PageRequest[] = []) {
    posts.splice(0);
    await page.getByLabel('Bearer token or API key').fill(`Bearer ${token}`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  it('asks for a token, then shows the schema in the docs, runs the first tab (titled by its operation) and completes field names', async () => {
    const { page, posts, offOrigin } = await open();
    try {
      await page.getByLabel('Bearer token or API key').waitFor({ timeout: 30_000 });
      await expect(page.title()).resolves.toBe('Precision Hub — clinical decision support, not a medical device');
      // Signed out, nothing goes to the gateway: the result pane says what to do, not UNAUTHENTICATED.
      await page.getByRole('button', { name: /Execute query/ }).click();
      await page.locator('.result-window').getByText('Not signed in: paste a bearer token').waitFor({ timeout: 30_000 });
      expect(posts).toEqual([]);
      const token = await bearerToken({ role: 'admin', sub: 'graphiql-admin' });
      await signIn(page, token, posts);
      await expect(page.getByTestId('hub-signed-in').textContent()).resolves.toMatch(/^Signed in as graphiql-admin \(admin\) until /);
      // Kept for this tab only, without the pasted "Bearer " prefix.
      await expect(page.evaluate((key) => sessionStorage.getItem(key), GRAPHIQL_CREDENTIAL_KEY)).resolves.toBe(token);

      // The schema fetch (introspection) carried the token and the docs explorer lists the hub's types.
      await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Query', { exact: true }).first().waitFor({ timeout: 30_000 });
      await docs.getByText('Query', { exact: true }).first().click();
      await docs.getByText('patients', { exact: true }).first().waitFor({ timeout: 10_000 });
      const introspection = posts.find((request) => String(request.postDataJSON()?.query).includes('__schema'));
      expect(introspection?.headers().authorization).toBe(`Bearer ${token}`);

      // The tabs are named after their operations, not a word of a comment, and signing in (a reload) added none.
      const tabs = await page.locator('.graphiql-tab').allTextContents();
      expect(tabs).toEqual([expect.stringContaining('FindPatients'), expect.stringContaining('CardiovascularRisk')]);
      // Other test files add patients to the shared database meanwhile: the hub's count before and after bound GraphiQL's.
      const count = async () => (await gql<{ patients: { totalCount: number } }>(endpoint, '{ patients(first: 1) { totalCount } }')).data!.patients.totalCount;
      const before = await count();
      const answered = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().postDataJSON()?.operationName === 'FindPatients');
      await page.getByRole('button', { name: /Execute query/ }).click();
      const body = await (await answered).json();
      const after = await count();
      expect(body).toEqual({ data: { patients: { totalCount: expect.any(Number), edges: expect.any(Array) } } });
      expect(body.data.patients.totalCount).toBeGreaterThanOrEqual(Math.min(before, after));
      expect(body.data.patients.totalCount).toBeLessThanOrEqual(Math.max(before, after));
      // The result pane shows that answer. Monaco renders only the lines in view (the edges of a database
      // other test files fill run past it) and spaces as no-break spaces, so look for the first lines.
      const result = page.locator('.result-window');
      await result.getByText('"totalCount"').waitFor({ timeout: 30_000 });
      const shown = (await result.textContent())!.replace(/\u00a0/g, ' ');
      expect(shown).toContain(`"totalCount": ${body.data.patients.totalCount}`);
      const run = posts.find((request) => request.postDataJSON()?.operationName === 'FindPatients');
      expect(run?.headers().authorization).toBe(`Bearer ${token}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'signed-in.png') });

      // Completion knows the schema: "{ patie" and Ctrl-Space offer the Query fields patient and patients.
      await page.locator('.graphiql-query-editor .monaco-editor').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type('{ patie');
      await page.keyboard.press('Control+Space');
      const suggestions = page.locator('.suggest-widget .monaco-list-row');
      await suggestions.first().waitFor({ timeout: 15_000 });
      const offered = await suggestions.allTextContents();
      expect(offered.some((text) => text.startsWith('patients'))).toBe(true);
      expect(offered.some((text) => text.startsWith('patient'))).toBe(true);

      // Signing out forgets the token.
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
      await expect(page.evaluate((key) => sessionStorage.getItem(key), GRAPHIQL_CREDENTIAL_KEY)).resolves.toBeNull();
      await page.getByLabel('Bearer token or API key').waitFor();
      // Everything the page loaded came from the gateway itself (no CDN).
      expect(offOrigin).toEqual([]);
    } finally {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'last.png') });
      await page.context().close();
    }
  }, 120_000);

  it('sends the token as graphql-ws connection parameters for a subscription', async () => {
    const subscription = 'subscription RiskUpdates { riskUpdated(patientId: "00000000-0000-4000-8000-000000000000") { risk { cardiovascular { pce10y } } } }';
    const { page } = await open(`${endpoint}?query=${encodeURIComponent(subscription)}`);
    try {
      const token = await bearerToken({ role: 'admin', sub: 'graphiql-admin' });
      await signIn(page, token);
      await page.getByTestId('hub-signed-in').waitFor({ timeout: 30_000 });
      const sent: unknown[] = [];
      const received: unknown[] = [];
      page.on('websocket', (socket) => {
        socket.on('framesent', (frame) => sent.push(JSON.parse(String(frame.payload))));
        socket.on('framereceived', (frame) => received.push(JSON.parse(String(frame.payload))));
      });
      await page.getByRole('button', { name: /Execute query/ }).waitFor({ timeout: 30_000 });
      // The query from the URL is in the active editor (GraphiQL may put it in a new tab titled RiskUpdates
      // or into the active one, depending on when its stored tabs load).
      await page.locator('.graphiql-query-editor').getByText('RiskUpdates').first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: /Execute query/ }).click();
      const types = (messages: unknown[]) => messages.map((m) => (m as { type: string }).type);
      await eventually(() => types(received).includes('connection_ack'), 15_000, 'connection_ack');
      expect(sent[0]).toEqual({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      await eventually(() => types(sent).includes('subscribe'), 15_000, 'subscribe sent');
      // The subscription was accepted (no error message came back for it).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(received.filter((m) => (m as { type: string }).type === 'error')).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});
