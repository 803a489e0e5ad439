import { ALL_APPLICABLE, modelApplicability, statedDisease, type ModelApplicability, type PrevalentDisease } from './ascvd-applicability';
import { describeAge } from './input-freshness';
import { PREVENT_MODEL, preventRisk, type PreventInput, type PreventResult } from './prevent';
import { ascvdRiskCategory, PCE_MODEL, pooledCohortRisk, type PceInput, type PceRace, type PceSex } from './pooled-cohort';
import type { DatedInput, RecordContext } from './risk-record';

export { ageOn, CREATININE_LOINC, CYSTATIN_C_LOINC, EGFR_LOINC, RISK_LOINC, riskInputFromSnapshot, screenedRiskInput } from './risk-record';
export type { ClinicalSnapshot, DatedInput, Derivation, RecordContext, RecordedObservation } from './risk-record';

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

/** What the calculator's caller may state about the patient's history (the patient path reads the problem list). */
export interface StatedDiseases {
  /**
   * Established ASCVD (MI, coronary heart disease, stroke/TIA, PAD, revascularisation): PCE and PREVENT then
   * do not apply. Absent or false: not stated, computed as before.
   */
  establishedAscvd?: boolean | null;
  /** Prevalent heart failure: PREVENT then does not apply. */
  heartFailure?: boolean | null;
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

/** category of a patient the primary-prevention models do not apply to (rendered "secondary prevention"). */
export const SECONDARY_PREVENTION = 'SECONDARY_PREVENTION';

export interface RiskEstimate {
  pce10y: number | null;
  /** Null when a PREVENT input is missing or PREVENT does not apply; each estimate inside is null outside its valid range. */
  prevent: Omit<PreventResult, 'notApplicableReasons'> | null;
  /** LOW … HIGH for pce10y; SECONDARY_PREVENTION with established ASCVD; null otherwise. */
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
  /** Per model: whether the patient is in the population it was derived for, and the record that says not. */
  applicability: readonly ModelApplicability[];
  /** The instant the estimate is for (age is the age on that day); null for the calculator. */
  asOf: string | null;
  /** Each input taken from the record: value, unit, date, source record, staleness, derivation. */
  datedInputs: readonly DatedInput[];
  /** Inputs older than their maximum age (used, and flagged). */
  staleInputs: readonly string[];
  /** What a reader must know about this estimate: stale inputs, derived values. */
  notes: readonly string[];
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

const NONE: readonly string[] = Object.freeze([]);
const NO_DATED_INPUTS: readonly DatedInput[] = Object.freeze([]);
const NO_RECORD_NOTES = Object.freeze({ staleInputs: NONE, notes: NONE });

/**
 * Both guideline models on the same inputs: the 2013 Pooled Cohort Equations (10-year ASCVD) and
 * the 2023 PREVENT base model (10- and 30-year total CVD, ASCVD, heart failure). Applicability comes
 * first (ascvd-applicability.ts): a model whose population excludes the patient is not computed at all
 * and its inputs are not listed as missing. Each applicable model runs only when all of its inputs are
 * present; what is missing is listed, never assumed. `record` (patient path) brings the prevalent
 * diseases, the estimate's time and each input's date; without it (calculator, cohort runs) the input's
 * establishedAscvd / heartFailure flags decide, and nothing is allocated beyond the estimate itself.
 */
export function estimateCardiovascularRisk(input: RiskInput & StatedDiseases, excludedValues: ExcludedValue[] = [], record?: RecordContext): RiskEstimate {
  let applicability: readonly ModelApplicability[] = ALL_APPLICABLE;
  if (record?.diseases.length) applicability = modelApplicability(record.diseases);
  else if (!record && (input.establishedAscvd || input.heartFailure)) applicability = modelApplicability(statedDiseases(input));
  const pceApplies = applicability[0]!.applicable;
  const preventApplies = applicability[1]!.applicable;

  const missing: string[] = [];
  let pceComplete = pceApplies;
  let preventComplete = preventApplies;
  if (!hasEveryInput(input)) {
    for (const field of ALL_FIELDS) {
      if (!isAbsent(input[field])) continue;
      const forPce = pceApplies && PCE_FIELD_SET.has(field);
      const forPrevent = preventApplies && PREVENT_FIELD_SET.has(field);
      if (forPce || forPrevent) missing.push(field);
      if (forPce) pceComplete = false;
      if (forPrevent) preventComplete = false;
    }
  }
  const pce = pceComplete ? pooledCohortRisk(input as PceInput) : null;
  const prevent = preventComplete ? preventRisk(input as PreventInput) : null;
  const reasons: string[] = [];
  if (!pceApplies) reasons.push(`PCE: ${applicability[0]!.reason}`);
  if (!preventApplies) reasons.push(`PREVENT: ${applicability[1]!.reason}`);
  if (pce) for (const r of pce.notApplicableReasons) reasons.push(`PCE: ${r}`);
  if (prevent) for (const r of prevent.notApplicableReasons) reasons.push(`PREVENT: ${r}`);
  const pce10y = pce?.risk10y ?? null;
  const preventEstimates: RiskEstimate['prevent'] = prevent
    ? { cvd10y: prevent.cvd10y, ascvd10y: prevent.ascvd10y, hf10y: prevent.hf10y, cvd30y: prevent.cvd30y, ascvd30y: prevent.ascvd30y, hf30y: prevent.hf30y }
    : null;
  const datedInputs = record?.datedInputs ?? NO_DATED_INPUTS;
  const { staleInputs, notes } = record ? recordNotes(datedInputs) : NO_RECORD_NOTES;
  return {
    pce10y,
    prevent: preventEstimates,
    category: !pceApplies ? SECONDARY_PREVENTION : pce10y === null ? null : ascvdRiskCategory(pce10y),
    inputs: input,
    missing,
    excludedValues,
    notApplicableReasons: reasons,
    model: MODEL,
    models: MODELS,
    applicability,
    asOf: record?.asOf ?? null,
    datedInputs,
    staleInputs,
    notes,
  };
}

function statedDiseases(input: StatedDiseases): PrevalentDisease[] {
  const stated: PrevalentDisease[] = [];
  if (input.establishedAscvd) stated.push(statedDisease('ESTABLISHED_ASCVD'));
  if (input.heartFailure) stated.push(statedDisease('HEART_FAILURE'));
  return stated;
}

const INPUT_NAMES: Record<string, string> = {
  totalCholesterol: 'total cholesterol', hdlCholesterol: 'HDL cholesterol', systolicBp: 'systolic BP', bmi: 'BMI', egfr: 'eGFR', smoker: 'smoking status',
};

/** The stale inputs (used, flagged) and the notes that say so and name each derivation. */
function recordNotes(datedInputs: readonly DatedInput[]): { staleInputs: string[]; notes: string[] } {
  const staleInputs: string[] = [];
  const staleParts: string[] = [];
  const notes: string[] = [];
  for (const d of datedInputs) {
    if (d.stale) {
      staleInputs.push(d.input);
      staleParts.push(`${INPUT_NAMES[d.input] ?? d.input} of ${d.effectiveAt?.slice(0, 10)} (${describeAge(d.ageDays ?? 0)} old; maximum ${describeAge(d.maxAgeDays ?? 0)})`);
    }
    if (d.derivation) {
      const from = d.derivation.inputs
        .filter((i) => i.name !== 'age')
        .map((i) => `${i.name} ${i.value} ${i.unit} of ${i.effectiveAt.slice(0, 10)}`)
        .join(' and ');
      notes.push(`${INPUT_NAMES[d.input] ?? d.input} ${d.value} derived by ${d.derivation.formula} from ${from} (${d.derivation.citation})`);
    }
  }
  if (staleParts.length) notes.unshift(`Computed with stale inputs, used and flagged: ${staleParts.join('; ')}. Re-measure before acting on the estimate.`);
  return { staleInputs, notes };
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

