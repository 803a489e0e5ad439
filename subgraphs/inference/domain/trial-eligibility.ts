/**
 * Screens one patient against one trial's structured criteria (pure; no I/O). Clinical decision
 * support: the result lists what was checked and why, for a clinician to confirm; nothing here
 * enrols or excludes anyone.
 *
 * Each criterion is MET, NOT_MET or UNKNOWN (the record cannot say). A criterion the trial does not
 * state (no age limit, sex ALL, no conditions, no variants, no labs) is omitted, not counted as MET.
 *   AGE: within [min, max] inclusive. SEX: FEMALE/MALE trials only; 'other'/'unknown' → UNKNOWN.
 *   CONDITION: token rule of ConditionTerm, or a patient code equal to a trial condition string.
 *   REQUIRED_VARIANT (any of) / EXCLUDED_VARIANT (one criterion for all): the patient holds an id when
 *     one of its variantIds is it, or the knowledge for one of its variantIds `encodes` it; without
 *     genomic data (variantIds null) both are UNKNOWN; with an empty list the requirement is NOT_MET.
 *   LAB: the latest result in the criterion's unit (another unit → UNKNOWN naming both); an
 *     exclusion-section criterion is NOT_MET when its condition holds. No staleness rule (the date is shown).
 *   status: any NOT_MET → NOT_ELIGIBLE; all MET → ELIGIBLE; otherwise some UNKNOWN: POSSIBLY_ELIGIBLE
 *           when at least one criterion is MET, INSUFFICIENT_DATA when none is (score 0: the record
 *           supports nothing, so "possibly eligible" would claim what it cannot; issue 17).
 *   score:  MET / criteria listed (UNKNOWN counts against it, so a match the record supports better
 *           ranks higher); 0 when nothing was evaluated.
 *   genomicMatch: the patient carries a variant the trial requires (REQUIRED_VARIANT is MET). Ranking
 *           lists only such trials unless asked for all (`includeUnmatched`): the catalogue is of
 *           genomically selected trials, and one the patient has no matching variant for is noise.
 *
 * Inputs are read as immutable: per-trial and per-patient preparations (normalised condition tokens,
 * the set of variant ids a patient holds) are computed once and cached by object identity.
 */
import type { EligibilitySection, LabComparator } from '../../../lib/contracts/reference/trial-criteria';
import { EGFR_LOINC } from './cardiovascular';

/** A LabCriterion of knowledge-graph/importers/eligibility.ts as Trial.eligibility.labCriteria serves it (without `text`). */
export interface TrialLabCriterion {
  loinc: string;
  name: string;
  comparator: LabComparator;
  value: number;
  unit: string;
  section: EligibilitySection;
}

export interface TrialVariantRef {
  /** A genomic variant id, or a protein-level id of the knowledge graph such as 'BRAF:V600E'. */
  id: string;
  gene: string | null;
  name: string | null;
}

export interface TrialCriteria {
  nctId: string;
  title: string;
  phase: string | null;
  status: string | null;
  minimumAgeYears: number | null;
  maximumAgeYears: number | null;
  sex: 'ALL' | 'FEMALE' | 'MALE' | null;
  conditions: string[];
  /** Any one of them is required. */
  requiredVariants: TrialVariantRef[];
  excludedVariants: TrialVariantRef[];
  labCriteria: TrialLabCriterion[];
}

export interface PatientFacts {
  ageYears: number | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  conditions: { code: string; system: string; display: string | null }[];
  /** The patient's genomic variant ids; null = no genomic data. */
  variantIds: string[] | null;
  /** Per genomic variant: the knowledge graph's protein-level variants it encodes ('BRAF:V600E', 'BRAF:V600'). */
  variantKnowledge: { id: string; gene: string | null; encodes: string[] }[];
  /** Latest result per LOINC code, in the code's canonical UCUM unit. */
  latestLabs: Map<string, { value: number; unit: string; effectiveAt: string }>;
}

export type CriterionKind = 'AGE' | 'SEX' | 'CONDITION' | 'REQUIRED_VARIANT' | 'EXCLUDED_VARIANT' | 'LAB';
export type CriterionResult = 'MET' | 'NOT_MET' | 'UNKNOWN';
export type EligibilityStatus = 'ELIGIBLE' | 'POSSIBLY_ELIGIBLE' | 'INSUFFICIENT_DATA' | 'NOT_ELIGIBLE';

export interface CriterionEvaluation {
  criterion: CriterionKind;
  description: string;
  result: CriterionResult;
  reason: string;
}

export interface TrialEligibility {
  nctId: string;
  status: EligibilityStatus;
  score: number;
  /** The patient carries one of the variants the trial requires. */
  genomicMatch: boolean;
  criteria: CriterionEvaluation[];
}

// ---- condition terms --------------------------------------------------------------------------

/**
 * Conditions are compared as sets of normalised tokens, because trial conditions are free text
 * ("Non-small-cell Lung Cancer", "Solid Tumor, Adult") and patient conditions are coded with a display
 * ("Non-small cell lung carcinoma", "Adenocarcinoma of lung"). A term is normalised by:
 *   1. lower case; punctuation and hyphens → spaces; "stage IV"/"stage 3b" dropped; "non small cell"
 *      → `nonsmallcell` and "small cell" → `smallcell`, so small-cell never matches non-small-cell;
 *   2. plural "s" dropped (words over 4 letters, not -ss/-us/-is), roman numerals → digits (type II → 2);
 *   3. synonyms and abbreviations to one token (SYNONYMS: lung/pulmonary, colon/rectal/colorectal/CRC,
 *      ovary/ovarian, renal/kidney/RCC, hepatocellular/liver/HCC, NSCLC → nonsmallcell + lung, ...);
 *   4. stop-words and words that do not name the disease dropped (GENERIC: advanced, metastatic,
 *      recurrent, stage, ...), and words that say "malignant" (MALIGNANT: cancer, carcinoma,
 *      adenocarcinoma, neoplasm, tumor, melanoma, lymphoma, ...) recorded as `malignant` — dropped too
 *      unless they also name the disease (melanoma, lymphoma, leukemia, myeloma, sarcoma, ... stay).
 * Two terms match when both are malignant or both are not, and the tokens of one are a subset of
 * the other's: a less specific diagnosis on either side matches a more specific one ("Breast cancer"
 * ~ "Triple negative breast cancer"; "Adenocarcinoma of lung" {lung} ~ NSCLC {nonsmallcell, lung}); the
 * subtype is left to the trial's other criteria and the clinician. A trial condition that is only
 * malignant ("Cancer", "Neoplasms", "Solid Tumor") matches any malignant patient condition, except that
 * "solid" excludes leukemia, lymphoma and myeloma. A patient condition with no tokens ("Malignant
 * neoplasm") matches only such a generic trial condition.
 */
export interface ConditionTerm {
  tokens: ReadonlySet<string>;
  malignant: boolean;
  solid: boolean;
  hematologic: boolean;
}

const PHRASES: [RegExp, string][] = [
  [/\bstage\s+(?:[0-4]|i{1,3}|iv)[a-c]?\d?\b/g, ' '],
  [/\bnon ?small cell\b/g, ' nonsmallcell '],
  [/\bsmall cell\b/g, ' smallcell '],
  [/\bhead and neck\b/g, ' headneck '],
];
const SYNONYMS: Record<string, string[]> = {
  nsclc: ['nonsmallcell', 'lung'], sclc: ['smallcell', 'lung'], pulmonary: ['lung'], bronchus: ['lung'], bronchial: ['lung'], bronchogenic: ['lung'],
  colon: ['colorectal'], colonic: ['colorectal'], rectal: ['colorectal'], rectum: ['colorectal'], crc: ['colorectal'],
  mammary: ['breast'], tnbc: ['triple', 'negative', 'breast'],
  ovary: ['ovarian'], renal: ['kidney'], rcc: ['kidney'],
  hepatocellular: ['liver'], hepatic: ['liver'], hcc: ['liver'],
  stomach: ['gastric'], pancreatic: ['pancrea'], pancrea: ['pancrea'], prostatic: ['prostate'],
  urothelial: ['bladder'], cutaneous: ['skin'], oesophageal: ['esophagus'], esophageal: ['esophagus'],
  uterine: ['uterus'], endometrial: ['uterus'], endometrium: ['uterus'], cervical: ['cervix'],
  tumour: ['tumor'], leukaemia: ['leukemia'], haematologic: ['hematologic'], myelogenous: ['myeloid'],
  aml: ['acute', 'myeloid', 'leukemia'], cml: ['chronic', 'myeloid', 'leukemia'],
  cll: ['chronic', 'lymphocytic', 'leukemia'], gbm: ['glioblastoma'], scchn: ['headneck', 'squamous'], hnscc: ['headneck', 'squamous'],
  i: ['1'], ii: ['2'], iii: ['3'], iv: ['4'],
};
const STOP_WORDS = 'of the and or with in to for a an on at by other nos unspecified site patient participant subject';
const NOT_DISEASE = 'advanced metastatic metastasis metastase tnm recurrent refractory relapsed relapse stage unresectable locally local primary adult disease disorder late early newly diagnosed progressive previously treated untreated solid';
const MALIGNANT_GENERIC = 'cancer carcinoma adenocarcinoma neoplasm malignant malignancy malignancie tumor';
/** Malignant words that also name the disease (kept as tokens). */
const MALIGNANT_NAMED = 'melanoma lymphoma leukemia myeloma sarcoma glioma glioblastoma mesothelioma carcinoid nonsmallcell smallcell';
const HEMATOLOGIC = new Set(['leukemia', 'lymphoma', 'myeloma', 'hematologic']);
const GENERIC = new Set([...STOP_WORDS.split(' '), ...NOT_DISEASE.split(' '), ...MALIGNANT_GENERIC.split(' ')]);
const MALIGNANT = new Set([...MALIGNANT_GENERIC.split(' '), ...MALIGNANT_NAMED.split(' ')]);
const isMalignant = (token: string) => MALIGNANT.has(token) || /(?:carcinoma|sarcoma|blastoma)$/.test(token);

export function conditionTerm(text: string): ConditionTerm {
  let s = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  for (const [phrase, replacement] of PHRASES) s = s.replace(phrase, replacement);
  const tokens = new Set<string>();
  const term = { tokens, malignant: false, solid: false, hematologic: false };
  for (const word of s.split(' ')) {
    if (!word) continue;
    const singular = word.length > 4 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
    for (const token of SYNONYMS[singular] ?? [singular]) {
      if (isMalignant(token)) term.malignant = true;
      if (HEMATOLOGIC.has(token)) term.hematologic = true;
      if (token === 'solid') term.solid = true;
      if (!GENERIC.has(token)) tokens.add(token);
    }
  }
  return term;
}

/**
 * Trial condition terms shared by every trial naming the condition the same way, so a patient's
 * match against "Melanoma" is computed once however many trials list it (see conditionMatches).
 * Bounded: the vocabulary of trial conditions is; cleared if it ever grows past the bound.
 */
const INTERNED_TERMS = new Map<string, ConditionTerm>();
const MAX_INTERNED_TERMS = 200_000;

function internedConditionTerm(text: string): ConditionTerm {
  let term = INTERNED_TERMS.get(text);
  if (!term) {
    if (INTERNED_TERMS.size >= MAX_INTERNED_TERMS) INTERNED_TERMS.clear();
    term = conditionTerm(text);
    INTERNED_TERMS.set(text, term);
  }
  return term;
}

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => {
  if (a.size > b.size) return false;
  for (const t of a) if (!b.has(t)) return false;
  return true;
};

/** See ConditionTerm. */
export function conditionsMatch(patient: ConditionTerm, trial: ConditionTerm): boolean {
  if (patient.malignant !== trial.malignant) return false;
  if (trial.tokens.size === 0) return trial.malignant && !(trial.solid && patient.hematologic);
  if (patient.tokens.size === 0) return false;
  return subset(patient.tokens, trial.tokens) || subset(trial.tokens, patient.tokens);
}

// ---- preparation (cached per object) ----------------------------------------------------------

interface PreparedLabCriterion {
  criterion: TrialLabCriterion;
  description: string;
  /** "≥ 1.5 10*3/uL" */
  threshold: string;
}

interface PreparedTrial {
  ageDescription: string;
  /** "18–75", "≥ 18", "≤ 75" */
  ageRange: string;
  conditions: ConditionTerm[];
  conditionList: string;
  conditionDescription: string;
  /** Trial condition strings lower-cased, for matching a patient's condition code written as a condition. */
  conditionKeys: string[];
  requiredLabels: string[];
  requiredDescription: string;
  excludedLabels: string[];
  excludedDescription: string;
  labs: PreparedLabCriterion[];
}

interface ObservedLab {
  code: string;
  value: number;
  unit: string;
  /** "3.2 10*3/uL on 2026-01-10" */
  shown: string;
}

interface PreparedPatient {
  age: string | null;
  conditions: { display: string; code: string; term: ConditionTerm }[];
  /** Condition code lower-cased → index in `conditions`, to compare with trial condition strings. */
  conditionCodes: Map<string, number>;
  /** Trial condition term (interned) → index of the first patient condition matching it, or -1. */
  conditionMatches: Map<ConditionTerm, number>;
  conditionsNotMatching: string;
  /** Variant id or encoded protein-level id → the patient's genomic variant id providing it. */
  holds: Map<string, string> | null;
  variantsNotMatching: string;
  /** Latest result per criterion LOINC (eGFR resolved across equations), filled on first use. */
  labs: Map<string, ObservedLab | null>;
}

const preparedTrials = new WeakMap<TrialCriteria, PreparedTrial>();
const preparedPatients = new WeakMap<PatientFacts, PreparedPatient>();

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1e4) / 1e4));
const SYMBOL: Record<LabComparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const variantLabel = (v: TrialVariantRef): string => {
  if (!v.name) return v.id;
  return v.gene && !v.name.startsWith(v.gene) ? `${v.gene} ${v.name}` : v.name;
};

function prepareTrial(trial: TrialCriteria): PreparedTrial {
  let p = preparedTrials.get(trial);
  if (p) return p;
  const { minimumAgeYears: min, maximumAgeYears: max } = trial;
  const ageRange = min !== null && max !== null ? `${fmt(min)}–${fmt(max)}` : min !== null ? `≥ ${fmt(min)}` : max !== null ? `≤ ${fmt(max)}` : '';
  const conditionList = trial.conditions.join(', ');
  const requiredLabels = trial.requiredVariants.map(variantLabel);
  const excludedLabels = trial.excludedVariants.map(variantLabel);
  p = {
    ageDescription: `age ${ageRange} years`,
    ageRange,
    conditions: trial.conditions.map(internedConditionTerm),
    conditionList,
    conditionDescription: `condition is one of: ${conditionList}`,
    conditionKeys: trial.conditions.map((c) => c.trim().toLowerCase()),
    requiredLabels,
    requiredDescription: `carries one of: ${requiredLabels.join(', ')}`,
    excludedLabels,
    excludedDescription: `carries none of: ${excludedLabels.join(', ')}`,
    labs: trial.labCriteria.map((c) => {
      const threshold = `${SYMBOL[c.comparator]} ${fmt(c.value)} ${c.unit}`;
      return { criterion: c, threshold, description: `${c.section === 'exclusion' ? 'excluded if ' : ''}${c.name} (LOINC ${c.loinc}) ${threshold}` };
    }),
  };
  preparedTrials.set(trial, p);
  return p;
}

function preparePatient(patient: PatientFacts): PreparedPatient {
  let p = preparedPatients.get(patient);
  if (p) return p;
  let holds: Map<string, string> | null = null;
  if (patient.variantIds) {
    const own = new Set(patient.variantIds);
    holds = new Map(patient.variantIds.map((id) => [id, id]));
    // Only knowledge about variants the patient actually has counts.
    for (const k of patient.variantKnowledge) {
      if (!own.has(k.id)) continue;
      for (const encoded of k.encodes) if (!holds.has(encoded)) holds.set(encoded, k.id);
    }
  }
  p = {
    age: patient.ageYears === null ? null : fmt(patient.ageYears),
    conditions: patient.conditions.map((c) => ({ display: c.display ?? c.code, code: c.code, term: conditionTerm(c.display ?? '') })),
    conditionCodes: new Map(patient.conditions.map((c, i) => [c.code.trim().toLowerCase(), i] as const).reverse()),
    conditionMatches: new Map(),
    conditionsNotMatching: `none of the patient's ${plural(patient.conditions.length, 'condition')} matches `,
    holds,
    variantsNotMatching: `none of the patient's ${plural(patient.variantIds?.length ?? 0, 'variant')} is or encodes `,
    labs: new Map(),
  };
  preparedPatients.set(patient, p);
  return p;
}

const EGFR_CODES: ReadonlySet<string> = new Set(EGFR_LOINC);

/** The latest result for the code; for eGFR the latest of CKD-EPI 2021, CKD-EPI 2009 and MDRD (as cardiovascular.ts). */
function observedLab(patient: PatientFacts, prepared: PreparedPatient, loinc: string): ObservedLab | null {
  let observed = prepared.labs.get(loinc);
  if (observed !== undefined) return observed;
  let code = loinc;
  let lab = patient.latestLabs.get(loinc);
  if (EGFR_CODES.has(loinc)) {
    for (const other of EGFR_LOINC) {
      const candidate = patient.latestLabs.get(other);
      if (candidate && (!lab || candidate.effectiveAt > lab.effectiveAt)) [code, lab] = [other, candidate];
    }
  }
  observed = lab ? { code, value: lab.value, unit: lab.unit, shown: `${fmt(lab.value)} ${lab.unit} on ${lab.effectiveAt.slice(0, 10)}` } : null;
  prepared.labs.set(loinc, observed);
  return observed;
}

// ---- criteria ---------------------------------------------------------------------------------

const holdsComparison = (value: number, comparator: LabComparator, threshold: number): boolean =>
  comparator === '>=' ? value >= threshold : comparator === '>' ? value > threshold : comparator === '<=' ? value <= threshold : value < threshold;

function ageCriterion(age: number | null, p: PreparedPatient, trial: TrialCriteria, t: PreparedTrial): CriterionEvaluation {
  const { minimumAgeYears: min, maximumAgeYears: max } = trial;
  const description = t.ageDescription;
  if (age === null) return { criterion: 'AGE', description, result: 'UNKNOWN', reason: "the patient's age is unknown" };
  if (min !== null && age < min) return { criterion: 'AGE', description, result: 'NOT_MET', reason: `age ${p.age} is below the minimum of ${fmt(min)}` };
  if (max !== null && age > max) return { criterion: 'AGE', description, result: 'NOT_MET', reason: `age ${p.age} is above the maximum of ${fmt(max)}` };
  const reason = min !== null && max !== null ? `age ${p.age} is within ${t.ageRange}` : min !== null ? `age ${p.age} is at least ${fmt(min)}` : `age ${p.age} is at most ${fmt(max!)}`;
  return { criterion: 'AGE', description, result: 'MET', reason };
}

const SEX_DESCRIPTION = { FEMALE: 'female participants only', MALE: 'male participants only' } as const;

function sexCriterion(sex: PatientFacts['sex'], trialSex: 'FEMALE' | 'MALE'): CriterionEvaluation {
  const wanted = trialSex === 'FEMALE' ? 'female' : 'male';
  const description = SEX_DESCRIPTION[trialSex];
  if (sex === wanted) return { criterion: 'SEX', description, result: 'MET', reason: `the patient is ${sex}` };
  if (sex === 'female' || sex === 'male') return { criterion: 'SEX', description, result: 'NOT_MET', reason: `the patient is ${sex}; the trial enrols ${description}` };
  return { criterion: 'SEX', description, result: 'UNKNOWN', reason: sex === 'other' ? "the patient's sex is recorded as other" : "the patient's sex is unknown" };
}

function conditionCriterion(p: PreparedPatient, trial: TrialCriteria, t: PreparedTrial): CriterionEvaluation {
  const description = t.conditionDescription;
  if (p.conditions.length === 0) return { criterion: 'CONDITION', description, result: 'UNKNOWN', reason: 'no conditions recorded for the patient' };
  for (let i = 0; i < t.conditions.length; i++) {
    const byCode = p.conditionCodes.get(t.conditionKeys[i]!);
    if (byCode !== undefined) {
      return { criterion: 'CONDITION', description, result: 'MET', reason: `patient condition code ${p.conditions[byCode]!.code} is listed by the trial` };
    }
    const term = t.conditions[i]!;
    let match = p.conditionMatches.get(term);
    if (match === undefined) {
      match = p.conditions.findIndex((c) => conditionsMatch(c.term, term));
      p.conditionMatches.set(term, match);
    }
    if (match >= 0) {
      return { criterion: 'CONDITION', description, result: 'MET', reason: `patient condition "${p.conditions[match]!.display}" matches "${trial.conditions[i]}"` };
    }
  }
  return { criterion: 'CONDITION', description, result: 'NOT_MET', reason: p.conditionsNotMatching + t.conditionList };
}

const holding = (holds: Map<string, string>, v: TrialVariantRef, label: string): string => {
  const by = holds.get(v.id)!;
  return by === v.id ? `the patient carries ${label}` : `patient variant ${by} encodes ${label}`;
};

function requiredVariantCriterion(p: PreparedPatient, trial: TrialCriteria, t: PreparedTrial): CriterionEvaluation {
  const description = t.requiredDescription;
  if (!p.holds) return { criterion: 'REQUIRED_VARIANT', description, result: 'UNKNOWN', reason: 'no genomic data for the patient' };
  for (let i = 0; i < trial.requiredVariants.length; i++) {
    const v = trial.requiredVariants[i]!;
    if (p.holds.has(v.id)) return { criterion: 'REQUIRED_VARIANT', description, result: 'MET', reason: holding(p.holds, v, t.requiredLabels[i]!) };
  }
  return { criterion: 'REQUIRED_VARIANT', description, result: 'NOT_MET', reason: p.variantsNotMatching + t.requiredLabels.join(', ') };
}

function excludedVariantCriterion(p: PreparedPatient, trial: TrialCriteria, t: PreparedTrial): CriterionEvaluation {
  const description = t.excludedDescription;
  if (!p.holds) return { criterion: 'EXCLUDED_VARIANT', description, result: 'UNKNOWN', reason: 'no genomic data for the patient' };
  for (let i = 0; i < trial.excludedVariants.length; i++) {
    const v = trial.excludedVariants[i]!;
    if (p.holds.has(v.id)) return { criterion: 'EXCLUDED_VARIANT', description, result: 'NOT_MET', reason: `${holding(p.holds, v, t.excludedLabels[i]!)}, which the trial excludes` };
  }
  return { criterion: 'EXCLUDED_VARIANT', description, result: 'MET', reason: p.variantsNotMatching + t.excludedLabels.join(', ') };
}

function labCriterion(patient: PatientFacts, p: PreparedPatient, { criterion: c, description, threshold }: PreparedLabCriterion): CriterionEvaluation {
  const lab = observedLab(patient, p, c.loinc);
  if (!lab) return { criterion: 'LAB', description, result: 'UNKNOWN', reason: `no result for LOINC ${c.loinc} (${c.name})` };
  if (lab.unit !== c.unit) {
    return { criterion: 'LAB', description, result: 'UNKNOWN', reason: `the latest ${c.name} result is in ${lab.unit}, the criterion in ${c.unit}` };
  }
  const observed = `the latest ${c.name}, ${lab.shown}${lab.code === c.loinc ? '' : ` (LOINC ${lab.code})`},`;
  const holds = holdsComparison(lab.value, c.comparator, c.value);
  if (c.section === 'exclusion') {
    return holds
      ? { criterion: 'LAB', description, result: 'NOT_MET', reason: `${observed} meets the exclusion ${threshold}` }
      : { criterion: 'LAB', description, result: 'MET', reason: `${observed} does not meet the exclusion ${threshold}` };
  }
  return holds
    ? { criterion: 'LAB', description, result: 'MET', reason: `${observed} meets ${threshold}` }
    : { criterion: 'LAB', description, result: 'NOT_MET', reason: `${observed} does not meet ${threshold}` };
}

// ---- evaluation and ranking -------------------------------------------------------------------

/**
 * The criteria in a fixed order (cheap and most often decisive first). With `stopAtNotMet`, null as
 * soon as one is NOT_MET: ranking that leaves out the not eligible then builds no further reasons.
 */
function evaluate(patient: PatientFacts, p: PreparedPatient, trial: TrialCriteria, stopAtNotMet: boolean): TrialEligibility | null {
  const t = prepareTrial(trial);
  const criteria: CriterionEvaluation[] = [];
  let met = 0;
  let notMet = 0;
  let genomicMatch = false;
  const add = (c: CriterionEvaluation): boolean => {
    criteria.push(c);
    if (c.criterion === 'REQUIRED_VARIANT' && c.result === 'MET') genomicMatch = true;
    if (c.result === 'MET') met += 1;
    else if (c.result === 'NOT_MET') notMet += 1;
    return stopAtNotMet && notMet > 0;
  };
  if (trial.minimumAgeYears !== null || trial.maximumAgeYears !== null) if (add(ageCriterion(patient.ageYears, p, trial, t))) return null;
  if (trial.sex === 'FEMALE' || trial.sex === 'MALE') if (add(sexCriterion(patient.sex, trial.sex))) return null;
  if (trial.conditions.length > 0) if (add(conditionCriterion(p, trial, t))) return null;
  if (trial.requiredVariants.length > 0) if (add(requiredVariantCriterion(p, trial, t))) return null;
  if (trial.excludedVariants.length > 0) if (add(excludedVariantCriterion(p, trial, t))) return null;
  for (const lab of t.labs) if (add(labCriterion(patient, p, lab))) return null;

  const status: EligibilityStatus =
    notMet > 0 ? 'NOT_ELIGIBLE' : criteria.length > 0 && met === criteria.length ? 'ELIGIBLE' : met > 0 ? 'POSSIBLY_ELIGIBLE' : 'INSUFFICIENT_DATA';
  return { nctId: trial.nctId, status, score: criteria.length > 0 ? met / criteria.length : 0, genomicMatch, criteria };
}

export function evaluateTrialEligibility(patient: PatientFacts, trial: TrialCriteria): TrialEligibility {
  return evaluate(patient, preparePatient(patient), trial, false)!;
}

const STATUS_ORDER: Record<EligibilityStatus, number> = { ELIGIBLE: 0, POSSIBLY_ELIGIBLE: 1, INSUFFICIENT_DATA: 2, NOT_ELIGIBLE: 3 };

export interface RankOptions {
  /** Also list NOT_ELIGIBLE trials. */
  includeNotEligible?: boolean;
  /** Also list trials whose genomic criteria the patient does not meet (or that state none). */
  includeUnmatched?: boolean;
}

/**
 * Evaluations of the trials the patient has a genomic match for (every trial with `includeUnmatched`),
 * NOT_ELIGIBLE ones left out unless asked; ordered ELIGIBLE, POSSIBLY_ELIGIBLE, INSUFFICIENT_DATA,
 * NOT_ELIGIBLE, genomic matches first within a status, then score descending, then NCT id.
 */
export function rankTrialMatches(patient: PatientFacts, trials: readonly TrialCriteria[], options: RankOptions = {}): TrialEligibility[] {
  const out: TrialEligibility[] = [];
  const includeNotEligible = options.includeNotEligible ?? false;
  const includeUnmatched = options.includeUnmatched ?? false;
  const p = preparePatient(patient);
  for (const trial of trials) {
    // Without a required variant there can be no genomic match: not evaluated at all.
    if (!includeUnmatched && trial.requiredVariants.length === 0) continue;
    const result = evaluate(patient, p, trial, !includeNotEligible);
    if (result && (includeUnmatched || result.genomicMatch)) out.push(result);
  }
  return out.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      Number(b.genomicMatch) - Number(a.genomicMatch) ||
      b.score - a.score ||
      (a.nctId < b.nctId ? -1 : a.nctId > b.nctId ? 1 : 0),
  );
}
