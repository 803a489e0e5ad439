import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { ownDatabase, type OwnDatabase } from '../../../tests/support/own-database';
import { PATIENT_MIGRATIONS } from '../../patient/server';
import { INFERENCE_MIGRATIONS } from '../server';
import { announce, PatientTopic } from '../../../lib/contracts/events';
import { DeadLetterRepository } from './dead-letters';
import { OutboxConsumer, PatientHandlingFailures, type OutboxConsumerOptions, type OutboxEvent } from './outbox-consumer';

const log = createLogger('test', 'silent');

describe('OutboxConsumer', () => {
  let pool: Pool;
  // A database of this file's own: its consumers are new groups that read the outbox from the
  // beginning, and in the run's shared database that is every other file's events as well, written
  // and committed while these tests count what was handled (in a full CI run the counts came out
  // doubled, once, and never alone or beside the event and fault tests).
  let database: OwnDatabase;
  let TEST_DATABASE_URL: string;

  beforeAll(async () => {
    database = await ownDatabase('outbox_consumer');
    TEST_DATABASE_URL = database.url;
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    await migrate(TEST_DATABASE_URL, 'inference', INFERENCE_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL);
  });

  afterAll(async () => {
    await pool.end();
    await database?.drop();
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
      for (const consumer of consumers) {
        await consumer.drainBatch();
        await consumer.retryDue();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A consumer of `group` on patient.outbox with this handler (and any other option). */
  const consumerWith = (group: string, handle: OutboxConsumerOptions['handle'], options: Partial<OutboxConsumerOptions> = {}) =>
    new OutboxConsumer({ databaseUrl: TEST_DATABASE_URL, pool, consumer: group, source: 'patient.outbox', handle, log, ...options });

  /** A point a test waits for (`reached`) and another part of it signals (`arrive`). */
  function moment(): { reached: Promise<void>; arrive: () => void } {
    let arrive!: () => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    return { reached, arrive };
  }

  /** An event as the patient subgraph writes it (its contract allows extra fields: `n` numbers them here). */
  const insertEvent = (client: { query: Pool['query'] }, patientId: string, n: number) =>
    client.query(`INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`, [
      PatientTopic.OBSERVATION_ADDED,
      patientId,
      { observationId: randomUUID(), code: '8480-6', n },
    ]);
  const numberOf = (event: OutboxEvent) => (event.payload as { n?: number }).n;

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
      expect(seen.map((e) => numberOf(e))).toEqual([]);

      await slow.query('COMMIT');
      await drainUntil([consumer], () => seen.length >= 2);
      expect(seen.map((e) => numberOf(e))).toEqual([1, 2]);
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

    expect([...seenA, ...seenB].map((e) => numberOf(e)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(seenOtherGroup.map((e) => numberOf(e))).toEqual([1, 2, 3, 4, 5]);
  });

  it('hands each event over once when five replicas of a group claim at the same moments', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const seen: OutboxEvent[][] = Array.from({ length: 5 }, () => []);
    const replicas = seen.map((list) =>
      consumerWith(
        group,
        async (events) => {
          list.push(...events.filter((e) => e.patientId === patientId));
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
        { batchSize: 3 },
      ),
    );
    for (let n = 1; n <= 30; n++) await insertEvent(pool, patientId, n);
    const deadline = Date.now() + 10_000;
    while (seen.flat().length < 30 && Date.now() < deadline) await Promise.all(replicas.map((r) => r.drainBatch()));
    await Promise.all(replicas.map((r) => r.drainBatch()));

    expect(seen.flat().map(numberOf).sort((x, y) => x! - y!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // More than one replica took part: the claims did meet.
    expect(seen.filter((list) => list.length > 0).length).toBeGreaterThan(1);
  });

  it('starts a new group at the end of the outbox when asked, and from then on misses nothing', async () => {
    const patientId = randomUUID();
    await insertEvent(pool, patientId, 1);
    // "The end" is the newest event no running transaction can precede: wait until other test files'
    // transactions that began before event 1 committed have ended, or the group rightly starts before it.
    const settled = Date.now() + 5000;
    const behindHorizon = `SELECT bool_and(txid < pg_snapshot_xmin(pg_current_snapshot())) AS behind FROM patient.outbox WHERE patient_id = $1`;
    while (!(await pool.query<{ behind: boolean }>(behindHorizon, [patientId])).rows[0]!.behind && Date.now() < settled) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
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
      expect(seen.map((e) => numberOf(e))).toEqual([2]);
    } finally {
      await consumer.stop();
    }
  });

  /** A consumer of its own group whose handler fails whenever a batch holds an event of a poison patient. */
  function poisonedConsumer(group: string, poison: Set<string>, seen: OutboxEvent[], options: Partial<OutboxConsumerOptions> = {}) {
    const calls: OutboxEvent[][] = [];
    const consumer = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      handle: async (events) => {
        calls.push(events);
        const bad = events.find((e) => poison.has(e.patientId));
        if (bad) throw new Error(`patient subgraph failed: Float cannot represent non numeric value: Infinity (event ${numberOf(bad)})`);
        seen.push(...events);
      },
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
      log,
      ...options,
    });
    return { consumer, calls };
  }

  /** The group's dead letters of these patients (a group reading from the beginning also meets other tests' poison). */
  const deadLettersOf = async (group: string, patients: string[]) =>
    (
      await pool.query<{ patient_id: string; topic: string; error: string; attempts: number; payload: { n?: number } }>(
        `SELECT patient_id::text, topic, error, attempts, payload FROM inference.event_dead_letters
         WHERE consumer = $1 AND patient_id = ANY($2::uuid[]) ORDER BY event_id`,
        [group, patients],
      )
    ).rows;
  const cursorOf = async (group: string) =>
    (await pool.query<{ last_id: string; lease_token: string | null }>(`SELECT last_id::text, lease_token FROM inference.outbox_cursor WHERE consumer = $1`, [group])).rows[0];
  const lastOutboxId = async () => (await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM patient.outbox`)).rows[0]!.id;

  it('moves the cursor past an event whose handling fails: the events after it are handled at once', async () => {
    const poisoned = randomUUID();
    const healthy = randomUUID();
    const group = `group-${randomUUID()}`;
    const seen: OutboxEvent[] = [];
    const { consumer } = poisonedConsumer(group, new Set<string>([poisoned]), seen, { retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    await insertEvent(pool, poisoned, 1);
    await insertEvent(pool, healthy, 2);
    await insertEvent(pool, healthy, 3);
    const last = await lastOutboxId();

    await drainUntil([consumer], () => seen.filter((e) => e.patientId === healthy).length >= 2);

    expect(seen.filter((e) => e.patientId === healthy).map(numberOf)).toEqual([2, 3]);
    expect(BigInt((await cursorOf(group))!.last_id)).toBeGreaterThanOrEqual(BigInt(last));
    const retries = await pool.query(`SELECT patient_id::text, attempts, last_error FROM inference.event_retries WHERE consumer = $1`, [group]);
    expect(retries.rows).toEqual([
      { patient_id: poisoned, attempts: 1, last_error: 'patient subgraph failed: Float cannot represent non numeric value: Infinity (event 1)' },
    ]);
  });

  it('dead-letters an event that keeps failing after the bounded retries, and hands every other event over exactly once', async () => {
    const poisoned = randomUUID();
    const others = [randomUUID(), randomUUID(), randomUUID()];
    const group = `group-${randomUUID()}`;
    const seen: OutboxEvent[] = [];
    const { consumer, calls } = poisonedConsumer(group, new Set<string>([poisoned]), seen);
    await insertEvent(pool, others[0]!, 1);
    await insertEvent(pool, poisoned, 2);
    await insertEvent(pool, others[1]!, 3);
    await insertEvent(pool, others[2]!, 4);

    const deadline = Date.now() + 10_000;
    while ((await deadLettersOf(group, [poisoned])).length === 0 && Date.now() < deadline) await drainUntil([consumer], () => false, 100);
    await drainUntil([consumer], () => false, 300);

    const mine = new Set<string>([poisoned, ...others]);
    expect(seen.filter((e) => mine.has(e.patientId)).map(numberOf).sort()).toEqual([1, 3, 4]);
    expect(await deadLettersOf(group, [poisoned, ...others])).toEqual([
      {
        patient_id: poisoned,
        topic: 'patient.observation.added',
        error: 'patient subgraph failed: Float cannot represent non numeric value: Infinity (event 2)',
        attempts: 3,
        payload: expect.objectContaining({ n: 2 }),
      },
    ]);
    // The first attempt and the two retries, then nothing more: the retries are bounded.
    expect(calls.filter((batch) => batch.length === 1 && batch[0]!.patientId === poisoned)).toHaveLength(3);
    expect((await pool.query(`SELECT count(*)::int AS n FROM inference.event_retries WHERE consumer = $1`, [group])).rows[0]).toEqual({ n: 0 });
  });

  it('dead-letters an event that breaks its contract at once, without handing it to the handler', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const seen: OutboxEvent[] = [];
    const { consumer } = poisonedConsumer(group, new Set<string>(), seen);
    // What a buggy producer would write: a topic nobody publishes, and a payload missing its fields.
    await pool.query(`INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ('patient.observation.addded', $1, '{}'), ($2, $1, '{"code": 7}')`, [
      patientId,
      PatientTopic.OBSERVATION_ADDED,
    ]);
    await insertEvent(pool, patientId, 3);

    await drainUntil([consumer], () => seen.some((e) => e.patientId === patientId));
    await drainUntil([consumer], () => false, 200);

    expect(seen.filter((e) => e.patientId === patientId).map(numberOf)).toEqual([3]);
    const dead = await deadLettersOf(group, [patientId]);
    expect(dead.map((d) => [d.attempts, d.error.replace(/event \d+/, 'event N')])).toEqual([
      [1, 'EventContractError: event N in patient.outbox: topic "patient.observation.addded" is not one patient.outbox publishes (patient.observation.added, patient.records.ingested, patient.device-observations.ingested, patient.consent.changed, patient.unlinked)'],
      [1, 'EventContractError: event N in patient.outbox (patient.observation.added): payload.observationId is missing; it must be a non-empty string'],
    ]);
  });

  it('holds no database transaction open while the handler runs', async () => {
    const application = `outbox-test-${randomUUID().slice(0, 8)}`;
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('application_name', application);
    const ownPool = createPool(url.toString());
    const patientId = randomUUID();
    const openTransactions: number[] = [];
    try {
      const consumer = new OutboxConsumer({
        databaseUrl: TEST_DATABASE_URL,
        pool: ownPool,
        consumer: `group-${randomUUID()}`,
        source: 'patient.outbox',
        handle: async (events) => {
          if (!events.some((e) => e.patientId === patientId)) return;
          // As a handler's HTTP call would: wait, and look at what this consumer's connections hold.
          await new Promise((resolve) => setTimeout(resolve, 100));
          const { rows } = await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL`,
            [application],
          );
          openTransactions.push(rows[0]!.n);
        },
        log,
      });
      await insertEvent(pool, patientId, 1);
      await drainUntil([consumer], () => openTransactions.length > 0);
      expect(openTransactions).toEqual([0]);
    } finally {
      await ownPool.end();
    }
  });

  it('lets no second replica take a batch while its lease is held, and takes over a lease whose holder died', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const seenA: OutboxEvent[] = [];
    const seenB: OutboxEvent[] = [];
    const a = consumerFor(group, seenA, patientId);
    const b = consumerFor(group, seenB, patientId);
    await insertEvent(pool, patientId, 1);
    // A replica that claimed the batch and died: its lease runs for 400 ms more.
    await pool.query(
      `INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id, lease_token, lease_owner, lease_expires_at)
       VALUES ($1, 'patient.outbox', '0', 0, $2, 'crashed-replica', now() + interval '400 milliseconds')`,
      [group, randomUUID()],
    );
    expect(await a.drainBatch()).toBe(0);
    expect(await b.drainBatch()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 450));
    await drainUntil([a, b], () => seenA.length + seenB.length > 0);
    await drainUntil([a, b], () => false, 300);
    expect([...seenA, ...seenB].map(numberOf)).toEqual([1]);
  });

  it('moves no cursor when its lease was taken over while it handled, so the new holder handles the batch again', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    let handled = 0;
    const consumer = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      handle: async (events) => {
        if (!events.some((e) => e.patientId === patientId)) return;
        handled += 1;
        // Another replica takes the lease over (as after this one stalled past its expiry).
        await pool.query(`UPDATE inference.outbox_cursor SET lease_token = $2, lease_owner = 'other-replica' WHERE consumer = $1`, [group, randomUUID()]);
      },
      log,
    });
    await insertEvent(pool, patientId, 1);
    const deadline = Date.now() + 5000;
    while (handled === 0 && Date.now() < deadline) await consumer.drainBatch();
    expect(handled).toBe(1);
    // Other files' events may come before this one in the shared outbox, in batches the cursor moved past;
    // it must not have moved past the batch holding this patient's event.
    const ours = (await pool.query<{ id: string }>(`SELECT id::text FROM patient.outbox WHERE patient_id = $1`, [patientId])).rows[0]!.id;
    const cursor = (await cursorOf(group))!;
    expect(cursor.lease_token).toEqual(expect.any(String));
    expect(BigInt(cursor.last_id)).toBeLessThan(BigInt(ours));
  });

  it('hands a batch over once when its lapsed holder moves the cursor while another replica is claiming it', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const seenA: OutboxEvent[] = [];
    const seenB: OutboxEvent[] = [];
    const aMayFinish = moment();
    const aStarted = moment();
    const a = consumerWith(group, async (events) => {
      seenA.push(...events.filter((e) => e.patientId === patientId));
      aStarted.arrive();
      await aMayFinish.reached;
    });
    // Replica B's claim pauses just before it writes its lease, after it has read the cursor and the batch.
    const bReadTheBatch = moment();
    const bMayWriteLease = moment();
    const pauseAtLease = async (text: unknown) => {
      if (typeof text === 'string' && text.includes('INSERT INTO inference.outbox_cursor')) {
        bReadTheBatch.arrive();
        await bMayWriteLease.reached;
      }
    };
    const pausing = new Proxy(pool, {
      get(target, property, receiver) {
        if (property === 'query') {
          return async (...args: unknown[]) => {
            await pauseAtLease(args[0]);
            return (target.query as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          };
        }
        if (property !== 'connect') return Reflect.get(target, property, receiver) as unknown;
        return async () => {
          const client = await target.connect();
          const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
          return Object.assign(Object.create(client) as typeof client, {
            release: client.release.bind(client),
            query: async (...args: unknown[]) => {
              await pauseAtLease(args[0]);
              return query(...args);
            },
          });
        };
      },
    });
    const b = consumerWith(
      group,
      async (events) => {
        seenB.push(...events.filter((e) => e.patientId === patientId));
      },
      { pool: pausing },
    );
    // Start the group past every event already there, so that the batch is this test's three events.
    await pool.query(
      `INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id)
       SELECT $1, 'patient.outbox', coalesce(max(txid), '0'), coalesce(max(id), 0) FROM patient.outbox`,
      [group],
    );
    for (let n = 1; n <= 3; n++) await insertEvent(pool, patientId, n);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // A claims the batch and stalls past its lease (as a replica whose heartbeat could not get through).
    const aDrain = a.drainBatch();
    await aStarted.reached;
    await pool.query(`UPDATE inference.outbox_cursor SET lease_expires_at = now() - interval '1 second' WHERE consumer = $1`, [group]);
    // B finds the lease lapsed and reads the same batch; before it writes its lease, A finishes and moves the cursor.
    const bDrain = b.drainBatch();
    await bReadTheBatch.reached;
    aMayFinish.arrive();
    await aDrain;
    bMayWriteLease.arrive();
    await bDrain;
    await drainUntil([a, b], () => false, 300);

    expect(seenA.map(numberOf)).toEqual([1, 2, 3]);
    expect(seenB.map(numberOf)).toEqual([]);
  });

  it('wakes at once only for the topics it acts on, and takes the others in order with the next batch', async () => {
    const patientId = randomUUID();
    const seen: OutboxEvent[] = [];
    const group = `group-${randomUUID()}`;
    // The group starts past every event the other tests wrote (startAt 'end' could still leave some for its first drains).
    await pool.query(
      `INSERT INTO inference.outbox_cursor (consumer, source, last_txid, last_id)
       SELECT $1, 'patient.outbox', coalesce(max(txid), '0'), coalesce(max(id), 0) FROM patient.outbox`,
      [group],
    );
    const consumer = consumerWith(
      group,
      async (events) => {
        seen.push(...events.filter((e) => e.patientId === patientId));
      },
      // No poll within the test: only a notification can wake it.
      { pollIntervalMs: 60_000, wakeOn: new Set([PatientTopic.RECORDS_INGESTED]) },
    );
    await consumer.start();
    // start() drains once (anything committed before it listened); let that drain finish first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      // Producers announce as the services do (one statement: the row and a notification naming its topic).
      const announceOne = async (topic: typeof PatientTopic.OBSERVATION_ADDED | typeof PatientTopic.RECORDS_INGESTED) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          if (topic === PatientTopic.OBSERVATION_ADDED) await announce(client, 'patient.outbox', topic, patientId, { observationId: randomUUID(), code: '8480-6' });
          else await announce(client, 'patient.outbox', topic, patientId, { created: 1, updated: 0 });
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      };
      await announceOne(PatientTopic.OBSERVATION_ADDED);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(seen).toEqual([]);

      await announceOne(PatientTopic.RECORDS_INGESTED);
      const deadline = Date.now() + 5000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((e) => e.topic)).toEqual([PatientTopic.OBSERVATION_ADDED, PatientTopic.RECORDS_INGESTED]);
    } finally {
      await consumer.stop();
    }
  });

  it('stops without waiting for a long handler: the batch is neither failed nor passed, and the next holder takes it at once', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    // Model work over a whole record (Ken316's 142 notes took 76 s on 2 cores) that gives up when told to.
    const slow = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      handle: async (events, signal) => {
        if (!events.some((e) => e.patientId === patientId)) return;
        started();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 60_000);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
      },
      log,
    });
    await insertEvent(pool, patientId, 1);
    await slow.start();
    await handling;
    const stopAsked = Date.now();
    await slow.stop();
    expect(Date.now() - stopAsked).toBeLessThan(2000);

    // Not failed (no retry, no dead letter), not passed (the cursor is before it), and no lease left behind.
    const ours = (await pool.query<{ id: string }>(`SELECT id::text FROM patient.outbox WHERE patient_id = $1`, [patientId])).rows[0]!.id;
    const cursor = (await cursorOf(group))!;
    expect(BigInt(cursor.last_id)).toBeLessThan(BigInt(ours));
    expect(cursor.lease_token).toBeNull();
    expect((await pool.query(`SELECT 1 FROM inference.event_retries WHERE consumer = $1`, [group])).rows).toEqual([]);
    expect(await deadLettersOf(group, [patientId])).toEqual([]);

    const seen: OutboxEvent[] = [];
    const next = consumerFor(group, seen, patientId);
    await drainUntil([next], () => seen.length > 0, 2000);
    expect(seen.map(numberOf)).toEqual([1]);
  });

  it('retries only the patients a handler names as failed, without handing the others over again', async () => {
    const failing = randomUUID();
    const fine = randomUUID();
    const group = `group-${randomUUID()}`;
    const handedOver: string[] = [];
    let failNow = true;
    const consumer = new OutboxConsumer({
      databaseUrl: TEST_DATABASE_URL,
      pool,
      consumer: group,
      source: 'patient.outbox',
      handle: async (events) => {
        const mine = events.filter((e) => e.patientId === failing || e.patientId === fine);
        handedOver.push(...mine.map((e) => (e.patientId === fine ? 'fine' : 'failing')));
        if (failNow && mine.some((e) => e.patientId === failing)) {
          failNow = false;
          throw new PatientHandlingFailures(new Map([[failing, new Error('knowledge-graph subgraph unreachable')]]));
        }
      },
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 50 },
      log,
    });
    await insertEvent(pool, fine, 1);
    await insertEvent(pool, failing, 2);
    await drainUntil([consumer], () => handedOver.filter((p) => p === 'failing').length >= 2);
    await drainUntil([consumer], () => false, 300);
    expect(handedOver.sort()).toEqual(['failing', 'failing', 'fine']);
    expect(await deadLettersOf(group, [failing, fine])).toEqual([]);
  });

  it('replays a dead letter: it is handled again, leaves the table, and a record says who replayed it', async () => {
    const patientId = randomUUID();
    const group = `group-${randomUUID()}`;
    const poison = new Set<string>([patientId]);
    const seen: OutboxEvent[] = [];
    const { consumer } = poisonedConsumer(group, poison, seen, { retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    await insertEvent(pool, patientId, 1);
    const deadline = Date.now() + 5000;
    while ((await deadLettersOf(group, [patientId])).length === 0 && Date.now() < deadline) await drainUntil([consumer], () => false, 50);
    const repository = new DeadLetterRepository(pool);
    const mine = async () => (await repository.list({ consumer: group }, 500)).deadLetters.filter((d) => d.patientId === patientId);
    const [deadLetter] = await mine();
    expect(deadLetter).toMatchObject({ patientId, attempts: 1, replayRequestedBy: null });

    poison.clear(); // the cause fixed (e.g. the bad row corrected at its source)
    const replay = await repository.replay({ ids: [deadLetter!.id, '999999999'], requestedBy: 'admin:ops-on-call' });
    expect(replay.requested.map((d) => [d.id, d.replayRequestedBy])).toEqual([[deadLetter!.id, 'admin:ops-on-call']]);
    expect(replay.notFound).toEqual(['999999999']);
    expect((await repository.replay({ ids: [deadLetter!.id], requestedBy: 'admin:someone-else' })).alreadyReplaying).toEqual([deadLetter!.id]);

    await drainUntil([consumer], () => seen.some((e) => e.patientId === patientId));
    expect(seen.filter((e) => e.patientId === patientId).map(numberOf)).toEqual([1]);
    expect(await mine()).toEqual([]);
    expect(await repository.replays(deadLetter!.id)).toEqual([
      expect.objectContaining({ deadLetterId: deadLetter!.id, patientId, requestedBy: 'admin:ops-on-call', outcome: 'succeeded', error: null }),
    ]);
  });
});
