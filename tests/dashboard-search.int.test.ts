/**
 * Patient search (issue 21) through a running hub: the gateway scopes it to the clinician's
 * organisation and audits every patient it lists; the dashboard's home page (Debian's chromium driven
 * by playwright-core) finds a patient by name, opens the one chosen with the keyboard, and lists it
 * among this browser's recent patients afterwards. Screenshots go to test-output/dashboard/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHub, type Hub } from '../scripts/hub';
import { ensureDashboardBuild } from '../scripts/dashboard-build';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { bearer, bearerToken } from './support/auth';
import { gql } from './support/graphql';

const log = createLogger('test', 'silent');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', 'test-output', 'dashboard');
const TAG = Math.random().toString(36).slice(2, 8);
const ORG = `org-search-${TAG}`;
const OTHER_ORG = `org-search-other-${TAG}`;
const clinician = { role: 'clinician', org: ORG, sub: `dr-search-${TAG}`, azp: 'ward-app' };

const SEARCH = `query WardSearch($filter: PatientFilter!) { patients(filter: $filter, first: 10) { edges { node { id name } } } }`;
const TRAIL = `query ($id: ID!) { auditTrail(patientId: $id) { subject role patientId fields operation } }`;

describe('patient search through the gateway and on the dashboard home page', () => {
  let hub: Hub;
  let browser: Browser;
  let origin: string;
  const ids: Record<string, string> = {};
  let otherOrgsMuller: string;
  const pageErrors: string[] = [];

  async function createPatient(name: string, organization: string, birthDate = '1958-03-02'): Promise<string> {
    const created = await gql<{ createPatient: { id: string } }>(
      hub.gateway.url,
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
      { input: { name, birthDate, sex: 'FEMALE', organization, identifiers: [{ system: 'urn:test:mrn', value: `S-${TAG}-${Object.keys(ids).length}` }] } },
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createPatient.id;
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    [hub, browser] = await Promise.all([
      ensureDashboardBuild().then(() => startHub(testConfig(), testNeo4j(), log)),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    origin = hub.gateway.url.replace(/\/graphql$/, '');
    for (const name of ['Anna Müller', 'Jörg Mueller', 'Bernd Muller']) ids[name] = await createPatient(name, ORG);
    otherOrgsMuller = await createPatient('Anna Müller', OTHER_ORG);
  }, 120_000);

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it("lists only the clinician's organisation's patients and audits each one listed, with the filter it matched", async () => {
    const found = await gql<{ patients: { edges: { node: { id: string; name: string } }[] } }>(hub.gateway.url, SEARCH, { filter: { name: 'anna müll' } }, await bearer(clinician));
    expect(found).toEqual({ data: { patients: { edges: [{ node: { id: ids['Anna Müller'], name: 'Anna Müller' } }] } } });

    const admin = await bearer({ role: 'admin', sub: 'auditor' });
    const trail = await gql<{ auditTrail: unknown[] }>(hub.gateway.url, TRAIL, { id: ids['Anna Müller'] }, admin);
    expect(trail.data!.auditTrail).toContainEqual({
      subject: clinician.sub,
      role: 'clinician',
      patientId: ids['Anna Müller'],
      fields: ['Patient.name', 'PatientFilter.name'],
      operation: 'WardSearch',
    });
    // The other organisation's Anna Müller was neither listed nor read.
    const untouched = await gql<{ auditTrail: { subject: string }[] }>(hub.gateway.url, TRAIL, { id: otherOrgsMuller }, admin);
    expect(untouched.data!.auditTrail.filter((r) => r.subject === clinician.sub)).toEqual([]);
  });

  it('audits a search that selects ids only: the listing itself tells the name', async () => {
    const query = `query IdsOnly($filter: PatientFilter!) { patients(filter: $filter) { edges { node { id } } } }`;
    const found = await gql(hub.gateway.url, query, { filter: { name: 'bernd', birthDate: '1958-03-02' } }, await bearer(clinician));
    expect(found.errors).toBeUndefined();
    const trail = await gql<{ auditTrail: unknown[] }>(hub.gateway.url, TRAIL, { id: ids['Bernd Muller'] }, await bearer({ role: 'admin', sub: 'auditor' }));
    expect(trail.data!.auditTrail).toContainEqual({
      subject: clinician.sub,
      role: 'clinician',
      patientId: ids['Bernd Muller'],
      fields: ['PatientFilter.birthDate', 'PatientFilter.name'],
      operation: 'IdsOnly',
    });
  });

  it('refuses researchers the search (no identified reads) and names the field of a malformed filter', async () => {
    const researcher = await gql(hub.gateway.url, SEARCH, { filter: { name: 'anna' } }, await bearer({ role: 'researcher', sub: 'r' }));
    expect(researcher.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const malformed = await gql(hub.gateway.url, SEARCH, { filter: { birthDate: '1958-02-30' } }, await bearer(clinician));
    expect(malformed.errors?.[0]).toMatchObject({ message: 'filter.birthDate: "1958-02-30" is not a date YYYY-MM-DD', extensions: { code: 'BAD_USER_INPUT', field: 'filter.birthDate' } });
  });

  async function open(pathAndQuery: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/dashboard${pathAndQuery}#token=${await bearerToken(clinician)}`);
    return page;
  }

  it('finds patients as the clinician types, opens the one chosen with the arrow keys and Enter, and lists it as recent afterwards', async () => {
    const page = await open('/');
    try {
      const box = page.getByRole('combobox', { name: 'Find a patient' });
      await box.pressSequentially('müll', { delay: 30 });
      const options = page.getByRole('option');
      await page.waitForFunction(() => document.querySelectorAll('[role="option"]').length === 3, undefined, { timeout: 15_000 });
      const names = await options.locator('.name').allTextContents();
      expect([...names].sort()).toEqual(['Anna Müller', 'Bernd Muller', 'Jörg Mueller']);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'home-search.png'), fullPage: true });

      // Down, down, up, down: the second result, marked as the active option of the combobox.
      for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowDown']) await box.press(key);
      await expect(box.getAttribute('aria-activedescendant')).resolves.toBe('patient-search-result-1');
      await expect(options.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
      const chosen = names[1]!;
      await box.press('Enter');
      await page.waitForURL(`${origin}/dashboard/patients/${ids[chosen]}`, { timeout: 15_000 });
      await page.getByTestId('patient-name').filter({ hasText: chosen }).waitFor({ timeout: 15_000 });

      await page.goto(`${origin}/dashboard/`);
      const recent = page.getByTestId('recent-patients');
      await recent.waitFor({ timeout: 15_000 });
      await expect(recent.getByRole('link').allTextContents()).resolves.toEqual([chosen]);
      // Only the hub id and the name are kept in this browser.
      const stored = await page.evaluate((key) => localStorage.getItem(key), `precision-hub.recent-patients:${clinician.sub}`);
      expect(JSON.parse(stored!)).toEqual([{ id: ids[chosen], name: chosen }]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'home-recent.png'), fullPage: true });

      await recent.getByRole('link', { name: chosen }).click();
      await page.waitForURL(`${origin}/dashboard/patients/${ids[chosen]}`, { timeout: 15_000 });
      await page.goto(`${origin}/dashboard/`);
      await page.getByTestId('recent-patients').getByRole('button', { name: 'Clear' }).click();
      await expect(page.getByTestId('recent-patients').count()).resolves.toBe(0);
      await expect(page.evaluate((key) => localStorage.getItem(key), `precision-hub.recent-patients:${clinician.sub}`)).resolves.toBeNull();
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('still opens a patient by hub id, and says so when nothing matches a search', async () => {
    const page = await open('/');
    try {
      await page.getByRole('combobox', { name: 'Find a patient' }).fill(`nobody${TAG}`);
      await page.getByTestId('search-empty').waitFor({ timeout: 15_000 });
      await page.getByLabel('Patient hub id').fill(ids['Jörg Mueller']!);
      await page.getByRole('button', { name: 'Open Patient 360' }).click();
      await page.waitForURL(`${origin}/dashboard/patients/${ids['Jörg Mueller']}`, { timeout: 15_000 });
      await page.getByTestId('patient-name').filter({ hasText: 'Jörg Mueller' }).waitFor({ timeout: 15_000 });
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
