import { Writable } from 'node:stream';
import pino from 'pino';
import { startHub, type Hub } from '../scripts/hub';
import { bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/** The gateway's log lines, as JSON, for assertions. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

describe('every refused request is logged with its code', () => {
  let hub: Hub;
  const { log, lines } = capturingLogger();

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
  });

  afterAll(async () => {
    await hub?.close();
  });

  const refusals = () => lines.filter((l) => l.msg === 'request refused' || l.msg === 'caller refused');

  it.each([
    ['a deeply nested query', async () => gql(hub.gateway.url, `{ gene(symbol: "BRAF") { ${geneCycle(4)} } }`), 'MAX_DEPTH_EXCEEDED'],
    ['an alias bomb', async () => gql(hub.gateway.url, `{ ${Array.from({ length: 40 }, (_, i) => `g${i}: gene(symbol: "BRAF") { symbol }`).join(' ')} }`), 'MAX_ALIASES_EXCEEDED'],
    ['an unknown persisted-query hash', async () => postExtensions(hub.gateway.url, { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }), 'PERSISTED_QUERY_NOT_FOUND'],
    ['a researcher asking for a name', async () => gql(hub.gateway.url, `{ patients(first: 1) { edges { node { name } } } }`, {}, await bearer({ role: 'researcher' })), 'FORBIDDEN'],
    ['an expired token', async () => gql(hub.gateway.url, `{ __typename }`, {}, await bearer({ expiresIn: -10 })), 'TOKEN_EXPIRED'],
  ])('%s', async (_what, send, code) => {
    const before = refusals().length;
    const response = await send();
    expect(JSON.stringify(response)).toContain(code);
    const logged = refusals().slice(before);
    expect(logged).toEqual([expect.objectContaining(code === 'TOKEN_EXPIRED' ? { code } : { codes: expect.arrayContaining([code]) })]);
    expect(JSON.stringify(logged)).not.toContain('Bearer');
    expect((await gql(hub.gateway.url, `{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });
});

/** gene → drugs → interactions → gene …: three levels per turn (a real cycle of the supergraph). */
const geneCycle = (turns: number) => `${'drugs { interactions { gene { '.repeat(turns)}symbol${' } } }'.repeat(turns)}`;

async function postExtensions(url: string, extensions: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer()) },
    body: JSON.stringify({ extensions }),
  });
  return response.json();
}
