import { countingPool } from '../../tests/support/counting-pool';
import { randomUUID } from 'node:crypto';
import type { RunningService } from '../../lib/apollo-http';
import { createLogger } from '../../lib/logger';
import { createPool, migrate, type Pool } from '../../lib/postgres';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { gql, type GraphQLResponse } from '../../tests/support/graphql';
import { PATIENT_MIGRATIONS, startPatientService } from './server';
import { testAssertions } from '../../tests/support/auth';

const log = createLogger('test', 'silent');
const PATIENTS = 100;

/**
 * 100 patients, each with three observations, two conditions and an MRN. Every one has the condition
 * `$1` (unique to this run), so filtering on it sees exactly these, whatever else the database holds.
 */
const SEED_PATIENTS = `
  WITH created AS (
    INSERT INTO patient.patients (name, birth_date, sex)
    SELECT 'Page ' || lpad(n::text, 3, '0'), date '1950-01-01' + n, CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END
    FROM generate_series(1, $2::int) n
    RETURNING id, name, substr(name, 6)::int AS n),
  mrns AS (
    INSERT INTO patient.identifiers (system, value, patient_id)
    SELECT 'urn:test:mrn', $1::text || '-' || c.n, c.id FROM created c),
  observations AS (
    INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at)
    SELECT c.id, o.code, o.base + c.n, o.unit, o.base + c.n, o.unit, now() - make_interval(days => o.days_ago)
    FROM created c
    CROSS JOIN (VALUES ('2093-3', 100, 'mg/dL', 1), ('2085-9', 40, 'mg/dL', 2), ('8480-6', 110, 'mm[Hg]', 3))
      AS o (code, base, unit, days_ago)),
  conditions AS (
    INSERT INTO patient.conditions (patient_id, code_system, code, clinical_status, onset_at, source_key)
    SELECT c.id, k.system, k.code, 'active', k.onset, 'Condition/' || $1::text || '-' || c.n || '-' || k.code
    FROM created c
    CROSS JOIN (VALUES ('urn:test:run', $1::text, timestamptz '2020-01-01Z'), ('http://snomed.info/sct', '38341003', timestamptz '2010-01-01Z'))
      AS k (system, code, onset))
  SELECT count(*)::int AS created FROM created`;

const PAGE = `query ($first: Int!, $run: String!) {
  patients(first: $first, filter: { conditionCode: $run }) {
    totalCount
    edges { node { name observations { code value } conditions { code { code } } identifiers { value } } }
  }
}`;

interface PageNode {
  name: string;
  observations: { code: string; value: number }[];
  conditions: { code: { code: string } }[];
  identifiers: { value: string }[];
}
interface PageData {
  patients: { totalCount: number; edges: { node: PageNode }[] };
}

/** The seed's patient n as the page should show it: observations newest first, conditions by onset. */
const expectedNode = (run: string, n: number): PageNode => ({
  name: `Page ${String(n).padStart(3, '0')}`,
  observations: [
    { code: '2093-3', value: 100 + n },
    { code: '2085-9', value: 40 + n },
    { code: '8480-6', value: 110 + n },
  ],
  conditions: [{ code: { code: run } }, { code: { code: '38341003' } }],
  identifiers: [{ value: `${run}-${n}` }],
});


describe('Query.patients: DataLoader batching', () => {
  const run = `run-${randomUUID()}`;
  let seedPool: Pool;
  let service: RunningService;
  let counter: { statements: number };

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    seedPool = createPool(TEST_DATABASE_URL);
    const { rows } = await seedPool.query<{ created: number }>(SEED_PATIENTS, [run, PATIENTS]);
    expect(rows[0]!.created).toBe(PATIENTS);
    service = await startPatientService({
      assertions: testAssertions(),
      databaseUrl: TEST_DATABASE_URL,
      host: '127.0.0.1',
      port: 0,
      log,
      createPool: (url) => {
        const counting = countingPool(url);
        counter = counting.counter;
        return counting.pool;
      },
    });
  });

  afterAll(async () => {
    await service?.close();
    await seedPool?.end();
  });

  /** Runs the page query and returns its data with the SQL statements it cost. */
  async function page(first: number) {
    const before = counter.statements;
    const response = await gql<PageData>(service.url, PAGE, { first, run });
    expect(response.errors).toBeUndefined();
    return { data: response.data!, statements: counter.statements - before };
  }

  const byName = (a: PageNode, b: PageNode) => a.name.localeCompare(b.name);

  it('answers a page of 100 with observations, conditions and identifiers in as many statements as a page of 10', async () => {
    const small = await page(10);
    const large = await page(100);

    const allExpected = Array.from({ length: PATIENTS }, (_, i) => expectedNode(run, i + 1));
    const expectedByName = new Map(allExpected.map((node) => [node.name, node]));
    expect(small.data.patients.totalCount).toBe(PATIENTS);
    expect(small.data.patients.edges.map((e) => e.node)).toEqual(small.data.patients.edges.map((e) => expectedByName.get(e.node.name)));
    expect(small.data.patients.edges).toHaveLength(10);
    expect(large.data.patients.totalCount).toBe(PATIENTS);
    expect(large.data.patients.edges.map((e) => e.node).sort(byName)).toEqual(allExpected);

    // Page, totalCount, then one batch each for identifiers, observations and conditions, and one
    // audit insert for all the identified fields read (identifiers of every patient on the page).
    expect({ first10: small.statements, first100: large.statements }).toEqual({ first10: 6, first100: 6 });
  });

  it('walks every page once with the same totalCount, in id order', async () => {
    const query = `query ($after: String, $run: String!) {
      patients(first: 30, after: $after, filter: { conditionCode: $run }) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
      }
    }`;
    interface Walk {
      patients: { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }
    const ids: string[] = [];
    const pages: { size: number; totalCount: number; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    do {
      const response: GraphQLResponse<Walk> = await gql<Walk>(service.url, query, { after, run });
      const connection = response.data!.patients;
      ids.push(...connection.edges.map((e) => e.node.id));
      pages.push({ size: connection.edges.length, totalCount: connection.totalCount, hasNextPage: connection.pageInfo.hasNextPage });
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);

    expect(pages).toEqual([
      { size: 30, totalCount: 100, hasNextPage: true },
      { size: 30, totalCount: 100, hasNextPage: true },
      { size: 30, totalCount: 100, hasNextPage: true },
      { size: 10, totalCount: 100, hasNextPage: false },
    ]);
    expect(new Set(ids).size).toBe(PATIENTS);
    expect(ids).toEqual([...ids].sort());
  });
});
