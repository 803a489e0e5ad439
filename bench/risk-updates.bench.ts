/**
 * Live risk updates at scale: end-to-end latency from `addObservation` (a GraphQL mutation through
 * the gateway) to each subscriber's `riskUpdated` message, at N concurrent subscriptions on one
 * gateway, and the hub's memory per subscription.
 *
 *   npm run bench:subscriptions -- [--subscribers 1,1000,10000] [--rounds 20,10,5] [--per-connection 100]
 *                                  [--slow-at 1000] [--slow-subscriptions 100] [--slow-pairs 2]
 *
 * Two processes. This one runs the hub (four subgraphs + gateway, real PostgreSQL in the database
 * `precision_hub_bench_subs`, created fresh and dropped at the end; embedded Neo4j in a temp folder
 * on a free port), so its memory is the hub's only. A forked child (`--role clients`) holds every
 * graphql-ws client and also sends the mutations, so send and receive times are read on one clock.
 * graphql-ws multiplexes subscriptions: N subscriptions ride on ceil(N / per-connection) sockets.
 * graphql-ws has no per-subscription acknowledgement, so a subscription counts as established once
 * it has delivered a warm-up message (warm-up mutations repeat until every subscription has one).
 * The slow-subscriber check (at N = slow-at) adds one more connection whose subscriptions are
 * established and whose socket then stops reading, and compares the others' latency in alternating
 * phases without it and with it (slow-pairs times).
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { dropDatabase, ensureDatabase } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { gql, wsClient } from '../tests/support/graphql';
import { defaultCredentials, TEST_INTERNAL_SECRET, TEST_JWT_SECRET } from '../tests/support/auth';
import { withLocalSecrets } from '../lib/local-secrets';
import { answerCommands, exposeGc, forkClientProcess } from './forked-clients';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    subscribers: { type: 'string' },
    rounds: { type: 'string' },
    'per-connection': { type: 'string' },
    'slow-at': { type: 'string' },
    'slow-subscriptions': { type: 'string' },
    'slow-pairs': { type: 'string' },
  },
});

const BENCH_DATABASE = 'precision_hub_bench_subs';
const GOAL_MS = 200;
const ROUND_TIMEOUT_MS = 30_000;
const WARM_UP_TIMEOUT_MS = 120_000;

// Only fields the inference subgraph owns: one delivery is one message, with no `_entities` fetch
// per subscriber (selecting `patient { name }` would add one patient-subgraph call per delivery).
const RISK_UPDATED = `subscription ($id: ID!) {
  riskUpdated(patientId: $id) { risk { cardiovascular { pce10y inputs { systolicBp } } } reason computedAt }
}`;
const ADD_OBSERVATION = `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { id } }`;

interface RiskMessage {
  data?: { riskUpdated?: { risk: { cardiovascular: { inputs: { systolicBp: number | null } } } } } | null;
}

const systolicOf = (message: RiskMessage) => message.data?.riskUpdated?.risk.cardiovascular.inputs.systolicBp ?? null;

// ---------------------------------------------------------------------------------------------
// Statistics (nearest rank).

interface LatencySummary {
  deliveries: number;
  expected: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  withinGoal: number;
  messagesPerSecond: number;
  mutationP50: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarise(latencies: number[], expected: number, busyMs: number, mutationMs: number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const list = Array.from(sorted);
  const mutations = Array.from(Float64Array.from(mutationMs).sort());
  return {
    deliveries: list.length,
    expected,
    p50: percentile(list, 50),
    p90: percentile(list, 90),
    p99: percentile(list, 99),
    max: list.at(-1) ?? NaN,
    withinGoal: list.filter((ms) => ms <= GOAL_MS).length / expected,
    messagesPerSecond: list.length / (busyMs / 1000),
    mutationP50: percentile(mutations, 50),
  };
}

// ---------------------------------------------------------------------------------------------
// Client process: every subscriber, and the mutations.

type Command =
  | { id: number; type: 'open'; url: string; patientId: string; count: number; perConnection: number }
  | { id: number; type: 'warm-up' }
  | { id: number; type: 'rounds'; rounds: number }
  | { id: number; type: 'slow-open'; subscriptions: number }
  | { id: number; type: 'slow-close' }
  | { id: number; type: 'close' };

interface Subscriber {
  expected: number | null;
  receivedAt: number;
  warmedUp: boolean;
  error: unknown;
}

function runClients() {
  let url = '';
  let patientId = '';
  let clients: Client[] = [];
  let disposers: (() => void)[] = [];
  let subscribers: Subscriber[] = [];
  let slow: { socket: WebSocket; nexts: number; subscriptions: number } | undefined;
  let sequence = 0;
  // Woken on every delivery; the round loop checks whether its round is complete.
  let onDelivery: (() => void) | undefined;

  // Distinct SBP per mutation so a late message of an earlier round is never counted for this one.
  const nextSystolic = () => 100 + (sequence++ % 200) * 0.5;

  const sendObservation = async (systolic: number) => {
    const response = await gql(url, ADD_OBSERVATION, { id: patientId, input: { code: '8480-6', value: systolic, unit: 'mm[Hg]' } });
    if (response.errors) throw new Error(`addObservation failed: ${JSON.stringify(response.errors)}`);
  };

  const open = async (command: Extract<Command, { type: 'open' }>) => {
    ({ url, patientId } = command);
    const connections = Math.ceil(command.count / command.perConnection);
    for (let c = 0; c < connections; c++) {
      const client = wsClient(url);
      clients.push(client);
      const onThis = Math.min(command.perConnection, command.count - c * command.perConnection);
      for (let s = 0; s < onThis; s++) {
        const subscriber: Subscriber = { expected: null, receivedAt: -1, warmedUp: false, error: undefined };
        subscribers.push(subscriber);
        disposers.push(
          client.subscribe<RiskMessage['data']>(
            { query: RISK_UPDATED, variables: { id: patientId } },
            {
              next: (message) => {
                const now = performance.now();
                subscriber.warmedUp = true;
                if (subscriber.expected !== null && systolicOf(message as RiskMessage) === subscriber.expected && subscriber.receivedAt < 0) {
                  subscriber.receivedAt = now;
                  onDelivery?.();
                }
              },
              error: (error) => {
                subscriber.error = error;
              },
              complete: () => undefined,
            },
          ),
        );
      }
      // Let the socket open and flush before the next connection's burst.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { connections, subscriptions: subscribers.length };
  };

  const warmUp = async () => {
    const started = performance.now();
    let mutations = 0;
    const slowReady = () => !slow || slow.nexts >= slow.subscriptions;
    while (subscribers.some((s) => !s.warmedUp) || !slowReady()) {
      const failed = subscribers.filter((s) => s.error !== undefined);
      if (failed.length) throw new Error(`${failed.length} subscriptions failed, e.g. ${JSON.stringify(failed[0]!.error)}`);
      if (performance.now() - started > WARM_UP_TIMEOUT_MS) {
        throw new Error(`after ${WARM_UP_TIMEOUT_MS} ms only ${subscribers.filter((s) => s.warmedUp).length}/${subscribers.length} subscriptions delivered`);
      }
      await sendObservation(nextSystolic());
      mutations++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // Let the last warm-up deliveries drain before anything is timed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { ms: performance.now() - started, mutations };
  };

  const rounds = async (count: number) => {
    const latencies: number[] = [];
    const mutationMs: number[] = [];
    let busyMs = 0;
    let missed = 0;
    for (let round = 0; round < count; round++) {
      const systolic = nextSystolic();
      for (const s of subscribers) {
        s.expected = systolic;
        s.receivedAt = -1;
      }
      let outstanding = subscribers.length;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ROUND_TIMEOUT_MS);
        onDelivery = () => {
          if (--outstanding === 0) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const sentAt = performance.now();
      await sendObservation(systolic);
      mutationMs.push(performance.now() - sentAt);
      await done;
      onDelivery = undefined;
      let last = sentAt;
      for (const s of subscribers) {
        if (s.receivedAt < 0) missed++;
        else {
          latencies.push(s.receivedAt - sentAt);
          last = Math.max(last, s.receivedAt);
        }
        s.expected = null;
      }
      busyMs += last - sentAt;
      // A pause between rounds, so one round's tail never overlaps the next round's send.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { ...summarise(latencies, count * subscribers.length, busyMs, mutationMs), missed };
  };

  // The slow subscriber: a raw graphql-transport-ws socket that subscribes, receives one message
  // per subscription (so they are established), then stops reading.
  const slowOpen = async (subscriptions: number) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const state = { socket, nexts: 0, subscriptions };
    const credentials = await defaultCredentials();
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: credentials })));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'connection_ack') {
          for (let s = 0; s < subscriptions; s++) {
            socket.send(JSON.stringify({ id: `slow-${s}`, type: 'subscribe', payload: { query: RISK_UPDATED, variables: { id: patientId } } }));
          }
          resolve();
        } else if (message.type === 'next') state.nexts++;
      });
    });
    // From here on a late socket error (e.g. after terminate) is not a failure of the run.
    socket.on('error', () => undefined);
    slow = state;
    const warm = await warmUp();
    // `ws` has no public pause; its underlying net.Socket stops reading, so TCP backs up to the gateway.
    (socket as unknown as { _socket: Socket })._socket.pause();
    return { warmUpMutations: warm.mutations };
  };

  const slowClose = async () => {
    if (!slow) return {};
    const { socket } = slow;
    slow = undefined;
    socket.terminate();
    return {};
  };

  const close = async () => {
    for (const dispose of disposers) dispose();
    await Promise.all(clients.map((client) => client.dispose()));
    clients = [];
    disposers = [];
    subscribers = [];
    return { rss: process.memoryUsage().rss };
  };

  answerCommands<Command>((command) => {
    const handlers: Record<Command['type'], () => Promise<unknown>> = {
      open: () => open(command as Extract<Command, { type: 'open' }>),
      'warm-up': warmUp,
      rounds: () => rounds((command as Extract<Command, { type: 'rounds' }>).rounds),
      'slow-open': () => slowOpen((command as Extract<Command, { type: 'slow-open' }>).subscriptions),
      'slow-close': slowClose,
      close,
    };
    return handlers[command.type]();
  });
}

// ---------------------------------------------------------------------------------------------
// Hub process.



const list = (raw: string | undefined, fallback: number[]) => (raw ? raw.split(',').map(Number) : fallback);
const defaultRounds = (n: number) => (n <= 1 ? 20 : n <= 1000 ? 10 : 5);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

type RoundsResult = LatencySummary & { missed: number };

async function runHub() {
  const SUBSCRIBERS = list(values.subscribers, [1, 1000, 10000]);
  const roundList = list(values.rounds, []);
  const ROUNDS = SUBSCRIBERS.map((n, i) => roundList[i] ?? (roundList.length === 1 ? roundList[0]! : defaultRounds(n)));
  const PER_CONNECTION = Number(values['per-connection'] ?? 100);
  const SLOW_AT = Number(values['slow-at'] ?? 1000);
  const SLOW_SUBSCRIPTIONS = Number(values['slow-subscriptions'] ?? 100);
  const SLOW_PAIRS = Number(values['slow-pairs'] ?? 2);
  const gc = exposeGc();
  const started = performance.now();
  const load = os.loadavg();

  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${BENCH_DATABASE}`;
  await dropDatabase(base.toString());
  await ensureDatabase(base.toString());
  const neo4jDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-subs-neo4j-'));
  const log = createLogger('bench', 'warn');
  const config = withLocalSecrets(loadConfig({
    HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    JWT_SECRET: TEST_JWT_SECRET,
    ...process.env,
    DATABASE_URL: base.toString(),
    NEO4J_URI: '',
    NEO4J_DATA_DIR: neo4jDir,
    NEO4J_BOLT_PORT: '0',
    // One machine plays every client: the per-client rate limit (gateway/limits.ts) would measure itself.
    GATEWAY_RATE_LIMIT_PER_SECOND: process.env.GATEWAY_RATE_LIMIT_PER_SECOND ?? '0',
    PORT: '0',
    PATIENT_PORT: '0',
    GENOMICS_PORT: '0',
    KNOWLEDGE_GRAPH_PORT: '0',
    INFERENCE_PORT: '0',
    REDIS_URL: '',
  }));
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHub(config, neo4j.connection, log);
  const { child, request } = forkClientProcess(__filename);
  const rows: string[] = [];
  const slowRows: string[] = [];
  let slowSummary = '';
  try {
    const created = await gql<{ createPatient: { id: string } }>(
      hub.gateway.url,
      `mutation { createPatient(input: { name: "Bench Subscriber", birthDate: "1961-03-03", sex: MALE, race: WHITE }) { id } }`,
    );
    if (!created.data) throw new Error(`createPatient failed: ${JSON.stringify(created.errors)}`);
    const patientId = created.data.createPatient.id;
    // Cholesterol and HDL too, so every update carries a full PCE estimate, not only missing inputs.
    for (const [code, value, unit] of [['2093-3', 210, 'mg/dL'], ['2085-9', 45, 'mg/dL']] as const) {
      await gql(hub.gateway.url, ADD_OBSERVATION, { id: patientId, input: { code, value, unit } });
    }

    for (const [index, n] of SUBSCRIBERS.entries()) {
      gc();
      const before = process.memoryUsage();
      const openedAt = performance.now();
      const opened = await request<{ connections: number; subscriptions: number }>({
        type: 'open',
        url: hub.gateway.url,
        patientId,
        count: n,
        perConnection: PER_CONNECTION,
      });
      const warm = await request<{ ms: number; mutations: number }>({ type: 'warm-up' });
      const establishedS = (performance.now() - openedAt) / 1000;
      gc();
      const after = process.memoryUsage();
      const measured = await request<RoundsResult & { clientRss: number }>({ type: 'rounds', rounds: ROUNDS[index]! });
      rows.push(
        `| ${n.toLocaleString('en')} | ${opened.connections} | ${ROUNDS[index]} | ${measured.deliveries.toLocaleString('en')} | ${measured.missed} | ` +
          `${ms(measured.p50)} | ${ms(measured.p90)} | ${ms(measured.p99)} | ${ms(measured.max)} | ${(measured.withinGoal * 100).toFixed(2)} % | ` +
          `${Math.round(measured.messagesPerSecond).toLocaleString('en')} | ${ms(measured.mutationP50)} | ${establishedS.toFixed(1)} (${warm.mutations}) | ` +
          `${kb((after.heapUsed - before.heapUsed) / n)} | ${kb((after.rss - before.rss) / n)} | ${mb(after.rss)} | ${mb(measured.clientRss)} |`,
      );
      console.error(`N=${n} done: ${rows.at(-1)}`);

      if (n === SLOW_AT) {
        // Alternating phases (the machine is shared): without, with, without, with, without.
        const phases: [string, RoundsResult][] = [['without', measured]];
        for (let pair = 0; pair < SLOW_PAIRS; pair++) {
          await request({ type: 'slow-open', subscriptions: SLOW_SUBSCRIPTIONS });
          phases.push(['with paused connection', await request<RoundsResult>({ type: 'rounds', rounds: ROUNDS[index]! })]);
          await request({ type: 'slow-close' });
          phases.push(['without', await request<RoundsResult>({ type: 'rounds', rounds: ROUNDS[index]! })]);
        }
        const medianP99 = (label: string) => median(phases.filter(([phase]) => phase === label).map(([, r]) => r.p99));
        const baseline = medianP99('without');
        for (const [phase, r] of phases) {
          slowRows.push(
            `| ${phase} | ${r.deliveries.toLocaleString('en')} | ${r.missed} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${(r.p99 / baseline).toFixed(2)}× |`,
          );
        }
        slowSummary = `median p99 with / without: ${(medianP99('with paused connection') / baseline).toFixed(2)}×`;
      }
      await request({ type: 'close' });
    }

    const ulimit = execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim();
    console.log(
      [
        `| subscribers | connections | rounds | deliveries | missed | p50 ms | p90 ms | p99 ms | max ms | ≤ ${GOAL_MS} ms | messages/s | mutation p50 ms | established s (warm-up mutations) | hub heap Δ / sub KB | hub RSS Δ / sub KB | hub RSS MB | clients RSS MB |`,
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
        `slow subscriber at N = ${SLOW_AT.toLocaleString('en')}: one extra connection, ${SLOW_SUBSCRIPTIONS} subscriptions, socket paused; ratio = p99 / median p99 of the phases without`,
        '',
        '| phase | deliveries | missed | p50 ms | p99 ms | max ms | p99 ratio |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...slowRows,
        '',
        slowSummary,
        '',
        `${PER_CONNECTION} subscriptions per connection; ulimit -n ${ulimit}; node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model}); ` +
          `load average at start ${load.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
          `run ${((performance.now() - started) / 1000).toFixed(0)} s`,
      ].join('\n'),
    );
  } finally {
    child.disconnect();
    await hub.close();
    await neo4j.close();
    fs.rmSync(neo4jDir, { recursive: true, force: true });
    await dropDatabase(base.toString());
  }
}

if (values.role === 'clients') runClients();
else {
  runHub().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
