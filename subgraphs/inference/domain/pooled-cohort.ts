/**
 * 2013 ACC/AHA Pooled Cohort Equations for 10-year risk of a first hard ASCVD event.
 * Goff DC Jr et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular Risk.
 * Circulation 2014;129(25 Suppl 2):S49-S73, Table A (coefficients, mean sum, baseline survival).
 * Risk = 1 − S10^exp(ΣβX − mean ΣβX). The equations were derived for ages 40–79; people of races
 * other than white or African American are estimated with the white equations (ibid.).
 * Input ranges are those the ACC/AHA ASCVD Risk Estimator accepts (total cholesterol 130–320 mg/dL,
 * HDL 20–100 mg/dL, systolic 90–200 mmHg).
 */
export type PceSex = 'FEMALE' | 'MALE';
export type PceRace = 'WHITE' | 'AFRICAN_AMERICAN' | 'OTHER';

export interface PceInput {
  age: number;
  sex: PceSex;
  race: PceRace;
  totalCholesterol: number;
  hdlCholesterol: number;
  systolicBp: number;
  onHypertensionTreatment: boolean;
  smoker: boolean;
  diabetes: boolean;
}

export interface PceResult {
  /** Percent, 0–100, one decimal as the guideline reports it; null when not applicable. */
  risk10y: number | null;
  notApplicableReasons: string[];
}

interface Coefficients {
  lnAge: number;
  lnAgeSq: number;
  lnTc: number;
  lnAgeLnTc: number;
  lnHdl: number;
  lnAgeLnHdl: number;
  lnTreatedSbp: number;
  lnAgeLnTreatedSbp: number;
  lnUntreatedSbp: number;
  lnAgeLnUntreatedSbp: number;
  smoker: number;
  lnAgeSmoker: number;
  diabetes: number;
  baselineSurvival: number;
  meanSum: number;
}

const zero = { lnAgeSq: 0, lnAgeLnTc: 0, lnAgeLnHdl: 0, lnAgeLnTreatedSbp: 0, lnAgeLnUntreatedSbp: 0, lnAgeSmoker: 0 };

export const PCE_COEFFICIENTS: Record<'WHITE' | 'AFRICAN_AMERICAN', Record<PceSex, Coefficients>> = {
  WHITE: {
    FEMALE: {
      ...zero,
      lnAge: -29.799,
      lnAgeSq: 4.884,
      lnTc: 13.54,
      lnAgeLnTc: -3.114,
      lnHdl: -13.578,
      lnAgeLnHdl: 3.149,
      lnTreatedSbp: 2.019,
      lnUntreatedSbp: 1.957,
      smoker: 7.574,
      lnAgeSmoker: -1.665,
      diabetes: 0.661,
      baselineSurvival: 0.9665,
      meanSum: -29.18,
    },
    MALE: {
      ...zero,
      lnAge: 12.344,
      lnTc: 11.853,
      lnAgeLnTc: -2.664,
      lnHdl: -7.99,
      lnAgeLnHdl: 1.769,
      lnTreatedSbp: 1.797,
      lnUntreatedSbp: 1.764,
      smoker: 7.837,
      lnAgeSmoker: -1.795,
      diabetes: 0.658,
      baselineSurvival: 0.9144,
      meanSum: 61.18,
    },
  },
  AFRICAN_AMERICAN: {
    FEMALE: {
      ...zero,
      lnAge: 17.114,
      lnTc: 0.94,
      lnHdl: -18.92,
      lnAgeLnHdl: 4.475,
      lnTreatedSbp: 29.291,
      lnAgeLnTreatedSbp: -6.432,
      lnUntreatedSbp: 27.82,
      lnAgeLnUntreatedSbp: -6.087,
      smoker: 0.691,
      diabetes: 0.874,
      baselineSurvival: 0.9533,
      meanSum: 86.61,
    },
    MALE: {
      ...zero,
      lnAge: 2.469,
      lnTc: 0.302,
      lnHdl: -0.307,
      lnTreatedSbp: 1.916,
      lnUntreatedSbp: 1.809,
      smoker: 0.549,
      diabetes: 0.645,
      baselineSurvival: 0.8954,
      meanSum: 19.54,
    },
  },
};

export const PCE_RANGES = {
  age: [40, 79],
  totalCholesterol: [130, 320],
  hdlCholesterol: [20, 100],
  systolicBp: [90, 200],
} as const;

export const PCE_MODEL = {
  name: 'Pooled Cohort Equations',
  version: '2013 ACC/AHA',
  source: 'Goff DC Jr et al. Circulation 2014;129(25 Suppl 2):S49-S73. doi:10.1161/01.cir.0000437741.48606.98',
} as const;

/*
 * Inside a range as the reasons below judge it, "not below and not above", so a NaN passes here as it
 * always has. Read field by field, so that the common case builds no list of reasons.
 */
const inside = (value: number, range: readonly [number, number]) => !(value < range[0] || value > range[1]);
/** Cholesterol and systolic pressure inside PCE_RANGES. */
const labsWithinRanges = (input: PceInput) =>
  inside(input.totalCholesterol, PCE_RANGES.totalCholesterol) &&
  inside(input.hdlCholesterol, PCE_RANGES.hdlCholesterol) &&
  inside(input.systolicBp, PCE_RANGES.systolicBp);

const RANGE_ENTRIES = Object.entries(PCE_RANGES) as [keyof typeof PCE_RANGES, readonly [number, number]][];

/** One reason per input outside PCE_RANGES, in PCE_RANGES order. */
function rangeReasons(input: PceInput): string[] {
  const reasons: string[] = [];
  for (const [field, [low, high]] of RANGE_ENTRIES) {
    const value = input[field];
    if (value < low || value > high) reasons.push(`${field} ${value} is outside ${low}–${high}, the range the equations are valid for`);
  }
  return reasons;
}

/**
 * Age is the input most often outside the range (everyone under 40), alone: its one-reason lists for whole
 * ages 0–120 are built once and frozen rather than formatted per patient.
 */
const AGE_REASONS = new Map<number, string[]>();
for (let age = 0; age <= 120; age++) {
  const reasons = rangeReasons({ age, totalCholesterol: 200, hdlCholesterol: 50, systolicBp: 120 } as PceInput);
  if (reasons.length) AGE_REASONS.set(age, Object.freeze(reasons) as unknown as string[]);
}

/** Shared by every result that has no reason; frozen so that no caller can add one to all of them. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

export function pooledCohortRisk(input: PceInput): PceResult {
  if (!inside(input.age, PCE_RANGES.age) || !labsWithinRanges(input)) {
    const ageAlone = AGE_REASONS.get(input.age);
    return { risk10y: null, notApplicableReasons: ageAlone && labsWithinRanges(input) ? ageAlone : rangeReasons(input) };
  }

  const c = PCE_COEFFICIENTS[input.race === 'AFRICAN_AMERICAN' ? 'AFRICAN_AMERICAN' : 'WHITE'][input.sex];
  const lnAge = Math.log(input.age);
  const lnTc = Math.log(input.totalCholesterol);
  const lnHdl = Math.log(input.hdlCholesterol);
  const lnSbp = Math.log(input.systolicBp);
  const treated = input.onHypertensionTreatment;
  const smoker = input.smoker ? 1 : 0;
  const sum =
    c.lnAge * lnAge +
    c.lnAgeSq * lnAge * lnAge +
    c.lnTc * lnTc +
    c.lnAgeLnTc * lnAge * lnTc +
    c.lnHdl * lnHdl +
    c.lnAgeLnHdl * lnAge * lnHdl +
    (treated ? c.lnTreatedSbp * lnSbp + c.lnAgeLnTreatedSbp * lnAge * lnSbp : 0) +
    (treated ? 0 : c.lnUntreatedSbp * lnSbp + c.lnAgeLnUntreatedSbp * lnAge * lnSbp) +
    c.smoker * smoker +
    c.lnAgeSmoker * lnAge * smoker +
    c.diabetes * (input.diabetes ? 1 : 0);
  const risk = 1 - Math.pow(c.baselineSurvival, Math.exp(sum - c.meanSum));
  return { risk10y: Math.round(risk * 1000) / 10, notApplicableReasons: NONE };
}

/**
 * Risk categories of the 2019 ACC/AHA Guideline on the Primary Prevention of Cardiovascular Disease
 * (Arnett DK et al. Circulation 2019;140:e596-e646): low < 5 %, borderline 5–7.4 %,
 * intermediate 7.5–19.9 %, high ≥ 20 %.
 */
export function ascvdRiskCategory(risk10y: number): 'LOW' | 'BORDERLINE' | 'INTERMEDIATE' | 'HIGH' {
  if (risk10y < 5) return 'LOW';
  if (risk10y < 7.5) return 'BORDERLINE';
  if (risk10y < 20) return 'INTERMEDIATE';
  return 'HIGH';
}
