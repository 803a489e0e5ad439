/**
 * Pure summaries behind the patient page (issue 21): how old a dated value is, which observations are past
 * the risk model's maximum age, and a medication list folded to one row per drug. No I/O, no JSX, so
 * tests/dashboard-summaries.test.ts checks them without a browser.
 */

export const DAY_MS = 86_400_000;

/** Whole days from `iso` to `now` (negative for a date in the future), as the risk model counts them (floor). */
export function ageInDays(iso: string, now: number): number {
  return Math.floor((now - Date.parse(iso)) / DAY_MS);
}

/** "today", "12 d ago", "5 mo ago", "3 y ago", "in 4 d": how long ago, at a glance. */
export function relativeAge(iso: string, now: number): string {
  const days = ageInDays(iso, now);
  if (days < 0) return `in ${Math.floor((Date.parse(iso) - now) / DAY_MS)} d`;
  if (days === 0) return 'today';
  if (days < 60) return `${days} d ago`;
  if (days < 730) return `${Math.floor(days / 30.44)} mo ago`;
  return `${Math.floor(days / 365.25)} y ago`;
}

/** A dated input of the risk estimate as the API gives it (CardiovascularRisk.datedInputs). */
export interface RiskDatedInput {
  input: string;
  sourceId?: string | null;
  maxAgeDays?: number | null;
  derivation?: { inputs: { name: string; sourceId?: string | null }[] } | null;
}

export interface Freshness {
  /** The risk input the value feeds, e.g. systolicBp; for a derived eGFR's creatinine, egfr. */
  input: string;
  maxAgeDays: number;
}

/**
 * The maximum age per LOINC code, as the risk model applies it (subgraphs/inference/domain/input-freshness.ts,
 * given by the API as datedInputs[].maxAgeDays, never copied here): each dated input names the observation
 * it read (sourceId), whose code is looked up in the patient's observations; a derived eGFR names the
 * creatinine it came from. Codes the model did not read have no maximum age.
 */
export function freshnessByCode(datedInputs: readonly RiskDatedInput[], observations: readonly { id: string; code: string }[]): Map<string, Freshness> {
  const codeOf = new Map(observations.map((o) => [o.id, o.code]));
  const byCode = new Map<string, Freshness>();
  const add = (sourceId: string | null | undefined, freshness: Freshness) => {
    const code = sourceId ? codeOf.get(sourceId) : undefined;
    if (code && !byCode.has(code)) byCode.set(code, freshness);
  };
  for (const dated of datedInputs) {
    if (dated.maxAgeDays === null || dated.maxAgeDays === undefined) continue;
    add(dated.sourceId, { input: dated.input, maxAgeDays: dated.maxAgeDays });
    for (const from of dated.derivation?.inputs ?? []) if (from.name !== 'age') add(from.sourceId, { input: dated.input, maxAgeDays: dated.maxAgeDays });
  }
  return byCode;
}

export interface MedicationRecord {
  id: string;
  kind?: string;
  code: { system: string; code: string; display?: string | null };
  status?: string | null;
  authoredAt?: string | null;
  dosage?: string | null;
}

export interface MedicationGroup<M extends MedicationRecord = MedicationRecord> {
  /** rxnorm:<code>, or name:<normalised display> when the record has no RxNorm code. */
  key: string;
  display: string;
  rxnorm: string | null;
  /** active when any record is active (or on-hold/draft: still prescribed), else the newest record's status. */
  status: string;
  first: string | null;
  last: string | null;
  /** Every record, newest first: the first order and each refill or renewal. */
  records: M[];
}

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
/** FHIR MedicationRequest.status values under which the drug is still prescribed (R4 medicationrequest-status). */
const CURRENT = new Set(['active', 'on-hold', 'draft']);

const normalisedName = (display: string) => display.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * One group per drug: by RxNorm code (a clinical drug: ingredient, strength and form, so a dose change is
 * a new row), else by the display name folded for case, accents and spacing. Current drugs first, then by
 * the newest record.
 */
export function groupMedications<M extends MedicationRecord>(records: readonly M[]): MedicationGroup<M>[] {
  const groups = new Map<string, M[]>();
  for (const record of records) {
    const key = record.code.system === RXNORM && record.code.code ? `rxnorm:${record.code.code}` : `name:${normalisedName(record.code.display ?? record.code.code)}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const newestFirst = (a: M, b: M) => (b.authoredAt ?? '').localeCompare(a.authoredAt ?? '');
  return [...groups.entries()]
    .map(([key, members]) => {
      const sorted = [...members].sort(newestFirst);
      const dates = sorted.map((m) => m.authoredAt).filter((d): d is string => !!d);
      const current = sorted.find((m) => m.status && CURRENT.has(m.status));
      return {
        key,
        display: sorted.find((m) => m.code.display)?.code.display ?? sorted[0]!.code.code,
        rxnorm: key.startsWith('rxnorm:') ? key.slice('rxnorm:'.length) : null,
        status: current?.status ?? sorted[0]!.status ?? 'unknown',
        first: dates.at(-1) ?? null,
        last: dates[0] ?? null,
        records: sorted,
      };
    })
    .sort((a, b) => Number(CURRENT.has(b.status)) - Number(CURRENT.has(a.status)) || (b.last ?? '').localeCompare(a.last ?? '') || a.display.localeCompare(b.display));
}
