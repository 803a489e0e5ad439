import { randomInt, randomUUID } from 'node:crypto';
import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { startHub, type Hub } from '../scripts/hub';
import { bearer } from './support/auth';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/**
 * addObservation with an idempotency key (issue 20: behind HAProxy a request whose replica died mid-write
 * is re-sent, and a client retries after a timeout): the same key stores one reading and one event; the
 * same key with another reading is refused; no key, a new reading each time.
 */
const log = createLogger('test', 'silent');
const RUN = `OI${randomInt(1e5, 1e6 - 1)}`;
const ORG = `org-${RUN}`;
const ADD = `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { id code value unit originalValue originalUnit effectiveAt } }`;

describe('addObservation with an idempotency key', () => {
  let hub: Hub;
  let pool: Pool;
  let clinician: Record<string, string>;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    pool = createPool(TEST_DATABASE_URL, 2);
    clinician = await bearer({ role: 'clinician', org: ORG, sub: `dr-${RUN}` });
  });

  afterAll(async () => {
    await pool?.end();
    await hub?.close();
  });

  async function newPatient(): Promise<string> {
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Retry ${RUN}", birthDate: "1958-01-02", sex: FEMALE }) { id } }`, {}, clinician);
    return created.data!.createPatient.id;
  }
  const stored = async (patientId: string) =>
    (
      await pool.query<{ observations: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM patient.observations WHERE patient_id = $1) AS observations,
                (SELECT count(*)::int FROM patient.outbox WHERE patient_id = $1 AND topic = 'patient.observation.added') AS events`,
        [patientId],
      )
    ).rows[0]!;

  it('stores a reading sent three times with one key once, answers each with it, and announces it once', async () => {
    const patientId = await newPatient();
    const input = { code: '8480-6', value: 138, unit: 'mm[Hg]', idempotencyKey: randomUUID() };
    // Sequential retries and two sent at once (a client and a load balancer re-sending together).
    const first = await gql<{ addObservation: { id: string; effectiveAt: string } }>(hub.gateway.url, ADD, { id: patientId, input }, clinician);
    expect(first.errors).toBeUndefined();
    const again = await Promise.all([1, 2].map(() => gql<{ addObservation: { id: string; effectiveAt: string } }>(hub.gateway.url, ADD, { id: patientId, input }, clinician)));
    for (const response of again) expect(response).toEqual(first);
    expect(await stored(patientId)).toEqual({ observations: 1, events: 1 });
  });

  it('refuses the same key with another reading, and stores a new reading under a new key or none', async () => {
    const patientId = await newPatient();
    const key = randomUUID();
    const at = '2026-11-30T08:00:00Z';
    const first = await gql<{ addObservation: { id: string } }>(hub.gateway.url, ADD, { id: patientId, input: { code: '8480-6', value: 138, unit: 'mm[Hg]', effectiveAt: at, idempotencyKey: key } }, clinician);
    expect(first.errors).toBeUndefined();
    const other = await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '8480-6', value: 141, unit: 'mm[Hg]', effectiveAt: at, idempotencyKey: key } }, clinician);
    expect(other.data).toBeNull();
    expect(other.errors?.[0]).toMatchObject({
      message: `input.idempotencyKey "${key}" already stored observation ${first.data!.addObservation.id} for this patient with another value: use a new key for a new reading`,
      extensions: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    const later = await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '8480-6', value: 138, unit: 'mm[Hg]', effectiveAt: '2026-11-30T09:00:00Z', idempotencyKey: key } }, clinician);
    expect(later.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    // A key is one patient's: another patient's reading under it is a reading of its own.
    const otherPatient = await newPatient();
    const elsewhere = await gql(hub.gateway.url, ADD, { id: otherPatient, input: { code: '8480-6', value: 141, unit: 'mm[Hg]', effectiveAt: at, idempotencyKey: key } }, clinician);
    expect(elsewhere.errors).toBeUndefined();
    // Without a key, the same reading twice is two readings (a device may measure the same value twice).
    for (let i = 0; i < 2; i++) {
      expect((await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '8480-6', value: 138, unit: 'mm[Hg]', effectiveAt: at } }, clinician)).errors).toBeUndefined();
    }
    expect(await stored(patientId)).toEqual({ observations: 3, events: 3 });
    expect(await stored(otherPatient)).toEqual({ observations: 1, events: 1 });
  });

  it.each(['', 'a'.repeat(129), 'has space', 'quote"d', 'Observation/1'])('refuses the malformed key %j with BAD_USER_INPUT, storing nothing', async (key) => {
    const patientId = await newPatient();
    const response = await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '8480-6', value: 138, unit: 'mm[Hg]', idempotencyKey: key } }, clinician);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('input.idempotencyKey') });
    expect(await stored(patientId)).toEqual({ observations: 0, events: 0 });
  });
});
