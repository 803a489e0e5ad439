import { randomUUID } from 'node:crypto';
import { createLogger } from '../../lib/logger';
import type { RunningService } from '../../lib/apollo-http';
import { startPatientService } from '../../subgraphs/patient/server';
import { startGenomicsService } from '../../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../../subgraphs/knowledge-graph/server';
import { startInferenceReplica } from '../support/inference';
import { startGateway, type Gateway } from '../../gateway/server';
import { TEST_REDIS_URL, testNeo4j } from '../support/config';
import { collect, gql, settle, wsClient } from '../support/graphql';
import { TEST_JWT_SECRET, testAssertions } from '../support/auth';
import { TcpProxy } from '../support/tcp-proxy';
import { ownDatabase, type OwnDatabase } from '../support/own-database';

const log = createLogger('test', 'silent');
const host = '127.0.0.1';
// A database of this file's own: see tests/support/own-database.ts.
let database: OwnDatabase;
let databaseUrl: string;
const assertions = testAssertions();
const auth = { jwt: { secret: TEST_JWT_SECRET }, assertions };
const SUBSCRIPTION = `subscription ($id: ID!) { riskUpdated(patientId: $id) { risk { cardiovascular { inputs { systolicBp } } } } }`;
/** The next message, or an error naming the step that waited in vain. */
const next = (subscription: { next(ms: number): Promise<unknown> }, ms: number, step: string) =>
  subscription.next(ms).catch((error: Error) => Promise.reject(new Error(`${step}: ${error.message}`)));
const systolic = (value: number) => ({ data: { riskUpdated: { risk: { cardiovascular: { inputs: { systolicBp: value } } } } } });

/**
 * Issue 16, item 5: Redis goes away under two replicas. Redis is shared by everyone on this machine,
 * so it is not stopped: each replica reaches it through a TCP proxy this test cuts and restores.
 *   gateway A → inference A (consumes the outbox: the events start here)
 *   gateway B → inference B (subscriptions only: it hears of events through Redis)
 * While Redis is cut, subscribers on A still get every event; B gets them once Redis is back, the
 * ones published during the cut included, and nobody gets one twice.
 */
describe('Redis stopped under two replicas', () => {
  const services: RunningService[] = [];
  let redis: TcpProxy;
  let gatewayA: Gateway;
  let gatewayB: Gateway;

  beforeAll(async () => {
    database = await ownDatabase('redis_stop');
    databaseUrl = database.url;
    const target = new URL(TEST_REDIS_URL);
    redis = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const redisUrl = redis.url(TEST_REDIS_URL);
    const patient = await startPatientService({ databaseUrl, host, port: 0, log, assertions });
    const genomics = await startGenomicsService({ databaseUrl, host, port: 0, patientUrl: patient.url, log, assertions });
    const knowledgeGraph = await startKnowledgeGraphService({ neo4j: testNeo4j(), host, port: 0, log, assertions });
    const group = `inference-redis-stop-${randomUUID()}`;
    const inference = (consumeEvents: boolean) =>
      startInferenceReplica(
        { databaseUrl, patient, genomics, knowledgeGraph, log, assertions },
        { redisUrl, redisTimeouts: { connectMs: 500, commandMs: 1_000 }, consumeEvents, consumerGroup: group, consumerStart: 'end' },
      );
    const inferenceA = await inference(true);
    const inferenceB = await inference(false);
    const urls = (inferenceUrl: string) => ({ patient: patient.url, genomics: genomics.url, 'knowledge-graph': knowledgeGraph.url, inference: inferenceUrl });
    gatewayA = await startGateway({ host, port: 0, log, subgraphUrls: urls(inferenceA.url), auth });
    gatewayB = await startGateway({ host, port: 0, log, subgraphUrls: urls(inferenceB.url), auth });
    services.push(patient, genomics, knowledgeGraph, inferenceA, inferenceB, gatewayA, gatewayB);
  });

  afterAll(async () => {
    for (const service of services.reverse()) await service.close();
    await redis?.close();
    await database?.drop();
  });

  const createPatient = async () => {
    const response = await gql<{ createPatient: { id: string } }>(
      gatewayA.url,
      `mutation { createPatient(input: { name: "Chien-Shiung Wu", birthDate: "1962-05-31", sex: FEMALE }) { id } }`,
    );
    expect(response.errors).toBeUndefined();
    return response.data!.createPatient.id;
  };
  const addSystolic = async (id: string, value: number) => {
    const response = await gql(gatewayA.url, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "8480-6", value: $v, unit: "mm[Hg]" }) { code } }`, { id, v: value });
    expect(response.errors).toBeUndefined();
  };

  it('keeps delivering on the replica that published while Redis is cut, and to the other replica once it is back', async () => {
    const id = await createPatient();
    const other = await createPatient();
    const clientA = wsClient(gatewayA.url);
    const clientB = wsClient(gatewayB.url);
    const onA = collect<{ riskUpdated: unknown }>(clientA, SUBSCRIPTION, { id });
    const onB = collect<{ riskUpdated: unknown }>(clientB, SUBSCRIPTION, { id });
    try {
      await settle(1000);
      await addSystolic(id, 120);
      expect(await next(onA, 10_000, 'A before the cut')).toEqual(systolic(120));
      expect(await next(onB, 10_000, 'B before the cut')).toEqual(systolic(120));

      await redis.cut();
      await addSystolic(id, 131);
      const started = performance.now();
      expect(await next(onA, 2000, 'A during the cut')).toEqual(systolic(131));
      expect(performance.now() - started).toBeLessThan(2000);
      // A subscription opened during the outage, to a topic nobody here listened to before, hears of events once Redis is back.
      const clientB2 = wsClient(gatewayB.url);
      const lateOnB = collect<{ riskUpdated: unknown }>(clientB2, SUBSCRIPTION, { id: other });
      try {
        await settle(1000);
        expect(onB.messages).toEqual([]);

        await redis.restore();
        // ioredis reconnects within its 2 s back-off cap; the event published during the cut follows 3 s later (lib/redis-emitter.ts).
        expect(await next(onB, 8000, 'B after the restore')).toEqual(systolic(131));
        await settle(1000);
        await addSystolic(id, 140);
        expect(await next(onA, 3000, 'A after the restore')).toEqual(systolic(140));
        expect(await next(onB, 3000, 'B on a later event')).toEqual(systolic(140));
        await addSystolic(other, 150);
        expect(await next(lateOnB, 3000, 'B subscribed during the cut')).toEqual(systolic(150));
        // None twice: A's own events do not come back to it through Redis.
        await settle(1000);
        expect(onA.messages).toEqual([]);
        expect(onB.messages).toEqual([]);
        expect(lateOnB.messages).toEqual([]);
      } finally {
        lateOnB.dispose();
        await clientB2.dispose();
      }
    } finally {
      onA.dispose();
      onB.dispose();
      await clientA.dispose();
      await clientB.dispose();
    }
  }, 60_000);
});
