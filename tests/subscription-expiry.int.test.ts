import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startHub, type Hub } from '../scripts/hub';
import type { Gateway } from '../gateway/server';
import { ApiKeyStore } from '../gateway/api-keys';
import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { bearerToken } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, settle } from './support/graphql';
import { gatewayOver } from './support/gateway';

/**
 * Issue 15, item 5: a graphql-ws connection at the gateway lives no longer than the credentials it
 * was opened with. graphql-ws's Forbidden (4403) closes it when its bearer token expires or its
 * partner API key is revoked.
 */

const log = createLogger('test', 'silent');
const TAG = randomBytes(4).toString('hex');
const RISK_UPDATED = `subscription ($id: ID!) { riskUpdated(patientId: $id) { patient { id } risk { cardiovascular { inputs { systolicBp } } } } }`;
const ADD_SYSTOLIC = `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "8480-6", value: $v, unit: "mm[Hg]" }) { id } }`;

interface Closed {
  code: number;
  reason: string;
  at: number;
}

/** A graphql-ws client presenting `connectionParams`, reporting how and when its socket closed. */
function watchedClient(url: string, connectionParams: Record<string, string>) {
  let onClosed: (closed: Closed) => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason), at: Date.now() });
      },
    },
    onNonLazyError: () => undefined,
  });
  return { client, closed, connected };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms).unref())]);
}

describe('graphql-ws connections end when their credentials do', () => {
  let hub: Hub;
  /** A gateway re-checking API keys every 200 ms instead of every 30 s. */
  let gateway: Gateway;
  let pool: Pool;

  beforeAll(async () => {
    const config = testConfig();
    hub = await startHub(config, testNeo4j(), log);
    gateway = await gatewayOver(hub, config, log, { databaseUrl: config.databaseUrl, credentialRecheckMs: 200 });
    pool = createPool(config.databaseUrl, 2);
  });

  // Closing took over 60 s in two full CI runs: the hub's notes consumer (a new group at the end of the
  // outbox all test files share) was reading notes another file had just ingested, and inference's close
  // waited for the whole record. It now stops at the next forward pass (tests/faults/shutdown-during-notes).
  afterAll(async () => {
    await pool?.end();
    await gateway?.close();
    await hub?.close();
  }, 180_000);

  it('delivers riskUpdated while the bearer token is valid, then closes the connection with 4403 when it expires', async () => {
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Expiry ${TAG}", birthDate: "1960-01-01", sex: MALE }) { id } }`);
    const id = created.data!.createPatient.id;
    const lifetimeSeconds = 6;
    const token = await bearerToken({ sub: `expiring-${TAG}`, expiresIn: lifetimeSeconds });
    const expiresAt = (Math.floor(Date.now() / 1000) + lifetimeSeconds) * 1000;
    const { client, closed } = watchedClient(hub.gateway.url, { authorization: `Bearer ${token}` });
    const subscription = collect<{ riskUpdated: unknown }>(client, RISK_UPDATED, { id });
    try {
      await settle(1000);
      await gql(hub.gateway.url, ADD_SYSTOLIC, { id, v: 131 });
      expect(await subscription.next(3000)).toEqual({ data: { riskUpdated: { patient: { id }, risk: { cardiovascular: { inputs: { systolicBp: 131 } } } } } });

      const end = await within(closed, lifetimeSeconds * 1000 + 3000, 'closing the connection at expiry');
      expect({ code: end.code, reason: end.reason }).toEqual({ code: 4403, reason: 'Forbidden: the bearer token expired' });
      expect(end.at).toBeGreaterThanOrEqual(expiresAt - 1000);

      // Nothing reaches the expired subscriber any more; its subscription ended with the close.
      await gql(hub.gateway.url, ADD_SYSTOLIC, { id, v: 142 });
      await settle(1500);
      expect(subscription.messages).toEqual([]);
      expect(subscription.failure).toEqual(expect.objectContaining({ code: 4403 }));
    } finally {
      subscription.dispose();
      await client.dispose();
    }
  });

  it('closes a partner’s connection with 4403 once its API key is revoked, and leaves other keys’ connections open', async () => {
    const store = new ApiKeyStore(pool);
    const revoked = await store.create({ client: `expiry-${TAG}`, contracts: [] });
    const kept = await store.create({ client: `expiry-kept-${TAG}`, contracts: [] });
    const doomed = watchedClient(gateway.url, { 'x-api-key': revoked.key });
    const other = watchedClient(gateway.url, { 'x-api-key': kept.key });
    try {
      await within(Promise.all([doomed.connected, other.connected]), 3000, 'connecting');
      await settle(500);
      const revokedAt = Date.now();
      await store.revoke(revoked.record.id);
      // Re-checked every 200 ms here (30 s in production): typically closed within ~0.5 s; a full CI run on two
      // busy cores once took over 3 s, so the bound is what proves the re-check ran, not its speed.
      const end = await within(doomed.closed, 10_000, 'closing the revoked key’s connection');
      expect({ code: end.code, reason: end.reason }).toEqual({ code: 4403, reason: 'Forbidden: the API key was revoked' });
      expect(end.at - revokedAt).toBeLessThan(10_000);
      await expect(within(other.closed, 1000, 'closing')).rejects.toThrow('closing did not happen within 1000 ms');
    } finally {
      await doomed.client.dispose();
      await other.client.dispose();
    }
  });
});
