import { randomUUID } from 'node:crypto';
import type { RunningService } from '../../lib/apollo-http';
import { createLogger } from '../../lib/logger';
import { createPool, inTransaction, migrate, type Pool } from '../../lib/postgres';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { PATIENT_MIGRATIONS, startPatientService } from './server';
import { testAssertions } from '../../tests/support/auth';

const log = createLogger('test', 'silent');

const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const RUN_SYSTEM = 'urn:test:run';
const METFORMIN = ['860975', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet'] as const;
const LISINOPRIL = ['314076', 'lisinopril 10 MG Oral Tablet'] as const;
const ATORVASTATIN = ['617312', 'atorvastatin 10 MG Oral Tablet [Lipitor]'] as const;

interface SeedPatient {
  /** Age in whole years today (born that many years and 30 days ago); null: no birth date. */
  age: number | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  /** Total cholesterol (LOINC 2093-3, mg/dL), oldest first, a day apart; the last is the latest. */
  cholesterol: number[];
  /** Conditions besides the run's own; `diabetes` is a code unique to this run. */
  conditions: ('diabetes-snomed' | 'diabetes-icd10')[];
  medications: { rxnorm: readonly [string, string]; status: string }[];
}

/** Index = position in id order (ids are handed out sorted), so responses list them in this order. */
const COHORT: SeedPatient[] = [
  { age: 25, sex: 'female', cholesterol: [300, 100], conditions: ['diabetes-snomed'], medications: [{ rxnorm: METFORMIN, status: 'active' }] },
  { age: 38, sex: 'male', cholesterol: [110], conditions: ['diabetes-icd10'], medications: [] },
  { age: 41, sex: 'female', cholesterol: [120], conditions: ['diabetes-snomed'], medications: [{ rxnorm: METFORMIN, status: 'stopped' }] },
  { age: 45, sex: 'male', cholesterol: [90, 130], conditions: [], medications: [{ rxnorm: LISINOPRIL, status: 'active' }] },
  { age: 49, sex: 'female', cholesterol: [140], conditions: [], medications: [{ rxnorm: ATORVASTATIN, status: 'active' }] },
  { age: 50, sex: 'other', cholesterol: [150], conditions: [], medications: [] },
  { age: 52, sex: 'male', cholesterol: [160], conditions: ['diabetes-snomed'], medications: [] },
  { age: 59, sex: 'unknown', cholesterol: [170], conditions: [], medications: [] },
  { age: 63, sex: 'female', cholesterol: [180], conditions: [], medications: [] },
  { age: 70, sex: 'male', cholesterol: [190], conditions: [], medications: [] },
  { age: 85, sex: 'female', cholesterol: [200], conditions: [], medications: [] },
  { age: null, sex: null, cholesterol: [], conditions: [], medications: [] },
];
const name = (index: number) => `Cohort ${String(index).padStart(2, '0')}`;

const INSERT_PATIENT = `
  INSERT INTO patient.patients (id, name, birth_date, sex)
  VALUES ($1, $2, (current_date - make_interval(years => $3::int, days => 30))::date, $4)`;
const INSERT_CHOLESTEROL = `
  INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at)
  VALUES ($1, '2093-3', $2, 'mg/dL', $2, 'mg/dL', now() - make_interval(days => $3::int))`;
const INSERT_CONDITION = `
  INSERT INTO patient.conditions (patient_id, code_system, code, clinical_status, source_key)
  VALUES ($1, $2, $3, 'active', $4)`;
const INSERT_MEDICATION = `
  INSERT INTO patient.medications (patient_id, kind, code_system, code, display, status, source_key)
  VALUES ($1, 'MedicationRequest', 'http://www.nlm.nih.gov/research/umls/rxnorm', $2, $3, $4, $5)`;

describe('Query.patients filters and Query.cohort', () => {
  // Every seeded patient has the condition `run`; filtering on it isolates this run's patients.
  const run = `run-${randomUUID()}`;
  const diabetes = `diabetes-${run}`;
  let pool: Pool;
  let service: RunningService;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL);
    const ids = COHORT.map(() => randomUUID()).sort();
    await inTransaction(pool, async (client) => {
      for (const [index, patient] of COHORT.entries()) {
        const id = ids[index]!;
        const source = `${run}-${index}`;
        await client.query(INSERT_PATIENT, [id, name(index), patient.age, patient.sex]);
        for (const [n, value] of patient.cholesterol.entries()) {
          await client.query(INSERT_CHOLESTEROL, [id, value, patient.cholesterol.length - n]);
        }
        await client.query(INSERT_CONDITION, [id, RUN_SYSTEM, run, `Condition/${source}-run`]);
        for (const condition of patient.conditions) {
          const system = condition === 'diabetes-snomed' ? SNOMED : ICD10;
          await client.query(INSERT_CONDITION, [id, system, diabetes, `Condition/${source}-${condition}`]);
        }
        for (const [n, { rxnorm, status }] of patient.medications.entries()) {
          await client.query(INSERT_MEDICATION, [id, rxnorm[0], rxnorm[1], status, `MedicationRequest/${source}-${n}`]);
        }
      }
    });
    service = await startPatientService({ databaseUrl: TEST_DATABASE_URL, host: '127.0.0.1', port: 0, log, assertions: testAssertions() });
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
  });

  const PATIENT_NAMES = `query ($filter: PatientFilter!, $first: Int, $after: String) {
    patients(filter: $filter, first: $first, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage } }
  }`;

  /** The patients query's whole response for the run's patients narrowed by `filter`. */
  const patients = (filter: Record<string, unknown>, first = 20) =>
    gql(service.url, PATIENT_NAMES, { filter: { conditionCode: run, ...filter }, first });

  const page = (indexes: number[], hasNextPage = false, totalCount = indexes.length) => ({
    data: { patients: { totalCount, edges: indexes.map((i) => ({ node: { name: name(i) } })), pageInfo: { hasNextPage } } },
  });

  describe('Query.patients filters (AND, keyset pages, totalCount)', () => {
    it('selects the run by condition code alone, in id order', async () => {
      expect(await patients({})).toEqual(page([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    });

    it('pages a filtered set with the total of the whole set', async () => {
      expect(await patients({ sex: 'MALE' }, 2)).toEqual(page([1, 3], true, 4));
    });

    it('filters by age in whole years, both bounds included; no birth date never matches', async () => {
      expect(await patients({ ageMin: 41, ageMax: 49 })).toEqual(page([2, 3, 4]));
      expect(await patients({ ageMin: 70 })).toEqual(page([9, 10]));
      expect(await patients({ ageMax: 25 })).toEqual(page([0]));
    });

    it('filters by sex', async () => {
      expect(await patients({ sex: 'FEMALE' })).toEqual(page([0, 2, 4, 8, 10]));
      expect(await patients({ sex: 'OTHER' })).toEqual(page([5]));
    });

    it('filters by condition code in any system, or in one', async () => {
      const byCode = (filter: Record<string, unknown>) => gql(service.url, PATIENT_NAMES, { filter, first: 20 });
      expect(await byCode({ conditionCode: diabetes })).toEqual(page([0, 1, 2, 6]));
      expect(await byCode({ conditionCode: diabetes, conditionSystem: SNOMED })).toEqual(page([0, 2, 6]));
      expect(await byCode({ conditionCode: diabetes, conditionSystem: ICD10 })).toEqual(page([1]));
    });

    it("filters on the latest observation's value only, bounds included", async () => {
      expect(await patients({ observation: { code: '2093-3', min: 120, max: 160 } })).toEqual(page([2, 3, 4, 5, 6]));
      // Patient 0's older 300 and patient 3's older 90 do not count.
      expect(await patients({ observation: { code: '2093-3', min: 250 } })).toEqual(page([]));
      expect(await patients({ observation: { code: '2093-3', max: 110 } })).toEqual(page([0, 1]));
      expect(await patients({ observation: { code: '2093-3' } })).toEqual(page([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    });

    it('filters by active medication: RxNorm code, or display text in any case', async () => {
      expect(await patients({ hasMedication: METFORMIN[0] })).toEqual(page([0]));
      expect(await patients({ hasMedication: 'LIPITOR' })).toEqual(page([4]));
      expect(await patients({ hasMedication: 'oral tablet' })).toEqual(page([0, 3, 4]));
      // Taken literally, not as a LIKE pattern.
      expect(await patients({ hasMedication: '%' })).toEqual(page([]));
    });

    it('combines every filter with AND', async () => {
      expect(await patients({ sex: 'FEMALE', ageMax: 50, hasMedication: 'tablet', observation: { code: '2093-3', min: 101 } })).toEqual(page([4]));
      expect(await patients({ sex: 'MALE', ageMin: 40, observation: { code: '2093-3', max: 160 } })).toEqual(page([3, 6]));
    });

    it('refuses filters that cannot mean what was asked', async () => {
      const error = (message: string, code: string, field: string) => ({
        data: null,
        errors: [{ message, locations: expect.any(Array), path: ['patients'], extensions: { code, field, http: { status: 400 } } }],
      });
      expect(await patients({ ageMin: 50, ageMax: 40 })).toEqual(
        error('filter.ageMin: 50 is greater than ageMax 40', 'BAD_USER_INPUT', 'filter.ageMin'),
      );
      expect(await patients({ observation: { code: '2093-3', min: 5, max: 1 } })).toEqual(
        error('filter.observation: min 5 is greater than max 1', 'BAD_USER_INPUT', 'filter.observation'),
      );
      expect(await patients({ observation: { code: '1234-5', min: 1 } })).toEqual(
        error(
          `filter.observation.code: LOINC "1234-5" is not in the hub's unit catalogue, so its values have no single unit to compare`,
          'UNKNOWN_LOINC_CODE',
          'filter.observation.code',
        ),
      );
      expect(await patients({ hasMedication: '  ' })).toEqual(error('filter.hasMedication: must not be empty', 'BAD_USER_INPUT', 'filter.hasMedication'));
      expect(await gql(service.url, PATIENT_NAMES, { filter: { conditionSystem: SNOMED } })).toEqual(
        error('filter.conditionSystem: narrows conditionCode, which is missing', 'BAD_USER_INPUT', 'filter.conditionSystem'),
      );
    });
  });

  describe('Query.cohort', () => {
    const COHORT_SUMMARY = `query ($filter: PatientFilter) {
      cohort(filter: $filter) {
        count
        ageDistribution { key count }
        sexDistribution { key count }
        labPercentiles(code: "2093-3") { code unit n p10 p25 p50 p75 p90 }
      }
    }`;
    const cohort = (filter: Record<string, unknown>) => gql(service.url, COHORT_SUMMARY, { filter: { conditionCode: run, ...filter } });

    it("summarises the run's patients: 10-year bands, sexes, percentiles of the latest cholesterol", async () => {
      expect(await cohort({})).toEqual({
        data: {
          cohort: {
            count: 12,
            ageDistribution: [
              { key: '20-29', count: 1 },
              { key: '30-39', count: 1 },
              { key: '40-49', count: 3 },
              { key: '50-59', count: 3 },
              { key: '60-69', count: 1 },
              { key: '70-79', count: 1 },
              { key: '80-89', count: 1 },
              { key: 'NOT_RECORDED', count: 1 },
            ],
            sexDistribution: [
              { key: 'FEMALE', count: 5 },
              { key: 'MALE', count: 4 },
              { key: 'OTHER', count: 1 },
              { key: 'UNKNOWN', count: 1 },
              { key: 'NOT_RECORDED', count: 1 },
            ],
            // Latest values 100, 110, ..., 200 (patient 11 has none): interpolated percentiles.
            labPercentiles: { code: '2093-3', unit: 'mg/dL', n: 11, p10: 110, p25: 125, p50: 150, p75: 175, p90: 190 },
          },
        },
      });
    });

    it('summarises a filtered cohort', async () => {
      expect(await cohort({ sex: 'FEMALE' })).toEqual({
        data: {
          cohort: {
            count: 5,
            ageDistribution: [
              { key: '20-29', count: 1 },
              { key: '40-49', count: 2 },
              { key: '60-69', count: 1 },
              { key: '80-89', count: 1 },
            ],
            sexDistribution: [{ key: 'FEMALE', count: 5 }],
            // 100, 120, 140, 180, 200.
            labPercentiles: { code: '2093-3', unit: 'mg/dL', n: 5, p10: 108, p25: 120, p50: 140, p75: 180, p90: 192 },
          },
        },
      });
    });

    it('answers an empty cohort with zeros and no percentiles', async () => {
      expect(await cohort({ ageMin: 120 })).toEqual({
        data: {
          cohort: {
            count: 0,
            ageDistribution: [],
            sexDistribution: [],
            labPercentiles: { code: '2093-3', unit: 'mg/dL', n: 0, p10: null, p25: null, p50: null, p75: null, p90: null },
          },
        },
      });
    });

    it('refuses percentiles of a code without one canonical unit', async () => {
      const response = await gql(service.url, `query ($run: String!) { cohort(filter: { conditionCode: $run }) { count labPercentiles(code: "1234-5") { n } } }`, { run });
      expect(response).toEqual({
        data: { cohort: { count: 12, labPercentiles: null } },
        errors: [
          {
            message: `labPercentiles.code: LOINC "1234-5" is not in the hub's unit catalogue, so its values have no single unit to compare`,
            locations: expect.any(Array),
            path: ['cohort', 'labPercentiles'],
            extensions: { code: 'UNKNOWN_LOINC_CODE', field: 'labPercentiles.code', http: { status: 400 } },
          },
        ],
      });
    });
  });
});
