import { serverAudits, type AuditResult } from 'graphql-http';
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { bearer, defaultCredentials } from './support/auth';

/**
 * GraphQL over HTTP conformance (graphql-http's audits of the spec draft,
 * https://graphql.github.io/graphql-over-http/draft/) of the gateway as deployed: limits, auth,
 * error masking and production's introspection rule in place, audited with an admin's token (admins
 * may introspect; several audits send `__type`, gateway/introspection.ts). Every MUST passes, and so does every SHOULD and MAY today: each is
 * asserted, so a regression in a recommendation is seen too.
 */

const log = createLogger('test', 'silent');
let hub: Hub | undefined;
let url = '';

/** The audits' own requests, with the credentials every gateway request needs. */
const authenticatedFetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(await defaultCredentials())) headers.set(name, value);
  return fetch(input, { ...init, headers });
};

const audits = serverAudits({ url: () => url, fetchFn: authenticatedFetch });
const must = audits.filter((audit) => audit.name.startsWith('MUST'));
const optional = audits.filter((audit) => !audit.name.startsWith('MUST'));

/** What the audit found, with the response it judged when it failed (shown by jest on a mismatch). */
async function run(audit: (typeof audits)[number]) {
  const result: AuditResult = await audit.fn();
  if (result.status === 'ok') return { status: 'ok' };
  return { status: result.status, reason: result.reason, response: { status: result.response.status, body: await result.response.text() } };
}

beforeAll(async () => {
  // As deployed (NODE_ENV=production): introspection is off but for admins, and the audits run as one.
  const config = testConfig();
  hub = await startHub({ ...config, gatewayLimits: { ...config.gatewayLimits, introspection: false } }, testNeo4j(), log);
  url = hub.gateway.url;
});

afterAll(async () => {
  await hub?.close();
});

describe('the gateway audited', () => {
  it('runs as deployed: introspection refused to a clinician, so the audits pass because their caller is an admin', async () => {
    const clinician = await bearer({ role: 'clinician', org: 'org-audit', sub: 'dr-audit' });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...clinician }, body: JSON.stringify({ query: '{ __type(name: "Query") { name } }' }) });
    expect(((await response.json()) as { errors: { extensions: unknown }[] }).errors.map((e) => e.extensions)).toEqual([{ code: 'INTROSPECTION_DISABLED' }]);
  });
});

describe('GraphQL over HTTP: requirements', () => {
  it.each(must.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    expect(await run(audit)).toEqual({ status: 'ok' });
  });
});

describe('GraphQL over HTTP: recommendations', () => {
  it.each(optional.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    expect(await run(audit)).toEqual({ status: 'ok' });
  });
});
