import { ageOn, estimateCardiovascularRisk, riskInputFromSnapshot, screenedRiskInput } from './cardiovascular';

describe('estimateCardiovascularRisk', () => {
  it('lists every missing input and gives no number instead of assuming defaults', () => {
    const estimate = estimateCardiovascularRisk({ age: 55, sex: 'MALE', totalCholesterol: 213 });
    expect(estimate.pce10y).toBeNull();
    expect(estimate.missing).toEqual(['race', 'hdlCholesterol', 'systolicBp', 'onHypertensionTreatment', 'smoker', 'diabetes', 'onStatin', 'bmi', 'egfr']);
    expect(estimate.prevent).toBeNull();
  });

  it('computes PCE and the guideline category when all inputs are present', () => {
    const estimate = estimateCardiovascularRisk({
      age: 55,
      sex: 'FEMALE',
      race: 'AFRICAN_AMERICAN',
      totalCholesterol: 213,
      hdlCholesterol: 50,
      systolicBp: 120,
      onHypertensionTreatment: false,
      smoker: false,
      diabetes: false,
    });
    expect(estimate).toMatchObject({ pce10y: 3, category: 'LOW', missing: ['onStatin', 'bmi', 'egfr'], notApplicableReasons: [], prevent: null });
    expect(estimate.model.version).toBe('2013 ACC/AHA');
  });
  it('lists exactly the one input that is absent, for each input either model needs', () => {
    // Guards the by-name check for a complete record against the field lists it shortcuts.
    const complete = { age: 55, sex: 'MALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120, onHypertensionTreatment: false,
      smoker: false, diabetes: false, onStatin: false, bmi: 27, egfr: 90 } as const;
    expect(estimateCardiovascularRisk(complete).missing).toEqual([]);
    for (const field of Object.keys(complete) as (keyof typeof complete)[]) {
      for (const absent of [null, undefined]) {
        const estimate = estimateCardiovascularRisk({ ...complete, [field]: absent });
        expect(estimate.missing).toEqual([field]);
        expect(estimate.pce10y === null).toBe(!['onStatin', 'bmi', 'egfr'].includes(field));
        expect(estimate.prevent === null).toBe(field !== 'race');
      }
    }
  });
});

describe('riskInputFromSnapshot', () => {
  it('takes the latest value per LOINC code and the age on the given day', () => {
    const input = riskInputFromSnapshot(
      {
        id: 'p1',
        birthDate: '1970-06-15',
        sex: 'MALE',
        race: 'ASIAN',
        observations: [
          { code: '2093-3', value: 240, unit: 'mg/dL', effectiveAt: '2025-01-01T00:00:00.000Z', valueCode: null },
          { code: '2093-3', value: 200, unit: 'mg/dL', effectiveAt: '2026-01-01T00:00:00.000Z', valueCode: null },
          { code: '8480-6', value: 128, unit: 'mm[Hg]', effectiveAt: '2026-01-01T00:00:00.000Z', valueCode: null },
        ],
        conditions: [],
        medications: [],
      },
      new Date('2026-06-14T12:00:00Z'),
    );
    expect(input).toEqual({
      age: 55,
      sex: 'MALE',
      race: 'OTHER',
      totalCholesterol: 200,
      hdlCholesterol: null,
      systolicBp: 128,
      onHypertensionTreatment: null,
      smoker: null,
      diabetes: null,
      bmi: null,
      egfr: null,
      onStatin: null,
    });
  });

  it('runs PREVENT beside PCE when its inputs are there, naming which model a reason belongs to', () => {
    const estimate = estimateCardiovascularRisk({
      age: 35,
      sex: 'FEMALE',
      race: 'WHITE',
      totalCholesterol: 200,
      hdlCholesterol: 45,
      systolicBp: 160,
      onHypertensionTreatment: true,
      smoker: false,
      diabetes: true,
      bmi: 35,
      egfr: 90,
      onStatin: false,
    });
    expect(estimate.pce10y).toBeNull();
    expect(estimate.notApplicableReasons).toEqual(['PCE: age 35 is outside 40–79, the range the equations are valid for']);
    expect(estimate.prevent?.cvd10y).toEqual(expect.any(Number));
    expect(estimate.missing).toEqual([]);
  });

  it('reads smoking, diabetes and antihypertensive treatment from the record', () => {
    const input = riskInputFromSnapshot(
      {
        id: 'p2',
        birthDate: '1961-12-10',
        sex: 'FEMALE',
        race: 'BLACK_OR_AFRICAN_AMERICAN',
        observations: [
          { code: '72166-2', value: null, unit: null, effectiveAt: '2026-03-01T14:30:00.000Z', valueCode: { system: 'http://snomed.info/sct', code: '449868002' } },
        ],
        conditions: [{ code: { system: 'http://snomed.info/sct', code: '44054006' }, clinicalStatus: 'active' }],
        medications: [{ code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076', display: 'lisinopril 10 MG Oral Tablet' }, status: 'active' }],
      },
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(input).toMatchObject({ race: 'AFRICAN_AMERICAN', smoker: true, diabetes: true, onHypertensionTreatment: true, age: 64 });
  });

  it('never computes with a value the patient subgraph flagged, and names why it was left out', () => {
    const unconverted = '"mm[Hg]" unknown for LOINC 2093-3 (Cholesterol [Mass/volume] in Serum or Plasma): it does not convert to mg/dL';
    const { input, excluded } = screenedRiskInput(
      {
        id: 'p3',
        birthDate: '1970-06-15',
        sex: 'MALE',
        race: 'WHITE',
        observations: [
          { code: '2093-3', value: 210, unit: 'mg/dL', effectiveAt: '2025-01-01T00:00:00.000Z', valueCode: null, excludedReason: null },
          // Inside the plausible range once read as mg/dL: only the flag keeps it out.
          { code: '2093-3', value: 180, unit: 'mm[Hg]', effectiveAt: '2026-01-01T00:00:00.000Z', valueCode: null, excludedReason: unconverted },
          { code: '98979-8', value: 150, unit: 'mL/min/{1.73_m2}', effectiveAt: '2026-01-01T00:00:00.000Z', valueCode: null, excludedReason: 'eGFR 150 flagged by a reviewer' },
        ],
        conditions: [],
        medications: [],
      },
      new Date('2026-06-14T12:00:00Z'),
    );
    expect(input.totalCholesterol).toBe(210);
    expect(input.egfr).toBeNull();
    expect(excluded).toEqual([
      { input: 'totalCholesterol', value: 180, unit: 'mm[Hg]', effectiveAt: '2026-01-01T00:00:00.000Z', reason: unconverted },
      { input: 'egfr', value: 150, unit: 'mL/min/{1.73_m2}', effectiveAt: '2026-01-01T00:00:00.000Z', reason: 'eGFR 150 flagged by a reviewer' },
    ]);
    expect(estimateCardiovascularRisk(input, excluded).missing).toContain('egfr');
  });

  it('counts a birthday only once it has passed', () => {
    expect(ageOn('1970-06-15', new Date('2026-06-15T00:00:00Z'))).toBe(56);
    expect(ageOn('1970-06-15', new Date('2026-06-14T23:59:59Z'))).toBe(55);
  });
});

describe('estimateCardiovascularRisk with a stated history (calculator)', () => {
  const complete = { age: 55, sex: 'MALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120, onHypertensionTreatment: false,
    smoker: false, diabetes: false, onStatin: false, bmi: 27, egfr: 90 } as const;

  it('keeps PCE and takes PREVENT out for stated heart failure (PREVENT was derived without prevalent CVD, Khan et al. 2024)', () => {
    const estimate = estimateCardiovascularRisk({ ...complete, heartFailure: true });
    expect(estimate.pce10y).toEqual(expect.any(Number));
    expect(estimate.category).toBe('BORDERLINE');
    expect(estimate.prevent).toBeNull();
    expect(estimate.applicability.map((a) => [a.model, a.applicable])).toEqual([['PCE', true], ['PREVENT', false]]);
    expect(estimate.notApplicableReasons).toEqual([expect.stringMatching(/^PREVENT: prevalent heart failure — heart failure \(stated\); PREVENT was derived/)]);
  });

  it('computes as before when no history is stated', () => {
    const estimate = estimateCardiovascularRisk({ ...complete, establishedAscvd: false, heartFailure: null });
    expect(estimate).toMatchObject({ category: 'BORDERLINE', notApplicableReasons: [], asOf: null, datedInputs: [], staleInputs: [], notes: [] });
    expect(estimate.prevent?.cvd10y).toEqual(expect.any(Number));
  });
});
