import { estimateCardiovascularRisk, SECONDARY_PREVENTION } from './cardiovascular';
import { ckdEpi2021Creatinine, ckdEpi2021CreatinineCystatin } from './egfr';
import { screenedRiskInput, type ClinicalSnapshot, type RecordedObservation } from './risk-record';

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const AT = new Date('2026-12-06T12:00:00Z');

const obs = (id: string, code: string, value: number, unit: string, effectiveAt: string): RecordedObservation => ({ id, code, value, unit, effectiveAt, valueCode: null, excludedReason: null });

/** A 61-year-old man with a full, recent record (the shape the patient subgraph returns). */
function patient(overrides: Partial<ClinicalSnapshot> = {}): ClinicalSnapshot {
  return {
    id: 'p-1',
    birthDate: '1965-03-02',
    sex: 'MALE',
    race: 'WHITE',
    observations: [
      obs('o-tc', '2093-3', 213, 'mg/dL', '2026-10-01T09:00:00Z'),
      obs('o-hdl', '2085-9', 50, 'mg/dL', '2026-10-01T09:00:00Z'),
      obs('o-sbp', '8480-6', 142, 'mm[Hg]', '2026-10-01T09:00:00Z'),
      obs('o-bmi', '39156-5', 27.4, 'kg/m2', '2026-10-01T09:00:00Z'),
      obs('o-egfr', '98979-8', 88, 'mL/min/{1.73_m2}', '2026-10-01T09:00:00Z'),
      { id: 'o-smk', code: '72166-2', value: null, unit: null, effectiveAt: '2026-10-01T09:00:00Z', valueCode: { system: SNOMED, code: '266919005' } },
    ],
    conditions: [{ id: 'c-htn', code: { system: SNOMED, code: '59621000', display: 'Essential hypertension (disorder)' }, clinicalStatus: 'active', onsetAt: '2015-06-01T00:00:00Z' }],
    medications: [{ id: 'm-1', code: { system: RXNORM, code: '314076', display: 'lisinopril 10 MG Oral Tablet' }, status: 'active', authoredAt: '2025-01-10T00:00:00Z' }],
    ...overrides,
  };
}

const estimate = (snapshot: ClinicalSnapshot) => {
  const { input, excluded, record } = screenedRiskInput(snapshot, AT);
  return estimateCardiovascularRisk(input, excluded, record);
};

describe('risk from the record: applicability', () => {
  it('gives a patient with coronary heart disease and a prior MI no percentage, and names the condition', () => {
    // Synthea's codes and displays (CardiovascularDiseaseModule.java): the case, PCE 18.9 % before.
    const record = patient({
      conditions: [
        { id: 'c-chd', code: { system: SNOMED, code: '53741008', display: 'Coronary Heart Disease' }, clinicalStatus: 'active', onsetAt: '2011-04-02T10:00:00Z' },
        { id: 'c-mi', code: { system: SNOMED, code: '22298006', display: 'Myocardial Infarction' }, clinicalStatus: 'resolved', onsetAt: '2014-08-19T10:00:00Z' },
        { id: 'c-hmi', code: { system: SNOMED, code: '399211009', display: 'History of myocardial infarction (situation)' }, clinicalStatus: 'active', onsetAt: '2014-08-19T10:00:00Z' },
      ],
    });
    const risk = estimate(record);
    expect(risk).toMatchObject({ pce10y: null, prevent: null, category: SECONDARY_PREVENTION, missing: [] });
    expect(risk.notApplicableReasons).toEqual([
      'PCE: secondary prevention, established ASCVD — coronary heart disease: Coronary Heart Disease (SNOMED CT 53741008), onset 2011-04-02; the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)',
      'PREVENT: established ASCVD — coronary heart disease: Coronary Heart Disease (SNOMED CT 53741008), onset 2011-04-02; PREVENT was derived in adults without known cardiovascular disease, ASCVD or heart failure (Khan et al., Circulation 2024)',
    ]);
    expect(risk.applicability.map((a) => [a.model, a.applicable, a.causedBy?.id])).toEqual([['PCE', false, 'c-chd'], ['PREVENT', false, 'c-chd']]);
  });

  it('lists no missing inputs for a model that does not apply', () => {
    const risk = estimate(patient({ observations: [], conditions: [{ code: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I25.10' }, clinicalStatus: 'active' }] }));
    expect(risk).toMatchObject({ pce10y: null, category: SECONDARY_PREVENTION, missing: [] });
  });

  it('keeps PCE and drops PREVENT for heart failure without ASCVD', () => {
    const risk = estimate(patient({ conditions: [{ id: 'c-chf', code: { system: SNOMED, code: '88805009', display: 'Chronic congestive heart failure (disorder)' }, clinicalStatus: 'active', onsetAt: '2022-02-01T00:00:00Z' }] }));
    expect(risk.pce10y).toEqual(expect.any(Number));
    expect(risk.category).not.toBe(SECONDARY_PREVENTION);
    expect(risk.prevent).toBeNull();
    expect(risk.notApplicableReasons).toEqual([expect.stringMatching(/^PREVENT: prevalent heart failure — heart failure: Chronic congestive heart failure \(disorder\) \(SNOMED CT 88805009\), onset 2022-02-01;/)]);
  });

  it('applies both models, as before, to a patient without cardiovascular disease', () => {
    const risk = estimate(patient());
    expect(risk.pce10y).toEqual(expect.any(Number));
    expect(risk.prevent?.cvd10y).toEqual(expect.any(Number));
    expect(risk.applicability.every((a) => a.applicable)).toBe(true);
  });

  it('takes established ASCVD stated to the calculator', () => {
    const risk = estimateCardiovascularRisk({ age: 60, sex: 'MALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120,
      onHypertensionTreatment: false, smoker: false, diabetes: false, establishedAscvd: true });
    expect(risk).toMatchObject({ pce10y: null, prevent: null, category: SECONDARY_PREVENTION, missing: [], asOf: null, datedInputs: [], staleInputs: [] });
    expect(risk.applicability[0]).toMatchObject({ applicable: false, reason: expect.stringMatching(/^secondary prevention, established ASCVD — established ASCVD \(stated\);/) });
  });
});

describe('risk from the record: dated inputs', () => {
  it('dates every input, names its source record, and computes age on the estimate day', () => {
    const risk = estimate(patient());
    expect(risk.asOf).toBe('2026-12-06T12:00:00.000Z');
    expect(risk.inputs.age).toBe(61);
    expect(risk.datedInputs.map((d) => [d.input, d.value, d.unit, d.effectiveAt, d.source, d.sourceId, d.stale])).toEqual([
      ['age', 61, 'a', '2026-12-06T12:00:00.000Z', 'Patient', 'p-1', false],
      ['totalCholesterol', 213, 'mg/dL', '2026-10-01T09:00:00Z', 'Observation', 'o-tc', false],
      ['hdlCholesterol', 50, 'mg/dL', '2026-10-01T09:00:00Z', 'Observation', 'o-hdl', false],
      ['systolicBp', 142, 'mm[Hg]', '2026-10-01T09:00:00Z', 'Observation', 'o-sbp', false],
      ['bmi', 27.4, 'kg/m2', '2026-10-01T09:00:00Z', 'Observation', 'o-bmi', false],
      ['egfr', 88, 'mL/min/{1.73_m2}', '2026-10-01T09:00:00Z', 'Observation', 'o-egfr', false],
      ['smoker', null, null, '2026-10-01T09:00:00Z', 'Observation', 'o-smk', false],
      ['onHypertensionTreatment', null, null, '2025-01-10T00:00:00Z', 'Medication', 'm-1', false],
    ]);
    expect(risk.datedInputs.find((d) => d.input === 'smoker')?.display).toBe('Never smoked tobacco');
    expect(risk.staleInputs).toEqual([]);
    expect(risk.notes).toEqual([]);
  });

  it('uses lipids from 2017–2020 but flags them stale, with their dates, in the estimate', () => {
    const record = patient();
    record.observations = record.observations.map((o) =>
      o.id === 'o-tc' ? { ...o, effectiveAt: '2020-03-15T09:00:00Z' } : o.id === 'o-hdl' ? { ...o, effectiveAt: '2017-05-02T09:00:00Z' } : o);
    const risk = estimate(record);
    expect(risk.pce10y).toEqual(expect.any(Number));
    expect(risk.staleInputs).toEqual(['totalCholesterol', 'hdlCholesterol']);
    expect(risk.datedInputs.find((d) => d.input === 'totalCholesterol')).toMatchObject({ stale: true, maxAgeDays: 1825, ageDays: 2457 });
    expect(risk.datedInputs.find((d) => d.input === 'hdlCholesterol')).toMatchObject({ stale: true, maxAgeDays: 1825, ageDays: 3505 });
    expect(risk.notes).toEqual([
      'Computed with stale inputs, used and flagged: total cholesterol of 2020-03-15 (6.7 years old; maximum 5.0 years); HDL cholesterol of 2017-05-02 (9.6 years old; maximum 5.0 years). Re-measure before acting on the estimate.',
    ]);
  });

  it('flags a blood pressure older than a year', () => {
    const record = patient();
    record.observations = record.observations.map((o) => (o.id === 'o-sbp' ? { ...o, effectiveAt: '2025-11-01T09:00:00Z' } : o));
    expect(estimate(record).staleInputs).toEqual(['systolicBp']);
  });
});

describe('risk from the record: derived eGFR', () => {
  const withoutEgfr = (extra: RecordedObservation[]) => {
    const record = patient();
    record.observations = [...record.observations.filter((o) => o.code !== '98979-8'), ...extra];
    return record;
  };

  it('derives eGFR by CKD-EPI 2021 from creatinine when no eGFR is recorded, and PREVENT runs on it', () => {
    const risk = estimate(withoutEgfr([obs('o-cr', '2160-0', 1.1, 'mg/dL', '2026-09-20T08:00:00Z')]));
    const expected = Math.round(ckdEpi2021Creatinine(1.1, 61, 'MALE'));
    expect(risk.inputs.egfr).toBe(expected);
    expect(risk.missing).toEqual([]);
    expect(risk.prevent?.cvd10y).toEqual(expect.any(Number));
    expect(risk.datedInputs.find((d) => d.input === 'egfr')).toEqual({
      input: 'egfr', value: expected, unit: 'mL/min/{1.73_m2}', display: null, effectiveAt: '2026-09-20T08:00:00Z', source: 'Derived', sourceId: null,
      ageDays: 77, maxAgeDays: 365, stale: false,
      derivation: {
        formula: 'CKD-EPI 2021 creatinine (race-free)',
        citation: 'Inker LA et al., N Engl J Med 2021;385:1737-49',
        inputs: [
          { name: 'creatinine', value: 1.1, unit: 'mg/dL', effectiveAt: '2026-09-20T08:00:00Z', sourceId: 'o-cr' },
          { name: 'age', value: 61, unit: 'a', effectiveAt: '2026-09-20T08:00:00Z', sourceId: 'p-1' },
        ],
      },
    });
    expect(risk.notes).toEqual([`eGFR ${expected} derived by CKD-EPI 2021 creatinine (race-free) from creatinine 1.1 mg/dL of 2026-09-20 (Inker LA et al., N Engl J Med 2021;385:1737-49)`]);
  });

  it('uses the creatinine–cystatin C equation with a cystatin C of the same draw', () => {
    const risk = estimate(withoutEgfr([obs('o-cr', '2160-0', 1.1, 'mg/dL', '2026-09-20T08:00:00Z'), obs('o-cys', '33863-2', 1.2, 'mg/L', '2026-09-20T08:05:00Z')]));
    expect(risk.inputs.egfr).toBe(Math.round(ckdEpi2021CreatinineCystatin(1.1, 1.2, 61, 'MALE')));
    expect(risk.datedInputs.find((d) => d.input === 'egfr')?.derivation?.formula).toBe('CKD-EPI 2021 creatinine–cystatin C (race-free)');
  });

  it('keeps a recorded eGFR of the same day or newer than the creatinine', () => {
    const risk = estimate(withoutEgfr([obs('o-cr', '2160-0', 1.1, 'mg/dL', '2026-09-20T08:00:00Z'), obs('o-egfr', '98979-8', 74, 'mL/min/{1.73_m2}', '2026-09-20T08:00:00Z')]));
    expect(risk.inputs.egfr).toBe(74);
    expect(risk.datedInputs.find((d) => d.input === 'egfr')).toMatchObject({ source: 'Observation', sourceId: 'o-egfr', derivation: null });
  });

  it('derives from a creatinine newer than a stale recorded eGFR', () => {
    const risk = estimate(withoutEgfr([obs('o-old', '98979-8', 95, 'mL/min/{1.73_m2}', '2023-01-01T00:00:00Z'), obs('o-cr', '2160-0', 1.4, 'mg/dL', '2026-11-01T08:00:00Z')]));
    expect(risk.inputs.egfr).toBe(Math.round(ckdEpi2021Creatinine(1.4, 61, 'MALE')));
    expect(risk.staleInputs).toEqual([]);
  });

  it('derives nothing without sex, or for a creatinine measured before 18', () => {
    expect(estimate({ ...withoutEgfr([obs('o-cr', '2160-0', 1.1, 'mg/dL', '2026-09-20T08:00:00Z')]), sex: 'UNKNOWN' }).inputs.egfr).toBeNull();
    expect(estimate(withoutEgfr([obs('o-cr', '2160-0', 0.8, 'mg/dL', '1982-01-01T08:00:00Z')])).inputs.egfr).toBeNull();
  });

  it('skips a flagged creatinine, reports it, and uses the previous one', () => {
    const flagged = { ...obs('o-bad', '2160-0', 97, 'umol/L', '2026-11-01T08:00:00Z'), excludedReason: 'unit not convertible' };
    const { input, excluded } = screenedRiskInput(withoutEgfr([flagged, obs('o-cr', '2160-0', 1.1, 'mg/dL', '2026-09-20T08:00:00Z')]), AT);
    expect(input.egfr).toBe(Math.round(ckdEpi2021Creatinine(1.1, 61, 'MALE')));
    expect(excluded).toEqual([{ input: 'creatinine', value: 97, unit: 'umol/L', effectiveAt: '2026-11-01T08:00:00Z', reason: 'unit not convertible' }]);
  });
});
