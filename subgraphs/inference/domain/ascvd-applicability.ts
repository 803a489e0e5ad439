/**
 * Applicability before arithmetic: who the risk equations were derived for, read from the problem list.
 *
 * - Pooled Cohort Equations (Goff DC et al., Circulation 2014;129:S49) and the 2019 ACC/AHA primary
 *   prevention guideline (Arnett DK et al., Circulation 2019;140:e596) estimate a *first* hard ASCVD event
 *   in adults without clinical ASCVD. With established ASCVD the patient is in secondary prevention and the
 *   guideline's percentages and categories do not apply.
 * - PREVENT (Khan SS et al., Circulation 2024;149:430) was derived in adults "without known CVD", CVD being
 *   ASCVD and heart failure: established ASCVD or prevalent heart failure puts every PREVENT outcome (total
 *   CVD, ASCVD, heart failure) outside its population. Heart failure alone leaves PCE applicable: its
 *   outcome is ASCVD, and heart failure is not ASCVD.
 *
 * Decisions (issue 17):
 * - Any clinical status counts, resolved and inactive included: ASCVD is lifelong (Synthea marks an acute MI
 *   "resolved" once the episode ends, and the history of MI is what makes the patient secondary prevention);
 *   heart failure with improved ejection fraction is still heart failure (Bozkurt B et al., universal
 *   definition of heart failure, J Card Fail 2021;27:387).
 * - A diagnosis whose verification status is `refuted` or `entered-in-error` counts for nothing
 *   (clinical-facts.ts isAssertedCondition): a ruled-out MI must not take a patient out of primary prevention.
 * - Revascularisation is read from procedures too: a *completed* procedure with a code of the
 *   revascularisation set (CABG, PCI, coronary stent) is established ASCVD (Grundy 2018, section 1.4: "coronary
 *   or other arterial revascularization"). `not-done`, `stopped`, `in-progress` and the other event-status
 *   codes do not count: the revascularisation did not (yet) happen; entered-in-error records are not stored.
 * - The condition reported as the cause is the earliest by onset (recorded date when no onset): the event
 *   that made the patient secondary prevention. Every matching condition is still in `matches`.
 * - Code sets: data/cardiovascular-disease-codes.json, sources in data/SOURCE.md.
 */
import { CODE_SYSTEMS, ICD10_SYSTEMS as ICD10 } from '../../../lib/contracts/reference/code-systems';
import codeSets from './data/cardiovascular-disease-codes.json';
import { isAssertedCondition, type CodedCondition } from './clinical-facts';

export type PrevalentDiseaseKind = 'ESTABLISHED_ASCVD' | 'HEART_FAILURE';
export type RiskModelName = 'PCE' | 'PREVENT';

/** A condition as the patient subgraph returns it (only code and status are required): the record clinical-facts.ts reads. */
export type ConditionRecord = CodedCondition;

/** A procedure as the patient subgraph returns it. */
export interface ProcedureRecord {
  id?: string | null;
  code: { system: string; code: string; display?: string | null };
  /** FHIR event-status; only `completed` counts. */
  status: string;
  performedAt?: string | null;
}

/** The record that put a patient outside a model's population; null fields when the caller stated it. */
export interface CausingRecord {
  /** Condition or Procedure; null when the calculator's caller stated the disease. */
  resourceType: 'Condition' | 'Procedure' | null;
  /** The record's id in the patient subgraph. */
  id: string | null;
  system: string | null;
  code: string | null;
  display: string | null;
  onsetAt: string | null;
  recordedAt: string | null;
  /** When a procedure was performed; null for a condition. */
  performedAt: string | null;
}

export interface PrevalentDisease {
  kind: PrevalentDiseaseKind;
  /** e.g. "coronary heart disease" (the code set's category). */
  category: string;
  causedBy: CausingRecord;
}

export interface ModelApplicability {
  model: RiskModelName;
  applicable: boolean;
  /** Why not, naming the condition and its date; null when applicable. */
  reason: string | null;
  causedBy: CausingRecord | null;
}

interface CodeSetCategory {
  id: string;
  label: string;
  disease: PrevalentDiseaseKind;
  snomed: { code: string }[];
  icd10: { code: string }[];
  icd10Excluded: { code: string }[];
  /** Procedure concepts that establish the category when completed (revascularisation only). */
  snomedProcedures?: { code: string }[];
}

const SNOMED = CODE_SYSTEMS.snomed;
const ICD10_SYSTEMS = new Set(ICD10);
const compactIcd = (code: string) => code.replace(/\./g, '').toUpperCase();

const CATEGORIES = (codeSets.categories as CodeSetCategory[]).map((c) => ({
  label: c.label,
  disease: c.disease,
  snomed: new Set(c.snomed.map((s) => s.code)),
  icd10: c.icd10.map((i) => compactIcd(i.code)),
  icd10Excluded: c.icd10Excluded.map((i) => compactIcd(i.code)),
  procedures: new Set((c.snomedProcedures ?? []).map((p) => p.code)),
}));

/** The code set category a procedure code belongs to (SNOMED CT only), or null. */
export function procedureCategory(code: { system: string; code: string }): { label: string; disease: PrevalentDiseaseKind } | null {
  if (code.system !== SNOMED) return null;
  return CATEGORIES.find((c) => c.procedures.has(code.code)) ?? null;
}

/** Only a completed procedure happened (FHIR event-status). */
const COUNTED_PROCEDURE_STATUS = 'completed';

/** The code set category a coded condition belongs to, or null. */
export function cardiovascularCategory(code: { system: string; code: string }): { label: string; disease: PrevalentDiseaseKind } | null {
  if (code.system === SNOMED) {
    for (const c of CATEGORIES) if (c.snomed.has(code.code)) return c;
    return null;
  }
  if (!ICD10_SYSTEMS.has(code.system)) return null;
  const compact = compactIcd(code.code);
  for (const c of CATEGORIES) {
    if (c.icd10Excluded.some((p) => compact.startsWith(p))) continue;
    if (c.icd10.some((p) => compact.startsWith(p))) return c;
  }
  return null;
}

const conditionCause = (c: ConditionRecord): CausingRecord => ({
  resourceType: 'Condition',
  id: c.id ?? null,
  system: c.code.system,
  code: c.code.code,
  display: c.code.display ?? null,
  onsetAt: c.onsetAt ?? null,
  recordedAt: c.recordedAt ?? null,
  performedAt: null,
});

const procedureCause = (p: ProcedureRecord): CausingRecord => ({
  resourceType: 'Procedure',
  id: p.id ?? null,
  system: p.code.system,
  code: p.code.code,
  display: p.code.display ?? null,
  onsetAt: null,
  recordedAt: null,
  performedAt: p.performedAt ?? null,
});

const whenOf = (r: CausingRecord) => r.onsetAt ?? r.recordedAt ?? r.performedAt ?? null;

/**
 * The prevalent diseases that take the patient out of a model's population, one per kind (the earliest
 * matching asserted condition or completed revascularisation procedure), ASCVD first.
 */
export function prevalentDiseases(conditions: readonly ConditionRecord[], procedures: readonly ProcedureRecord[] = []): PrevalentDisease[] {
  const candidates: { cause: CausingRecord; category: { label: string; disease: PrevalentDiseaseKind } }[] = [];
  for (const condition of conditions) {
    const category = isAssertedCondition(condition) ? cardiovascularCategory(condition.code) : null;
    if (category) candidates.push({ cause: conditionCause(condition), category });
  }
  for (const procedure of procedures) {
    const category = procedure.status === COUNTED_PROCEDURE_STATUS ? procedureCategory(procedure.code) : null;
    if (category) candidates.push({ cause: procedureCause(procedure), category });
  }
  const earliest = new Map<PrevalentDiseaseKind, { cause: CausingRecord; category: string }>();
  for (const { cause, category } of candidates) {
    const held = earliest.get(category.disease);
    const when = whenOf(cause);
    const heldWhen = held ? whenOf(held.cause) : null;
    if (!held || (when !== null && (heldWhen === null || when < heldWhen))) earliest.set(category.disease, { cause, category: category.label });
  }
  const found: PrevalentDisease[] = [];
  for (const kind of ['ESTABLISHED_ASCVD', 'HEART_FAILURE'] as const) {
    const hit = earliest.get(kind);
    if (hit) found.push({ kind, category: hit.category, causedBy: hit.cause });
  }
  return found;
}

/** A disease the calculator's caller states (no record behind it). */
export function statedDisease(kind: PrevalentDiseaseKind): PrevalentDisease {
  return {
    kind,
    category: kind === 'ESTABLISHED_ASCVD' ? 'established ASCVD (stated)' : 'heart failure (stated)',
    causedBy: { resourceType: null, id: null, system: null, code: null, display: null, onsetAt: null, recordedAt: null, performedAt: null },
  };
}

const SYSTEM_NAMES: Record<string, string> = {
  [SNOMED]: 'SNOMED CT',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
};

/**
 * "coronary heart disease: Coronary Heart Disease (SNOMED CT 53741008), onset 2011-04-02", or for a procedure
 * "coronary or peripheral revascularisation: Percutaneous coronary intervention (SNOMED CT 415070008), performed 2016-03-02".
 */
export function describeDisease(d: PrevalentDisease): string {
  const r = d.causedBy;
  if (!r.code) return d.category;
  const coded = `${r.display ?? r.code} (${SYSTEM_NAMES[r.system ?? ''] ?? r.system} ${r.code})`;
  const date = r.onsetAt
    ? `, onset ${r.onsetAt.slice(0, 10)}`
    : r.recordedAt
      ? `, recorded ${r.recordedAt.slice(0, 10)}`
      : r.performedAt
        ? `, performed ${r.performedAt.slice(0, 10)}`
        : '';
  return `${d.category}: ${coded}${date}`;
}

const PCE_SCOPE = 'the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)';
const PREVENT_SCOPE = 'PREVENT was derived in adults without known cardiovascular disease, ASCVD or heart failure (Khan et al., Circulation 2024)';

/** Every model applicable: shared, as most estimates (and every calculator call without a stated disease) are. */
export const ALL_APPLICABLE: readonly ModelApplicability[] = Object.freeze([
  Object.freeze({ model: 'PCE', applicable: true, reason: null, causedBy: null }),
  Object.freeze({ model: 'PREVENT', applicable: true, reason: null, causedBy: null }),
]) as readonly ModelApplicability[];

/** Whether each model applies to a patient with these prevalent diseases, and why not. */
export function modelApplicability(diseases: readonly PrevalentDisease[]): readonly ModelApplicability[] {
  if (diseases.length === 0) return ALL_APPLICABLE;
  const ascvd = diseases.find((d) => d.kind === 'ESTABLISHED_ASCVD');
  const hf = diseases.find((d) => d.kind === 'HEART_FAILURE');
  const pce: ModelApplicability = ascvd
    ? { model: 'PCE', applicable: false, reason: `secondary prevention, established ASCVD — ${describeDisease(ascvd)}; ${PCE_SCOPE}`, causedBy: ascvd.causedBy }
    : { model: 'PCE', applicable: true, reason: null, causedBy: null };
  const preventCause = ascvd ?? hf!;
  const what = ascvd ? 'established ASCVD' : 'prevalent heart failure';
  const prevent: ModelApplicability = {
    model: 'PREVENT',
    applicable: false,
    reason: `${what} — ${describeDisease(preventCause)}; ${PREVENT_SCOPE}`,
    causedBy: preventCause.causedBy,
  };
  return [pce, prevent];
}
