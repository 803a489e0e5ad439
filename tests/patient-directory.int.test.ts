import { createLogger } from '../lib/logger';
import { createPool, migrate, type Pool } from '../lib/postgres';
import { HubError } from '../lib/errors';
import { patientsExist, PostgresPatientDirectory } from '../lib/contracts/patient-directory';
import { accessFor, countable, DIRECTORY_BATCH, researchConsented } from '../lib/patient-access';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { ownDatabase, type OwnDatabase } from './support/own-database';
import { TEST_DATABASE_URL } from './support/config';

/**
 * The patient service's access directory (issue 19 item 3): genomics and inference decide row access from
 * the view `patient.access_directory` instead of calling the patient subgraph back. Checked here against
 * the patient service's own tables in the real PostgreSQL: what the view says must be what the patient
 * subgraph would answer (Patient.organization, Patient.researchConsent.granted), at once after a change.
 */
const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const ORG_A = `dir-a-${TAG}`;
const ORG_B = `dir-b-${TAG}`;
const clinicianA = { subject: `dr-a-${TAG}`, role: 'clinician', client: 'test', organisation: ORG_A } as const;
const researcher = { subject: `res-${TAG}`, role: 'researcher', client: 'test' } as const;

describe('the patient access directory', () => {
  let pool: Pool;
  let directory: PostgresPatientDirectory;
  const created: Record<'a' | 'b' | 'none', string> = { a: '', b: '', none: '' };

  const insertPatient = async (organization: string | null) =>
    (
      await pool.query<{ id: string }>(`INSERT INTO patient.patients (name, birth_date, sex, managing_organization) VALUES ($1, '1960-05-05', 'female', $2) RETURNING id`, [
        `Dir ${TAG}`,
        organization,
      ])
    ).rows[0]!.id;
  const recordConsent = (patientId: string, granted: boolean) =>
    pool.query(`INSERT INTO patient.research_consents (patient_id, granted, recorded_by, source) VALUES ($1, $2, 'test', 'test')`, [patientId, granted]);

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS, log);
    pool = createPool(TEST_DATABASE_URL, 2);
    directory = new PostgresPatientDirectory(pool);
    created.a = await insertPatient(ORG_A);
    created.b = await insertPatient(ORG_B);
    created.none = await insertPatient(null);
  });

  afterAll(async () => {
    await pool?.query(`DELETE FROM patient.patients WHERE id = ANY($1::uuid[])`, [Object.values(created)]);
    await pool?.end();
  });

  it("answers each id's organisation and consent in order, in one query; unknown ids, other strings and upper case as the patient subgraph does", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const entries = await directory.entriesOf([created.b, 'not-a-uuid', created.a, unknown, created.none, created.a.toUpperCase()]);
    expect(entries).toEqual([
      { organization: ORG_B, researchConsent: false },
      undefined,
      { organization: ORG_A, researchConsent: false },
      undefined,
      { organization: null, researchConsent: false },
      { organization: ORG_A, researchConsent: false },
    ]);
    await expect(directory.entriesOf([])).resolves.toEqual([]);
    await expect(patientsExist(directory, [created.a, unknown, ''])).resolves.toEqual([true, false, false]);
  });

  it('follows consent and organisation changes at once: the newest consent decision counts, and a move is seen by the next read', async () => {
    const patient = await insertPatient(ORG_A);
    try {
      await expect(researchConsented(directory, [patient])).resolves.toEqual([]);
      await recordConsent(patient, true);
      await expect(researchConsented(directory, [patient, created.a])).resolves.toEqual([patient]);
      await recordConsent(patient, false);
      await expect(researchConsented(directory, [patient])).resolves.toEqual([]);
      await recordConsent(patient, true);
      await expect(countable(directory, researcher, [created.a, patient])).resolves.toEqual([patient]);

      const access = () => accessFor(directory, clinicianA);
      await expect(access().check(patient)).resolves.toBeUndefined();
      await expect(access().checkWrite(patient)).resolves.toBeUndefined();
      await pool.query(`UPDATE patient.patients SET managing_organization = $2 WHERE id = $1`, [patient, ORG_B]);
      const refused = await access()
        .check(patient)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(HubError);
      expect(refused).toMatchObject({ code: 'FORBIDDEN' });
      await expect(access().checkWrite(patient)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(access().filter([created.a, patient, created.b])).resolves.toEqual([created.a]);
      await expect(countable(directory, clinicianA, [created.a, patient])).resolves.toEqual([created.a]);
    } finally {
      await pool.query(`DELETE FROM patient.patients WHERE id = $1`, [patient]);
    }
  });

  it(`reads a long list of ids in statements of ${DIRECTORY_BATCH} at most`, async () => {
    const statements: unknown[][] = [];
    const counting = new PostgresPatientDirectory({
      query: (text: string, values: unknown[]) => {
        statements.push(values[0] as unknown[]);
        return pool.query(text, values);
      },
    } as unknown as Pool);
    const ids = [...Array.from({ length: DIRECTORY_BATCH }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`), created.a];
    await recordConsent(created.a, true);
    await expect(researchConsented(counting, ids)).resolves.toEqual([created.a]);
    expect(statements.map((s) => s.length)).toEqual([DIRECTORY_BATCH, 1]);
  });

  describe('in a database the patient service has not set up', () => {
    let empty: OwnDatabase;
    let emptyPool: Pool;
    beforeAll(async () => {
      empty = await ownDatabase('directory_missing');
      emptyPool = createPool(empty.url, 1);
    });
    afterAll(async () => {
      await emptyPool?.end();
      await empty?.drop();
    });

    it('fails with DEPENDENCY_UNAVAILABLE naming the view, not a raw database error', async () => {
      const failure = await new PostgresPatientDirectory(emptyPool).entriesOf([created.a]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HubError);
      expect(failure).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('patient.access_directory') });
    });
  });
});
