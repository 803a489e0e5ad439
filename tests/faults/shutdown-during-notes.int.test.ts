/**
 * A hub going down while the inference service reads a long record's notes (issue 20: graceful
 * shutdown; Kubernetes kills a pod its grace period after SIGTERM). Ken316's Synthea 3.3.0 bundle
 * (tests/fixtures/synthea-3.3.0, SOURCE.md) holds 142 notes: about 70 s of model work on 2 cores, and
 * the hub's close used to wait for all of it (76 s idle; over 120 s in a loaded CI run, which failed
 * the suites that closed such a hub). Now the close stops the work at its next forward pass, keeps
 * the notes stored so far, leaves the event for the next holder of the consumer group, and the next
 * hub goes on from where this one stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { startHub, type Hub } from '../../scripts/hub';
import { createLogger } from '../../lib/logger';
import { createPool, type Pool } from '../../lib/postgres';
import { PatientTopic } from '../../lib/contracts/events';
import { testConfig, testNeo4j } from '../support/config';
import { ownDatabase, type OwnDatabase } from '../support/own-database';
import { gql } from '../support/graphql';

const log = createLogger('test', 'silent');
const KEN = path.join(__dirname, '..', 'fixtures', 'synthea-3.3.0', 'Ken316_Barton704_ec6a8f56-8923-954c-0da6-efc18758232b.json.gz');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Ken316's bundle with fresh UUIDs (a patient of this test's own). */
function kenBundle(): unknown {
  const fresh = new Map<string, string>();
  return JSON.parse(gunzipSync(fs.readFileSync(KEN)).toString('utf8').replace(UUID, (u) => fresh.get(u) ?? (fresh.set(u, randomUUID()), fresh.get(u)!)));
}

describe('closing a hub while it reads a long record’s notes', () => {
  const group = `inference-test-${randomUUID()}`;
  let db: Pool;
  // Its own: notes are stored per model, not per consumer group, so in the run's shared database every
  // other file's hub would store this patient's notes too (and read them with its own model meanwhile).
  let database: OwnDatabase;
  const hubs: Hub[] = [];
  const start = async () => {
    const hub = await startHub(testConfig({ databaseUrl: database.url, inferenceConsumerGroup: group }), testNeo4j(), log);
    hubs.push(hub);
    return hub;
  };
  /** When each of the patient's notes was stored, by note id. */
  const storedNotes = async (patientId: string) =>
    new Map((await db.query<{ note_id: string; processed_at: Date }>(`SELECT note_id, processed_at FROM inference.note_runs WHERE patient_id = $1`, [patientId])).rows.map((r) => [r.note_id, r.processed_at.getTime()]));
  async function until<T>(what: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await what();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    database = await ownDatabase('shutdown_during_notes');
    // createPool: its idle connections may be ended by the DROP ... WITH (FORCE) below before their sockets close
    // (pool.end() resolves first), which a pool without an 'error' listener turns into an unhandled error.
    db = createPool(database.url, 2);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await db?.end();
    await database?.drop();
  }, 120_000);

  it('stops within seconds, keeps what it stored, loses no note, and the next hub goes on from there', async () => {
    const first = await start();
    const ingest = await gql<{ ingestFhirBundle: { patientIds: string[] } }>(first.gateway.url, `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds } }`, { bundle: kenBundle() });
    expect(ingest.errors).toBeUndefined();
    const patientId = ingest.data!.ingestFhirBundle.patientIds[0]!;
    const event = (await db.query<{ id: string }>(`SELECT id::text FROM patient.outbox WHERE patient_id = $1 AND topic = $2`, [patientId, PatientTopic.RECORDS_INGESTED])).rows[0]!;

    // Under way: some notes stored, not all (the first step embeds the knowledge graph's concept names once per database).
    const before = await until(() => storedNotes(patientId), (stored) => stored.size > 0, 240_000);
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(142);

    const closing = Date.now();
    await first.close();
    const closeMs = Date.now() - closing;
    expect(closeMs).toBeLessThan(15_000);

    // The event is neither passed nor failed, and no lease is left to wait out.
    const cursor = (await db.query<{ last_id: string; lease_token: string | null }>(`SELECT last_id::text, lease_token FROM inference.outbox_cursor WHERE consumer = $1 AND source = 'patient.outbox'`, [`${group}-notes`])).rows[0]!;
    expect(BigInt(cursor.last_id)).toBeLessThan(BigInt(event.id));
    expect(cursor.lease_token).toBeNull();
    expect((await db.query(`SELECT 1 FROM inference.event_retries WHERE consumer = $1 UNION ALL SELECT 1 FROM inference.event_dead_letters WHERE consumer = $1`, [`${group}-notes`])).rows).toEqual([]);
    const kept = await storedNotes(patientId);
    expect(kept.size).toBeLessThan(142);

    // The next hub of the group takes the event again and goes on: more notes, the stored ones not redone.
    const second = await start();
    const after = await until(() => storedNotes(patientId), (stored) => stored.size > kept.size, 240_000);
    expect(after.size).toBeGreaterThan(kept.size);
    for (const [note, at] of kept) expect(after.get(note)).toBe(at);
    const closingSecond = Date.now();
    await second.close();
    expect(Date.now() - closingSecond).toBeLessThan(15_000);
  }, 600_000);
});
