import { serverAudits, type AuditResult } from 'graphql-http';
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { defaultCredentials } from './support/auth';

/**
 * GraphQL over HTTP conformance (graphql-http's audits of the spec draft,
 * https://graphql.github.io/graphql-over-http/draft/) of the gateway as deployed: limits, auth and
 * error masking in place. Every MUST passes, and so does every SHOULD and MAY today: each is
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
  hub = await startHub(testConfig(), testNeo4j(), log);
  url = hub.gateway.url;
});

afterAll(async () => {
  await hub?.close();
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
