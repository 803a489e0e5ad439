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
 *   npm run bench -- [--seconds 10] [--rounds 3] [--connections 20]
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
import { readSupergraph } from '../gateway/server';
import { gql } from '../tests/support/graphql';
import { defaultCredentials } from '../tests/support/auth';
import { numberOption } from './options';

const SECONDS = numberOption('seconds', 10);
const ROUNDS = numberOption('rounds', 3);
const CONNECTIONS = numberOption('connections', 20);

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
  errors: number;
  non2xx: number;
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

const PLAIN = 'hive-gateway-runtime without our plugins (no auth, limits, metrics)';

/** The same runtime and transports as gateway/server.ts, none of its plugins; a fixed identity assertion per subgraph request. */
async function startPlainRuntime(subgraphUrls: Record<string, string>, credentials: Record<string, string>) {
  const assertion = { 'x-hub-identity': credentials['x-hub-identity']! };
  const entry = (location: string) => ({ location, headers: Object.entries(assertion) as [string, string][], options: { deduplicateInflightRequests: false } });
  const runtime = createGatewayRuntime({
    supergraph: readSupergraph(),
    graphqlEndpoint: '/graphql',
    logging: false,
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

async function load(name: string, url: string, body: string): Promise<Round> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await defaultCredentials()) },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    gateway: name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const log = createLogger('bench', 'warn');
  const config = benchHubConfig();
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHub(config, neo4j.connection, log);
  const subgraphUrls: Record<string, string> = {
    patient: hub.patient.url,
    genomics: hub.genomics.url,
    'knowledge-graph': hub.knowledgeGraph.url,
    inference: hub.inference.url,
  };
  const credentials = await defaultCredentials();
  const apollo = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: withoutSecurityFeatures(readSupergraph()),
      // The subgraphs answer only requests carrying an identity assertion: Apollo's gateway forwards the one
      // tests/support/auth.ts gives every request (it has no auth of its own to sign one with).
      buildService: ({ name }) =>
        new RemoteGraphQLDataSource({
          url: subgraphUrls[name],
          willSendRequest: ({ request }) => {
            for (const [key, value] of Object.entries(credentials)) request.http?.headers.set(key, value);
          },
        }),
    }),
  });
  const { url: apolloUrl } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
  const plain = await startPlainRuntime(subgraphUrls, credentials);

  try {
    const id = await createBenchPatient(hub.gateway.url);

    const body = JSON.stringify({ query: QUERY, variables: { id } });
    const unauditedBody = JSON.stringify({ query: QUERY_WITHOUT_NAME, variables: { id } });
    const ours = await gql(hub.gateway.url, QUERY, { id });
    const theirs = await gql(apolloUrl, QUERY, { id });
    const plainAnswer = await gql(plain.url, QUERY, { id });
    if (JSON.stringify(ours) !== JSON.stringify(plainAnswer)) throw new Error(`the plain runtime answers differently: ${JSON.stringify(plainAnswer)}`);
    if (JSON.stringify(ours) !== JSON.stringify(theirs) || ours.errors) {
      throw new Error(`the gateways disagree or fail:\nours ${JSON.stringify(ours)}\napollo ${JSON.stringify(theirs)}`);
    }
    // Warm both (JIT, connection pools, query-plan caches) before measuring.
    await load('warm-up', hub.gateway.url, body);
    await load('warm-up', apolloUrl, body);

    await load('warm-up', hub.gateway.url, unauditedBody);
    await load('warm-up', plain.url, body);
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push(await load('hive-gateway-runtime', hub.gateway.url, body));
      rounds.push(await load('@apollo/gateway', apolloUrl, body));
      rounds.push(await load('hive-gateway-runtime, query without name (no audit record)', hub.gateway.url, unauditedBody));
      rounds.push(await load(PLAIN, plain.url, body));
    }
    const summary = (name: string) => {
      const mine = rounds.filter((r) => r.gateway === name);
      return {
        gateway: name,
        rps: median(mine.map((r) => r.requestsPerSecond)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        failures: mine.reduce((n, r) => n + r.errors + r.non2xx, 0),
      };
    };
    const hive = summary('hive-gateway-runtime');
    const apolloSummary = summary('@apollo/gateway');
    const unaudited = summary('hive-gateway-runtime, query without name (no audit record)');
    const plainSummary = summary(PLAIN);
    const lines = [
      `| gateway | req/s (median of ${ROUNDS}) | p50 ms | p99 ms | failed requests |`,
      '| --- | ---: | ---: | ---: | ---: |',
      ...[hive, apolloSummary, unaudited, plainSummary].map((s) => `| ${s.gateway} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.failures} |`),
      '',
      `throughput ratio hive/apollo: **${(hive.rps / apolloSummary.rps).toFixed(2)}×**; ` +
        `with / without an audited field: **${(hive.rps / unaudited.rps).toFixed(2)}×**; ` +
        `with / without auth, limits and metrics: **${(hive.rps / plainSummary.rps).toFixed(2)}×**; ` +
        `${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} alternating rounds, node ${process.version}, ${os.cpus().length} cores`,
    ];
    console.log(lines.join('\n'));
    console.log('\nper round:', JSON.stringify(rounds));
  } finally {
    await apollo.stop();
    await plain.close();
    await hub.close();
    await neo4j.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
