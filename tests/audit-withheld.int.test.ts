import { createLogger } from '../lib/logger';
import { createPool, dropDatabase, type Pool } from '../lib/postgres';
import { startHub, type Hub } from '../scripts/hub';
import { bearer } from './support/auth';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

const log = createLogger('test', 'silent');

/**
 * A hub on a database of its own, whose audit table is then made to refuse every row: reads of
 * identified data must fail rather than answer unaudited (other test files share the usual database,
 * so the refusal cannot be staged there).
 */
describe('identified data when its audit record cannot be written', () => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_audit_${process.pid}`;
  const databaseUrl = url.toString();
  let hub: Hub;
  let pool: Pool;
  let patientId: string;
  const clinician = () => bearer({ role: 'clinician', org: 'org-withheld', sub: 'dr-withheld' });

  beforeAll(async () => {
    await dropDatabase(databaseUrl);
    hub = await startHub(testConfig({ databaseUrl }), testNeo4j(), log);
    pool = createPool(databaseUrl, 1);
    const created = await gql<{ createPatient: { id: string } }>(
      hub.gateway.url,
      `mutation { createPatient(input: { name: "Withheld Person", sex: FEMALE }) { id } }`,
      {},
      await clinician(),
    );
    patientId = created.data!.createPatient.id;
    await pool.query(`ALTER TABLE audit.access_log ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
  });

  afterAll(async () => {
    await pool?.end();
    await hub?.close();
    await dropDatabase(databaseUrl);
  });

  it('withholds a name from the patient subgraph and says why', async () => {
    const response = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { name } }`, { id: patientId }, await clinician());
    expect(JSON.stringify(response)).not.toContain('Withheld Person');
    expect(response.errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('withholds note-derived data from the inference subgraph', async () => {
    const response = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { noteFindings { text } } }`, { id: patientId }, await clinician());
    expect(response.errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('still answers what identifies no one', async () => {
    const response = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { sex } }`, { id: patientId }, await clinician());
    expect(response).toEqual({ data: { patient: { sex: 'FEMALE' } } });
  });
});
