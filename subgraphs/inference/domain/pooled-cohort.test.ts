import { ascvdRiskCategory, pooledCohortRisk, type PceInput } from './pooled-cohort';

// Goff et al. 2013, Table A worked example: age 55, total cholesterol 213 mg/dL, HDL 50 mg/dL,
// untreated systolic 120 mmHg, non-smoker, no diabetes.
const example: Omit<PceInput, 'sex' | 'race'> = {
  age: 55,
  totalCholesterol: 213,
  hdlCholesterol: 50,
  systolicBp: 120,
  onHypertensionTreatment: false,
  smoker: false,
  diabetes: false,
};

describe('pooledCohortRisk', () => {
  it.each([
    ['WHITE', 'FEMALE', 2.1],
    ['AFRICAN_AMERICAN', 'FEMALE', 3.0],
    ['WHITE', 'MALE', 5.3],
    ['AFRICAN_AMERICAN', 'MALE', 6.1],
  ] as const)('reproduces the published example for %s %s: %s %%', (race, sex, expected) => {
    // Table A computes with logarithms rounded to two decimals (ln 55 = 4.01 ...); exact logarithms
    // move the white male example from 5.3 to 5.4 %, so one tenth of a point is the tolerance.
    const result = pooledCohortRisk({ ...example, race, sex });
    expect(result.notApplicableReasons).toEqual([]);
    expect(Math.abs(result.risk10y! - expected)).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('estimates other races with the white equations', () => {
    expect(pooledCohortRisk({ ...example, race: 'OTHER', sex: 'MALE' }).risk10y).toBe(
      pooledCohortRisk({ ...example, race: 'WHITE', sex: 'MALE' }).risk10y,
    );
  });

  it('raises risk for smoking, diabetes and treated hypertension', () => {
    const base = pooledCohortRisk({ ...example, race: 'WHITE', sex: 'MALE' }).risk10y!;
    for (const change of [{ smoker: true }, { diabetes: true }, { onHypertensionTreatment: true, systolicBp: 140 }]) {
      expect(pooledCohortRisk({ ...example, race: 'WHITE', sex: 'MALE', ...change }).risk10y!).toBeGreaterThan(base);
    }
  });

  it('is not applicable outside ages 40–79 and says why', () => {
    expect(pooledCohortRisk({ ...example, age: 35, race: 'WHITE', sex: 'FEMALE' })).toEqual({
      risk10y: null,
      notApplicableReasons: ['age 35 is outside 40–79, the range the equations are valid for'],
    });
  });

  it('words the age reason the same for whole and fractional ages, alone or with other reasons', () => {
    const reasons = (change: Partial<PceInput>) => pooledCohortRisk({ ...example, race: 'WHITE', sex: 'MALE', ...change }).notApplicableReasons;
    expect(reasons({ age: 39 })).toEqual(['age 39 is outside 40–79, the range the equations are valid for']);
    expect(reasons({ age: 39.5 })).toEqual(['age 39.5 is outside 40–79, the range the equations are valid for']);
    expect(reasons({ age: 80 })).toEqual(['age 80 is outside 40–79, the range the equations are valid for']);
    expect(reasons({ age: 39, systolicBp: 201 })).toEqual([
      'age 39 is outside 40–79, the range the equations are valid for',
      'systolicBp 201 is outside 90–200, the range the equations are valid for',
    ]);
    expect(reasons({ age: 40 })).toEqual([]);
  });

  it('is not applicable for cholesterol outside the estimator range', () => {
    expect(pooledCohortRisk({ ...example, totalCholesterol: 400, race: 'WHITE', sex: 'MALE' }).notApplicableReasons).toEqual([
      'totalCholesterol 400 is outside 130–320, the range the equations are valid for',
    ]);
  });
});

describe('ascvdRiskCategory', () => {
  it('follows the 2019 ACC/AHA thresholds', () => {
    expect([4.9, 5, 7.4, 7.5, 19.9, 20].map(ascvdRiskCategory)).toEqual([
      'LOW',
      'BORDERLINE',
      'BORDERLINE',
      'INTERMEDIATE',
      'INTERMEDIATE',
      'HIGH',
    ]);
  });
});
