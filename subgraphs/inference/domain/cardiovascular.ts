import { currentSmoker, hasDiabetes, onHypertensionTreatment, onStatin, type CodedCondition, type RecordedMedication } from './clinical-facts';
import { implausibility, type PlausibilityField } from './plausibility';
import { PREVENT_MODEL, preventRisk, type PreventInput, type PreventResult } from './prevent';
import { ascvdRiskCategory, PCE_MODEL, pooledCohortRisk, type PceInput, type PceRace, type PceSex } from './pooled-cohort';

/** What the calculator query takes; every field may be absent, and absent fields are listed, never defaulted. */
export interface RiskInput {
  age?: number | null;
  sex?: PceSex | null;
  race?: PceRace | null;
  totalCholesterol?: number | null;
  hdlCholesterol?: number | null;
  systolicBp?: number | null;
  onHypertensionTreatment?: boolean | null;
  smoker?: boolean | null;
  diabetes?: boolean | null;
  /** kg/m², PREVENT only. */
  bmi?: number | null;
  /** mL/min/1.73 m², PREVENT only. */
  egfr?: number | null;
  /** PREVENT only. */
  onStatin?: boolean | null;
}

export interface ExcludedValue {
  input: string;
  value: number;
  unit: string | null;
  effectiveAt: string | null;
  reason: string;
}

export interface ModelInfo {
  name: string;
  version: string;
  source: string;
}

export interface RiskEstimate {
  pce10y: number | null;
  /** Null when a PREVENT input is missing; each estimate inside is null outside its valid range. */
  prevent: Omit<PreventResult, 'notApplicableReasons'> | null;
  category: string | null;
  inputs: RiskInput;
  /** Inputs either model needs that were not available, in PCE then PREVENT order. */
  missing: string[];
  /** Recorded values not used because they are implausible or in the wrong unit, with the reason. */
  excludedValues: ExcludedValue[];
  notApplicableReasons: string[];
  /** The model that produced `pce10y` (kept for clients of the first release). */
  model: ModelInfo;
  models: ModelInfo[];
}

const PCE_FIELDS = [
  'age',
  'sex',
  'race',
  'totalCholesterol',
  'hdlCholesterol',
  'systolicBp',
  'onHypertensionTreatment',
  'smoker',
  'diabetes',
] as const satisfies readonly (keyof PceInput)[];

const PREVENT_FIELDS = [
  'age',
  'sex',
  'totalCholesterol',
  'hdlCholesterol',
  'systolicBp',
  'onHypertensionTreatment',
  'onStatin',
  'diabetes',
  'smoker',
  'bmi',
  'egfr',
] as const satisfies readonly (keyof PreventInput)[];

const isAbsent = (value: unknown) => value === null || value === undefined;
/** Every field either model needs, PCE's first, each once: the order `missing` lists them in. */
const ALL_FIELDS: readonly (keyof RiskInput)[] = [...new Set<keyof RiskInput>([...PCE_FIELDS, ...PREVENT_FIELDS])];
const PCE_FIELD_SET = new Set<keyof RiskInput>(PCE_FIELDS);
const PREVENT_FIELD_SET = new Set<keyof RiskInput>(PREVENT_FIELDS);
// Shared, frozen: an estimate is computed a million times in a cohort run; its model descriptions never change.
const MODEL = Object.freeze({ ...PCE_MODEL });
const MODELS = Object.freeze([MODEL, Object.freeze({ ...PREVENT_MODEL })]) as ModelInfo[];

/**
 * Both guideline models on the same inputs: the 2013 Pooled Cohort Equations (10-year ASCVD) and
 * the 2023 PREVENT base model (10- and 30-year total CVD, ASCVD, heart failure). Each runs only when
 * all of its inputs are present; what is missing is listed, never assumed.
 */
export function estimateCardiovascularRisk(input: RiskInput, excludedValues: ExcludedValue[] = []): RiskEstimate {
  const missing: string[] = [];
  let pceComplete = true;
  let preventComplete = true;
  if (!hasEveryInput(input)) {
    for (const field of ALL_FIELDS) {
      if (!isAbsent(input[field])) continue;
      missing.push(field);
      if (PCE_FIELD_SET.has(field)) pceComplete = false;
      if (PREVENT_FIELD_SET.has(field)) preventComplete = false;
    }
  }
  const pce = pceComplete ? pooledCohortRisk(input as PceInput) : null;
  const prevent = preventComplete ? preventRisk(input as PreventInput) : null;
  const reasons: string[] = [];
  if (pce) for (const r of pce.notApplicableReasons) reasons.push(`PCE: ${r}`);
  if (prevent) for (const r of prevent.notApplicableReasons) reasons.push(`PREVENT: ${r}`);
  const pce10y = pce?.risk10y ?? null;
  const preventEstimates: RiskEstimate['prevent'] = prevent
    ? { cvd10y: prevent.cvd10y, ascvd10y: prevent.ascvd10y, hf10y: prevent.hf10y, cvd30y: prevent.cvd30y, ascvd30y: prevent.ascvd30y, hf30y: prevent.hf30y }
    : null;
  return {
    pce10y,
    prevent: preventEstimates,
    category: pce10y === null ? null : ascvdRiskCategory(pce10y),
    inputs: input,
    missing,
    excludedValues,
    notApplicableReasons: reasons,
    model: MODEL,
    models: MODELS,
  };
}

/**
 * Every field of ALL_FIELDS present, each read by name: the usual case in a cohort-wide run, where a
 * loop of input[field] reads cost a fifth of the whole estimate. cardiovascular.test.ts removes each
 * field of ALL_FIELDS in turn to keep this list and that one the same.
 */
function hasEveryInput(input: RiskInput): boolean {
  return !(
    isAbsent(input.age) ||
    isAbsent(input.sex) ||
    isAbsent(input.race) ||
    isAbsent(input.totalCholesterol) ||
    isAbsent(input.hdlCholesterol) ||
    isAbsent(input.systolicBp) ||
    isAbsent(input.onHypertensionTreatment) ||
    isAbsent(input.smoker) ||
    isAbsent(input.diabetes) ||
    isAbsent(input.onStatin) ||
    isAbsent(input.bmi) ||
    isAbsent(input.egfr)
  );
}

/** The part of a patient record risk needs, as the patient subgraph returns it. */
export interface ClinicalSnapshot {
  id: string;
  birthDate: string | null;
  sex: 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN' | null;
  race: string | null;
  observations: {
    code: string;
    value: number | null;
    unit: string | null;
    effectiveAt: string;
    valueCode: { system: string; code: string } | null;
    /** Set by the patient subgraph when the value must not be computed with (unconverted unit, implausible). */
    excludedReason?: string | null;
  }[];
  conditions: CodedCondition[];
  medications: RecordedMedication[];
}

/** LOINC codes risk is read from, each in the canonical unit the patient subgraph stores. */
export const RISK_LOINC = {
  totalCholesterol: '2093-3', // mg/dL
  hdlCholesterol: '2085-9', // mg/dL
  systolicBp: '8480-6', // mm[Hg]
  bmi: '39156-5', // kg/m2
} as const;

/** eGFR by creatinine: CKD-EPI 2021, CKD-EPI, MDRD — the latest of any of them (mL/min/{1.73_m2}). */
export const EGFR_LOINC = ['98979-8', '62238-1', '33914-3'] as const;

export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

/**
 * The latest plausible value of any of `codes`. Newer values that are implausible, in another unit or
 * flagged by the patient subgraph (excludedReason) are skipped and reported in `excluded` (an SBP of
 * 1200 must not hide the 132 measured last week).
 */
function latestPlausible(snapshot: ClinicalSnapshot, field: PlausibilityField, codes: readonly string[], excluded: ExcludedValue[]): number | null {
  const candidates = snapshot.observations
    .filter((o) => codes.includes(o.code) && o.value !== null)
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? 1 : a.effectiveAt > b.effectiveAt ? -1 : 0));
  for (const o of candidates) {
    const reason = o.excludedReason ?? implausibility(field, o.value!, o.unit);
    if (!reason) return o.value;
    excluded.push({ input: field, value: o.value!, unit: o.unit, effectiveAt: o.effectiveAt, reason });
  }
  return null;
}

/**
 * Builds risk input from the patient's own latest data: the latest lipid and blood-pressure values,
 * smoking status, the problem list (diabetes) and the medication list (antihypertensives). What the
 * record cannot say stays missing rather than being assumed absent.
 */
export function riskInputFromSnapshot(snapshot: ClinicalSnapshot, at: Date): RiskInput {
  return screenedRiskInput(snapshot, at).input;
}

/** riskInputFromSnapshot, and the recorded values it left out and why. */
export function screenedRiskInput(snapshot: ClinicalSnapshot, at: Date): { input: RiskInput; excluded: ExcludedValue[] } {
  const excluded: ExcludedValue[] = [];
  const sex = snapshot.sex === 'FEMALE' || snapshot.sex === 'MALE' ? snapshot.sex : null;
  let race: PceRace | null = null;
  if (snapshot.race === 'WHITE') race = 'WHITE';
  else if (snapshot.race === 'BLACK_OR_AFRICAN_AMERICAN') race = 'AFRICAN_AMERICAN';
  else if (snapshot.race) race = 'OTHER';
  const input: RiskInput = {
    age: snapshot.birthDate ? ageOn(snapshot.birthDate, at) : null,
    sex,
    race,
    totalCholesterol: latestPlausible(snapshot, 'totalCholesterol', [RISK_LOINC.totalCholesterol], excluded),
    hdlCholesterol: latestPlausible(snapshot, 'hdlCholesterol', [RISK_LOINC.hdlCholesterol], excluded),
    systolicBp: latestPlausible(snapshot, 'systolicBp', [RISK_LOINC.systolicBp], excluded),
    onHypertensionTreatment: onHypertensionTreatment(snapshot.medications),
    smoker: currentSmoker(snapshot.observations),
    diabetes: hasDiabetes(snapshot.conditions),
    bmi: latestPlausible(snapshot, 'bmi', [RISK_LOINC.bmi], excluded),
    egfr: latestPlausible(snapshot, 'egfr', EGFR_LOINC, excluded),
    onStatin: onStatin(snapshot.medications),
  };
  return { input, excluded };
}
