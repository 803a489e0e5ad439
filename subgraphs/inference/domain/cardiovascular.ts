import { currentSmoker, hasDiabetes, onHypertensionTreatment, type CodedCondition, type RecordedMedication } from './clinical-facts';
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
}

export interface RiskEstimate {
  pce10y: number | null;
  category: string | null;
  inputs: RiskInput;
  missing: string[];
  notApplicableReasons: string[];
  model: { name: string; version: string; source: string };
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

export function estimateCardiovascularRisk(input: RiskInput): RiskEstimate {
  const missing = PCE_FIELDS.filter((field) => input[field] === null || input[field] === undefined);
  const base = { inputs: input, missing: [...missing], model: { ...PCE_MODEL } };
  if (missing.length) {
    return { ...base, pce10y: null, category: null, notApplicableReasons: [] };
  }
  const result = pooledCohortRisk(input as PceInput);
  return {
    ...base,
    pce10y: result.risk10y,
    category: result.risk10y === null ? null : ascvdRiskCategory(result.risk10y),
    notApplicableReasons: result.notApplicableReasons,
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
} as const;

export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

const latest = (snapshot: ClinicalSnapshot, code: string): number | null => {
  let best: { value: number; effectiveAt: string } | null = null;
  for (const o of snapshot.observations) {
    if (o.code === code && o.value !== null && (!best || o.effectiveAt > best.effectiveAt)) best = { value: o.value, effectiveAt: o.effectiveAt };
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
  };
}
