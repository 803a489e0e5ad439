/**
 * Reads risk input out of a patient's record, with each value's date and source record, its staleness
 * (input-freshness.ts), the prevalent diseases that decide which models apply (ascvd-applicability.ts),
 * and eGFR derived from creatinine when that is newer than any recorded eGFR (egfr.ts).
 */
import { judgeValue } from '../../../lib/contracts/reference/loinc-catalogue';
import { prevalentDiseases, type PrevalentDisease, type ProcedureRecord } from './ascvd-applicability';
import {
  activeAntihypertensive,
  activeStatin,
  diabetesCondition,
  hasDiabetes,
  latestSmokingStatus,
  onHypertensionTreatment,
  onStatin,
  SMOKING_STATUS_DISPLAY,
  smokerFromStatus,
  type CodedCondition,
  type RecordedMedication,
} from './clinical-facts';
import { CKD_EPI_2021_CITATION, CKD_EPI_2021_CREATININE, CKD_EPI_2021_CREATININE_CYSTATIN, ckdEpi2021Creatinine, ckdEpi2021CreatinineCystatin, EGFR_MIN_AGE } from './egfr';
import { ageInDays, DAY_MS, MAX_AGE_DAYS, type DatedInputKind } from './input-freshness';
import { implausibility, type PlausibilityField } from './plausibility';
import type { PceRace } from './pooled-cohort';
// Types only: cardiovascular.ts re-exports this module's functions.
import type { ExcludedValue, RiskInput } from './cardiovascular';

/** The part of a patient record risk needs, as the patient subgraph returns it. */
export interface ClinicalSnapshot {
  id: string;
  birthDate: string | null;
  sex: 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN' | null;
  race: string | null;
  observations: RecordedObservation[];
  conditions: CodedCondition[];
  /** Procedures (revascularisation is established ASCVD); absent in records built by hand. */
  procedures?: ProcedureRecord[];
  medications: RecordedMedication[];
}

export interface RecordedObservation {
  /** The observation's id in the patient subgraph (absent in records built by hand). */
  id?: string | null;
  code: string;
  value: number | null;
  unit: string | null;
  effectiveAt: string;
  valueCode: { system: string; code: string } | null;
  /** Set by the patient subgraph when the value must not be computed with (unconverted unit, implausible). */
  excludedReason?: string | null;
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
/** Creatinine in serum or plasma, and in blood (mg/dL once the patient subgraph has normalised it). */
export const CREATININE_LOINC = ['2160-0', '38483-4'] as const;
/** Cystatin C [Mass/volume] in Serum or Plasma: outside the hub's unit catalogue, so only mg/L as sent is used. */
export const CYSTATIN_C_LOINC = '33863-2';
/** Creatinine and cystatin C pair for the combined equation when drawn within a day (the same sample, as CKD-EPI measured them). */
const CYSTATIN_PAIRING_MS = DAY_MS;

export interface DerivationInput {
  name: string;
  value: number;
  unit: string;
  effectiveAt: string;
  sourceId: string | null;
}

export interface Derivation {
  formula: string;
  citation: string;
  inputs: DerivationInput[];
}

/** One input the estimate used, where it came from and how old it is. */
export interface DatedInput {
  /** The RiskInput field, e.g. totalCholesterol. */
  input: string;
  value: number | null;
  unit: string | null;
  /** The coded or named value behind a yes/no input: the smoking-status answer, the diagnosis, the medication. */
  display: string | null;
  effectiveAt: string | null;
  source: 'Observation' | 'Condition' | 'Medication' | 'Patient' | 'Derived';
  sourceId: string | null;
  /** Days since effectiveAt at the estimate's time. */
  ageDays: number | null;
  maxAgeDays: number | null;
  stale: boolean;
  derivation: Derivation | null;
}

/** What the record says beyond the numbers: the estimate's time, who the models apply to, each input's origin. */
export interface RecordContext {
  /** ISO instant the estimate is for; age is the age on this day. */
  asOf: string;
  diseases: PrevalentDisease[];
  datedInputs: DatedInput[];
}

export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

const newestFirst = (a: { effectiveAt: string }, b: { effectiveAt: string }) => (a.effectiveAt < b.effectiveAt ? 1 : a.effectiveAt > b.effectiveAt ? -1 : 0);

/**
 * The latest plausible observation of any of `codes`. Newer values that are implausible, in another unit or
 * flagged by the patient subgraph (excludedReason) are skipped and reported in `excluded` (an SBP of 1200
 * must not hide the 132 measured last week).
 */
function latestPlausible(snapshot: ClinicalSnapshot, field: PlausibilityField, codes: readonly string[], excluded: ExcludedValue[]): RecordedObservation | null {
  const candidates = snapshot.observations.filter((o) => codes.includes(o.code) && o.value !== null).sort(newestFirst);
  for (const o of candidates) {
    const reason = o.excludedReason ?? implausibility(field, o.value!, o.unit);
    if (!reason) return o;
    excluded.push({ input: field, value: o.value!, unit: o.unit, effectiveAt: o.effectiveAt, reason });
  }
  return null;
}

/** The latest creatinine the catalogue judges usable (mg/dL, 0.1–40), skipping and reporting the rest. */
function latestCreatinine(snapshot: ClinicalSnapshot, excluded: ExcludedValue[]): RecordedObservation | null {
  const candidates = snapshot.observations.filter((o) => (CREATININE_LOINC as readonly string[]).includes(o.code) && o.value !== null).sort(newestFirst);
  for (const o of candidates) {
    const judged = judgeValue(o.code, o.value!);
    const reason = o.excludedReason ?? (o.unit !== 'mg/dL' ? `creatinine ${o.value} ${o.unit}: expected mg/dL` : judged.verdict === 'usable' ? null : judged.reason);
    if (!reason) return o;
    excluded.push({ input: 'creatinine', value: o.value!, unit: o.unit, effectiveAt: o.effectiveAt, reason });
  }
  return null;
}

/** A cystatin C in mg/L drawn within a day of the creatinine, if any (the latest such). */
function pairedCystatinC(snapshot: ClinicalSnapshot, creatinine: RecordedObservation): RecordedObservation | null {
  const at = Date.parse(creatinine.effectiveAt);
  let best: RecordedObservation | null = null;
  for (const o of snapshot.observations) {
    if (o.code !== CYSTATIN_C_LOINC || o.value === null || !(o.value > 0) || o.unit !== 'mg/L' || o.excludedReason) continue;
    if (Math.abs(Date.parse(o.effectiveAt) - at) > CYSTATIN_PAIRING_MS) continue;
    if (!best || o.effectiveAt > best.effectiveAt) best = o;
  }
  return best;
}

function dated(kind: DatedInputKind | null, input: string, o: { id?: string | null; value: number | null; unit: string | null; effectiveAt: string }, at: Date, source: DatedInput['source'] = 'Observation'): DatedInput {
  const days = ageInDays(o.effectiveAt, at);
  const maxAgeDays = kind ? MAX_AGE_DAYS[kind] : null;
  return { input, value: o.value, unit: o.unit, display: null, effectiveAt: o.effectiveAt, source, sourceId: o.id ?? null, ageDays: days, maxAgeDays, stale: maxAgeDays !== null && days > maxAgeDays, derivation: null };
}

/**
 * Kidney function for PREVENT. Decision (issue 17): eGFR is derived from the latest plausible creatinine
 * (with a cystatin C of the same draw when there is one) when that creatinine is newer than every plausible
 * recorded eGFR, or no eGFR is recorded; otherwise the recorded eGFR is used (a lab's eGFR is usually computed
 * from the creatinine of the same draw, so on equal dates the lab's value wins). The equation needs age ≥ 18
 * on the day of the creatinine (that day's age, not today's) and sex female or male. Reported as a whole
 * number, as KDIGO 2012 (Kidney Int Suppl 2013;3:1, 1.4.3) recommends reporting eGFR.
 */
function kidneyFunction(snapshot: ClinicalSnapshot, sex: 'FEMALE' | 'MALE' | null, at: Date, excluded: ExcludedValue[]): DatedInput | null {
  const recorded = latestPlausible(snapshot, 'egfr', EGFR_LOINC, excluded);
  const creatinine = latestCreatinine(snapshot, excluded);
  const recordedEgfr = recorded ? dated('egfr', 'egfr', recorded, at) : null;
  if (!creatinine || (recorded && recorded.effectiveAt >= creatinine.effectiveAt) || !snapshot.birthDate || !sex) return recordedEgfr;
  const age = ageOn(snapshot.birthDate, new Date(creatinine.effectiveAt));
  if (age < EGFR_MIN_AGE) return recordedEgfr;
  const cystatin = pairedCystatinC(snapshot, creatinine);
  const value = Math.round(cystatin ? ckdEpi2021CreatinineCystatin(creatinine.value!, cystatin.value!, age, sex) : ckdEpi2021Creatinine(creatinine.value!, age, sex));
  const reason = implausibility('egfr', value);
  if (reason) {
    excluded.push({ input: 'egfr', value, unit: 'mL/min/{1.73_m2}', effectiveAt: creatinine.effectiveAt, reason: `derived from creatinine ${creatinine.value} mg/dL: ${reason}` });
    return recordedEgfr;
  }
  const inputs: DerivationInput[] = [
    { name: 'creatinine', value: creatinine.value!, unit: 'mg/dL', effectiveAt: creatinine.effectiveAt, sourceId: creatinine.id ?? null },
    ...(cystatin ? [{ name: 'cystatin C', value: cystatin.value!, unit: 'mg/L', effectiveAt: cystatin.effectiveAt, sourceId: cystatin.id ?? null }] : []),
    { name: 'age', value: age, unit: 'a', effectiveAt: creatinine.effectiveAt, sourceId: snapshot.id },
  ];
  const days = ageInDays(creatinine.effectiveAt, at);
  return {
    input: 'egfr',
    value,
    unit: 'mL/min/{1.73_m2}',
    display: null,
    effectiveAt: creatinine.effectiveAt,
    source: 'Derived',
    sourceId: null,
    ageDays: days,
    maxAgeDays: MAX_AGE_DAYS.creatinine,
    stale: days > MAX_AGE_DAYS.creatinine,
    derivation: { formula: cystatin ? CKD_EPI_2021_CREATININE_CYSTATIN : CKD_EPI_2021_CREATININE, citation: CKD_EPI_2021_CITATION, inputs },
  };
}

/**
 * Builds risk input from the patient's own latest data: the latest lipid and blood-pressure values,
 * smoking status, the problem list (diabetes, prevalent cardiovascular disease) and the medication list
 * (antihypertensives, statins). What the record cannot say stays missing rather than being assumed absent.
 * `record` carries each used value's date, source and staleness, and the diseases that decide applicability.
 */
export function screenedRiskInput(snapshot: ClinicalSnapshot, at: Date): { input: RiskInput; excluded: ExcludedValue[]; record: RecordContext } {
  const excluded: ExcludedValue[] = [];
  const datedInputs: DatedInput[] = [];
  const sex = snapshot.sex === 'FEMALE' || snapshot.sex === 'MALE' ? snapshot.sex : null;
  let race: PceRace | null = null;
  if (snapshot.race === 'WHITE') race = 'WHITE';
  else if (snapshot.race === 'BLACK_OR_AFRICAN_AMERICAN') race = 'AFRICAN_AMERICAN';
  else if (snapshot.race) race = 'OTHER';
  const age = snapshot.birthDate ? ageOn(snapshot.birthDate, at) : null;
  if (age !== null) {
    datedInputs.push({ input: 'age', value: age, unit: 'a', display: null, effectiveAt: at.toISOString(), source: 'Patient', sourceId: snapshot.id, ageDays: 0, maxAgeDays: null, stale: false, derivation: null });
  }
  const measured = (field: 'totalCholesterol' | 'hdlCholesterol' | 'systolicBp' | 'bmi', codes: readonly string[]): number | null => {
    const o = latestPlausible(snapshot, field, codes, excluded);
    if (!o) return null;
    datedInputs.push(dated(field, field, o, at));
    return o.value;
  };
  const totalCholesterol = measured('totalCholesterol', [RISK_LOINC.totalCholesterol]);
  const hdlCholesterol = measured('hdlCholesterol', [RISK_LOINC.hdlCholesterol]);
  const systolicBp = measured('systolicBp', [RISK_LOINC.systolicBp]);
  const bmi = measured('bmi', [RISK_LOINC.bmi]);
  const egfr = kidneyFunction(snapshot, sex, at, excluded);
  if (egfr) datedInputs.push(egfr);

  const smokingStatus = latestSmokingStatus(snapshot.observations);
  const smoker = smokerFromStatus(smokingStatus);
  if (smokingStatus && smoker !== null) {
    datedInputs.push({ ...dated('smoker', 'smoker', { ...smokingStatus, value: null, unit: null }, at), display: SMOKING_STATUS_DISPLAY[smokingStatus.valueCode!.code] ?? smokingStatus.valueCode!.code });
  }
  const diabetes = hasDiabetes(snapshot.conditions);
  const diagnosis = diabetes ? diabetesCondition(snapshot.conditions) : null;
  if (diagnosis) {
    const when = diagnosis.onsetAt ?? diagnosis.recordedAt ?? null;
    datedInputs.push({ input: 'diabetes', value: null, unit: null, display: diagnosis.code.display ?? diagnosis.code.code, effectiveAt: when, source: 'Condition', sourceId: diagnosis.id ?? null,
      ageDays: when ? ageInDays(when, at) : null, maxAgeDays: null, stale: false, derivation: null });
  }
  const medication = (input: 'onHypertensionTreatment' | 'onStatin', m: RecordedMedication | null) => {
    if (!m) return;
    const when = m.authoredAt ?? null;
    datedInputs.push({ input, value: null, unit: null, display: m.code.display, effectiveAt: when, source: 'Medication', sourceId: m.id ?? null, ageDays: when ? ageInDays(when, at) : null, maxAgeDays: null, stale: false, derivation: null });
  };
  const treated = onHypertensionTreatment(snapshot.medications);
  if (treated) medication('onHypertensionTreatment', activeAntihypertensive(snapshot.medications));
  const statin = onStatin(snapshot.medications);
  if (statin) medication('onStatin', activeStatin(snapshot.medications));

  const diseases = prevalentDiseases(snapshot.conditions, snapshot.procedures ?? []);
  const input: RiskInput = {
    age,
    sex,
    race,
    totalCholesterol,
    hdlCholesterol,
    systolicBp,
    onHypertensionTreatment: treated,
    smoker,
    diabetes,
    bmi,
    egfr: egfr?.value ?? null,
    onStatin: statin,
  };
  return { input, excluded, record: { asOf: at.toISOString(), diseases, datedInputs } };
}

/** riskInputFromSnapshot's input alone (what the learning features and older callers read). */
export function riskInputFromSnapshot(snapshot: ClinicalSnapshot, at: Date): RiskInput {
  return screenedRiskInput(snapshot, at).input;
}
