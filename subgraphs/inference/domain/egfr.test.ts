import { ckdEpi2021Creatinine, ckdEpi2021CreatinineCystatin } from './egfr';

/*
 * Expected values: the 2021 CKD-EPI equations (Inker LA et al., N Engl J Med 2021;385:1737-49) with the
 * coefficients the National Kidney Foundation publishes (kidney.org, "CKD-EPI Creatinine Equation (2021)"
 * and "CKD-EPI Creatinine-Cystatin C Equation (2021)"). The paper prints no patient-level worked example, so
 * each figure below was computed independently for this test (Python 3, straight from those published
 * formulas, 4 decimals), not by the code under test.
 */
describe('CKD-EPI 2021 creatinine equation (race-free)', () => {
  it.each([
    // creatinine mg/dL, age, sex, eGFR mL/min/1.73 m²
    [1.2, 55, 'MALE', 71.4178], // above κ = 0.9: exponent −1.200
    [0.9, 40, 'MALE', 110.7256], // at κ: both terms 1
    [1.0, 60, 'MALE', 86.1626],
    [0.7, 40, 'FEMALE', 112.0543], // at κ = 0.7, with the 1.012 female factor
    [0.5, 30, 'FEMALE', 129.317], // below κ: exponent α = −0.241
    [1.1, 62, 'FEMALE', 56.8137],
    [2.5, 70, 'FEMALE', 20.1831],
  ] as const)('creatinine %s mg/dL, age %s, %s → %s', (creatinine, age, sex, expected) => {
    expect(ckdEpi2021Creatinine(creatinine, age, sex)).toBeCloseTo(expected, 3);
  });

  it('refuses a child and a non-positive creatinine: the equation is for adults', () => {
    expect(() => ckdEpi2021Creatinine(0.6, 17, 'FEMALE')).toThrow(RangeError);
    expect(() => ckdEpi2021Creatinine(0, 50, 'FEMALE')).toThrow(RangeError);
  });
});

describe('CKD-EPI 2021 creatinine–cystatin C equation (race-free)', () => {
  it.each([
    // creatinine mg/dL, cystatin C mg/L, age, sex, eGFR
    [1.0, 1.0, 60, 'MALE', 84.7661],
    [1.5, 1.6, 70, 'MALE', 45.3579],
    [0.8, 0.9, 50, 'FEMALE', 90.7325],
    [0.6, 0.7, 35, 'FEMALE', 122.4491], // both below their knots
  ] as const)('creatinine %s, cystatin C %s, age %s, %s → %s', (creatinine, cystatin, age, sex, expected) => {
    expect(ckdEpi2021CreatinineCystatin(creatinine, cystatin, age, sex)).toBeCloseTo(expected, 3);
  });
});
