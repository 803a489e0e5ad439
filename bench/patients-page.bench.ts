/**
 * The patient subgraph alone, serving a page of 100 patients with their observations and conditions:
 * throughput, latency, and SQL statements per request (constant when DataLoader batches).
 *
 *   npx tsx bench/patients-page.bench.ts [--patients 1000] [--seconds 10] [--connections 10]
 *
 * Uses DATABASE_URL, by default database `precision_hub_bench`, and replaces the patients there.
 * graphql-js checks every `instanceof` the slow way unless NODE_ENV=production (read when it loads),
 * so prefix the command with NODE_ENV=production to measure a production setup.
 */
import { countingPool } from '../tests/support/counting-pool';
import os from 'node:os';
import autocannon from 'autocannon';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, inTransaction, migrate, type Pool } from '../lib/postgres';
import { PATIENT_MIGRATIONS, startPatientService } from '../subgraphs/patient/server';
import { gql } from '../tests/support/graphql';
import { defaultCredentials, testAssertions } from '../tests/support/auth';
import { numberOption } from './options';

const PATIENTS = numberOption('patients', 1000);
const SECONDS = numberOption('seconds', 10);
const CONNECTIONS = numberOption('connections', 10);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench';

// The bench database is the benchmark's own: each run starts from the same population.
const CLEAR_PATIENTS = `TRUNCATE patient.patients CASCADE`;
const SEED_RANDOM = `SELECT setseed(0.42)`;
/**
 * $1 patients, each with an MRN, 20 observations (5 LOINC codes at 4 quarterly visits, canonical
 * units) and 3 SNOMED CT conditions out of 6.
 */
const SEED_PATIENTS = `
  WITH created AS (
    INSERT INTO patient.patients (name, birth_date, sex, race)
    SELECT 'Bench Patient ' || n, date '1935-01-01' + (random() * 25000)::int,
           CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END, 'white'
    FROM generate_series(1, $1::int) n
    RETURNING id, substr(name, 15)::int AS n),
  mrns AS (
    INSERT INTO patient.identifiers (system, value, patient_id)
    SELECT 'urn:bench:mrn', 'BENCH-' || c.n, c.id FROM created c),
  observations AS (
    INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at)
    SELECT c.id, l.code, v.value, l.unit, v.value, l.unit, now() - make_interval(days => visit * 90)
    FROM created c
    CROSS JOIN (VALUES ('2093-3', 'mg/dL', 140, 160), ('2085-9', 'mg/dL', 30, 50), ('8480-6', 'mm[Hg]', 100, 60),
                       ('8462-4', 'mm[Hg]', 60, 40), ('4548-4', '%', 4.5, 5)) AS l (code, unit, low, spread)
    CROSS JOIN generate_series(1, 4) visit
    CROSS JOIN LATERAL (SELECT round((l.low + l.spread * random())::numeric, 1)::float8 AS value) v),
  conditions AS (
    INSERT INTO patient.conditions (patient_id, code_system, code, display, clinical_status, onset_at, source_key)
    SELECT c.id, 'http://snomed.info/sct', k.code, k.display, 'active', now() - make_interval(days => 400 * (1 + slot)),
           'Condition/bench-' || c.n || '-' || slot
    FROM created c
    CROSS JOIN generate_series(0, 2) slot
    JOIN (VALUES (0, '38341003', 'Hypertensive disorder'), (1, '44054006', 'Diabetes mellitus type 2'),
                 (2, '55822004', 'Hyperlipidemia'), (3, '195967001', 'Asthma'), (4, '49436004', 'Atrial fibrillation'),
                 (5, '433144002', 'Chronic kidney disease stage 3')) AS k (i, code, display)
      ON k.i = (c.n + slot * 2) % 6)
  SELECT count(*)::int AS created FROM created`;

const QUERY = `query {
  patients(first: 100) {
    totalCount
    edges { node { id name observations { code value unit effectiveAt } conditions { code { system code } clinicalStatus } } }
  }
}`;


async function seed(pool: Pool): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(CLEAR_PATIENTS);
    await client.query(SEED_RANDOM);
    const { rows } = await client.query<{ created: number }>(SEED_PATIENTS, [PATIENTS]);
    return rows[0]!.created;
  });
}

const load = async (url: string, body: string, duration: number) =>
  autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', ...(await defaultCredentials()) }, body, connections: CONNECTIONS, duration });

async function main() {
  const log = createLogger('bench', 'warn');
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL, 'patient', PATIENT_MIGRATIONS, log);
  const seedPool = createPool(DATABASE_URL);
  const started = Date.now();
  const created = await seed(seedPool).finally(() => seedPool.end());
  console.log(`seeded ${created} patients (20 observations, 3 conditions each) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let counter = { statements: 0 };
  const service = await startPatientService({
    assertions: testAssertions(),
    databaseUrl: DATABASE_URL,
    host: '127.0.0.1',
    port: 0,
    log,
    createPool: (url) => {
      const counting = countingPool(url);
      counter = counting.counter;
      return counting.pool;
    },
  });
  try {
    const before = counter.statements;
    const check = await gql<{ patients: { totalCount: number; edges: unknown[] } }>(service.url, QUERY);
    const once = counter.statements - before;
    if (check.errors || check.data?.patients.edges.length !== Math.min(100, PATIENTS)) {
      throw new Error(`the page query fails: ${JSON.stringify(check).slice(0, 500)}`);
    }
    const body = JSON.stringify({ query: QUERY });
    // Warm up (JIT, pool connections, PostgreSQL's caches) before measuring.
    await load(service.url, body, 3);

    const measuredFrom = counter.statements;
    const result = await load(service.url, body, SECONDS);
    const statements = counter.statements - measuredFrom;
    // autocannon stops on time with requests still in flight; let them finish before the pool closes.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const failed = result.errors + result.non2xx;
    console.log(
      [
        '| query | req/s | p50 ms | p99 ms | SQL statements / request | failed requests |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| patients(first: 100) + observations + conditions | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ` +
          `${once} (${(statements / result.requests.total).toFixed(2)} under load) | ${failed} |`,
        '',
        `${created} patients, ${CONNECTIONS} connections, ${SECONDS} s, ` +
          `${(result.throughput.average / 1024 / 1024).toFixed(1)} MB/s, NODE_ENV=${process.env.NODE_ENV || '(unset)'}, ` +
          `node ${process.version}, ${os.cpus().length} cores`,
      ].join('\n'),
    );
  } finally {
    await service.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
