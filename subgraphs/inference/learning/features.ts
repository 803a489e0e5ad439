/**
 * Training examples for a learned risk model: the features of one patient at an index date, read only
 * from what the record held on that date, and the outcome label over the N years after it.
 *
 * Leakage: an observation, condition or medication counts only when dated on or before the index date;
 * an undated one is not used, since nothing shows it was known then. Outcome conditions are read only
 * after the index date.
 */
import { currentSmoker, hasDiabetes, onHypertensionTreatment, onStatin, type CodedCondition, type RecordedMedication } from '../domain/clinical-facts';
import { ageOn, EGFR_LOINC, RISK_LOINC, type ClinicalSnapshot } from '../domain/cardiovascular';
import { implausibility, type PlausibilityField } from '../domain/plausibility';
import { judgeValue, LOINC_CATALOGUE } from '../../../lib/contracts/reference/loinc-catalogue';
import type { ProcedureRecord } from '../domain/ascvd-applicability';
import { populationExclusion, type RiskModelPopulation } from './population';

/** LOINC 4548-4 Hemoglobin A1c/Hemoglobin.total in Blood (%). */
export const HBA1C_LOINC = '4548-4';

export interface DatedCondition extends CodedCondition {
  /** Onset (or, failing that, recorded) date; null when the record does not say. */
  onsetAt: string | null;
}

export interface DatedMedication extends RecordedMedication {
  startedAt: string | null;
  /** Null while still taken. */
  endedAt: string | null;
}

/**
 * A patient's history as the patient subgraph returns it, with the dates learning needs: condition
 * onsets, medication periods, and the end of follow-up.
 */
export interface PatientHistory extends Omit<ClinicalSnapshot, 'conditions' | 'medications' | 'procedures'> {
  conditions: DatedCondition[];
  /** Procedures with their performed dates (revascularisation puts a patient outside a first-event model). */
  procedures?: ProcedureRecord[];
  medications: DatedMedication[];
  /**
   * The last date the record is known to be complete to: death, leaving the practice or plan, or the
   * data extract date. Not the last encounter — a healthy patient may simply not have been seen.
   */
  followUpEndsAt: string;
}

/** Features before imputation: null is missing. */
export interface RawFeatures {
  age: number | null;
  sex: 'FEMALE' | 'MALE' | null;
  race: 'WHITE' | 'BLACK' | 'OTHER' | null;
  totalCholesterol: number | null;
  hdlCholesterol: number | null;
  systolicBp: number | null;
  bmi: number | null;
  hba1c: number | null;
  egfr: number | null;
  smoker: boolean | null;
  diabetes: boolean | null;
  onAntihypertensive: boolean | null;
  onStatin: boolean | null;
}

export const CONTINUOUS_FEATURES = ['age', 'totalCholesterol', 'hdlCholesterol', 'systolicBp', 'bmi', 'hba1c', 'egfr'] as const;
export const BINARY_FEATURES = ['smoker', 'diabetes', 'onAntihypertensive', 'onStatin'] as const;
type ContinuousFeature = (typeof CONTINUOUS_FEATURES)[number];

/**
 * The model's columns, in order: each continuous value (imputed), male, Black and other race (White
 * the reference), each binary fact, then one missing indicator per raw feature.
 */
export const FEATURE_NAMES: readonly string[] = [
  ...CONTINUOUS_FEATURES,
  'male',
  'raceBlack',
  'raceOther',
  ...BINARY_FEATURES,
  ...[...CONTINUOUS_FEATURES, 'sex', 'race', ...BINARY_FEATURES].map((name) => `${name}Missing`),
];

const onOrBefore = (date: string | null, index: string) => date !== null && date.slice(0, 10) <= index;

function latestBefore(history: PatientHistory, codes: readonly string[], index: string, acceptable: (value: number, unit: string | null) => boolean): number | null {
  let best: { value: number; at: string } | null = null;
  for (const o of history.observations) {
    if (o.value === null || o.excludedReason || !codes.includes(o.code) || !onOrBefore(o.effectiveAt, index)) continue;
    if (!acceptable(o.value, o.unit)) continue;
    if (!best || o.effectiveAt > best.at) best = { value: o.value, at: o.effectiveAt };
  }
  return best?.value ?? null;
}

const plausible = (field: PlausibilityField) => (value: number, unit: string | null) => implausibility(field, value, unit) === null;
/** HbA1c judged by the shared catalogue (lib/contracts/reference/loinc-catalogue.ts: 3–20 %; mmol/mol stored as % is outside). */
const plausibleHba1c = (value: number, unit: string | null) =>
  (unit === null || unit === LOINC_CATALOGUE.get(HBA1C_LOINC)!.unit) && judgeValue(HBA1C_LOINC, value).verdict === 'usable';

/** YYYY-MM-DD of a Date, the form dates are compared in. */
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Features at `indexDate` from what was recorded on or before it: the latest plausible value of each
 * measurement (implausible ones skipped, as for the guideline calculators), smoking status, diabetes
 * on the problem list, and medications taken on the date. Yes/no facts follow `clinical-facts`:
 * unknown (null) when the record has no problem or medication list at all.
 */
export function extractFeatures(history: PatientHistory, indexDate: Date): RawFeatures {
  const index = isoDate(indexDate);
  const sex = history.sex === 'FEMALE' || history.sex === 'MALE' ? history.sex : null;
  let race: RawFeatures['race'] = null;
  if (history.race === 'WHITE') race = 'WHITE';
  else if (history.race === 'BLACK_OR_AFRICAN_AMERICAN') race = 'BLACK';
  else if (history.race) race = 'OTHER';
  const observationsBefore = history.observations.filter((o) => onOrBefore(o.effectiveAt, index));
  const conditionsBefore = history.conditions.filter((c) => onOrBefore(c.onsetAt, index));
  // A medication is taken on the index date when started on or before it and not ended by then.
  const medicationsOn = history.medications
    .filter((m) => onOrBefore(m.startedAt, index) && (m.endedAt === null || m.endedAt.slice(0, 10) > index))
    .map((m) => ({ ...m, status: 'active' }));
  const recordedFact = <T>(listExists: boolean, fact: T) => (listExists ? fact : null);
  return {
    age: history.birthDate ? ageOn(history.birthDate, indexDate) : null,
    sex,
    race,
    totalCholesterol: latestBefore(history, [RISK_LOINC.totalCholesterol], index, plausible('totalCholesterol')),
    hdlCholesterol: latestBefore(history, [RISK_LOINC.hdlCholesterol], index, plausible('hdlCholesterol')),
    systolicBp: latestBefore(history, [RISK_LOINC.systolicBp], index, plausible('systolicBp')),
    bmi: latestBefore(history, [RISK_LOINC.bmi], index, plausible('bmi')),
    hba1c: latestBefore(history, [HBA1C_LOINC], index, plausibleHba1c),
    egfr: latestBefore(history, EGFR_LOINC, index, plausible('egfr')),
    smoker: currentSmoker(observationsBefore),
    // A problem list with no diabetes dated before the index date says "no diabetes then".
    diabetes: recordedFact(history.conditions.length > 0, hasDiabetes(conditionsBefore) ?? false),
    onAntihypertensive: recordedFact(history.medications.length > 0, onHypertensionTreatment(medicationsOn) ?? false),
    onStatin: recordedFact(history.medications.length > 0, onStatin(medicationsOn) ?? false),
  };
}

/**
 * What missing values are filled with, learned from the TRAINING split only (fitting it on all data
 * would let the held-out patients' values into the model). Continuous features: the training median,
 * robust to the skew of lab values. Yes/no and categorical features: "absent" (0, the reference
 * category). Every feature also has a missing indicator, so the model learns what missingness itself
 * predicts (a lab not ordered is informative in routine data); with an indicator in a linear model the
 * fill value only moves the indicator's coefficient, so a simple fill costs nothing in discrimination.
 * Not multiple imputation: fine for prediction, not for estimating effects (Sperrin et al., Stat Med
 * 2020;39:3591 "Missing data should be handled differently for prediction than for description or
 * causal explanation").
 */
export interface Imputation {
  medians: Record<ContinuousFeature, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Training medians; a feature never observed in training gets 0 (its column is then constant and unused). */
export function fitImputation(training: readonly RawFeatures[]): Imputation {
  const medians = {} as Record<ContinuousFeature, number>;
  for (const name of CONTINUOUS_FEATURES) {
    const observed = training.map((f) => f[name]).filter((v): v is number => v !== null);
    medians[name] = observed.length ? median(observed) : 0;
  }
  return { medians };
}

const flag = (value: boolean | null) => (value ? 1 : 0);
const missing = (value: unknown) => (value === null ? 1 : 0);

/** The model's input vector, in FEATURE_NAMES order. */
export function toFeatureVector(features: RawFeatures, imputation: Imputation): number[] {
  return [
    ...CONTINUOUS_FEATURES.map((name) => features[name] ?? imputation.medians[name]),
    features.sex === 'MALE' ? 1 : 0,
    features.race === 'BLACK' ? 1 : 0,
    features.race === 'OTHER' ? 1 : 0,
    ...BINARY_FEATURES.map((name) => flag(features[name])),
    ...CONTINUOUS_FEATURES.map((name) => missing(features[name])),
    missing(features.sex),
    missing(features.race),
    ...BINARY_FEATURES.map((name) => missing(features[name])),
  ];
}

/** The outcome: a condition with one of these codes, with onset within `years` after the index date. */
export interface OutcomeDefinition {
  name: string;
  codes: { system: string; code: string }[];
  years: number;
}

export type OutcomeLabel =
  | { status: 'labelled'; outcome: 0 | 1; onsetAt: string | null }
  /** Already had the outcome on or before the index date: a prevalent case, not a prediction target. */
  | { status: 'excluded'; reason: 'prevalent' }
  /** An outcome condition without an onset date: cannot tell whether it fell within the window. */
  | { status: 'excluded'; reason: 'undated-outcome' }
  /** Followed for less than `years` without the outcome: whether it would have occurred is unknown. */
  | { status: 'excluded'; reason: 'censored' };

/** The index date plus whole years, in UTC (29 February + 1 year is 1 March). */
export function addYears(date: Date, years: number): Date {
  const end = new Date(date.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

/**
 * Labels one patient at an index date. Outcome 1: an outcome condition with onset after the index date
 * and no later than index + N years (both dates inclusive of the end day). Outcome 0: no such onset and
 * follow-up reaching index + N years. Patients followed for less than N years without the outcome are
 * censored and EXCLUDED — treating them as 0 would count outcomes that happened after they left as
 * non-events and bias risk downwards. Exclusion keeps a binary model honest at the cost of some bias
 * when censoring depends on risk (e.g. death from other causes, a competing risk); a survival model
 * (Cox, or inverse-probability-of-censoring weights) is the fuller answer and is listed as a limitation
 * on the model card.
 */
export function labelOutcome(history: PatientHistory, indexDate: Date, outcome: OutcomeDefinition): OutcomeLabel {
  const index = isoDate(indexDate);
  const windowEnd = isoDate(addYears(indexDate, outcome.years));
  const codes = new Set(outcome.codes.map((c) => `${c.system}|${c.code}`));
  let firstOnset: string | null = null;
  for (const c of history.conditions) {
    if (!codes.has(`${c.code.system}|${c.code.code}`)) continue;
    if (c.onsetAt === null) return { status: 'excluded', reason: 'undated-outcome' };
    const onset = c.onsetAt.slice(0, 10);
    if (firstOnset === null || onset < firstOnset) firstOnset = onset;
  }
  if (firstOnset !== null && firstOnset <= index) return { status: 'excluded', reason: 'prevalent' };
  if (firstOnset !== null && firstOnset <= windowEnd) return { status: 'labelled', outcome: 1, onsetAt: firstOnset };
  if (history.followUpEndsAt.slice(0, 10) < windowEnd) return { status: 'excluded', reason: 'censored' };
  return { status: 'labelled', outcome: 0, onsetAt: null };
}

/** The attributes bias is measured across. */
export interface SubgroupAttributes {
  sex: string;
  ageBand: string;
  race: string;
}

/** Sex, 10-year age band (40–49 ...) and race of a patient, "unknown" when not recorded. */
export function subgroupsOf(features: RawFeatures): SubgroupAttributes {
  const decade = features.age === null ? null : Math.floor(features.age / 10) * 10;
  return {
    sex: features.sex ?? 'unknown',
    ageBand: decade === null ? 'unknown' : `${decade}–${decade + 9}`,
    race: features.race ?? 'unknown',
  };
}

export interface TrainingExample {
  patientId: string;
  features: RawFeatures;
  outcome: 0 | 1;
}

/** Why a patient is not a training example at an index date. */
export type ExclusionReason = 'prevalent' | 'undated-outcome' | 'censored' | 'established-ascvd';

/**
 * A labelled example, or why the patient is left out at this index date: outside the model's population
 * then (learning/population.ts: established ASCVD for a first-event model), or not labellable (labelOutcome).
 */
export function buildTrainingExample(
  history: PatientHistory,
  indexDate: Date,
  outcome: OutcomeDefinition,
  population: RiskModelPopulation | null = null,
): TrainingExample | { patientId: string; excluded: ExclusionReason } {
  if (populationExclusion(population, history.conditions, history.procedures ?? [], isoDate(indexDate))) return { patientId: history.id, excluded: 'established-ascvd' };
  const label = labelOutcome(history, indexDate, outcome);
  if (label.status === 'excluded') return { patientId: history.id, excluded: label.reason };
  return { patientId: history.id, features: extractFeatures(history, indexDate), outcome: label.outcome };
}
