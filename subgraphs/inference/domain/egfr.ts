/**
 * Estimated GFR by the 2021 CKD-EPI equations without race: Inker LA, Eneanya ND, Coresh J, et al. New
 * creatinine- and cystatin C–based equations to estimate GFR without race. N Engl J Med 2021;385:1737-49.
 * Coefficients as the National Kidney Foundation publishes them (kidney.org, "CKD-EPI Creatinine Equation
 * (2021)" and "CKD-EPI Creatinine-Cystatin C Equation (2021)"), endorsed by the NKF-ASN Task Force (Delgado C
 * et al., Am J Kidney Dis 2022;79:268) and KDIGO 2024. Adults (≥ 18 years) only; creatinine IDMS-traceable in
 * mg/dL, cystatin C IFCC-standardised in mg/L; result in mL/min/1.73 m².
 */
export type EgfrSex = 'FEMALE' | 'MALE';

export const CKD_EPI_2021_CREATININE = 'CKD-EPI 2021 creatinine (race-free)';
export const CKD_EPI_2021_CREATININE_CYSTATIN = 'CKD-EPI 2021 creatinine–cystatin C (race-free)';
export const CKD_EPI_2021_CITATION = 'Inker LA et al., N Engl J Med 2021;385:1737-49';
/** The youngest age the equations were developed for. */
export const EGFR_MIN_AGE = 18;

function checkInputs(age: number, ...concentrations: number[]): void {
  if (!(age >= EGFR_MIN_AGE)) throw new RangeError(`CKD-EPI 2021 is for adults: age ${age} is under ${EGFR_MIN_AGE}`);
  for (const c of concentrations) if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`CKD-EPI 2021: concentration ${c} must be a positive number`);
}

/**
 * eGFRcr = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^Age × 1.012 [if female];
 * κ = 0.7 (female) or 0.9 (male), α = −0.241 (female) or −0.302 (male).
 */
export function ckdEpi2021Creatinine(creatinineMgDl: number, age: number, sex: EgfrSex): number {
  checkInputs(age, creatinineMgDl);
  const female = sex === 'FEMALE';
  const ratio = creatinineMgDl / (female ? 0.7 : 0.9);
  return 142 * Math.min(ratio, 1) ** (female ? -0.241 : -0.302) * Math.max(ratio, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
}

/**
 * eGFRcr-cys = 135 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−0.544 × min(Scys/0.8, 1)^−0.323 × max(Scys/0.8, 1)^−0.778
 * × 0.9961^Age × 0.963 [if female]; κ = 0.7 (female) or 0.9 (male), α = −0.219 (female) or −0.144 (male).
 */
export function ckdEpi2021CreatinineCystatin(creatinineMgDl: number, cystatinCMgL: number, age: number, sex: EgfrSex): number {
  checkInputs(age, creatinineMgDl, cystatinCMgL);
  const female = sex === 'FEMALE';
  const cr = creatinineMgDl / (female ? 0.7 : 0.9);
  const cys = cystatinCMgL / 0.8;
  return (
    135 *
    Math.min(cr, 1) ** (female ? -0.219 : -0.144) *
    Math.max(cr, 1) ** -0.544 *
    Math.min(cys, 1) ** -0.323 *
    Math.max(cys, 1) ** -0.778 *
    0.9961 ** age *
    (female ? 0.963 : 1)
  );
}
