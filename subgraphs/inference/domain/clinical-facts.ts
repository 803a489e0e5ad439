/**
 * Reads the yes/no risk inputs out of a patient's record. A fact is `null` (missing) when the record
 * cannot say: no smoking status recorded, no problem list, no medication list. It is never assumed.
 */
import { CODE_SYSTEMS, ICD10_SYSTEMS } from '../../../lib/contracts/reference/code-systems';

export interface CodedCondition {
  /** The record's id in the patient subgraph (absent in records built by hand). */
  id?: string | null;
  code: { system: string; code: string; display?: string | null };
  clinicalStatus: string | null;
  /** FHIR condition-ver-status; absent or null when the record says none. */
  verificationStatus?: string | null;
  onsetAt?: string | null;
  recordedAt?: string | null;
}

export interface RecordedMedication {
  id?: string | null;
  code: { system: string; code: string; display: string | null };
  status: string | null;
  authoredAt?: string | null;
}

export interface CodedObservation {
  id?: string | null;
  code: string;
  effectiveAt: string;
  valueCode: { system: string; code: string } | null;
}

const SNOMED = CODE_SYSTEMS.snomed;
const ICD10 = ICD10_SYSTEMS;

/** LOINC 72166-2 Tobacco smoking status; answers from LOINC answer list LL2201-3 (SNOMED CT). */
export const SMOKING_STATUS_LOINC = '72166-2';
const CURRENT_SMOKER = new Set([
  '449868002', // Smokes tobacco daily (current every day smoker)
  '428041000124106', // Occasional tobacco smoker (current some day smoker)
  '77176002', // Smoker, current status unknown
  '428071000124103', // Heavy tobacco smoker
  '428061000124105', // Light tobacco smoker
  '65568007', // Cigarette smoker
]);
const NOT_CURRENT_SMOKER = new Set([
  '8517006', // Ex-smoker
  '266919005', // Never smoked tobacco
]);

/** Diabetes mellitus: SNOMED CT concepts used by EHRs and Synthea, and ICD-10 E10–E13. */
const DIABETES_SNOMED = new Set([
  '73211009', // Diabetes mellitus
  '44054006', // Diabetes mellitus type 2
  '46635009', // Diabetes mellitus type 1
  '190330002', // Hyperosmolar non-ketotic state in type 2 diabetes mellitus
  '313436004', // Type 2 diabetes mellitus without complication
  // Disorders "due to diabetes mellitus": each concept's definition names diabetes as its cause, so the
  // patient has diabetes even when the problem list holds only the complication. Real Synthea 3.3.0
  // output does this (tests/fixtures/synthea-3.3.0: of 51 generated patients, 13 had kidney disease or
  // microalbuminuria due to diabetes, often on insulin, with Prediabetes 15777000 as their only other
  // code). Codes as Synthea's metabolic syndrome module writes them (synthetichealth/synthea,
  // src/main/resources/modules/metabolic_syndrome_disease.json).
  '127013003', // Disorder of kidney due to diabetes mellitus
  '90781000119102', // Microalbuminuria due to type 2 diabetes mellitus
  '157141000119108', // Proteinuria due to type 2 diabetes mellitus
  '368581000119106', // Neuropathy due to type 2 diabetes mellitus
  '422034002', // Retinopathy due to type 2 diabetes mellitus
  '1551000119108', // Nonproliferative diabetic retinopathy due to type 2 diabetes mellitus
  '1501000119109', // Proliferative diabetic retinopathy due to type II diabetes mellitus
  '97331000119101', // Macular edema and retinopathy due to type 2 diabetes mellitus
  '60951000119105', // Blindness due to type 2 diabetes mellitus
]);
const DIABETES_ICD10 = /^E1[0-3](\.|$)/;

/** FHIR condition-clinical codes that mean the condition is present now. */
const PRESENT = new Set(['active', 'recurrence', 'relapse']);

/**
 * FHIR condition-ver-status codes that mean the diagnosis does not stand: `refuted` ("this condition has been
 * ruled out by subsequent diagnostic and clinical evidence") and `entered-in-error` (the record is wrong)
 * (http://hl7.org/fhir/R4/valueset-condition-ver-status.html). Unconfirmed, provisional and differential
 * diagnoses still count: the problem list holds them and the clinician sees them listed as the reason.
 */
const NOT_ASSERTED = new Set(['refuted', 'entered-in-error']);

/** Whether the record asserts the condition: not refuted, not entered in error (no verification status: asserted). */
export const isAssertedCondition = (c: { verificationStatus?: string | null }): boolean => !c.verificationStatus || !NOT_ASSERTED.has(c.verificationStatus);

/**
 * Whether a condition is present now: asserted (isAssertedCondition) and of a present clinical status (no
 * clinical status recorded: taken as present, as the problem list shows it).
 */
export const isPresentCondition = (c: { clinicalStatus: string | null; verificationStatus?: string | null }): boolean =>
  isAssertedCondition(c) && (c.clinicalStatus === null || PRESENT.has(c.clinicalStatus));

/**
 * Oral antihypertensive ingredients, by class, from the 2017 ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/
 * NMA/PCNA Guideline for the Prevention, Detection, Evaluation, and Management of High Blood Pressure
 * in Adults (Whelton PK et al., Hypertension 2018;71:e13-e115), Tables 18 and 19. Matched against the
 * RxNorm name, since RxNorm ingredient relations need the full RxNorm release.
 */
export const ANTIHYPERTENSIVE_INGREDIENTS = [
  // thiazide and thiazide-like diuretics
  'chlorthalidone', 'hydrochlorothiazide', 'indapamide', 'metolazone',
  // ACE inhibitors
  'benazepril', 'captopril', 'enalapril', 'fosinopril', 'lisinopril', 'moexipril', 'perindopril', 'quinapril', 'ramipril', 'trandolapril',
  // angiotensin II receptor blockers
  'azilsartan', 'candesartan', 'eprosartan', 'irbesartan', 'losartan', 'olmesartan', 'telmisartan', 'valsartan',
  // calcium channel blockers
  'amlodipine', 'felodipine', 'isradipine', 'nicardipine', 'nifedipine', 'nisoldipine', 'diltiazem', 'verapamil',
  // beta blockers
  'atenolol', 'betaxolol', 'bisoprolol', 'metoprolol', 'nadolol', 'nebivolol', 'propranolol', 'timolol', 'acebutolol', 'penbutolol', 'pindolol', 'carvedilol', 'labetalol',
  // loop, potassium-sparing diuretics and aldosterone antagonists
  'bumetanide', 'furosemide', 'torsemide', 'amiloride', 'triamterene', 'eplerenone', 'spironolactone',
  // others
  'aliskiren', 'doxazosin', 'prazosin', 'terazosin', 'clonidine', 'methyldopa', 'guanfacine', 'hydralazine', 'minoxidil',
];
const ANTIHYPERTENSIVE = new RegExp(`\\b(${ANTIHYPERTENSIVE_INGREDIENTS.join('|')})\\b`, 'i');

/** Display names of the smoking-status answers above (LOINC answer list LL2201-3). */
export const SMOKING_STATUS_DISPLAY: Readonly<Record<string, string>> = {
  '449868002': 'Smokes tobacco daily',
  '428041000124106': 'Occasional tobacco smoker',
  '77176002': 'Smoker, current status unknown',
  '428071000124103': 'Heavy tobacco smoker',
  '428061000124105': 'Light tobacco smoker',
  '65568007': 'Cigarette smoker',
  '8517006': 'Ex-smoker',
  '266919005': 'Never smoked tobacco',
};

/** The latest SNOMED-coded smoking status observation, whatever its answer. */
export function latestSmokingStatus<T extends CodedObservation>(observations: readonly T[]): T | null {
  let latest: T | null = null;
  for (const o of observations) {
    if (o.code === SMOKING_STATUS_LOINC && o.valueCode?.system === SNOMED && (!latest || o.effectiveAt > latest.effectiveAt)) latest = o;
  }
  return latest;
}

/** Whether a smoking-status answer means a current smoker; null for an answer that does not say. */
export function smokerFromStatus(status: CodedObservation | null): boolean | null {
  if (!status) return null;
  if (CURRENT_SMOKER.has(status.valueCode!.code)) return true;
  if (NOT_CURRENT_SMOKER.has(status.valueCode!.code)) return false;
  return null;
}

export function currentSmoker(observations: CodedObservation[]): boolean | null {
  return smokerFromStatus(latestSmokingStatus(observations));
}

const isDiabetes = (c: CodedCondition) =>
  (c.code.system === SNOMED && DIABETES_SNOMED.has(c.code.code)) || (ICD10.includes(c.code.system) && DIABETES_ICD10.test(c.code.code));

/**
 * True with a present diabetes diagnosis; false when a problem list exists without one; null without a problem
 * list. A refuted or entered-in-error diagnosis is no diagnosis (isPresentCondition).
 */
export function hasDiabetes(conditions: CodedCondition[]): boolean | null {
  if (!conditions.length) return null;
  return conditions.some((c) => isDiabetes(c) && isPresentCondition(c));
}

/** The present diabetes diagnosis hasDiabetes found, for its date and record id. */
export function diabetesCondition<T extends CodedCondition>(conditions: readonly T[]): T | null {
  return conditions.find((c) => isDiabetes(c) && isPresentCondition(c)) ?? null;
}

/** True with an active antihypertensive; false when medications are recorded but none is one; null without a medication list. */
export function onHypertensionTreatment(medications: RecordedMedication[]): boolean | null {
  if (!medications.length) return null;
  return medications.some((m) => m.status === 'active' && ANTIHYPERTENSIVE.test(m.code.display ?? ''));
}

/** The active antihypertensive onHypertensionTreatment found (the first listed). */
export function activeAntihypertensive<T extends RecordedMedication>(medications: readonly T[]): T | null {
  return medications.find((m) => m.status === 'active' && ANTIHYPERTENSIVE.test(m.code.display ?? '')) ?? null;
}

/** HMG-CoA reductase inhibitors (statins), matched on the RxNorm name like the antihypertensives. */
export const STATIN_INGREDIENTS = ['atorvastatin', 'fluvastatin', 'lovastatin', 'pitavastatin', 'pravastatin', 'rosuvastatin', 'simvastatin'];
const STATIN = new RegExp(`\\b(${STATIN_INGREDIENTS.join('|')})\\b`, 'i');

/** True with an active statin; false when medications are recorded but none is one; null without a medication list. */
export function onStatin(medications: RecordedMedication[]): boolean | null {
  if (!medications.length) return null;
  return medications.some((m) => m.status === 'active' && STATIN.test(m.code.display ?? ''));
}

/** The active statin onStatin found (the first listed). */
export function activeStatin<T extends RecordedMedication>(medications: readonly T[]): T | null {
  return medications.find((m) => m.status === 'active' && STATIN.test(m.code.display ?? '')) ?? null;
}
