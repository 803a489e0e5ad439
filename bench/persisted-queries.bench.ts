/**
 * Persisted vs ad-hoc operations through the gateway, side by side in one run: the same document
 * sent as text (ad-hoc), by APQ hash (in-memory registry) and by documentId (a published manifest,
 * PostgreSQL behind a 30 s lookup cache). Rounds alternate (ad-hoc, APQ, documentId, ...; each round
 * starts with another mode) so machine noise hits all three; the ratios to ad-hoc are what to read.
 * Two documents: the four-subgraph patient query, and a light one (one subgraph, a small
 * answer) where the gateway's own per-request work weighs most.
 *
 *   npm run bench:persisted-queries -- [--seconds 10] [--rounds 3] [--connections 20]
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { benchHubConfig, createBenchPatient } from './bench-hub';
import { documentHash, parseManifest } from '../gateway/manifests';
import { openGatewayDatabase } from '../gateway/trusted-access';
import { gql } from '../tests/support/graphql';
import { defaultCredentials } from '../tests/support/auth';
import { numberOption } from './options';

const SECONDS = numberOption('seconds', 10);
const ROUNDS = numberOption('rounds', 3);
const CONNECTIONS = numberOption('connections', 20);

const DOCUMENTS = {
  patient: `query BenchPatient($id: ID!) {
  patient(id: $id) {
    name
    observations { code value unit }
    variants { id gene { symbol } therapies { drug { name } evidenceLevel source } }
    risk { cardiovascular { pce10y missing } }
  }
}`,
  light: `query BenchLight($id: ID!) { patient(id: $id) { name birthDate } }`,
} as const;
type DocumentName = keyof typeof DOCUMENTS;
const MODES = ['ad-hoc', 'apq-hash', 'document-id'] as const;
type Mode = (typeof MODES)[number];

interface Round {
  document: DocumentName;
  mode: Mode;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

function body(document: DocumentName, mode: Mode, variables: Record<string, unknown>): string {
  const text = DOCUMENTS[document];
  if (mode === 'ad-hoc') return JSON.stringify({ query: text, variables });
  if (mode === 'apq-hash') return JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(text) } }, variables });
  return JSON.stringify({ documentId: documentHash(text), variables });
}

async function load(url: string, document: DocumentName, mode: Mode, payload: string): Promise<Round> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await defaultCredentials()) },
    body: payload,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return { document, mode, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.errors + result.non2xx };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const log = createLogger('bench', 'warn');
  const config = benchHubConfig();
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHub(config, neo4j.connection, log);
  try {
    const url = hub.gateway.url;
    const id = await createBenchPatient(url);

    // The documents as a client's manifest (documentId), and registered once by APQ (query + hash).
    const database = await openGatewayDatabase(config.databaseUrl);
    try {
      await database.documents.publish('bench-app', parseManifest(Object.fromEntries(Object.values(DOCUMENTS).map((d) => [documentHash(d), d]))));
    } finally {
      await database.pool.end();
    }
    const variables = { id };
    for (const document of Object.keys(DOCUMENTS) as DocumentName[]) {
      const text = DOCUMENTS[document];
      await gql(url, text, variables);
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await defaultCredentials()) },
        body: JSON.stringify({ query: text, variables, extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(text) } } }),
      });
      const answers = await Promise.all(
        MODES.map(async (mode) => {
          const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await defaultCredentials()) }, body: body(document, mode, variables) });
          return JSON.stringify(await response.json());
        }),
      );
      if (new Set(answers).size !== 1 || answers[0]!.includes('"errors"')) throw new Error(`the modes disagree or fail for ${document}:\n${answers.join('\n')}`);
      for (const mode of MODES) await load(url, document, mode, body(document, mode, variables)); // warm-up
    }

    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another mode, so no mode always follows the same one.
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
      for (const document of Object.keys(DOCUMENTS) as DocumentName[]) {
        for (const mode of order) rounds.push(await load(url, document, mode, body(document, mode, variables)));
      }
    }
    const lines = [
      `| document | mode | req/s (median of ${ROUNDS}) | ratio to ad-hoc | p50 ms | p99 ms | failed requests |`,
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const document of Object.keys(DOCUMENTS) as DocumentName[]) {
      const adHoc = median(rounds.filter((r) => r.document === document && r.mode === 'ad-hoc').map((r) => r.requestsPerSecond));
      for (const mode of MODES) {
        const mine = rounds.filter((r) => r.document === document && r.mode === mode);
        const rps = median(mine.map((r) => r.requestsPerSecond));
        lines.push(
          `| ${document} | ${mode} | ${rps.toFixed(0)} | ${(rps / adHoc).toFixed(2)}× | ${median(mine.map((r) => r.p50))} | ${median(mine.map((r) => r.p99))} | ${mine.reduce((n, r) => n + r.failures, 0)} |`,
        );
      }
    }
    lines.push('', `${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} alternating rounds, node ${process.version}, ${os.cpus().length} cores`);
    console.log(lines.join('\n'));
    console.log('\nper round:', JSON.stringify(rounds));
  } finally {
    await hub.close();
    await neo4j.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
