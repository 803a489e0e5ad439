import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger } from '../../lib/logger';
import { ensureDatabase } from '../../lib/postgres';
import { ensureKnowledgeGraph } from '../../knowledge-graph/bootstrap';
import { freePort } from '../../scripts/supervisor';
import { REPLICATED_SERVICES, startReplicaHub, type ReplicaHub } from './replicas';

/**
 * `npm run test:replicas` (issue 20 item 4): starts the local multi-replica hub (two replicas of the
 * gateway and of each subgraph behind HAProxy, Redis, one PostgreSQL database of its own, one Neo4j)
 * and shows, printing the figures:
 *  1. a riskUpdated subscription held on gateway replica A receives the update of an addObservation
 *     sent through gateway replica B;
 *  2. each outbox event is handled exactly once across the two inference replicas;
 *  3. under steady load through HAProxy, a kill -9 of one replica of every service and then a rolling
 *     restart (SIGTERM, one replica of each service at a time) fail at most 0.1 % of requests and
 *     lose no event;
 *  4. requests per replica.
 * Exits non-zero when a requirement fails. NEO4J_URI set: that Neo4j; unset: an embedded one in a
 * temporary folder. REDIS_URL (default redis://127.0.0.1:6379), DATABASE_URL's server (a database
 * `precision_hub_replicas_<pid>` is made there and dropped at the end).
 */

const LOAD_WORKERS = Number(process.env.REPLICAS_LOAD_WORKERS ?? 6);
const MAX_FAILED_RATIO = 0.001;
const log = createLogger('replicas-test', process.env.LOG_LEVEL ?? 'warn');
const secret = (bytes: number) => randomBytes(bytes).toString('hex');
const INTERNAL_SECRET = secret(32);
const JWT_SECRET = secret(32);
const METRICS_TOKEN = secret(16);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function token(role = 'admin'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, azp: 'replicas-test' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`replicas-test-${role}`)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

interface Outcome {
  ok: boolean;
  status: number;
  data?: Record<string, unknown> | null;
  error?: string;
}

async function post(url: string, bearer: string, query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not the hub's answer: HAProxy's own error page (no replica in rotation, or none answered).
      return { ok: false, status: response.status, error: `${response.status} ${response.headers.get('content-type') ?? ''} answer that is not JSON: ${text.replace(/\s+/g, ' ').slice(0, 120)}` };
    }
    const ok = response.status === 200 && !body.errors?.length && body.data != null;
    return { ok, status: response.status, data: body.data, error: ok ? undefined : `${response.status} ${body.errors?.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ')}` };
  } catch (error) {
    return { ok: false, status: 0, error: (error as Error).message };
  }
}

const CREATE_PATIENT = `mutation ($name: String!) { createPatient(input: { name: $name, birthDate: "1961-04-12", sex: FEMALE }) { id } }`;
// Every reading carries an idempotency key of its own: HAProxy re-sends a request whose replica died
// mid-write (retry-on empty-response), and the key makes that re-send store nothing twice.
const ADD_SYSTOLIC = `mutation ($id: ID!, $v: Float!, $key: String) { addObservation(patientId: $id, input: { code: "8480-6", value: $v, unit: "mm[Hg]", idempotencyKey: $key }) { id } }`;
const PATIENT_VIEW = `query ($id: ID!) { patient(id: $id) { id name observations { code value } variants(first: 5) { id } risk { cardiovascular { pce10y } } } }`;
const GENE = `{ gene(symbol: "BRAF") { symbol } }`;
const RISK_UPDATED = `subscription ($id: ID!) { riskUpdated(patientId: $id) { patient { id } risk { cardiovascular { inputs { systolicBp } } } } }`;

async function createPatient(url: string, bearer: string, name: string): Promise<string> {
  const outcome = await post(url, bearer, CREATE_PATIENT, { name });
  assert.ok(outcome.ok, `createPatient failed: ${outcome.error}`);
  return (outcome.data!.createPatient as { id: string }).id;
}

/** 1. A subscription on gateway replica A hears a mutation sent through gateway replica B. */
async function subscriptionAcrossGateways(hub: ReplicaHub, bearer: string): Promise<void> {
  const [gatewayA, gatewayB] = hub.replicas.gateway;
  const id = await createPatient(gatewayB!.url, bearer, 'Replica Subscriber');
  const client = createClient({ url: gatewayA!.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${bearer}` } });
  try {
    const received = new Promise<{ data?: { riskUpdated?: { risk: { cardiovascular: { inputs: { systolicBp: number } } } } } }>((resolve, reject) => {
      client.subscribe({ query: RISK_UPDATED, variables: { id } }, { next: (message) => resolve(message as never), error: reject, complete: () => undefined });
    });
    // The gateway opens its upstream subscription to an inference replica (through HAProxy) first.
    await sleep(1500);
    const sentAt = Date.now();
    const mutation = await post(gatewayB!.url, bearer, ADD_SYSTOLIC, { id, v: 137 });
    assert.ok(mutation.ok, `addObservation through gateway B failed: ${mutation.error}`);
    const returnedAt = Date.now();
    const message = await Promise.race([received, sleep(15_000).then(() => undefined)]);
    assert.ok(message, 'no riskUpdated on gateway A within 15 s of the mutation through gateway B');
    assert.equal(message.data?.riskUpdated?.risk.cardiovascular.inputs.systolicBp, 137);
    console.log(
      `(1) riskUpdated across gateway replicas: subscribed on ${gatewayA!.spec.name} (:${gatewayA!.spec.port}), addObservation through ${gatewayB!.spec.name} (:${gatewayB!.spec.port}); ` +
        `update received ${Date.now() - returnedAt} ms after the mutation returned (${Date.now() - sentAt} ms after it was sent), systolicBp ${message.data?.riskUpdated?.risk.cardiovascular.inputs.systolicBp}`,
    );
  } finally {
    await client.dispose();
  }
}

interface Handled {
  replica: string;
  handled: number;
  retries: number;
  leaseLost: number;
}

/** hub_events_* counters of one inference replica for a consumer group and outbox. */
async function inferenceCounters(url: string, consumer: string, source: string): Promise<Omit<Handled, 'replica'>> {
  const response = await fetch(url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  assert.equal(response.status, 200, `inference /metrics answered ${response.status}: ${text.slice(0, 200)}`);
  const value = (name: string) => {
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) && line.includes(`consumer="${consumer}"`) && line.includes(`source="${source}"`)) sum += Number(line.split(' ').pop());
    }
    return sum;
  };
  return { handled: value('hub_events_handled_total'), retries: value('hub_events_retries_total'), leaseLost: value('hub_events_lease_lost_total') };
}

/** Waits until the group's cursor is past every event of the outbox and nothing waits for a retry. */
async function drained(db: pg.Client, consumer: string, source: string, timeoutMs: number): Promise<{ behind: number; retryPending: number; deadLetters: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ behind: number; retry_pending: number; dead_letters: number }>(
      `SELECT (SELECT count(*)::int FROM ${source} e LEFT JOIN inference.outbox_cursor c ON c.consumer = $1 AND c.source = $2
                WHERE (e.txid, e.id) > (coalesce(c.last_txid, '0'::xid8), coalesce(c.last_id, 0))) AS behind,
              (SELECT count(*)::int FROM inference.event_retries WHERE consumer = $1 AND source = $2) AS retry_pending,
              (SELECT count(*)::int FROM inference.event_dead_letters WHERE consumer = $1 AND source = $2) AS dead_letters`,
      [consumer, source],
    );
    const state = { behind: rows[0]!.behind, retryPending: rows[0]!.retry_pending, deadLetters: rows[0]!.dead_letters };
    if (state.behind === 0 && state.retryPending === 0) return state;
    if (Date.now() > deadline) {
      // Why not: the group's lease, and the oldest transaction on the server (the consumer reads only
      // events older than every running transaction, cluster-wide: lib/../outbox-consumer.ts).
      const cursor = await db.query(`SELECT lease_owner, lease_expires_at - now() AS lease_left, updated_at FROM inference.outbox_cursor WHERE consumer = $1 AND source = $2`, [consumer, source]);
      const oldest = await db.query(
        `SELECT datname, state, now() - xact_start AS age, left(query, 80) AS query FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL ORDER BY xact_start LIMIT 3`,
      );
      console.log(`    not drained after ${timeoutMs / 1000} s: cursor ${JSON.stringify(cursor.rows)}; oldest transactions ${JSON.stringify(oldest.rows)}`);
      return state;
    }
    await sleep(250);
  }
}

/** 2. Every patient.outbox event handled once across the two inference replicas. */
async function exactlyOnce(hub: ReplicaHub, db: pg.Client, bearer: string, group: string): Promise<void> {
  const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => createPatient(hub.gatewayUrl, bearer, `Exactly Once ${i}`)));
  const writes = await Promise.all(
    Array.from({ length: 200 }, (_, i) => post(hub.gatewayUrl, bearer, ADD_SYSTOLIC, { id: ids[i % ids.length], v: 110 + (i % 50) })),
  );
  assert.deepEqual(writes.filter((w) => !w.ok).map((w) => w.error), [], 'every addObservation of phase 2 succeeds');
  const state = await drained(db, group, 'patient.outbox', 60_000);
  assert.deepEqual(state, { behind: 0, retryPending: 0, deadLetters: 0 }, 'the inference group is past every patient event');
  const events = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM patient.outbox')).rows[0]!.n;
  const perReplica: Handled[] = [];
  for (const replica of hub.replicas.inference) perReplica.push({ replica: replica.spec.name, ...(await inferenceCounters(replica.url, group, 'patient.outbox')) });
  const handled = perReplica.reduce((sum, r) => sum + r.handled, 0);
  console.log(
    `(2) exactly once: patient.outbox holds ${events} events; handled by the inference group ${handled} times in all ` +
      `(${perReplica.map((r) => `${r.replica} ${r.handled}`).join(', ')}); retries ${perReplica.reduce((s, r) => s + r.retries, 0)}, leases lost ${perReplica.reduce((s, r) => s + r.leaseLost, 0)}, dead letters ${state.deadLetters}`,
  );
  assert.equal(handled, events, 'each outbox event is handled exactly once across the inference replicas');
  assert.ok(perReplica.every((r) => r.retries === 0 && r.leaseLost === 0));
}

interface LoadResult {
  total: number;
  failed: number;
  mutationsOk: number;
  /** Mutations the caller saw fail: each may or may not have been stored (a write cut off mid-way). */
  mutationsFailed: number;
  failures: Map<string, number>;
  perSecond: number;
}

/** Steady load through HAProxy until stop(): reads of three subgraphs, knowledge-graph reads and mutations. */
function steadyLoad(url: string, bearer: string, patientIds: string[]): { stop(): Promise<LoadResult> } {
  let running = true;
  const result: LoadResult = { total: 0, failed: 0, mutationsOk: 0, mutationsFailed: 0, failures: new Map(), perSecond: 0 };
  const started = Date.now();
  const worker = async (w: number) => {
    for (let i = 0; running; i += 1) {
      const id = patientIds[(w * 7 + i) % patientIds.length]!;
      const kind = i % 4;
      const outcome =
        kind === 0 ? await post(url, bearer, ADD_SYSTOLIC, { id, v: 100 + ((w + i) % 80), key: randomUUID() }) : kind === 3 ? await post(url, bearer, GENE) : await post(url, bearer, PATIENT_VIEW, { id });
      result.total += 1;
      if (outcome.ok) {
        if (kind === 0) result.mutationsOk += 1;
      } else {
        result.failed += 1;
        if (kind === 0) result.mutationsFailed += 1;
        const key = (outcome.error ?? 'unknown').slice(0, 160);
        result.failures.set(key, (result.failures.get(key) ?? 0) + 1);
      }
    }
  };
  const workers = Array.from({ length: LOAD_WORKERS }, (_, w) => worker(w));
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      result.perSecond = result.total / ((Date.now() - started) / 1000);
      return result;
    },
  };
}

/** 3. Kill one replica of every service, then restart every replica, one per service at a time, under load. */
async function chaosUnderLoad(hub: ReplicaHub, db: pg.Client, bearer: string, group: string): Promise<void> {
  const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => createPatient(hub.gatewayUrl, bearer, `Steady Load ${i}`)));
  const eventsBefore = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM patient.outbox WHERE topic = 'patient.observation.added'`)).rows[0]!.n;
  const load = steadyLoad(hub.gatewayUrl, bearer, ids);
  const services = REPLICATED_SERVICES.map((s) => s.name);
  const timeline: string[] = [];
  const t0 = Date.now();
  const mark = (what: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
  await sleep(3000);
  // kill -9 of replica 1 of every service at once; the supervisor starts new ones.
  const killed = services.map((name) => {
    const replica = hub.replicas[name][0]!;
    return { replica, pid: replica.kill('SIGKILL') };
  });
  mark(`SIGKILL ${killed.map((k) => `${k.replica.spec.name} (pid ${k.pid})`).join(', ')}`);
  await Promise.all(killed.map((k) => k.replica.waitReplaced(k.pid, 120_000)));
  mark('every killed replica back and healthy');
  await sleep(2000);
  // Rolling restart: SIGTERM (graceful) to replica 2 of every service, wait until they are back, then replica 1.
  for (const index of [1, 0]) {
    const restarting = services.map((name) => {
      const replica = hub.replicas[name][index]!;
      return { replica, pid: replica.kill('SIGTERM') };
    });
    mark(`SIGTERM ${restarting.map((k) => k.replica.spec.name).join(', ')}`);
    await Promise.all(restarting.map((k) => k.replica.waitReplaced(k.pid, 120_000)));
    mark(`${restarting.map((k) => k.replica.spec.name).join(', ')} back and healthy`);
    await sleep(2000);
  }
  const result = await load.stop();
  mark('load stopped');
  const state = await drained(db, group, 'patient.outbox', 90_000);
  const eventsAfter = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM patient.outbox WHERE topic = 'patient.observation.added'`)).rows[0]!.n;
  const ratio = result.failed / result.total;
  console.log(`(3) under load (${LOAD_WORKERS} concurrent callers through HAProxy, ${result.perSecond.toFixed(1)} req/s):`);
  for (const line of timeline) console.log(`      ${line}`);
  console.log(
    `    requests ${result.total}, failed ${result.failed} (${(ratio * 100).toFixed(3)} %, limit ${MAX_FAILED_RATIO * 100} %); ` +
      `addObservation succeeded ${result.mutationsOk}, observation events written ${eventsAfter - eventsBefore}; ` +
      `inference group behind ${state.behind}, retries pending ${state.retryPending}, dead letters ${state.deadLetters}`,
  );
  for (const [error, n] of result.failures) console.log(`      failure ×${n}: ${error}`);
  assert.ok(ratio <= MAX_FAILED_RATIO, `failed ${(ratio * 100).toFixed(3)} % of requests (limit ${MAX_FAILED_RATIO * 100} %)`);
  // Exactly one event per stored reading: none lost, and none twice although HAProxy re-sent some requests.
  const written = eventsAfter - eventsBefore;
  assert.ok(written >= result.mutationsOk, 'every successful addObservation wrote its event');
  assert.ok(written <= result.mutationsOk + result.mutationsFailed, `${written} observation events for ${result.mutationsOk + result.mutationsFailed} readings sent: a re-sent write was stored twice`);
  assert.deepEqual(state, { behind: 0, retryPending: 0, deadLetters: 0 }, 'no event lost: the inference group handled every event');
}

/** 4. Requests per replica, from HAProxy's statistics. */
async function requestsPerReplica(hub: ReplicaHub): Promise<void> {
  const stats = await hub.stats();
  console.log('(4) requests per replica (HAProxy req_tot; retries / redispatches at that replica):');
  for (const service of REPLICATED_SERVICES) {
    const rows = stats.filter((s) => s.backend === service.name);
    const total = rows.reduce((sum, r) => sum + r.requests, 0);
    console.log(
      `      ${service.name.padEnd(16)} ${rows.map((r) => `${r.server} ${r.requests} (${total ? ((100 * r.requests) / total).toFixed(0) : 0} %, ${r.retries}/${r.redispatches})`).join('  ')}`,
    );
    assert.ok(
      rows.every((r) => r.requests > 0),
      `every ${service.name} replica served requests`,
    );
  }
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  const adminUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dbName = `precision_hub_replicas_${process.pid}`;
  const databaseUrl = Object.assign(new URL(adminUrl.toString()), { pathname: `/${dbName}` }).toString();
  await ensureDatabase(databaseUrl);
  const group = 'inference';
  const neo4jDir = process.env.NEO4J_URI ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-replicas-neo4j-'));
  const neo4j = await ensureKnowledgeGraph(
    { uri: process.env.NEO4J_URI || undefined, user: process.env.NEO4J_USER || undefined, password: process.env.NEO4J_PASSWORD || undefined, dataDir: neo4jDir ?? '', boltPort: await freePort() },
    log,
    undefined,
    { releasesDir: null },
  );
  let hub: ReplicaHub | undefined;
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    hub = await startReplicaHub({
      databaseUrl,
      redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      neo4j: neo4j.connection,
      env: {
        NODE_ENV: 'test',
        HUB_INTERNAL_SECRET: INTERNAL_SECRET,
        JWT_SECRET,
        METRICS_TOKEN,
        INFERENCE_CONSUMER_GROUP: group,
        // The test measures availability: one caller's load must not meet its own rate limit.
        GATEWAY_RATE_LIMIT_PER_SECOND: '0',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      log,
      stdio: process.env.REPLICAS_TEST_LOGS === '1' ? 'inherit' : 'ignore',
    });
    const startSeconds = (Date.now() - startedAt) / 1000;
    console.log(
      `replica hub up in ${startSeconds.toFixed(1)} s: ${REPLICATED_SERVICES.map((s) => `${s.name} ×${hub!.replicas[s.name].length}`).join(', ')} behind HAProxy ${hub.gatewayUrl}; ` +
        `Redis, database ${dbName}, Neo4j ${neo4j.connection.uri}`,
    );
    await db.connect();
    const bearer = await token('admin');
    await subscriptionAcrossGateways(hub, bearer);
    await exactlyOnce(hub, db, bearer, group);
    await chaosUnderLoad(hub, db, bearer, group);
    await requestsPerReplica(hub);
    console.log(`replica test passed in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    return 0;
  } catch (error) {
    // What HAProxy saw of each replica: a failure through it is often a replica it took out of rotation.
    const rows = await hub?.stats().catch(() => []);
    for (const r of rows ?? []) {
      console.error(`    haproxy ${r.backend}/${r.server}: ${r.status}, last check ${r.lastCheck || '-'}, checks failed ${r.checksFailed}, taken down ${r.downs}, errors ${r.errors}, retries ${r.retries}`);
    }
    throw error;
  } finally {
    await db.end().catch(() => undefined);
    await hub?.close();
    await neo4j.close();
    if (neo4jDir) fs.rmSync(neo4jDir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: Object.assign(new URL(adminUrl.toString()), { pathname: '/postgres' }).toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`).finally(() => admin.end());
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`replica test FAILED: ${(error as Error).message}`);
    if (!(error instanceof assert.AssertionError)) console.error(error);
    process.exit(1);
  },
);
