import { randomInt } from 'node:crypto';
import type { Bundle, Condition, Observation } from '@medplum/fhirtypes';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { PATIENT_MIGRATIONS } from '../server';
import { exampleBundle } from './fixtures/example-bundle';
import { FhirIngestor } from './ingest-bundle';
import type { Identity } from '../../../lib/identity';

const log = createLogger('test', 'silent');
/** Written as a hub service (the ingest CLI's identity), which writes for any organisation. */
const WRITER: Identity = { subject: 'ingest', role: 'service', client: 'precision-hub-tests' };

/** A fresh MRN and resource-id suffix per test: no test sees another's rows. */
function fresh() {
  const suffix = String(randomInt(1e11, 1e12 - 1));
  return { mrn: `MRN-${suffix}`, suffix, bundle: exampleBundle(`MRN-${suffix}`, suffix) };
}

const entry = (bundle: Bundle, type: string, n = 0) => bundle.entry!.filter((e) => e.resource?.resourceType === type)[n]!.resource!;

describe('FhirIngestor', () => {
  let pool: Pool;
  let ingestor: FhirIngestor;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL);
    ingestor = new FhirIngestor(pool, log);
  });

  afterAll(async () => {
    await pool.end();
  });

  const patientIdsByMrn = async (mrn: string) =>
    (await pool.query<{ patient_id: string }>('SELECT patient_id FROM patient.identifiers WHERE value = $1', [mrn])).rows.map((r) => r.patient_id);

  it('stores a Synthea-shaped bundle with units normalised, components split, codes kept and notes decoded', async () => {
    const { bundle, mrn, suffix } = fresh();
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report).toEqual({
      patientIds: await patientIdsByMrn(mrn),
      created: 11,
      updated: 0,
      skipped: 0,
      rejected: [],
      warnings: [],
      skippedTypes: { Encounter: 1 },
      linked: [],
    });
    const [id] = report.patientIds;
    const patient = await pool.query('SELECT name, sex, race, phone, birth_date::text AS birth_date FROM patient.patients WHERE id = $1', [id]);
    expect(patient.rows[0]).toEqual({
      name: 'Ada Mae Lovelace',
      sex: 'female',
      race: 'black-or-african-american',
      phone: `555${suffix.slice(-7)}`,
      birth_date: '1961-12-10',
    });
    const observations = await pool.query(
      `SELECT code, value, unit, original_value, original_unit, value_code, normalised, effective_at
       FROM patient.observations WHERE patient_id = $1 ORDER BY code`,
      [id],
    );
    expect(observations.rows).toEqual([
      { code: '2085-9', value: 50, unit: 'mg/dL', original_value: 50, original_unit: 'mg/dL', value_code: null, normalised: true, effective_at: new Date('2026-03-01T14:30:00Z') },
      { code: '2093-3', value: 212.6575, unit: 'mg/dL', original_value: 5.5, original_unit: 'mmol/L', value_code: null, normalised: true, effective_at: new Date('2026-03-01T14:30:00Z') },
      { code: '29463-7', value: 74.8427, unit: 'kg', original_value: 165, original_unit: '[lb_av]', value_code: null, normalised: true, effective_at: new Date('2026-03-01T00:00:00Z') },
      { code: '72166-2', value: null, unit: null, original_value: null, original_unit: null, value_code: '449868002', normalised: true, effective_at: new Date('2026-03-01T14:30:00Z') },
      { code: '8462-4', value: 88, unit: 'mm[Hg]', original_value: 88, original_unit: 'mm[Hg]', value_code: null, normalised: true, effective_at: new Date('2026-03-01T14:35:00Z') },
      { code: '8480-6', value: 142, unit: 'mm[Hg]', original_value: 142, original_unit: 'mm[Hg]', value_code: null, normalised: true, effective_at: new Date('2026-03-01T14:35:00Z') },
    ]);
    const note = await pool.query('SELECT title, content_type, text FROM patient.notes WHERE patient_id = $1', [id]);
    expect(note.rows).toEqual([{ title: 'Clinic note', content_type: 'text/plain', text: 'Type 2 diabetes, on lisinopril. Denies chest pain.' }]);
    const events = await pool.query(`SELECT topic FROM patient.outbox WHERE patient_id = $1`, [id]);
    expect(events.rows).toEqual([{ topic: 'patient.records.ingested' }]);
  });

  it('changes nothing when the same bundle arrives again, and updates only what changed', async () => {
    const { bundle } = fresh();
    const first = await ingestor.ingestBundle(bundle, WRITER);
    const again = await ingestor.ingestBundle(bundle, WRITER);
    expect(again).toEqual({ ...first, created: 0, updated: 0, skipped: 11 });
    const events = await pool.query(`SELECT count(*)::int AS n FROM patient.outbox WHERE patient_id = $1`, [first.patientIds[0]]);
    expect(events.rows[0].n).toBe(1);

    (entry(bundle, 'Observation') as Observation).valueQuantity!.value = 6.1;
    const changed = await ingestor.ingestBundle(bundle, WRITER);
    expect(changed).toMatchObject({ created: 0, updated: 1, skipped: 10 });
  });

  it('stores an imaging study with its DICOM UID, modalities, counts and the text of the report that cites it', async () => {
    const { bundle, suffix } = fresh();
    const patientRef = { reference: bundle.entry![0]!.fullUrl! };
    bundle.entry!.push(
      {
        fullUrl: `urn:uuid:${suffix}-20`,
        resource: {
          resourceType: 'ImagingStudy',
          id: `${suffix}-20`,
          status: 'available',
          identifier: [{ system: 'urn:dicom:uid', value: 'urn:oid:1.2.840.99999.1.1.12345' }],
          subject: patientRef,
          started: '2026-02-02T08:00:00Z',
          numberOfSeries: 1,
          numberOfInstances: 2,
          description: 'CT chest with contrast',
          series: [
            {
              uid: '1.2.840.99999.1.1.12345.1',
              modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' },
              bodySite: { system: 'http://snomed.info/sct', code: '51185008', display: 'Thoracic structure' },
              instance: [
                { uid: '1.2.840.99999.1.1.12345.1.1', sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' } },
                { uid: '1.2.840.99999.1.1.12345.1.2', sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' } },
              ],
            },
          ],
        },
      },
      {
        fullUrl: `urn:uuid:${suffix}-21`,
        resource: {
          resourceType: 'DiagnosticReport',
          id: `${suffix}-21`,
          status: 'final',
          code: { text: 'CT chest report' },
          subject: patientRef,
          effectiveDateTime: '2026-02-02T09:00:00Z',
          imagingStudy: [{ reference: `urn:uuid:${suffix}-20` }],
          conclusion: 'Spiculated 2.1 cm nodule in the right upper lobe.',
        },
      },
    );
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report).toMatchObject({ created: 13, rejected: [] });
    const study = await pool.query(
      `SELECT study_uid, status, modalities, body_sites, series_count, instance_count, started_at, description, report_text
       FROM patient.imaging_studies WHERE patient_id = $1`,
      [report.patientIds[0]],
    );
    expect(study.rows).toEqual([
      {
        study_uid: '1.2.840.99999.1.1.12345',
        status: 'available',
        modalities: ['CT'],
        body_sites: ['Thoracic structure'],
        series_count: 1,
        instance_count: 2,
        started_at: new Date('2026-02-02T08:00:00Z'),
        description: 'CT chest with contrast',
        report_text: 'Spiculated 2.1 cm nodule in the right upper lobe.',
      },
    ]);
  });

  it('creates one patient when two copies of a bundle arrive at once', async () => {
    const { bundle, mrn } = fresh();
    const reports = await Promise.all([ingestor.ingestBundle(bundle, WRITER), ingestor.ingestBundle(bundle, WRITER)]);
    expect(reports.map((r) => r.created).sort()).toEqual([0, 11]);
    expect(await patientIdsByMrn(mrn)).toHaveLength(1);
  });

  describe('bad input: a counted reject naming resource and field, nothing written', () => {
    async function expectRejected(bundle: unknown, reject: { resource: string; field: string; reason: string | RegExp; code: string }, mrn?: string) {
      const report = await ingestor.ingestBundle(bundle, WRITER);
      expect(report.patientIds).toEqual([]);
      expect(report.created + report.updated).toBe(0);
      expect(report.rejected).toContainEqual({
        resource: reject.resource,
        field: reject.field,
        reason: typeof reject.reason === 'string' ? expect.stringContaining(reject.reason) : expect.stringMatching(reject.reason),
        code: reject.code,
      });
      if (mrn) expect(await patientIdsByMrn(mrn)).toEqual([]);
    }

    it('rejects a value without a unit', async () => {
      const { bundle, mrn, suffix } = fresh();
      (entry(bundle, 'Observation', 1) as Observation).valueQuantity = { value: 50 };
      await expectRejected(bundle, { resource: `Observation/${suffix}-3`, field: 'valueQuantity.unit', reason: 'value 50 has no unit', code: 'MISSING_ELEMENT' }, mrn);
    });

    it('rejects a broken reference', async () => {
      const { bundle, mrn, suffix } = fresh();
      (entry(bundle, 'Condition') as Condition).subject = { reference: 'urn:uuid:not-in-this-bundle' };
      await expectRejected(bundle, { resource: `Condition/${suffix}-7`, field: 'subject', reason: 'reference "urn:uuid:not-in-this-bundle" does not resolve in the bundle', code: 'UNRESOLVED_REFERENCE' }, mrn);
    });

    it('rejects a date out of range', async () => {
      const { bundle, mrn, suffix } = fresh();
      (entry(bundle, 'Condition') as Condition).onsetDateTime = '2190-01-01T00:00:00Z';
      await expectRejected(bundle, { resource: `Condition/${suffix}-7`, field: 'onset[x]', reason: 'out of range', code: 'INVALID_DATE' }, mrn);
    });

    it('rejects an element FHIR R4 does not define, and a malformed date', async () => {
      const { bundle, suffix } = fresh();
      (entry(bundle, 'Condition') as unknown as Record<string, unknown>).severityScore = 3;
      (entry(bundle, 'Condition') as Condition).recordedDate = '2020-13-45';
      const report = await ingestor.ingestBundle(bundle, WRITER);
      expect(report.rejected).toEqual([
        { resource: `Condition/${suffix}-7`, field: 'severityScore', reason: 'is not an element of this resource type in FHIR R4', code: 'INVALID_FHIR' },
        { resource: `Condition/${suffix}-7`, field: 'recordedDate', reason: '"2020-13-45" is not in the format FHIR R4 defines for this element', code: 'INVALID_FHIR' },
      ]);
    });

    it('rejects what FHIR R4 itself does not allow, naming the element', async () => {
      const { bundle, mrn, suffix } = fresh();
      (entry(bundle, 'Patient') as { gender: string }).gender = 'mail';
      (entry(bundle, 'Observation', 1) as { valueQuantity: unknown }).valueQuantity = { value: 'fifty', unit: 'mg/dL' };
      const report = await ingestor.ingestBundle(bundle, WRITER);
      expect(report.rejected).toEqual([
        { resource: `Patient/00000000-0000-4000-8000-${suffix}`, field: 'gender', reason: '"mail" is not one of male, female, other, unknown', code: 'INVALID_FHIR' },
        { resource: `Observation/${suffix}-3`, field: 'valueQuantity.value', reason: '"fifty" is not of FHIR JSON type number', code: 'INVALID_FHIR' },
      ]);
      expect(await patientIdsByMrn(mrn)).toEqual([]);
    });

    it('rejects the same resource twice with different content, and skips an exact repeat', async () => {
      const { bundle, mrn, suffix } = fresh();
      const copy = structuredClone(bundle.entry![2]!);
      bundle.entry!.push(copy);
      const report = await ingestor.ingestBundle(bundle, WRITER);
      expect(report).toMatchObject({ created: 11, skipped: 1, rejected: [] });

      const other = fresh();
      const changed = structuredClone(other.bundle.entry![2]!);
      (changed.resource as Observation).valueQuantity!.value = 9;
      other.bundle.entry!.push(changed);
      await expectRejected(other.bundle, { resource: `Observation/${other.suffix}-2`, field: 'id', reason: 'appears twice in the bundle with different content', code: 'DUPLICATE_RESOURCE' }, other.mrn);
      expect(suffix).not.toBe(other.suffix);
      expect(await patientIdsByMrn(mrn)).toHaveLength(1);
    });

    it('rejects something that is not a Bundle, and counts resource types it does not ingest', async () => {
      await expectRejected({ resourceType: 'Patient', id: 'x' }, { resource: 'Bundle', field: 'resourceType', reason: 'expected a FHIR Bundle, got Patient', code: 'INVALID_BUNDLE' });
      await expectRejected('{"resourceType": "Bund', { resource: 'Bundle', field: 'resourceType', reason: 'expected a FHIR Bundle, got string', code: 'INVALID_BUNDLE' });
      const { bundle } = fresh();
      bundle.entry!.push({ resource: { resourceType: 'Claim' } as never }, { resource: { resourceType: 'Claim' } as never });
      expect((await ingestor.ingestBundle(bundle, WRITER)).skippedTypes).toEqual({ Encounter: 1, Claim: 2 });
    });
  });
});
