/**
 * Gateway throughput, side by side in one run: the same query through our Hive Gateway runtime and
 * through @apollo/gateway, over the same four running subgraphs and the same data. Rounds alternate
 * (ours, Apollo's, ours, ...) so machine noise hits both; the ratio is what to read.
 *
 * Ours runs with authentication (a bearer token per request, an identity assertion per subgraph
 * request), query limits and the audit log on; Apollo's forwards the same assertion and has none of
 * them. A third contender, ours with the same query minus `name`, reads no identified field and so
 * writes no audit record: hive / hive-without-name is the cost of auditing (issue 9: ≤ 15 %).
 * A fourth, the same Hive runtime composed here without our plugins (no authentication, limits,
 * metrics or persisted-query checks; it forwards a fixed assertion as Apollo's does), gives the cost
 * of those: hive / plain runtime. It exists only in this bench; the hub has no way to switch them off.
 *
 * Ours runs twice, as two gateways with the same options but the query planner
 * (GATEWAY_QUERY_PLANNER, issue 19 item 5): the runtime's JavaScript planner and the Hive Router's
 * Rust planner (`@graphql-hive/router-runtime`). The other two contenders use the default planner.
 * A sixth is ours with the gateway's knowledge-graph entity cache off (GATEWAY_KNOWLEDGE_CACHE_TTL_MS=0): every
 * other gateway of ours answers the variants' genes and therapies from its cache after the first request (the
 * bench reads one patient again and again; a ward's patients share fewer variants), Apollo's asks every time.
 * After the throughput rounds, the JS and Rust planners, Apollo, the cache-off gateway and a one-subgraph read
 * of the same patient (`name observations`, the patient subgraph alone) run alternating rounds on one connection
 * (`--latency-seconds`, 0 to skip): the median latency of one request at a time, timed to the microsecond here (not
 * by autocannon, whose whole milliseconds are too coarse at 2–5 ms), and patient-360 / one-subgraph.
 *
 * The hub runs as `npm start` runs it (`--hub processes`, the default): each subgraph its own process under the
 * supervisor, and each contender gateway a process of its own forked from this one; CPU per request is the time
 * the subgraphs' processes and that contender's process spent during its round (from /proc), over its requests.
 * The load generator (autocannon) runs in this process and does not count. `--hub single` runs every subgraph,
 * gateway and the load generator in this one process, as the bench did before, and counts all of it.
 *
 *   npm run bench -- [--seconds 10] [--rounds 3] [--connections 20] [--latency-seconds 5] [--hub processes|single]
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { benchHubConfig, createBenchPatient } from './bench-hub';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { readSupergraph, startGateway, unifiedGraphHandlerFor, type Gateway } from '../gateway/server';
import type { GatewayQueryPlanner } from '../lib/gateway-query-planner';
import { assertionsOf, type SecuredConfig } from '../lib/local-secrets';
import type { Logger } from '../lib/logger';
import { gql } from '../tests/support/graphql';
import { asserted, bearer } from '../tests/support/auth';
import { ASSERTION_TTL_SECONDS } from '../lib/identity';
import { numberOption, stringOption } from './options';
import { startSupervisedHub } from '../scripts/supervisor-hub';
import { answerCommands, forkClientProcess } from './forked-clients';
import { cpuMsOf, processTree } from './process-tree';

const SECONDS = numberOption('seconds', 10);
const ROUNDS = numberOption('rounds', 3);
const CONNECTIONS = numberOption('connections', 20);
const LATENCY_SECONDS = numberOption('latency-seconds', 5);
const HUB_MODE = stringOption('hub', 'processes');
if (HUB_MODE !== 'processes' && HUB_MODE !== 'single') throw new Error('--hub must be processes or single');

const QUERY = `query ($id: ID!) {
  patient(id: $id) {
    name
    observations { code value unit }
    variants { id gene { symbol } therapies { drug { name } evidenceLevel source } }
    risk { cardiovascular { pce10y missing } }
  }
}`;
/** The same query without the one identified (audited) field. */
const QUERY_WITHOUT_NAME = QUERY.replace('\n    name\n', '\n');
if (QUERY_WITHOUT_NAME === QUERY) throw new Error('the bench query lost its `name` line');

interface Round {
  gateway: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Mean latency in ms. autocannon's percentiles (the throughput rounds) are whole milliseconds; the one-connection rounds' are to 0.01 ms. */
  mean: number;
  errors: number;
  non2xx: number;
  /**
   * CPU (user + system) over the round divided by the requests answered: with `--hub processes` the subgraphs'
   * processes and the contender's own; with `--hub single` this one process, where every gateway, subgraph and
   * the load generator run. Neo4j and PostgreSQL never count.
   */
  cpuMsPerRequest: number;
}

/**
 * @apollo/gateway refuses a supergraph using `@requiresScopes` ("feature … is for: SECURITY but is
 * unsupported" — only GraphOS Router enforces it). It would not enforce it anyway (the subgraphs do),
 * so Apollo's copy of the supergraph leaves the directive out.
 */
function withoutSecurityFeatures(sdl: string): string {
  return sdl
    .replace(' @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)', '')
    .replace(/ @requiresScopes\(scopes: \[(?:\[[^\]]*\](?:, )?)*\]\)/g, '')
    .replace(/^(directive @requiresScopes|scalar requiresScopes__Scope).*\n/gm, '');
}

const JS_PLANNER = 'ours, JS query planner';
const RUST_PLANNER = 'ours, Rust query planner (router-runtime)';
const APOLLO = '@apollo/gateway';
const UNAUDITED = 'ours (default planner), query without name (no audit record)';
const NO_CACHE = 'ours, JS query planner, knowledge-graph cache off';
const ONE_SUBGRAPH = 'ours, default query planner: a one-subgraph read of the same patient (name observations)';
/** The patient subgraph alone: what the patient-360 median is compared with (issue 19: ≤ 2.5×). */
const ONE_SUBGRAPH_QUERY = `query ($id: ID!) { patient(id: $id) { name observations { code value unit } } }`;
const PLAIN = 'hive-gateway-runtime (default planner) without our plugins (no auth, limits, metrics)';

/** Our gateway as scripts/hub.ts starts it, over the hub's subgraphs, with the given query planner. */
function gatewayWithPlanner(queryPlanner: GatewayQueryPlanner, config: SecuredConfig, subgraphUrls: Record<string, string>, log: Logger, knowledgeCacheTtlMs = config.gatewayKnowledgeCacheTtlMs): Promise<Gateway> {
  return startGateway({
    host: config.host,
    port: 0,
    log,
    subgraphUrls: { patient: subgraphUrls.patient!, genomics: subgraphUrls.genomics!, 'knowledge-graph': subgraphUrls['knowledge-graph']!, inference: subgraphUrls.inference! },
    auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
    limits: config.gatewayLimits,
    subgraphTimeoutMs: config.timeouts.gatewaySubgraphMs,
    subgraphMutationTimeoutMs: config.timeouts.gatewayMutationMs,
    corsOrigins: config.gatewayEdges.corsOrigins,
    metricsToken: config.gatewayEdges.metricsToken,
    queryPlanner,
    knowledgeCacheTtlMs,
    databaseUrl: config.databaseUrl,
  });
}

/**
 * The identity assertion Apollo's gateway and the plain runtime forward (they sign none of their own): an admin's,
 * signed again at half its lifetime, since the bench outlives one (ASSERTION_TTL_SECONDS; an expired assertion made
 * the subgraphs refuse every request of a late round, which then looked fast).
 */
function forwardedAssertion(): () => Promise<string> {
  let current: { value: Promise<string>; signedAt: number } | undefined;
  return () => {
    if (!current || Date.now() - current.signedAt > (ASSERTION_TTL_SECONDS * 1000) / 2) {
      current = { value: asserted({ subject: 'bench-admin', role: 'admin', client: 'precision-hub-bench' }).then((h) => h['x-hub-identity']!), signedAt: Date.now() };
    }
    return current.value;
  };
}

/** The same runtime and transports as gateway/server.ts, none of its plugins; the forwarded assertion on each subgraph request. */
async function startPlainRuntime(subgraphUrls: Record<string, string>, assertion: () => Promise<string>, queryPlanner: GatewayQueryPlanner) {
  const entry = (location: string) => ({ location, options: { deduplicateInflightRequests: false } });
  const runtime = createGatewayRuntime({
    supergraph: readSupergraph(),
    unifiedGraphHandler: await unifiedGraphHandlerFor(queryPlanner),
    graphqlEndpoint: '/graphql',
    logging: false,
    plugins: () => [
      {
        async onFetch({ options, setOptions }) {
          setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), 'x-hub-identity': await assertion() } });
        },
      },
    ],
    transportEntries: {
      patient: entry(subgraphUrls.patient!),
      genomics: entry(subgraphUrls.genomics!),
      'knowledge-graph': entry(subgraphUrls['knowledge-graph']!),
      inference: entry(subgraphUrls.inference!),
    },
  });
  const server = http.createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime[Symbol.asyncDispose]();
    },
  };
}

/**
 * Node's MaxListenersExceededWarning (issue 19: "no listener leak warnings under load"), counted per
 * contender whose round was running: every gateway runs in this one process, so the warning alone does not
 * say whose it is.
 */
const listenerWarnings = new Map<string, number>();
let roundUnderWay = 'start-up';
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') listenerWarnings.set(roundUnderWay, (listenerWarnings.get(roundUnderWay) ?? 0) + 1);
});

/** An admin's bearer token for the whole run (the tests' default lasts 10 minutes; a long run outlives it). */
const benchBearer = bearer({ sub: 'bench-admin', role: 'admin', expiresIn: 3 * 3600 });

/** This process's CPU milliseconds so far (`--hub single`: every contender runs here). */
const thisProcessCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Contender {
  name: string;
  url: string;
  body: string;
  /** CPU milliseconds so far of what serves this contender's requests. */
  cpuMs: () => number;
}

async function load({ name, url, body, cpuMs }: Contender, connections = CONNECTIONS, duration = SECONDS): Promise<Round> {
  roundUnderWay = name;
  const cpuBefore = cpuMs();
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await benchBearer) },
    body,
    connections,
    duration,
  });
  const cpu = cpuMs() - cpuBefore;
  return {
    gateway: name,
    cpuMsPerRequest: cpu / Math.max(1, result.requests.total),
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * One request at a time on one kept-alive connection for `duration` seconds, each timed to the microsecond.
 * autocannon's percentiles are whole milliseconds, which at 2–5 ms is a step of 20–50 % in a ratio of medians.
 */
async function oneAtATime({ name, url, body, cpuMs }: Contender, duration = LATENCY_SECONDS): Promise<Round> {
  roundUnderWay = name;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...(await benchBearer) };
  const send = () =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      });
      request.once('error', reject);
      request.end(body);
    });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const cpuBefore = cpuMs();
  const started = performance.now();
  try {
    while (performance.now() - started < duration * 1000) {
      const sent = performance.now();
      try {
        const status = await send();
        if (status < 200 || status >= 300) non2xx++;
        latencies.push(performance.now() - sent);
      } catch {
        errors++;
      }
    }
  } finally {
    agent.destroy();
  }
  const cpu = cpuMs() - cpuBefore;
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round2 = (ms: number) => Math.round(ms * 100) / 100;
  return {
    gateway: name,
    cpuMsPerRequest: cpu / Math.max(1, latencies.length),
    requestsPerSecond: latencies.length / elapsed,
    p50: round2(at(0.5)),
    p99: round2(at(0.99)),
    mean: round2(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    errors,
    non2xx,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type Kind = 'js' | 'rust' | 'nocache' | 'apollo' | 'plain';

/** One contender gateway over the subgraphs at `subgraphUrls`, in this process. */
async function startContenderGateway(kind: Kind, config: SecuredConfig, subgraphUrls: Record<string, string>, log: Logger, assertion: () => Promise<string>): Promise<{ url: string; close(): Promise<void> }> {
  if (kind === 'plain') return startPlainRuntime(subgraphUrls, assertion, config.gatewayQueryPlanner);
  if (kind === 'apollo') {
    const apollo = new ApolloServer({
      gateway: new ApolloGateway({
        supergraphSdl: withoutSecurityFeatures(readSupergraph()),
        // The subgraphs answer only requests carrying an identity assertion: Apollo's gateway forwards an admin's
        // (forwardedAssertion; it has no auth of its own to sign one with).
        buildService: ({ name }) =>
          new RemoteGraphQLDataSource({
            url: subgraphUrls[name],
            willSendRequest: async ({ request }) => {
              request.http?.headers.set('x-hub-identity', await assertion());
            },
          }),
      }),
    });
    const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
    return { url, close: () => apollo.stop() };
  }
  const gateway = await gatewayWithPlanner(kind === 'rust' ? 'rust' : 'js', config, subgraphUrls, log.child({ service: `gateway-${kind}` }), kind === 'nocache' ? 0 : undefined);
  return { url: gateway.url, close: () => gateway.close() };
}

/** `--role gateway`: one contender in a process of its own (`--hub processes`), answering the bench's commands. */
function runContenderProcess() {
  const kind = stringOption('kind', 'js') as Kind;
  const subgraphUrls = JSON.parse(stringOption('subgraphs', '{}')) as Record<string, string>;
  const started = startContenderGateway(kind, benchHubConfig(), subgraphUrls, createLogger('bench', 'warn'), forwardedAssertion());
  answerCommands<{ type: string; id: number }>(async (command) =>
    command.type === 'warnings' ? { warnings: [...listenerWarnings.values()].reduce((a, b) => a + b, 0) } : { url: (await started).url, pid: process.pid },
  );
}

interface HubUnderTest {
  subgraphUrls: Record<string, string>;
  /** The hub's own gateway (default planner). */
  gateway: { url: string; cpuMs: () => number };
  contender(kind: Kind): Promise<{ url: string; cpuMs: () => number; warnings?: () => Promise<number>; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function startHubUnderTest(config: SecuredConfig, neo4j: Awaited<ReturnType<typeof ensureKnowledgeGraph>>, log: Logger): Promise<HubUnderTest> {
  if (HUB_MODE === 'single') {
    const hub = await startHub(config, neo4j.connection, log);
    const subgraphUrls = { patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': hub.knowledgeGraph.url, inference: hub.inference.url };
    const assertion = forwardedAssertion();
    return {
      subgraphUrls,
      gateway: { url: hub.gateway.url, cpuMs: thisProcessCpuMs },
      async contender(kind) {
        const gateway = await startContenderGateway(kind, config, subgraphUrls, log, assertion);
        return { url: gateway.url, cpuMs: thisProcessCpuMs, close: () => gateway.close() };
      },
      close: () => hub.close(),
    };
  }
  // The services read their settings from the environment; the rate limit is off for them as in benchHubConfig,
  // and the contender processes' configuration names this run's Neo4j folder (they make no folder of their own).
  process.env.GATEWAY_RATE_LIMIT_PER_SECOND ??= '0';
  process.env.NEO4J_DATA_DIR ??= config.neo4j.dataDir;
  const hub = await startSupervisedHub(config, neo4j.connection, log);
  const subgraphUrls = { patient: hub.urls.patient, genomics: hub.urls.genomics, 'knowledge-graph': hub.urls.knowledgeGraph, inference: hub.urls.inference };
  const subgraphPids = () => (['patient', 'genomics', 'knowledgeGraph', 'inference'] as const).flatMap((name) => processTree(hub.pids()[name] ?? -1));
  const gatewayPid = hub.pids().gateway ?? -1;
  return {
    subgraphUrls,
    gateway: { url: hub.urls.gateway, cpuMs: () => cpuMsOf([...subgraphPids(), ...processTree(gatewayPid)]) },
    async contender(kind) {
      const { child, request } = forkClientProcess(__filename, 'gateway', ['--kind', kind, '--subgraphs', JSON.stringify(subgraphUrls)]);
      const { url, pid } = await request<{ url: string; pid: number }>({ type: 'start' });
      return {
        url,
        cpuMs: () => cpuMsOf([...subgraphPids(), ...processTree(pid)]),
        warnings: async () => (await request<{ warnings: number }>({ type: 'warnings' })).warnings,
        close: async () => {
          child.disconnect();
        },
      };
    },
    close: () => hub.close(),
  };
}

async function main() {
  const log = createLogger('bench', 'warn');
  const config = benchHubConfig();
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHubUnderTest(config, neo4j, log);
  const started: { close(): Promise<void> }[] = [];
  const contender = async (kind: Kind) => {
    const gateway = await hub.contender(kind);
    started.push(gateway);
    return gateway;
  };
  const apollo = await contender('apollo');
  const plain = await contender('plain');
  const jsGateway = await contender('js');
  const rustGateway = await contender('rust');
  const uncachedGateway = await contender('nocache');

  try {
    const id = await createBenchPatient(hub.gateway.url);

    const body = JSON.stringify({ query: QUERY, variables: { id } });
    const unauditedBody = JSON.stringify({ query: QUERY_WITHOUT_NAME, variables: { id } });
    const ours = await gql(jsGateway.url, QUERY, { id });
    const theirs = await gql(apollo.url, QUERY, { id });
    for (const [name, url] of [[RUST_PLANNER, rustGateway.url], [PLAIN, plain.url], ['the hub\'s own gateway', hub.gateway.url], [NO_CACHE, uncachedGateway.url]] as const) {
      const answer = await gql(url, QUERY, { id });
      if (JSON.stringify(ours) !== JSON.stringify(answer)) throw new Error(`${name} answers differently:\n${JSON.stringify(answer)}\nJS planner: ${JSON.stringify(ours)}`);
    }
    if (JSON.stringify(ours) !== JSON.stringify(theirs) || ours.errors) {
      throw new Error(`the gateways disagree or fail:\nours ${JSON.stringify(ours)}\napollo ${JSON.stringify(theirs)}`);
    }
    // The one-subgraph read goes through the gateway of the default planner, as the patient-360 it is compared with.
    const defaultGateway = config.gatewayQueryPlanner === 'rust' ? rustGateway : jsGateway;
    const defaultPlanner = config.gatewayQueryPlanner === 'rust' ? RUST_PLANNER : JS_PLANNER;
    // Ours on the default planner: the hub's own gateway.
    const contenders: Contender[] = [
      { name: JS_PLANNER, url: jsGateway.url, body, cpuMs: jsGateway.cpuMs },
      { name: RUST_PLANNER, url: rustGateway.url, body, cpuMs: rustGateway.cpuMs },
      { name: APOLLO, url: apollo.url, body, cpuMs: apollo.cpuMs },
      { name: UNAUDITED, url: hub.gateway.url, body: unauditedBody, cpuMs: hub.gateway.cpuMs },
      { name: PLAIN, url: plain.url, body, cpuMs: plain.cpuMs },
      { name: NO_CACHE, url: uncachedGateway.url, body, cpuMs: uncachedGateway.cpuMs },
    ];
    const oneConnection: Contender[] = [
      ...contenders.filter((c) => [JS_PLANNER, RUST_PLANNER, APOLLO, NO_CACHE].includes(c.name)),
      { name: ONE_SUBGRAPH, url: defaultGateway.url, body: JSON.stringify({ query: ONE_SUBGRAPH_QUERY, variables: { id } }), cpuMs: defaultGateway.cpuMs },
    ];
    // Warm each (JIT, connection pools, query-plan caches) before measuring.
    for (const c of contenders) await load({ ...c, name: `warm-up: ${c.name}` });
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of contenders) rounds.push(await load(c));
    }
    // One request at a time: what a single client waits, planner and gateway overhead least hidden by queueing.
    const single: Round[] = [];
    for (let round = 0; LATENCY_SECONDS > 0 && round < ROUNDS; round++) {
      for (const c of oneConnection) single.push(await oneAtATime(c));
    }
    const summary = (name: string, of = rounds) => {
      const mine = of.filter((r) => r.gateway === name);
      return {
        gateway: name,
        rps: median(mine.map((r) => r.requestsPerSecond)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        failures: mine.reduce((n, r) => n + r.errors + r.non2xx, 0),
        cpuMs: median(mine.map((r) => r.cpuMsPerRequest)),
        mean: median(mine.map((r) => r.mean)),
      };
    };
    const js = summary(JS_PLANNER);
    const rust = summary(RUST_PLANNER);
    const apolloSummary = summary(APOLLO);
    const ofDefault = config.gatewayQueryPlanner === 'rust' ? rust : js;
    const unaudited = summary(UNAUDITED);
    const plainSummary = summary(PLAIN);
    const uncached = summary(NO_CACHE);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    const oneConnectionCells = (name: string) => {
      const mine = summary(name, single);
      return ` ${mine.rps.toFixed(1)} | ${mine.p50} | ${mine.mean.toFixed(2)} |`;
    };
    const lines = [
      `| gateway | req/s (median of ${ROUNDS}) | p50 ms | p99 ms | failed requests | CPU ms per request (${HUB_MODE === 'single' ? 'this process' : 'subgraph and gateway processes'}) | 1 connection: req/s | 1 connection: p50 ms | 1 connection: mean ms |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[js, rust, apolloSummary, unaudited, plainSummary, uncached].map(
        (s) => `| ${s.gateway} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.failures} | ${s.cpuMs.toFixed(1)} |${single.some((r) => r.gateway === s.gateway) ? oneConnectionCells(s.gateway) : ' – | – | – |'}`,
      ),
      ...(single.length ? [`| ${ONE_SUBGRAPH} | – | – | – | – | – |${oneConnectionCells(ONE_SUBGRAPH)}`] : []),
      '',
      `throughput ratio ours/apollo: JS planner **${ratio(js.rps, apolloSummary.rps)}**, Rust planner **${ratio(rust.rps, apolloSummary.rps)}**; ` +
        `Rust / JS planner: **${ratio(rust.rps, js.rps)}**; ` +
        `default planner (${config.gatewayQueryPlanner}) with / without an audited field: **${ratio(ofDefault.rps, unaudited.rps)}**; ` +
        `with / without auth, limits and metrics: **${ratio(ofDefault.rps, plainSummary.rps)}**; ` +
        `JS planner with / without the knowledge-graph cache: **${ratio(js.rps, uncached.rps)}** (CPU per request **${ratio(js.cpuMs, uncached.cpuMs)}**); ` +
        (single.length
          ? `1 connection, patient-360 / one-subgraph read, default (${config.gatewayQueryPlanner}) planner: p50 **${ratio(summary(defaultPlanner, single).p50, summary(ONE_SUBGRAPH, single).p50)}**, mean **${ratio(summary(defaultPlanner, single).mean, summary(ONE_SUBGRAPH, single).mean)}**; `
          : '') +
        `${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} alternating rounds` +
        (single.length ? `, then ${ROUNDS} alternating rounds of ${LATENCY_SECONDS} s on 1 connection` : '') +
        `, hub: ${HUB_MODE === 'single' ? 'every service in this process' : 'one process per subgraph and per gateway'}, node ${process.version}, ${os.cpus().length} cores`,
    ];
    console.log(lines.join('\n'));
    if (HUB_MODE === 'single') {
      const warned = [...listenerWarnings].map(([round, n]) => `${round}: ${n}`).join(', ');
      console.log(`\nMaxListenersExceededWarning while each contender's rounds ran: ${warned || 'none'}`);
    } else {
      const counts: string[] = [];
      for (const [name, gateway] of [[JS_PLANNER, jsGateway], [RUST_PLANNER, rustGateway], [APOLLO, apollo], [PLAIN, plain], [NO_CACHE, uncachedGateway]] as const) {
        counts.push(`${name}: ${(await gateway.warnings?.()) ?? '?'}`);
      }
      console.log(`\nMaxListenersExceededWarning in each contender's process (warm-up included): ${counts.join(', ')}`);
    }
    console.log('\nper round:', JSON.stringify(rounds));
    if (single.length) console.log('\nper round, 1 connection:', JSON.stringify(single));
    // Every contender still answers as at the start: a round whose requests were refused would have looked fast.
    for (const { name, url } of contenders.filter((c) => c.name !== UNAUDITED)) {
      const answer = await gql(url, QUERY, { id }, await benchBearer);
      if (JSON.stringify(answer) !== JSON.stringify(ours)) throw new Error(`${name} answered differently at the end of the run:\n${JSON.stringify(answer)}`);
    }
    console.log('\nevery contender answered the same at the end of the run as at the start');
  } finally {
    for (const gateway of started) await gateway.close();
    await hub.close();
    await neo4j.close();
  }
}

if (stringOption('role', 'bench') === 'gateway') runContenderProcess();
else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
