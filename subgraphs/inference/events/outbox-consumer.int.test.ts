import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { PATIENT_MIGRATIONS } from '../../patient/server';
import { INFERENCE_MIGRATIONS } from '../server';
import { OutboxConsumer, type OutboxEvent } from './outbox-consumer';

const log = createLogger('test', 'silent');

describe('OutboxConsumer', () => {
  let pool: Pool;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    await migrate(TEST_DATABASE_URL, 'inference', INFERENCE_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL);
  });

  afterAll(async () => {
    await pool.end();
  });

  function consumerFor(group: string, seen: OutboxEvent[], patientId: string) {
    return new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      channel: `test_${group.replace(/-/g, '_')}`,
      handle: async (events) => {
        seen.push(...events.filter((e) => e.patientId === patientId));
      },
      log,
    });
  }

  /**
   * Drains until `done` holds: other test files' transactions may hold the snapshot horizon back for
   * a moment, which delays (never reorders or drops) what a batch may read.
   */
  async function drainUntil(consumers: OutboxConsumer[], done: () => boolean, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) {
      for (const consumer of consumers) await consumer.drainBatch();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const insertEvent = (client: { query: Pool['query'] }, patientId: string, n: number) =>
    client.query(`INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ('test.event', $1, $2)`, [patientId, { n }]);

  it('does not skip an event whose transaction commits after a later-numbered one', async () => {
    const patientId = randomUUID();
    const seen: OutboxEvent[] = [];
    const consumer = consumerFor(`group-${randomUUID()}`, seen, patientId);
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      await insertEvent(slow, patientId, 1); // takes the lower id, commits last
      await insertEvent(pool, patientId, 2); // takes the higher id, commits first

      await drainUntil([consumer], () => false, 500);
      expect(seen.map((e) => e.payload.n)).toEqual([]);

      await slow.query('COMMIT');
      await drainUntil([consumer], () => seen.length >= 2);
      expect(seen.map((e) => e.payload.n)).toEqual([1, 2]);
    } finally {
      slow.release();
    }
  });

  it('hands each event to one consumer of a group, and to every group', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const seenA: OutboxEvent[] = [];
    const seenB: OutboxEvent[] = [];
    const seenOtherGroup: OutboxEvent[] = [];
    const a = consumerFor(group, seenA, patientId);
    const b = consumerFor(group, seenB, patientId);
    const other = consumerFor(`group-${randomUUID()}`, seenOtherGroup, patientId);
    for (let n = 1; n <= 5; n++) await insertEvent(pool, patientId, n);

    await Promise.all([a.drainBatch(), b.drainBatch(), other.drainBatch()]);
    await drainUntil([a, b, other], () => seenA.length + seenB.length >= 5 && seenOtherGroup.length >= 5);
    await drainUntil([a, b], () => false, 300);

    expect([...seenA, ...seenB].map((e) => e.payload.n).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(seenOtherGroup.map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves the cursor where it was when the handler fails, so the event is read again', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    let fail = true;
    const seen: number[] = [];
    const consumer = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      channel: 'test_failing',
      handle: async (events) => {
        const mine = events.filter((e) => e.patientId === patientId);
        if (fail && mine.length) throw new Error('downstream unavailable');
        seen.push(...mine.map((e) => e.payload.n as number));
      },
      log,
    });
    await insertEvent(pool, patientId, 7);
    let failure: unknown;
    const deadline = Date.now() + 5000;
    while (!failure && Date.now() < deadline) failure = await consumer.drainBatch().then(() => undefined, (error: unknown) => error);
    expect((failure as Error).message).toBe('downstream unavailable');
    fail = false;
    await drainUntil([consumer], () => seen.length > 0);
    await drainUntil([consumer], () => false, 300);
    expect(seen).toEqual([7]);
  });

  it('starts a new group at the end of the outbox when asked, and from then on misses nothing', async () => {
    const patientId = randomUUID();
    await insertEvent(pool, patientId, 1);
    const seen: OutboxEvent[] = [];
    const consumer = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: `group-${randomUUID()}`,
      source: 'patient.outbox',
      channel: 'test_start_at_end',
      handle: async (events) => {
        seen.push(...events.filter((e) => e.patientId === patientId));
      },
      startAt: 'end',
      log,
    });
    await consumer.start();
    try {
      await drainUntil([consumer], () => false, 300);
      expect(seen).toEqual([]);
      await insertEvent(pool, patientId, 2);
      await drainUntil([consumer], () => seen.length > 0);
      expect(seen.map((e) => e.payload.n)).toEqual([2]);
    } finally {
      await consumer.stop();
    }
  });
});
