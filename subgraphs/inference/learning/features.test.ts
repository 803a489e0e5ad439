import { extractFeatures, FEATURE_NAMES, fitImputation, HBA1C_LOINC, labelOutcome, subgroupsOf, toFeatureVector, type OutcomeDefinition, type PatientHistory, type RawFeatures } from './features';

const SNOMED = 'http://snomed.info/sct';
const MI = { system: SNOMED, code: '22298006' };
const OUTCOME: OutcomeDefinition = { name: 'MI within 10 years', codes: [MI], years: 10 };
const INDEX = new Date('2015-01-01T00:00:00Z');

function history(overrides: Partial<PatientHistory> = {}): PatientHistory {
  return {
    id: 'p1',
    birthDate: '1960-06-15',
    sex: 'MALE',
    race: 'BLACK_OR_AFRICAN_AMERICAN',
    observations: [],
    conditions: [],
    medications: [],
    followUpEndsAt: '2026-01-01',
    ...overrides,
  };
}
const obs = (code: string, value: number, unit: string, effectiveAt: string) => ({ code, value, unit, effectiveAt, valueCode: null });
const mi = (onsetAt: string | null) => ({ code: MI, clinicalStatus: 'active', onsetAt });

describe('extractFeatures', () => {
  it('uses the latest plausible value recorded on or before the index date, never a later one', () => {
    const features = extractFeatures(
      history({
        observations: [
          obs('8480-6', 128, 'mm[Hg]', '2013-05-01T10:00:00Z'),
          obs('8480-6', 142, 'mm[Hg]', '2014-11-01T10:00:00Z'),
          obs('8480-6', 1420, 'mm[Hg]', '2014-12-01T10:00:00Z'), // implausible: skipped
          obs('8480-6', 180, 'mm[Hg]', '2015-03-01T10:00:00Z'), // after the index date
          obs(HBA1C_LOINC, 6.8, '%', '2014-10-01T10:00:00Z'),
          obs(HBA1C_LOINC, 51, 'mmol/mol', '2014-12-01T10:00:00Z'), // IFCC units: not %
        ],
      }),
      INDEX,
    );
    expect(features).toMatchObject({ age: 54, sex: 'MALE', race: 'BLACK', systolicBp: 142, hba1c: 6.8, totalCholesterol: null });
  });

  it('counts conditions and medications only when dated on or before the index date', () => {
    const features = extractFeatures(
      history({
        conditions: [
          { code: { system: SNOMED, code: '44054006' }, clinicalStatus: 'active', onsetAt: '2016-02-01' }, // diabetes after index
          { code: { system: SNOMED, code: '38341003' }, clinicalStatus: 'active', onsetAt: '2010-01-01' },
        ],
        medications: [
          { code: { system: 'rxnorm', code: '1', display: 'lisinopril 10 MG Oral Tablet' }, status: 'stopped', startedAt: '2012-01-01', endedAt: '2014-01-01' },
          { code: { system: 'rxnorm', code: '2', display: 'atorvastatin 20 MG Oral Tablet' }, status: 'active', startedAt: '2014-06-01', endedAt: null },
          { code: { system: 'rxnorm', code: '3', display: 'amlodipine 5 MG Oral Tablet' }, status: 'active', startedAt: null, endedAt: null },
        ],
      }),
      INDEX,
    );
    expect(features).toMatchObject({ diabetes: false, onAntihypertensive: false, onStatin: true, smoker: null });
  });

  it('leaves facts missing when the record has no problem or medication list', () => {
    expect(extractFeatures(history(), INDEX)).toMatchObject({ diabetes: null, onAntihypertensive: null, onStatin: null });
  });
});

describe('imputation and the feature vector', () => {
  const blank: RawFeatures = {
    age: null, sex: null, race: null, totalCholesterol: null, hdlCholesterol: null, systolicBp: null, bmi: null,
    hba1c: null, egfr: null, smoker: null, diabetes: null, onAntihypertensive: null, onStatin: null,
  };

  it('fills continuous values with the training median and sets the missing indicators', () => {
    const training = [120, 130, 150, null].map((systolicBp) => ({ ...blank, systolicBp }));
    const imputation = fitImputation(training);
    expect(imputation.medians.systolicBp).toBe(130);
    const vector = toFeatureVector({ ...blank, sex: 'MALE', smoker: true }, imputation);
    expect(vector).toHaveLength(FEATURE_NAMES.length);
    const at = (name: string) => vector[FEATURE_NAMES.indexOf(name)];
    expect([at('systolicBp'), at('systolicBpMissing'), at('male'), at('sexMissing'), at('smoker'), at('smokerMissing'), at('diabetes'), at('diabetesMissing')]).toEqual([130, 1, 1, 0, 1, 0, 0, 1]);
  });

  it('puts patients in sex, 10-year age band and race subgroups', () => {
    expect(subgroupsOf({ ...blank, age: 47, sex: 'FEMALE', race: 'OTHER' })).toEqual({ sex: 'FEMALE', ageBand: '40–49', race: 'OTHER' });
    expect(subgroupsOf(blank)).toEqual({ sex: 'unknown', ageBand: 'unknown', race: 'unknown' });
  });
});

describe('labelOutcome', () => {
  it('labels an outcome with onset within N years as 1, up to and including the last day', () => {
    expect(labelOutcome(history({ conditions: [mi('2019-03-02')] }), INDEX, OUTCOME)).toEqual({ status: 'labelled', outcome: 1, onsetAt: '2019-03-02' });
    expect(labelOutcome(history({ conditions: [mi('2025-01-01')] }), INDEX, OUTCOME)).toMatchObject({ outcome: 1 });
  });

  it('labels a patient followed for N years without the outcome, or with it only later, as 0', () => {
    expect(labelOutcome(history(), INDEX, OUTCOME)).toEqual({ status: 'labelled', outcome: 0, onsetAt: null });
    expect(labelOutcome(history({ conditions: [mi('2025-01-02')] }), INDEX, OUTCOME)).toMatchObject({ outcome: 0 });
  });

  it('censors (excludes) a patient followed for less than N years without the outcome', () => {
    expect(labelOutcome(history({ followUpEndsAt: '2020-06-30' }), INDEX, OUTCOME)).toEqual({ status: 'excluded', reason: 'censored' });
    expect(labelOutcome(history({ followUpEndsAt: '2024-12-31' }), INDEX, OUTCOME)).toEqual({ status: 'excluded', reason: 'censored' });
  });

  it('keeps a patient with short follow-up whose outcome was seen before they left', () => {
    expect(labelOutcome(history({ followUpEndsAt: '2020-06-30', conditions: [mi('2018-01-01')] }), INDEX, OUTCOME)).toMatchObject({ outcome: 1 });
  });

  it('excludes prevalent cases and outcomes without an onset date', () => {
    expect(labelOutcome(history({ conditions: [mi('2015-01-01'), mi('2018-01-01')] }), INDEX, OUTCOME)).toEqual({ status: 'excluded', reason: 'prevalent' });
    expect(labelOutcome(history({ conditions: [mi(null)] }), INDEX, OUTCOME)).toEqual({ status: 'excluded', reason: 'undated-outcome' });
  });
});
