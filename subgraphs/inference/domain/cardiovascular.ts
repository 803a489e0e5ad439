import { currentSmoker, hasDiabetes, onHypertensionTreatment, onStatin, type CodedCondition, type RecordedMedication } from './clinical-facts';
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

const absent = (input: RiskInput) => (field: keyof RiskInput) => input[field] === null || input[field] === undefined;

/**
 * Both guideline models on the same inputs: the 2013 Pooled Cohort Equations (10-year ASCVD) and
 * the 2023 PREVENT base model (10- and 30-year total CVD, ASCVD, heart failure). Each runs only when
 * all of its inputs are present; what is missing is listed, never assumed.
 */
export function estimateCardiovascularRisk(input: RiskInput): RiskEstimate {
  const pceMissing = PCE_FIELDS.filter(absent(input));
  const preventMissing = PREVENT_FIELDS.filter(absent(input));
  const missing = [...new Set<string>([...pceMissing, ...preventMissing])];
  const pce = pceMissing.length ? null : pooledCohortRisk(input as PceInput);
  const prevent = preventMissing.length ? null : preventRisk(input as PreventInput);
  const reasons = [
    ...(pce?.notApplicableReasons.map((r) => `PCE: ${r}`) ?? []),
    ...(prevent?.notApplicableReasons.map((r) => `PREVENT: ${r}`) ?? []),
  ];
  const pce10y = pce?.risk10y ?? null;
  let preventEstimates: RiskEstimate['prevent'] = null;
  if (prevent) {
    const { notApplicableReasons: _reasons, ...estimates } = prevent;
    preventEstimates = estimates;
  }
  return {
    pce10y,
    prevent: preventEstimates,
    category: pce10y === null ? null : ascvdRiskCategory(pce10y),
    inputs: input,
    missing,
    notApplicableReasons: reasons,
    model: { ...PCE_MODEL },
    models: [{ ...PCE_MODEL }, { ...PREVENT_MODEL }],
  };
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

const latest = (snapshot: ClinicalSnapshot, ...codes: string[]): number | null => {
  let best: { value: number; effectiveAt: string } | null = null;
  for (const o of snapshot.observations) {
    if (codes.includes(o.code) && o.value !== null && (!best || o.effectiveAt > best.effectiveAt)) best = { value: o.value, effectiveAt: o.effectiveAt };
  }
  return best?.value ?? null;
};

/**
 * Builds risk input from the patient's own latest data: the latest lipid and blood-pressure values,
 * smoking status, the problem list (diabetes) and the medication list (antihypertensives). What the
 * record cannot say stays missing rather than being assumed absent.
 */
export function riskInputFromSnapshot(snapshot: ClinicalSnapshot, at: Date): RiskInput {
  const sex = snapshot.sex === 'FEMALE' || snapshot.sex === 'MALE' ? snapshot.sex : null;
  let race: PceRace | null = null;
  if (snapshot.race === 'WHITE') race = 'WHITE';
  else if (snapshot.race === 'BLACK_OR_AFRICAN_AMERICAN') race = 'AFRICAN_AMERICAN';
  else if (snapshot.race) race = 'OTHER';
  return {
    age: snapshot.birthDate ? ageOn(snapshot.birthDate, at) : null,
    sex,
    race,
    totalCholesterol: latest(snapshot, RISK_LOINC.totalCholesterol),
    hdlCholesterol: latest(snapshot, RISK_LOINC.hdlCholesterol),
    systolicBp: latest(snapshot, RISK_LOINC.systolicBp),
    onHypertensionTreatment: onHypertensionTreatment(snapshot.medications),
    smoker: currentSmoker(snapshot.observations),
    diabetes: hasDiabetes(snapshot.conditions),
    bmi: latest(snapshot, RISK_LOINC.bmi),
    egfr: latest(snapshot, ...EGFR_LOINC),
    onStatin: onStatin(snapshot.medications),
  };
}
