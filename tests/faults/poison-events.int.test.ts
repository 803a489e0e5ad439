import { randomUUID } from 'node:crypto';
import { createLogger } from '../../lib/logger';
import { createPool, type Pool } from '../../lib/postgres';
import type { RunningService } from '../../lib/apollo-http';
import { PatientTopic, OUTBOXES } from '../../lib/contracts/events';
import { startPatientService } from '../../subgraphs/patient/server';
import { startGenomicsService } from '../../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../../subgraphs/knowledge-graph/server';
import { startInferenceReplica } from '../support/inference';
import { startGateway, type Gateway } from '../../gateway/server';
import { TEST_REDIS_URL, testNeo4j } from '../support/config';
import { collect, gql, settle, wsClient } from '../support/graphql';
import { TEST_JWT_SECRET, bearer, testAssertions } from '../support/auth';
import { ownDatabase, type OwnDatabase } from '../support/own-database';

const log = createLogger('test', 'silent');
const host = '127.0.0.1';
// A database of this file's own: see tests/support/own-database.ts.
let database: OwnDatabase;
let databaseUrl: string;
const assertions = testAssertions();
const METRICS_TOKEN = 'poison-events-test-metrics-token';
/** Short back-off so the bounded retries run out within the test: attempts after 200 and 400 ms. */
const RETRY = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1000 };

/**
 * Issue 16: one event whose handling throws must not stop the others. The poison is the one the
 * issue reported: an observation stored as Infinity (1e308 mmol/L converted to mg/dL) by a producer
 * without input checks, which the patient subgraph cannot serve, so every read of that patient's
 * record fails (as INTERNAL_SERVER_ERROR). Two inference replicas share the consumer group (and Redis), as in production.
 */
describe('a poison event', () => {
  const group = `inference-poison-${randomUUID()}`;
  const services: RunningService[] = [];
  let pool: Pool;
  let gateway: Gateway;
  let inferenceA: RunningService;

  const inference = () =>
    startInferenceReplica(
      { databaseUrl, patient, genomics, knowledgeGraph, log, assertions },
      { redisUrl: TEST_REDIS_URL, consumerGroup: group, consumerStart: 'end', eventRetry: RETRY, metricsToken: METRICS_TOKEN },
    );
  let patient: RunningService;
  let genomics: RunningService;
  let knowledgeGraph: RunningService;

  beforeAll(async () => {
    database = await ownDatabase('poison_events');
    databaseUrl = database.url;
    pool = createPool(databaseUrl);
    patient = await startPatientService({ databaseUrl, host, port: 0, log, assertions });
    genomics = await startGenomicsService({ databaseUrl, host, port: 0, patientUrl: patient.url, log, assertions });
    knowledgeGraph = await startKnowledgeGraphService({ neo4j: testNeo4j(), host, port: 0, log, assertions });
    inferenceA = await inference();
    const inferenceB = await inference();
    gateway = await startGateway({
      host,
      port: 0,
      log,
      subgraphUrls: { patient: patient.url, genomics: genomics.url, 'knowledge-graph': knowledgeGraph.url, inference: inferenceA.url },
      auth: { jwt: { secret: TEST_JWT_SECRET }, assertions },
    });
    services.push(patient, genomics, knowledgeGraph, inferenceA, inferenceB, gateway);
  });

  afterAll(async () => {
    for (const service of services.reverse()) await service.close();
    await pool?.end();
    await database?.drop();
  });

  const createPatient = async (name: string) =>
    (await gql<{ createPatient: { id: string } }>(gateway.url, `mutation ($name: String!) { createPatient(input: { name: $name, birthDate: "1960-01-01", sex: MALE }) { id } }`, { name }))
      .data!.createPatient.id;
  const addSystolic = (id: string, value: number) =>
    gql(gateway.url, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "8480-6", value: $v, unit: "mm[Hg]" }) { id } }`, { id, v: value });

  /** What the producer did before issue 16's input checks: the converted value stored, and its event announced. */
  async function storePoison(patientId: string): Promise<string> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at)
         VALUES ($1, '2093-3', 'Infinity', 'mg/dL', 1e308, 'mmol/L', now()) RETURNING id::text`,
        [patientId],
      );
      await client.query(`INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`, [
        PatientTopic.OBSERVATION_ADDED,
        patientId,
        { observationId: rows[0]!.id, code: '2093-3' },
      ]);
      await client.query(`SELECT pg_notify($1, $2)`, [OUTBOXES['patient.outbox'].channel, patientId]);
      await client.query('COMMIT');
      return rows[0]!.id;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  const SUBSCRIPTION = `subscription ($id: ID!) { riskUpdated(patientId: $id) { patient { id } risk { cardiovascular { inputs { systolicBp } } } } }`;
  const DEAD_LETTERS = `query ($consumer: String) { eventDeadLetters(consumer: $consumer, source: "patient.outbox") {
    totalCount deadLetters { id source eventId topic patientId payload error attempts status replayRequestedBy } } }`;
  const REPLAY = `mutation ($ids: [ID!]) { replayEventDeadLetters(ids: $ids) { requested { id status replayRequestedBy } notFound alreadyReplaying } }`;
  const scrape = async (service: RunningService) =>
    (await fetch(service.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

  it('lands in the dead-letter table after the bounded retries, the next patient hears within 2 s, and an admin (only) replays it', async () => {
    const poisoned = await createPatient('Poisoned Patient');
    const next = await createPatient('Next Patient');
    const bystander = await createPatient('Bystander Patient');
    const client = wsClient(gateway.url);
    const watch = (id: string) => collect<{ riskUpdated: { patient: { id: string }; risk: { cardiovascular: { inputs: { systolicBp: number | null } } } } }>(client, SUBSCRIPTION, { id });
    const [onPoisoned, onNext, onBystander] = [watch(poisoned), watch(next), watch(bystander)];
    try {
      // Each subscription proven live end to end before the poison goes in: no update can fall before it.
      await settle(500);
      await Promise.all([addSystolic(poisoned, 150), addSystolic(next, 120), addSystolic(bystander, 125)]);
      for (const subscription of [onPoisoned, onNext, onBystander]) expect((await subscription.next(5000)).errors).toBeUndefined();

      const observationId = await storePoison(poisoned);
      await addSystolic(bystander, 133);
      const sent = Date.now();
      await addSystolic(next, 127);

      const update = await onNext.next(2000);
      expect(Date.now() - sent).toBeLessThan(2000);
      expect(update).toEqual({ data: { riskUpdated: { patient: { id: next }, risk: { cardiovascular: { inputs: { systolicBp: 127 } } } } } });
      expect(await onBystander.next(2000)).toEqual({ data: { riskUpdated: { patient: { id: bystander }, risk: { cardiovascular: { inputs: { systolicBp: 133 } } } } } });

      // The first attempt and two retries (after 200 and 400 ms), then the dead letters.
      type DeadLetters = { eventDeadLetters: { totalCount: number; deadLetters: Record<string, unknown>[] } };
      let listed = await gql<DeadLetters>(gateway.url, DEAD_LETTERS, { consumer: group });
      const deadline = Date.now() + 10_000;
      while (listed.data?.eventDeadLetters.totalCount === 0 && Date.now() < deadline) {
        await settle(200);
        listed = await gql<DeadLetters>(gateway.url, DEAD_LETTERS, { consumer: group });
      }
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.eventDeadLetters.totalCount).toBe(1);
      const [deadLetter] = listed.data!.eventDeadLetters.deadLetters;
      expect(deadLetter).toEqual({
        id: expect.any(String),
        source: 'patient.outbox',
        eventId: expect.any(String),
        topic: 'patient.observation.added',
        patientId: poisoned,
        payload: JSON.stringify({ code: '2093-3', observationId }),
        // The patient subgraph masks its own failure (a Float that cannot be Infinity) as an internal error.
        error: expect.stringMatching(/^DEPENDENCY_UNAVAILABLE: patient subgraph at http:\/\/127\.0\.0\.1:\d+\/graphql failed: Internal error$/),
        attempts: 3,
        status: 'DEAD',
        replayRequestedBy: null,
      });
      const retries = await pool.query(`SELECT event_id::text, topic, patient_id::text, attempts, last_error, next_attempt_at, claim_token FROM inference.event_retries WHERE consumer = $1`, [group]);
      expect(retries.rows).toEqual([]);

      // Nothing lost, nothing handled twice (two replicas share the group): one update each, none for the poisoned patient.
      await settle(1500);
      expect(onNext.messages).toEqual([]);
      expect(onBystander.messages).toEqual([]);
      expect(onPoisoned.messages).toEqual([]);

      const metrics = await scrape(inferenceA);
      expect(metrics).toContain(`hub_events_dead_letters{consumer="${group}",source="patient.outbox"} 1`);
      expect(metrics).toContain(`hub_events_retry_pending{consumer="${group}",source="patient.outbox"} 0`);
      // Lag is whatever other test files are writing to the shared outbox this moment: exposed, not zero.
      expect(metrics).toMatch(new RegExp(`hub_events_lag\\{consumer="${group}",source="patient.outbox"\\} \\d+\n`));
      expect((await fetch(inferenceA.url.replace(/\/graphql$/, '/metrics'))).status).toBe(401);

      // A clinician may not replay (nor list); the dead letter stays as it was.
      const clinician = await bearer({ role: 'clinician', org: 'org-poison', sub: 'dr-poison' });
      const refused = await gql(gateway.url, REPLAY, { ids: [deadLetter!.id] }, clinician);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const refusedList = await gql(gateway.url, DEAD_LETTERS, { consumer: group }, clinician);
      expect(refusedList.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const still = await pool.query(`SELECT replay_requested_by FROM inference.event_dead_letters WHERE id = $1`, [deadLetter!.id]);
      expect(still.rows).toEqual([{ replay_requested_by: null }]);

      // The bad row corrected at its source, an admin replays the event: it is handled and leaves the table.
      await pool.query(`UPDATE patient.observations SET value = 180, original_value = 180, original_unit = 'mg/dL' WHERE id = $1`, [observationId]);
      const admin = await bearer({ role: 'admin', sub: 'ops-on-call' });
      const replayed = await gql(gateway.url, REPLAY, { ids: [deadLetter!.id] }, admin);
      expect(replayed).toEqual({
        data: { replayEventDeadLetters: { requested: [{ id: deadLetter!.id, status: 'REPLAYING', replayRequestedBy: 'admin:ops-on-call' }], notFound: [], alreadyReplaying: [] } },
      });
      expect(await onPoisoned.next(3000)).toEqual({ data: { riskUpdated: { patient: { id: poisoned }, risk: { cardiovascular: { inputs: { systolicBp: 150 } } } } } });
      const gone = Date.now() + 3000;
      while ((await gql<DeadLetters>(gateway.url, DEAD_LETTERS, { consumer: group })).data!.eventDeadLetters.totalCount > 0 && Date.now() < gone) await settle(100);
      expect((await gql<DeadLetters>(gateway.url, DEAD_LETTERS, { consumer: group })).data!.eventDeadLetters.totalCount).toBe(0);
      const record = await pool.query(`SELECT requested_by, outcome FROM inference.event_replays WHERE dead_letter_id = $1`, [deadLetter!.id]);
      expect(record.rows).toEqual([{ requested_by: 'admin:ops-on-call', outcome: 'succeeded' }]);
      await settle(500);
      expect(onPoisoned.messages).toEqual([]);
      expect(onNext.messages).toEqual([]);
    } finally {
      for (const subscription of [onPoisoned, onNext, onBystander]) subscription.dispose();
      await client.dispose();
    }
  });
});
