import {
  PREVENT_COEFFICIENTS,
  PREVENT_MODEL,
  preventRisk,
  preventTerms,
  type PreventInput,
  type PreventResult,
  type PreventTerm,
} from './prevent';

// Khan et al. 2024, supplemental Table S25 worked example (also preventr's documented example, R/estimate_risk.R):
// age 50, total cholesterol 200 mg/dL, HDL 45 mg/dL, systolic 160 mmHg on antihypertensives, no statin,
// diabetes, non-smoker, BMI 35 kg/m², eGFR 90 mL/min/1.73 m².
const example: Omit<PreventInput, 'sex'> = {
  age: 50,
  totalCholesterol: 200,
  hdlCholesterol: 45,
  systolicBp: 160,
  onHypertensionTreatment: true,
  onStatin: false,
  diabetes: true,
  smoker: false,
  bmi: 35,
  egfr: 90,
};

const risks = (r: PreventResult) => [r.cvd10y, r.ascvd10y, r.hf10y, r.cvd30y, r.ascvd30y, r.hf30y];

describe('preventRisk', () => {
  it('reproduces the published worked example for a woman (Table S25 and the supplemental Excel file)', () => {
    // Table S25: 10-year total CVD 14.7 %. The other five figures are the supplemental Excel file's, as quoted
    // in preventr's documentation (10-year ASCVD 9.2 %, HF 8.1 %; 30-year CVD 53 %, ASCVD 35.4 %, HF 39 %).
    const result = preventRisk({ ...example, sex: 'FEMALE' });
    expect(result.notApplicableReasons).toEqual([]);
    expect(risks(result)).toEqual([14.7, 9.2, 8.1, 53.0, 35.4, 39.0]);
  });

  it('reproduces preventr 0.12.0 for a man with the same risk factors', () => {
    // tests/testthat/test-estimate_risk.R "Base model works, male" (preventr's own expected values).
    const result = preventRisk({ ...example, sex: 'MALE' });
    expect(result.notApplicableReasons).toEqual([]);
    expect(risks(result)).toEqual([16.3, 10.2, 10.6, 51.4, 34.9, 42.4]);
  });

  it.each([
    ['FEMALE', [10.6, 5.6, 3.8, 37.2, 20.7, 16.8]],
    ['MALE', [12.2, 6.7, 4.4, 39.1, 23.1, 17.4]],
  ] as const)('matches the Stata prevent package for a %s smoker on a statin with eGFR 45', (sex, expected) => {
    // Exercises the terms the published example leaves at zero (SBP < 110, smoking, statin, statin × non-HDL,
    // eGFR < 60, BMI < 30 and their age interactions). Expected values come from evaluating the formulas of
    // prevent10i.ado / prevent30i.ado (A. Linden, SSC, 2024) independently of this module; not AHA-published.
    const result = preventRisk({
      sex,
      age: 45,
      totalCholesterol: 240,
      hdlCholesterol: 38,
      systolicBp: 100,
      onHypertensionTreatment: true,
      onStatin: true,
      diabetes: false,
      smoker: true,
      bmi: 24,
      egfr: 45,
    });
    expect(risks(result)).toEqual(expected);
  });

  it('prepares the centred terms exactly as preventr does', () => {
    // preventr tests/testthat/_snaps/estimate_risk.md, "Preparation of terms works - Basic".
    const terms = preventTerms({ ...example, sex: 'FEMALE', age: 65, hdlCholesterol: 50 });
    const expected: Record<PreventTerm, number> = {
      age: 1,
      ageSquared: 1,
      nonHdl: 0.379,
      hdl: -0.02333333,
      sbpBelow110: 0,
      sbpAbove110: 1.5,
      diabetes: 1,
      smoker: 0,
      bmiBelow30: 1,
      bmiAbove30: 1,
      egfrBelow60: 0,
      egfrAbove60: 0,
      antihypertensive: 1,
      statin: 0,
      treatedSbpAbove110: 1.5,
      statinNonHdl: 0,
      ageNonHdl: 0.379,
      ageHdl: -0.02333333,
      ageSbpAbove110: 1.5,
      ageDiabetes: 1,
      ageSmoker: 0,
      ageBmiAbove30: 1,
      ageEgfrBelow60: 0,
      constant: 1,
    };
    for (const [term, value] of Object.entries(expected)) expect(terms[term as PreventTerm]).toBeCloseTo(value, 7);
  });

  it('splits systolic pressure at 110 and eGFR at 60 as published', () => {
    const low = preventTerms({ ...example, sex: 'MALE', systolicBp: 100, egfr: 45 });
    expect(low.sbpBelow110).toBeCloseTo(-0.5);
    expect(low.sbpAbove110).toBeCloseTo(-1);
    expect(low.egfrBelow60).toBeCloseTo(1);
    expect(low.egfrAbove60).toBeCloseTo(2);
    const high = preventTerms({ ...example, sex: 'MALE', systolicBp: 150, egfr: 120, bmi: 22 });
    expect(high.sbpBelow110).toBe(0);
    expect(high.sbpAbove110).toBeCloseTo(1);
    expect(high.egfrBelow60).toBe(0);
    expect(high.egfrAbove60).toBeCloseTo(-2);
    expect(high.bmiBelow30).toBeCloseTo(-0.6);
    expect(high.bmiAbove30).toBe(0);
  });

  it('gives 10-year but not 30-year risk at 60–79 and says why', () => {
    const result = preventRisk({ ...example, sex: 'MALE', age: 65 });
    expect(result.cvd10y).toBeGreaterThan(0);
    expect(result.ascvd10y).toBeGreaterThan(0);
    expect(result.hf10y).toBeGreaterThan(0);
    expect([result.cvd30y, result.ascvd30y, result.hf30y]).toEqual([null, null, null]);
    expect(result.notApplicableReasons).toEqual(['age 65 is outside 30–59, the range the 30-year equations are valid for']);
    expect(preventRisk({ ...example, sex: 'MALE', age: 59.5 }).notApplicableReasons).toEqual([
      'age 59.5 is outside 30–59, the range the 30-year equations are valid for',
    ]);
    expect(preventRisk({ ...example, sex: 'MALE', age: 79 }).notApplicableReasons).toEqual([
      'age 79 is outside 30–59, the range the 30-year equations are valid for',
    ]);
    expect(preventRisk({ ...example, sex: 'FEMALE', age: 59 }).cvd30y).not.toBeNull();
    expect(preventRisk({ ...example, sex: 'FEMALE', age: 60 }).cvd30y).toBeNull();
    expect(preventRisk({ ...example, sex: 'FEMALE', age: 79 }).cvd10y).not.toBeNull();
  });

  it('is not applicable at all outside ages 30–79', () => {
    expect(preventRisk({ ...example, sex: 'FEMALE', age: 80 })).toEqual({
      cvd10y: null,
      ascvd10y: null,
      hf10y: null,
      cvd30y: null,
      ascvd30y: null,
      hf30y: null,
      notApplicableReasons: ['age 80 is outside 30–79, the range the equations are valid for'],
    });
    expect(risks(preventRisk({ ...example, sex: 'MALE', age: 29 }))).toEqual([null, null, null, null, null, null]);
  });

  it('lists every input outside the published ranges', () => {
    const result = preventRisk({
      ...example,
      sex: 'MALE',
      totalCholesterol: 129,
      hdlCholesterol: 101,
      systolicBp: 201,
      bmi: 40,
      egfr: 14,
    });
    expect(risks(result)).toEqual([null, null, null, null, null, null]);
    expect(result.notApplicableReasons).toEqual([
      'totalCholesterol 129 is outside 130–320, the range the equations are valid for',
      'hdlCholesterol 101 is outside 20–100, the range the equations are valid for',
      'systolicBp 201 is outside 90–200, the range the equations are valid for',
      'bmi 40 is outside 18.5–39.9, the range the equations are valid for',
      'egfr 14 is outside 15–140, the range the equations are valid for',
    ]);
    expect(preventRisk({ ...example, sex: 'MALE', egfr: 141 }).notApplicableReasons).toEqual([
      'egfr 141 is outside 15–140, the range the equations are valid for',
    ]);
    expect(preventRisk({ ...example, sex: 'MALE', bmi: Number.NaN }).notApplicableReasons).toEqual([
      'bmi NaN is outside 18.5–39.9, the range the equations are valid for',
    ]);
  });

  it('accepts the range boundaries', () => {
    for (const edge of [
      { age: 30, totalCholesterol: 130, hdlCholesterol: 20, systolicBp: 90, bmi: 18.5, egfr: 15 },
      { age: 79, totalCholesterol: 320, hdlCholesterol: 100, systolicBp: 200, bmi: 39.9, egfr: 140 },
    ]) {
      expect(preventRisk({ ...example, ...edge, sex: 'FEMALE' }).cvd10y).not.toBeNull();
    }
  });

  describe('sanity', () => {
    const base: PreventInput = { ...example, sex: 'MALE', diabetes: false, onHypertensionTreatment: false, systolicBp: 130 };
    const outcomes = ['cvd10y', 'ascvd10y', 'hf10y'] as const;

    it('rises with age for every 10-year outcome', () => {
      for (const sex of ['FEMALE', 'MALE'] as const) {
        for (const outcome of outcomes) {
          const series = [30, 40, 50, 60, 70, 79].map((age) => preventRisk({ ...base, sex, age })[outcome]!);
          series.slice(1).forEach((risk, i) => expect(risk).toBeGreaterThan(series[i]!));
        }
      }
    });

    it('rises with systolic pressure above 110, smoking, diabetes and falling eGFR', () => {
      for (const sex of ['FEMALE', 'MALE'] as const) {
        const reference = preventRisk({ ...base, sex });
        for (const change of [{ systolicBp: 160 }, { smoker: true }, { diabetes: true }, { egfr: 45 }]) {
          const changed = preventRisk({ ...base, sex, ...change });
          for (const outcome of outcomes) expect(changed[outcome]!).toBeGreaterThan(reference[outcome]!);
        }
      }
    });

    it('rises with non-HDL cholesterol for ASCVD, and with BMI above 30 only for heart failure', () => {
      const reference = preventRisk(base);
      const cholesterol = preventRisk({ ...base, totalCholesterol: 280 });
      expect(cholesterol.ascvd10y!).toBeGreaterThan(reference.ascvd10y!);
      expect(cholesterol.hf10y).toBe(reference.hf10y);
      const obese = preventRisk({ ...base, bmi: 38 });
      expect(obese.hf10y!).toBeGreaterThan(reference.hf10y!);
      expect(obese.ascvd10y).toBe(reference.ascvd10y);
      expect(obese.cvd10y).toBe(reference.cvd10y);
    });

    it('gives a 30-year risk above the 10-year risk', () => {
      const result = preventRisk({ ...base, age: 45 });
      expect(result.cvd30y!).toBeGreaterThan(result.cvd10y!);
      expect(result.ascvd30y!).toBeGreaterThan(result.ascvd10y!);
      expect(result.hf30y!).toBeGreaterThan(result.hf10y!);
    });
  });
});

describe('PREVENT_COEFFICIENTS', () => {
  it('has the published model structure', () => {
    for (const sex of ['FEMALE', 'MALE'] as const) {
      for (const horizon of ['10y', '30y'] as const) {
        const models = PREVENT_COEFFICIENTS[horizon][sex];
        expect('ageSquared' in models.cvd).toBe(horizon === '30y');
        for (const term of ['nonHdl', 'hdl', 'statin', 'statinNonHdl', 'ageNonHdl', 'ageHdl'] as const) {
          expect(models.hf[term]).toBeUndefined();
          expect(models.ascvd[term]).toBeDefined();
        }
        for (const term of ['bmiBelow30', 'bmiAbove30', 'ageBmiAbove30'] as const) {
          expect(models.hf[term]).toBeDefined();
          expect(models.cvd[term]).toBeUndefined();
          expect(models.ascvd[term]).toBeUndefined();
        }
      }
    }
  });

  it('cites its source', () => {
    expect(PREVENT_MODEL.source).toContain('Circulation 2024;149(6):430-449');
  });
});
