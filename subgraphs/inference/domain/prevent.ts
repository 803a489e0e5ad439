/**
 * 2023 American Heart Association PREVENT equations (Predicting Risk of cardiovascular disease EVENTs),
 * BASE model, sex-specific: 10- and 30-year risk of total cardiovascular disease (ASCVD + heart failure),
 * ASCVD (coronary heart disease + stroke) and heart failure.
 * Khan SS, Matsushita K, Sang Y, et al. Development and Validation of the American Heart Association's
 * PREVENT Equations. Circulation 2024;149(6):430-449. doi:10.1161/CIRCULATIONAHA.123.067626
 * The coefficients are published in the article's supplemental Excel file (sheets "Table S12A"–"S12J", one
 * per model and horizon); supplemental Table S25 is a worked example (reproduced in prevent.test.ts).
 *
 * Risk = e^x / (1 + e^x), x = Σ β·term. Every predictor is centred (age 55, non-HDL-C 3.5 mmol/L,
 * HDL-C 1.3 mmol/L, SBP 130 mmHg, BMI 25 kg/m², eGFR 90 mL/min/1.73 m²) and the piece-wise linear splines
 * (SBP at 110, BMI at 30, eGFR at 60) are centred at the knot on the side where the centre cannot lie.
 * Cholesterol is converted from mg/dL to mmol/L by × 0.02586. The 30-year models add an age² term and have
 * their own coefficients; the heart-failure models use BMI and no cholesterol or statin terms.
 *
 * The coefficients below were transcribed from, and checked number for number against, two independent
 * public implementations of the supplement:
 *  - the R package preventr 0.12.0 (github.com/martingmayer/preventr, commit ebe2ac15c385, objects
 *    base_10yr and base_30yr in R/sysdata.rda, which R/prep_data_for_use.R read from the supplemental
 *    Excel file; term preparation in R/prevent_equations.R `prep_terms()`);
 *  - the Stata package prevent 1.0.0 by A. Linden, 15 Jun 2024 (SSC, prevent10i.ado and prevent30i.ado).
 */
export type PreventSex = 'FEMALE' | 'MALE';

export interface PreventInput {
  age: number;
  sex: PreventSex;
  /** mg/dL */
  totalCholesterol: number;
  /** mg/dL */
  hdlCholesterol: number;
  /** mmHg */
  systolicBp: number;
  onHypertensionTreatment: boolean;
  onStatin: boolean;
  diabetes: boolean;
  /** Current smoking (PREVENT: cigarette use within the last 30 days). */
  smoker: boolean;
  /** kg/m² */
  bmi: number;
  /** mL/min/1.73 m² */
  egfr: number;
}

/** Percent, 0–100, one decimal as the AHA PREVENT calculator reports it; null when not applicable. */
export interface PreventResult {
  cvd10y: number | null;
  ascvd10y: number | null;
  hf10y: number | null;
  cvd30y: number | null;
  ascvd30y: number | null;
  hf30y: number | null;
  notApplicableReasons: string[];
}

/** The base model's terms, in the order the compiled tables and the term vector use (see preventRisk). */
const TERM_ORDER = [
  'age', 'ageSquared', 'nonHdl', 'hdl', 'sbpBelow110', 'sbpAbove110', 'diabetes', 'smoker', 'bmiBelow30', 'bmiAbove30',
  'egfrBelow60', 'egfrAbove60', 'antihypertensive', 'statin', 'treatedSbpAbove110', 'statinNonHdl', 'ageNonHdl', 'ageHdl',
  'ageSbpAbove110', 'ageDiabetes', 'ageSmoker', 'ageBmiAbove30', 'ageEgfrBelow60', 'constant',
] as const;
export type PreventTerm = (typeof TERM_ORDER)[number];

export type PreventOutcome = 'cvd' | 'ascvd' | 'hf';
export type PreventHorizon = '10y' | '30y';
/** A term absent from a model has coefficient 0 in the published table. */
export type PreventCoefficients = Readonly<Partial<Record<PreventTerm, number>>>;

/** mg/dL → mmol/L for cholesterol, the factor the PREVENT article and both reference implementations use. */
export const CHOLESTEROL_MG_DL_TO_MMOL_L = 0.02586;

/**
 * Base-model coefficients, Khan et al. 2024 supplemental Table S12 (Excel file), to the precision published.
 * Term definitions (see preventTerms): age = (age − 55)/10; ageSquared = age² (30-year models only);
 * nonHdl = (TC − HDL) mmol/L − 3.5; hdl = (HDL mmol/L − 1.3)/0.3; sbpBelow110 = (min(SBP,110) − 110)/20;
 * sbpAbove110 = (max(SBP,110) − 130)/20; bmiBelow30 = (min(BMI,30) − 25)/5; bmiAbove30 = (max(BMI,30) − 30)/5;
 * egfrBelow60 = (min(eGFR,60) − 60)/−15; egfrAbove60 = (max(eGFR,60) − 90)/−15; treatedSbpAbove110 =
 * antihypertensive × sbpAbove110; statinNonHdl = statin × nonHdl; age× terms are age × the named term.
 */
export const PREVENT_COEFFICIENTS: Readonly<
  Record<PreventHorizon, Readonly<Record<PreventSex, Readonly<Record<PreventOutcome, PreventCoefficients>>>>>
> = {
  '10y': {
    FEMALE: {
      cvd: {
        age: 0.7939329,
        nonHdl: 0.0305239,
        hdl: -0.1606857,
        sbpBelow110: -0.2394003,
        sbpAbove110: 0.3600781,
        diabetes: 0.8667604,
        smoker: 0.5360739,
        egfrBelow60: 0.6045917,
        egfrAbove60: 0.0433769,
        antihypertensive: 0.3151672,
        statin: -0.1477655,
        treatedSbpAbove110: -0.0663612,
        statinNonHdl: 0.1197879,
        ageNonHdl: -0.0819715,
        ageHdl: 0.0306769,
        ageSbpAbove110: -0.0946348,
        ageDiabetes: -0.27057,
        ageSmoker: -0.078715,
        ageEgfrBelow60: -0.1637806,
        constant: -3.307728,
      },
      ascvd: {
        age: 0.719883,
        nonHdl: 0.1176967,
        hdl: -0.151185,
        sbpBelow110: -0.0835358,
        sbpAbove110: 0.3592852,
        diabetes: 0.8348585,
        smoker: 0.4831078,
        egfrBelow60: 0.4864619,
        egfrAbove60: 0.0397779,
        antihypertensive: 0.2265309,
        statin: -0.0592374,
        treatedSbpAbove110: -0.0395762,
        statinNonHdl: 0.0844423,
        ageNonHdl: -0.0567839,
        ageHdl: 0.0325692,
        ageSbpAbove110: -0.1035985,
        ageDiabetes: -0.2417542,
        ageSmoker: -0.0791142,
        ageEgfrBelow60: -0.1671492,
        constant: -3.819975,
      },
      hf: {
        age: 0.8998235,
        sbpBelow110: -0.4559771,
        sbpAbove110: 0.3576505,
        diabetes: 1.038346,
        smoker: 0.583916,
        bmiBelow30: -0.0072294,
        bmiAbove30: 0.2997706,
        egfrBelow60: 0.7451638,
        egfrAbove60: 0.0557087,
        antihypertensive: 0.3534442,
        treatedSbpAbove110: -0.0981511,
        ageSbpAbove110: -0.0946663,
        ageDiabetes: -0.3581041,
        ageSmoker: -0.1159453,
        ageBmiAbove30: -0.003878,
        ageEgfrBelow60: -0.1884289,
        constant: -4.310409,
      },
    },
    MALE: {
      cvd: {
        age: 0.7688528,
        nonHdl: 0.0736174,
        hdl: -0.0954431,
        sbpBelow110: -0.4347345,
        sbpAbove110: 0.3362658,
        diabetes: 0.7692857,
        smoker: 0.4386871,
        egfrBelow60: 0.5378979,
        egfrAbove60: 0.0164827,
        antihypertensive: 0.288879,
        statin: -0.1337349,
        treatedSbpAbove110: -0.0475924,
        statinNonHdl: 0.150273,
        ageNonHdl: -0.0517874,
        ageHdl: 0.0191169,
        ageSbpAbove110: -0.1049477,
        ageDiabetes: -0.2251948,
        ageSmoker: -0.0895067,
        ageEgfrBelow60: -0.1543702,
        constant: -3.031168,
      },
      ascvd: {
        age: 0.7099847,
        nonHdl: 0.1658663,
        hdl: -0.1144285,
        sbpBelow110: -0.2837212,
        sbpAbove110: 0.3239977,
        diabetes: 0.7189597,
        smoker: 0.3956973,
        egfrBelow60: 0.3690075,
        egfrAbove60: 0.0203619,
        antihypertensive: 0.2036522,
        statin: -0.0865581,
        treatedSbpAbove110: -0.0322916,
        statinNonHdl: 0.114563,
        ageNonHdl: -0.0300005,
        ageHdl: 0.0232747,
        ageSbpAbove110: -0.0927024,
        ageDiabetes: -0.2018525,
        ageSmoker: -0.0970527,
        ageEgfrBelow60: -0.1217081,
        constant: -3.500655,
      },
      hf: {
        age: 0.8972642,
        sbpBelow110: -0.6811466,
        sbpAbove110: 0.3634461,
        diabetes: 0.923776,
        smoker: 0.5023736,
        bmiBelow30: -0.0485841,
        bmiAbove30: 0.3726929,
        egfrBelow60: 0.6926917,
        egfrAbove60: 0.0251827,
        antihypertensive: 0.2980922,
        treatedSbpAbove110: -0.0497731,
        ageSbpAbove110: -0.1289201,
        ageDiabetes: -0.3040924,
        ageSmoker: -0.1401688,
        ageBmiAbove30: 0.0068126,
        ageEgfrBelow60: -0.1797778,
        constant: -3.946391,
      },
    },
  },
  '30y': {
    FEMALE: {
      cvd: {
        age: 0.5503079,
        ageSquared: -0.0928369,
        nonHdl: 0.0409794,
        hdl: -0.1663306,
        sbpBelow110: -0.1628654,
        sbpAbove110: 0.3299505,
        diabetes: 0.6793894,
        smoker: 0.3196112,
        egfrBelow60: 0.1857101,
        egfrAbove60: 0.0553528,
        antihypertensive: 0.2894,
        statin: -0.075688,
        treatedSbpAbove110: -0.056367,
        statinNonHdl: 0.1071019,
        ageNonHdl: -0.0751438,
        ageHdl: 0.0301786,
        ageSbpAbove110: -0.0998776,
        ageDiabetes: -0.3206166,
        ageSmoker: -0.1607862,
        ageEgfrBelow60: -0.1450788,
        constant: -1.318827,
      },
      ascvd: {
        age: 0.4669202,
        ageSquared: -0.0893118,
        nonHdl: 0.1256901,
        hdl: -0.1542255,
        sbpBelow110: -0.0018093,
        sbpAbove110: 0.322949,
        diabetes: 0.6296707,
        smoker: 0.268292,
        egfrBelow60: 0.100106,
        egfrAbove60: 0.0499663,
        antihypertensive: 0.1875292,
        statin: 0.0152476,
        treatedSbpAbove110: -0.0276123,
        statinNonHdl: 0.0736147,
        ageNonHdl: -0.0521962,
        ageHdl: 0.0316918,
        ageSbpAbove110: -0.1046101,
        ageDiabetes: -0.2727793,
        ageSmoker: -0.1530907,
        ageEgfrBelow60: -0.1299149,
        constant: -1.974074,
      },
      hf: {
        age: 0.6254374,
        ageSquared: -0.0983038,
        sbpBelow110: -0.3919241,
        sbpAbove110: 0.3142295,
        diabetes: 0.8330787,
        smoker: 0.3438651,
        bmiBelow30: 0.0594874,
        bmiAbove30: 0.2525536,
        egfrBelow60: 0.2981642,
        egfrAbove60: 0.0667159,
        antihypertensive: 0.333921,
        treatedSbpAbove110: -0.0893177,
        ageSbpAbove110: -0.0974299,
        ageDiabetes: -0.404855,
        ageSmoker: -0.1982991,
        ageBmiAbove30: -0.0035619,
        ageEgfrBelow60: -0.1564215,
        constant: -2.205379,
      },
    },
    MALE: {
      cvd: {
        age: 0.4627309,
        ageSquared: -0.0984281,
        nonHdl: 0.0836088,
        hdl: -0.1029824,
        sbpBelow110: -0.2140352,
        sbpAbove110: 0.2904325,
        diabetes: 0.5331276,
        smoker: 0.2141914,
        egfrBelow60: 0.1155556,
        egfrAbove60: 0.0603775,
        antihypertensive: 0.232714,
        statin: -0.0272112,
        treatedSbpAbove110: -0.0384488,
        statinNonHdl: 0.134192,
        ageNonHdl: -0.0511759,
        ageHdl: 0.0165865,
        ageSbpAbove110: -0.1101437,
        ageDiabetes: -0.2585943,
        ageSmoker: -0.1566406,
        ageEgfrBelow60: -0.1166776,
        constant: -1.148204,
      },
      ascvd: {
        age: 0.3994099,
        ageSquared: -0.0937484,
        nonHdl: 0.1744643,
        hdl: -0.120203,
        sbpBelow110: -0.0665117,
        sbpAbove110: 0.2753037,
        diabetes: 0.4790257,
        smoker: 0.1782635,
        egfrBelow60: -0.0218789,
        egfrAbove60: 0.0602553,
        antihypertensive: 0.1421182,
        statin: 0.0135996,
        treatedSbpAbove110: -0.0218265,
        statinNonHdl: 0.1013148,
        ageNonHdl: -0.0312619,
        ageHdl: 0.020673,
        ageSbpAbove110: -0.0920935,
        ageDiabetes: -0.2159947,
        ageSmoker: -0.1548811,
        ageEgfrBelow60: -0.0712547,
        constant: -1.736444,
      },
      hf: {
        age: 0.5681541,
        ageSquared: -0.1048388,
        sbpBelow110: -0.4761564,
        sbpAbove110: 0.30324,
        diabetes: 0.6840338,
        smoker: 0.2656273,
        bmiBelow30: 0.0833107,
        bmiAbove30: 0.26999,
        egfrBelow60: 0.2541805,
        egfrAbove60: 0.0638923,
        antihypertensive: 0.2583631,
        treatedSbpAbove110: -0.0391938,
        ageSbpAbove110: -0.1269124,
        ageDiabetes: -0.3273572,
        ageSmoker: -0.2043019,
        ageBmiAbove30: -0.0182831,
        ageEgfrBelow60: -0.1342618,
        constant: -1.95751,
      },
    },
  },
};

/**
 * Input ranges (inclusive) the equations are applied in; outside them every estimate is null.
 *  - age 30–79: the ages the equations were developed for (preventr `valid$age`; Stata prevent help and
 *    `include` check).
 *  - total cholesterol 130–320 mg/dL, HDL 20–100 mg/dL: enforced identically by both implementations
 *    (preventr `valid`; Stata prevent help and `include` check).
 *  - systolic 90–200 mmHg: the range the PREVENT equations accept (Stata prevent `include` check; preventr's
 *    documentation states the equations "technically permit up to 200 mmHg" and restricts itself to 180 by
 *    its author's clinical choice, which we do not copy).
 *  - BMI 18.5–39.9 kg/m²: the derivation sample excluded BMI outside this range (Khan et al. Table 1 footnote,
 *    as cited by preventr `valid$bmi`; Stata prevent checks 18.5–39.99).
 *  - eGFR 15–140 mL/min/1.73 m²: preventr `valid$egfr` (Stata prevent uses 15–150; we keep the narrower).
 */
export const PREVENT_RANGES = {
  age: [30, 79],
  totalCholesterol: [130, 320],
  hdlCholesterol: [20, 100],
  systolicBp: [90, 200],
  bmi: [18.5, 39.9],
  egfr: [15, 140],
} as const;

/**
 * 30-year risk is estimated only for ages 30–59 (Stata prevent30i's `include` check is age 30–59; preventr
 * warns that 30-year estimates above 59 are "questionable" but still returns them — we return null).
 * Older people get their 10-year estimates and null 30-year estimates.
 */
export const PREVENT_30Y_AGE_RANGE = [30, 59] as const;

export const PREVENT_MODEL = {
  name: 'AHA PREVENT equations (base model)',
  version: '2023',
  source:
    'Khan SS et al. Development and Validation of the American Heart Association\'s PREVENT Equations. Circulation 2024;149(6):430-449. doi:10.1161/CIRCULATIONAHA.123.067626 (supplemental Table S12, base model)',
} as const;

/*
 * The patient's terms as a vector in TERM_ORDER, and the published tables as dense vectors in the same
 * order: each estimate is one dot product. A cohort-wide recomputation runs 6 models for a million patients.
 */
const TERM_COUNT = TERM_ORDER.length;

/** The centred, scaled predictor values of the base model for one person (both horizons). */
export function preventTerms(input: PreventInput): Record<PreventTerm, number> {
  const vector = new Float64Array(TERM_COUNT);
  fillTerms(input, vector);
  return Object.fromEntries(TERM_ORDER.map((term, i) => [term, vector[i]!])) as Record<PreventTerm, number>;
}

/** The terms of preventTerms, written into `out` in TERM_ORDER (no per-call allocation). */
function fillTerms(input: PreventInput, out: Float64Array): void {
  const age = (input.age - 55) / 10;
  const nonHdl = (input.totalCholesterol - input.hdlCholesterol) * CHOLESTEROL_MG_DL_TO_MMOL_L - 3.5;
  const hdl = (input.hdlCholesterol * CHOLESTEROL_MG_DL_TO_MMOL_L - 1.3) / 0.3;
  const sbpAbove110 = (Math.max(input.systolicBp, 110) - 130) / 20;
  const bmiAbove30 = (Math.max(input.bmi, 30) - 30) / 5;
  // (min(eGFR,60) − 60)/−15 and (max(eGFR,60) − 90)/−15 as published, written so that 0 is never −0.
  const egfrBelow60 = (60 - Math.min(input.egfr, 60)) / 15;
  const diabetes = input.diabetes ? 1 : 0;
  const smoker = input.smoker ? 1 : 0;
  const antihypertensive = input.onHypertensionTreatment ? 1 : 0;
  const statin = input.onStatin ? 1 : 0;
  out[0] = age; // age
  out[1] = age * age; // ageSquared
  out[2] = nonHdl; // nonHdl
  out[3] = hdl; // hdl
  out[4] = (Math.min(input.systolicBp, 110) - 110) / 20; // sbpBelow110
  out[5] = sbpAbove110; // sbpAbove110
  out[6] = diabetes; // diabetes
  out[7] = smoker; // smoker
  out[8] = (Math.min(input.bmi, 30) - 25) / 5; // bmiBelow30
  out[9] = bmiAbove30; // bmiAbove30
  out[10] = egfrBelow60; // egfrBelow60
  out[11] = (90 - Math.max(input.egfr, 60)) / 15; // egfrAbove60
  out[12] = antihypertensive; // antihypertensive
  out[13] = statin; // statin
  out[14] = antihypertensive * sbpAbove110; // treatedSbpAbove110
  out[15] = statin * nonHdl; // statinNonHdl
  out[16] = age * nonHdl; // ageNonHdl
  out[17] = age * hdl; // ageHdl
  out[18] = age * sbpAbove110; // ageSbpAbove110
  out[19] = age * diabetes; // ageDiabetes
  out[20] = age * smoker; // ageSmoker
  out[21] = age * bmiAbove30; // ageBmiAbove30
  out[22] = age * egfrBelow60; // ageEgfrBelow60
  out[23] = 1; // constant
}

/*
 * Each horizon and sex compiled once, at load, into one vector holding its cvd, ascvd and hf models one
 * after another (at CVD, ASCVD, HF). Compiling lazily behind a WeakMap cost a lookup per model per patient.
 */
const OUTCOMES: readonly PreventOutcome[] = ['cvd', 'ascvd', 'hf'];
const [CVD, ASCVD, HF] = [0, TERM_COUNT, 2 * TERM_COUNT];
const compile = (models: Readonly<Record<PreventOutcome, PreventCoefficients>>) =>
  Float64Array.from(OUTCOMES.flatMap((outcome) => TERM_ORDER.map((term) => models[outcome][term] ?? 0)));
const BETAS = {
  '10y': { FEMALE: compile(PREVENT_COEFFICIENTS['10y'].FEMALE), MALE: compile(PREVENT_COEFFICIENTS['10y'].MALE) },
  '30y': { FEMALE: compile(PREVENT_COEFFICIENTS['30y'].FEMALE), MALE: compile(PREVENT_COEFFICIENTS['30y'].MALE) },
} as const;

/**
 * The three models of one horizon and sex (cvd, ascvd, hf in `betas`) as percents with one decimal,
 * e^x / (1 + e^x) with x = β · terms, into `out`. One pass with three independent sums lets the CPU
 * overlap them (a single sum waits on each addition: three passes took 40 % longer per patient); each
 * sum still adds its terms in TERM_ORDER, so every x is the same double as summing the models one by one.
 */
function logisticPercents(betas: Float64Array, terms: Float64Array, out: Float64Array): void {
  let cvd = 0;
  let ascvd = 0;
  let hf = 0;
  for (let i = 0; i < TERM_COUNT; i++) {
    const term = terms[i]!;
    cvd += betas[CVD + i]! * term;
    ascvd += betas[ASCVD + i]! * term;
    hf += betas[HF + i]! * term;
  }
  out[0] = logisticPercent(cvd);
  out[1] = logisticPercent(ascvd);
  out[2] = logisticPercent(hf);
}

function logisticPercent(x: number): number {
  // e^x once, not twice: Math.exp is now the costliest step, and returns the same double both times.
  const ex = Math.exp(x);
  return Math.round((ex / (1 + ex)) * 1000) / 10;
}

/** Inside the inclusive range; NaN, ±∞ and non-numbers are not. */
const within = (value: number, range: readonly [number, number]) => Number.isFinite(value) && value >= range[0] && value <= range[1];

/** Every input inside PREVENT_RANGES, read field by field: the common case builds no list of reasons. */
const allWithinRanges = (input: PreventInput) =>
  within(input.age, PREVENT_RANGES.age) &&
  within(input.totalCholesterol, PREVENT_RANGES.totalCholesterol) &&
  within(input.hdlCholesterol, PREVENT_RANGES.hdlCholesterol) &&
  within(input.systolicBp, PREVENT_RANGES.systolicBp) &&
  within(input.bmi, PREVENT_RANGES.bmi) &&
  within(input.egfr, PREVENT_RANGES.egfr);

const RANGE_ENTRIES = Object.entries(PREVENT_RANGES) as [keyof typeof PREVENT_RANGES, readonly [number, number]][];

/** One reason per input outside PREVENT_RANGES, in PREVENT_RANGES order. */
function rangeReasons(input: PreventInput): string[] {
  const reasons: string[] = [];
  for (const [field, range] of RANGE_ENTRIES) {
    const value = input[field];
    if (!within(value, range)) reasons.push(`${field} ${value} is outside ${range[0]}–${range[1]}, the range the equations are valid for`);
  }
  return reasons;
}

/** Shared by every result without a reason; frozen so that no caller can add one to all of them. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

const thirtyYearReason = (age: number) =>
  `age ${age} is outside ${PREVENT_30Y_AGE_RANGE[0]}–${PREVENT_30Y_AGE_RANGE[1]}, the range the 30-year equations are valid for`;
/** Built once and frozen for each whole age 60–79: some 40 % of a primary-care cohort, formatted per patient before. */
const THIRTY_YEAR_REASONS = new Map<number, string[]>();
for (let age = PREVENT_RANGES.age[0]; age <= PREVENT_RANGES.age[1]; age++) {
  if (!within(age, PREVENT_30Y_AGE_RANGE)) THIRTY_YEAR_REASONS.set(age, Object.freeze([thirtyYearReason(age)]) as unknown as string[]);
}

// Scratch vectors shared by every call (allocating per patient cost more than the maths); safe because
// nothing between filling and reading them can run another call.
const SCRATCH_TERMS = new Float64Array(TERM_COUNT);
const SCRATCH_RISKS = new Float64Array(OUTCOMES.length);

export function preventRisk(input: PreventInput): PreventResult {
  if (!allWithinRanges(input)) {
    return { cvd10y: null, ascvd10y: null, hf10y: null, cvd30y: null, ascvd30y: null, hf30y: null, notApplicableReasons: rangeReasons(input) };
  }
  const terms = SCRATCH_TERMS;
  const risks = SCRATCH_RISKS;
  fillTerms(input, terms);
  logisticPercents(BETAS['10y'][input.sex], terms, risks);
  const cvd10y = risks[0]!;
  const ascvd10y = risks[1]!;
  const hf10y = risks[2]!;
  if (!within(input.age, PREVENT_30Y_AGE_RANGE)) {
    const reasons = THIRTY_YEAR_REASONS.get(input.age) ?? [thirtyYearReason(input.age)];
    return { cvd10y, ascvd10y, hf10y, cvd30y: null, ascvd30y: null, hf30y: null, notApplicableReasons: reasons };
  }
  logisticPercents(BETAS['30y'][input.sex], terms, risks);
  return { cvd10y, ascvd10y, hf10y, cvd30y: risks[0]!, ascvd30y: risks[1]!, hf30y: risks[2]!, notApplicableReasons: NONE };
}
