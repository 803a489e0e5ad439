import { randomInt } from 'node:crypto';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { PATIENT_MIGRATIONS } from '../server';
import { exampleBundle } from './fixtures/example-bundle';
import { FhirIngestor } from './ingest-bundle';
import type { Identity } from '../../../lib/identity';

const log = createLogger('test', 'silent');
const WRITER: Identity = { subject: 'ingest', role: 'service', client: 'precision-hub-tests' };

function fresh() {
  const suffix = String(randomInt(1e11, 1e12 - 1));
  return { mrn: `MRN-${suffix}`, suffix, bundle: exampleBundle(`MRN-${suffix}`, suffix) };
}

/**
 * A laboratory Observation as Synthea's R4 exporter writes it (category laboratory, LOINC code with
 * display, valueQuantity with unit, UCUM system and code). Synthea writes eGFR 33914-3 as
 * `"unit": "mL/min", "code": "mL/min"`, glucose as 2339-0 and creatinine as 38483-4, all in mg/dL.
 */
function syntheaLab(bundle: Bundle, id: string, code: string, display: string, value: number, unit: string): Observation {
  const patient = bundle.entry![0]!.fullUrl!;
  const observation: Observation = {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
    subject: { reference: patient },
    effectiveDateTime: '2026-03-01T09:30:00-05:00',
    issued: '2026-03-01T09:30:00.000-05:00',
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
  bundle.entry!.push({ fullUrl: `urn:uuid:${id}`, resource: observation, request: { method: 'POST', url: 'Observation' } });
  return observation;
}

describe('FhirIngestor units and plausibility (issue 16)', () => {
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

  const rowsOf = async (patientId: string, codes: string[]) =>
    (
      await pool.query(
        `SELECT code, value, unit, original_value, original_unit, normalised, flag, flag_reason
         FROM patient.observations WHERE patient_id = $1 AND code = ANY($2) ORDER BY code`,
        [patientId, codes],
      )
    ).rows;

  it('stores a Synthea bundle with eGFR in mL/min, glucose 2339-0 and creatinine 38483-4 normalised, and warns about the eGFR annotation', async () => {
    const { bundle, suffix } = fresh();
    syntheaLab(bundle, `${suffix}-egfr`, '33914-3', 'Glomerular filtration rate/1.73 sq M.predicted', 71.2, 'mL/min');
    syntheaLab(bundle, `${suffix}-glu`, '2339-0', 'Glucose', 5.5, 'mmol/L');
    syntheaLab(bundle, `${suffix}-cre`, '38483-4', 'Creatinine', 88.4, 'umol/L');
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report.rejected).toEqual([]);
    expect(report.warnings).toEqual([
      {
        resource: `Observation/${suffix}-egfr`,
        field: 'valueQuantity.unit',
        reason: '"mL/min" taken as mL/min/{1.73_m2}: the annotation {1.73_m2} is unity in UCUM (§12), so the sender\'s unit did not state it',
        code: 'UNIT_ANNOTATION_ASSUMED',
      },
    ]);
    expect(await rowsOf(report.patientIds[0]!, ['33914-3', '2339-0', '38483-4'])).toEqual([
      { code: '2339-0', value: 99.0858, unit: 'mg/dL', original_value: 5.5, original_unit: 'mmol/L', normalised: true, flag: null, flag_reason: null },
      { code: '33914-3', value: 71.2, unit: 'mL/min/{1.73_m2}', original_value: 71.2, original_unit: 'mL/min', normalised: true, flag: null, flag_reason: null },
      { code: '38483-4', value: 1, unit: 'mg/dL', original_value: 88.4, original_unit: 'umol/L', normalised: true, flag: null, flag_reason: null },
    ]);
  });

  it('keeps the patient record when one lab is in a unit that does not convert: stored as sent, flagged and warned about', async () => {
    const { bundle, suffix } = fresh();
    syntheaLab(bundle, `${suffix}-glu`, '2345-7', 'Glucose', 5.5, 'mm[Hg]');
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report.rejected).toEqual([]);
    expect(report.created).toBe(12);
    const reason =
      '"mm[Hg]" unknown for LOINC 2345-7 (Glucose [Mass/volume] in Serum or Plasma): it does not convert to mg/dL (Sorry.  mm[Hg] cannot be converted to mg/dL.)';
    expect(report.warnings).toEqual([
      { resource: `Observation/${suffix}-glu`, field: 'valueQuantity.unit', reason: `stored as sent and left out of calculations: ${reason}`, code: 'UNIT_NOT_CONVERTIBLE' },
    ]);
    expect(await rowsOf(report.patientIds[0]!, ['2345-7', '2093-3'])).toEqual([
      { code: '2093-3', value: 212.6575, unit: 'mg/dL', original_value: 5.5, original_unit: 'mmol/L', normalised: true, flag: null, flag_reason: null },
      { code: '2345-7', value: 5.5, unit: 'mm[Hg]', original_value: 5.5, original_unit: 'mm[Hg]', normalised: false, flag: 'unit-not-convertible', flag_reason: reason },
    ]);
  });

  it('stores an implausible blood pressure flagged, with a warning', async () => {
    const { bundle, suffix } = fresh();
    syntheaLab(bundle, `${suffix}-sbp`, '8480-6', 'Systolic blood pressure', 1200, 'mm[Hg]');
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report.warnings).toEqual([
      {
        resource: `Observation/${suffix}-sbp`,
        field: 'valueQuantity.value',
        reason: 'stored and left out of calculations: systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])',
        code: 'IMPLAUSIBLE_VALUE',
      },
    ]);
    const rows = await pool.query(`SELECT value, flag, flag_reason FROM patient.observations WHERE source_key = $1`, [`Observation/${suffix}-sbp`]);
    expect(rows.rows).toEqual([{ value: 1200, flag: 'implausible', flag_reason: 'systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])' }]);
  });

  it.each([
    ['negative cholesterol', '2093-3', -4.2, 'mmol/L', 'total cholesterol -4.2 mmol/L is impossible (must not be below 0)'],
    ['a diastolic pressure of zero', '8462-4', 0, 'mm[Hg]', 'diastolic blood pressure 0 mm[Hg] is impossible (must be above 0)'],
    ['a negative weight in a unit that is not UCUM', '29463-7', -3, 'stone', 'body weight -3 stone is impossible (must be above 0)'],
  ])('rejects the whole bundle for %s, naming resource, field and reason, and writes nothing', async (_, code, value, unit, reason) => {
    const { bundle, suffix, mrn } = fresh();
    syntheaLab(bundle, `${suffix}-bad`, code, 'bad', value, unit);
    const report = await ingestor.ingestBundle(bundle, WRITER);
    expect(report).toEqual({
      patientIds: [],
      created: 0,
      updated: 0,
      skipped: 0,
      rejected: [{ resource: `Observation/${suffix}-bad`, field: 'valueQuantity.value', reason, code: 'IMPOSSIBLE_VALUE' }],
      warnings: [],
      skippedTypes: { Encounter: 1 },
      linked: [],
    });
    expect((await pool.query('SELECT 1 FROM patient.identifiers WHERE value = $1', [mrn])).rowCount).toBe(0);
  });
});
