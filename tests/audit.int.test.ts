import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { startHub, type Hub } from '../scripts/hub';
import { bearer } from './support/auth';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const TRAIL = `query ($id: ID!) { auditTrail(patientId: $id, first: 1000) { service subject role client patientId fields operation requestId at } }`;

describe('audit of identified data', () => {
  let hub: Hub;
  let pool: Pool;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    pool = createPool(TEST_DATABASE_URL, 2);
  });

  afterAll(async () => {
    await pool?.end();
    await hub?.close();
  });

  async function createPatient(name: string): Promise<string> {
    const created = await gql<{ createPatient: { id: string } }>(
      hub.gateway.url,
      `mutation ($name: String!, $mrn: String!) { createPatient(input: { name: $name, birthDate: "1958-03-02", sex: MALE, organization: "org-audit", identifiers: [{ system: "urn:mrn", value: $mrn }] }) { id } }`,
      { name, mrn: `AUD-${TAG}-${name.split(' ')[0]}` },
    );
    return created.data!.createPatient.id;
  }

  const trail = async (id: string) =>
    (await gql<{ auditTrail: Record<string, unknown>[] }>(hub.gateway.url, TRAIL, { id }, await bearer({ role: 'admin', sub: 'auditor' }))).data!.auditTrail;

  it('records who read which identified fields of which patient, through which client and operation', async () => {
    const id = await createPatient(`Audit Subject ${TAG}`);
    const clinician = await bearer({ role: 'clinician', org: 'org-audit', sub: `dr-${TAG}`, azp: 'ward-app' });
    const read = await gql(hub.gateway.url, `query ChartHeader($id: ID!) { patient(id: $id) { name identifiers { value } sex } }`, { id }, clinician);
    expect(read.errors).toBeUndefined();

    expect(await trail(id)).toEqual([
      {
        service: 'patient',
        subject: `dr-${TAG}`,
        role: 'clinician',
        client: 'ward-app',
        patientId: id,
        fields: ['Patient.identifiers', 'Patient.name'],
        operation: 'ChartHeader',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
  });

  it('records reads of note-derived data in the inference subgraph as well', async () => {
    const id = await createPatient(`Notes Subject ${TAG}`);
    const clinician = await bearer({ role: 'clinician', org: 'org-audit', sub: `dr-notes-${TAG}`, azp: 'notes-app' });
    const read = await gql(hub.gateway.url, `query NoteReview($id: ID!) { patient(id: $id) { noteFindings { text } } }`, { id }, clinician);
    expect(read.errors).toBeUndefined();
    expect(await trail(id)).toEqual([
      expect.objectContaining({ service: 'inference', subject: `dr-notes-${TAG}`, client: 'notes-app', fields: ['Patient.noteFindings'], operation: 'NoteReview' }),
    ]);
  });

  it('writes nothing for reads of fields that identify no one', async () => {
    const id = await createPatient(`Quiet Subject ${TAG}`);
    const clinician = await bearer({ role: 'clinician', org: 'org-audit', sub: `quiet-${TAG}` });
    const read = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { sex observations { code } } }`, { id }, clinician);
    expect(read.errors).toBeUndefined();
    expect(await trail(id)).toEqual([]);
  });

  it('keeps one record per request under concurrent load, none lost', async () => {
    const id = await createPatient(`Busy Subject ${TAG}`);
    const readers = Array.from({ length: 60 }, (_, n) => `reader-${TAG}-${n}`);
    const responses = await Promise.all(
      readers.map(async (sub) => gql(hub.gateway.url, `query Busy($id: ID!) { patient(id: $id) { name } }`, { id }, await bearer({ role: 'clinician', org: 'org-audit', sub }))),
    );
    expect(responses.filter((r) => r.errors)).toEqual([]);
    const records = await trail(id);
    expect(records.map((r) => r.subject).sort()).toEqual([...readers].sort());
  });

  it('refuses to change or delete an audit record, even for the database user the services use', async () => {
    await expect(pool.query(`UPDATE audit.access_log SET subject = 'someone else'`)).rejects.toThrow('audit.access_log is append-only: UPDATE refused');
    await expect(pool.query(`DELETE FROM audit.access_log`)).rejects.toThrow('audit.access_log is append-only: DELETE refused');
    await expect(pool.query(`TRUNCATE audit.access_log`)).rejects.toThrow('audit.access_log is append-only: TRUNCATE refused');
  });
});
