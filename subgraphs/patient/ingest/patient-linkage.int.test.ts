import { ErrorCode, HubError } from '../../../lib/errors';
import { randomInt } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { PATIENT_MIGRATIONS } from '../server';
import { PostgresLinkRepository } from '../repository/link-repository';
import { exampleBundle } from './fixtures/example-bundle';
import { FhirIngestor } from './ingest-bundle';
import type { Identity } from '../../../lib/identity';

const log = createLogger('test', 'silent');
/** Written as a hub service (the ingest CLI's identity), which writes for any organisation. */
const WRITER: Identity = { subject: 'ingest', role: 'service', client: 'precision-hub-tests' };
const suffix = () => String(randomInt(1e11, 1e12 - 1));

/** The same person as `a` from a second hospital: another MRN system, other resource ids, a name variant. */
function secondSource(a: ReturnType<typeof exampleBundle>, mrn: string) {
  const b = exampleBundle(mrn, suffix());
  const patientA = a.entry![0]!.resource as Patient;
  const patientB = b.entry![0]!.resource as Patient;
  patientB.identifier = [{ system: 'urn:oid:2.16.840.1.113883.19.6', value: mrn }];
  patientB.name = [{ use: 'official', given: ['Adah'], family: 'Lovelace' }];
  patientB.telecom = patientA.telecom;
  patientB.address = [{ ...patientA.address![0]!, line: [patientA.address![0]!.line![0]!.toUpperCase()] }];
  return b;
}

describe('linking the same patient from two sources', () => {
  let pool: Pool;
  let ingestor: FhirIngestor;
  let links: PostgresLinkRepository;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL);
    ingestor = new FhirIngestor(pool, log);
    links = new PostgresLinkRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const counts = async (patientId: string) =>
    (
      await pool.query(
        `SELECT (SELECT count(*)::int FROM patient.identifiers WHERE patient_id = $1) AS identifiers,
                (SELECT count(*)::int FROM patient.observations WHERE patient_id = $1) AS observations,
                (SELECT count(*)::int FROM patient.conditions WHERE patient_id = $1) AS conditions,
                (SELECT count(*)::int FROM patient.notes WHERE patient_id = $1) AS notes,
                (SELECT name FROM patient.patients WHERE id = $1) AS name`,
        [patientId],
      )
    ).rows[0];

  it('links a second MRN to the hub patient with a score and rule, keeps every record, and can undo it', async () => {
    const mrnA = `A-${suffix()}`;
    const mrnB = `B-${suffix()}`;
    const a = exampleBundle(mrnA, suffix());
    const first = await ingestor.ingestBundle(a, WRITER);
    const [hubId] = first.patientIds;

    const b = secondSource(a, mrnB);
    const second = await ingestor.ingestBundle(b, WRITER);
    expect(second).toMatchObject({
      patientIds: [hubId],
      created: 10,
      updated: 1,
      rejected: [],
      linked: [{ patientId: hubId, sourcePatient: `Patient/${b.entry![0]!.resource!.id}`, rule: 'name+birthDate+sex+phone+address' }],
    });
    expect(second.linked[0]!.score).toBeGreaterThanOrEqual(0.85);
    expect(await counts(hubId!)).toEqual({ identifiers: 2, observations: 12, conditions: 2, notes: 2, name: 'Ada Mae Lovelace' });

    // Re-ingesting the second source finds it by its MRN: no new link, the hub demographics stay.
    const again = await ingestor.ingestBundle(b, WRITER);
    expect(again).toMatchObject({ patientIds: [hubId], created: 0, updated: 0, skipped: 11, linked: [] });
    expect((await counts(hubId!)).name).toBe('Ada Mae Lovelace');

    const [link] = (await links.linksByPatientIds([hubId!]))[0]!;
    // A caller without access to the patient cannot undo the link: nothing changes.
    const refuse = async (patientId: string) => {
      throw new HubError(ErrorCode.FORBIDDEN, `patient ${patientId} is not in your care`);
    };
    await expect(links.unlinkPatient(link!.id, refuse)).rejects.toThrow(`patient ${hubId} is not in your care`);
    expect(await counts(hubId!)).toEqual({ identifiers: 2, observations: 12, conditions: 2, notes: 2, name: 'Ada Mae Lovelace' });
    const { newPatientId } = await links.unlinkPatient(link!.id);
    expect(await counts(hubId!)).toEqual({ identifiers: 1, observations: 6, conditions: 1, notes: 1, name: 'Ada Mae Lovelace' });
    expect(await counts(newPatientId)).toEqual({ identifiers: 1, observations: 6, conditions: 1, notes: 1, name: 'Adah Lovelace' });
    const [undone] = (await links.linksByPatientIds([hubId!]))[0]!;
    expect(undone).toMatchObject({ id: link!.id, unlinkedInto: newPatientId, unlinkedAt: expect.any(String) });

    await expect(links.unlinkPatient(link!.id)).rejects.toThrow(/already undone/);
  });

  it('does not link a namesake with the same birth date but no shared phone or address', async () => {
    const a = exampleBundle(`A-${suffix()}`, suffix());
    await ingestor.ingestBundle(a, WRITER);
    const b = exampleBundle(`B-${suffix()}`, suffix());
    const report = await ingestor.ingestBundle(b, WRITER);
    expect(report).toMatchObject({ created: 11, linked: [] });
  });

  it('refuses to undo a link that does not exist', async () => {
    await expect(links.unlinkPatient('00000000-0000-4000-8000-000000000000')).rejects.toThrow('Patient link "00000000-0000-4000-8000-000000000000" not found');
  });
});
