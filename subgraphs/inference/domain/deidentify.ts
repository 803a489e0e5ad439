/**
 * De-identified risk updates for research portals, per HIPAA Safe Harbor (45 CFR 164.514(b)(2)):
 * none of the 18 identifiers — no patient id, name, or date element more specific than the year — and
 * ages over 89 pooled into one "90+" category. Age is given in 5-year bands (a research convention,
 * stricter than Safe Harbor needs). Nothing here is a re-identification code.
 */
import type { RiskEstimate } from './cardiovascular';

export interface CohortRiskFilter {
  sex?: 'FEMALE' | 'MALE' | null;
  minAge?: number | null;
  maxAge?: number | null;
  category?: string | null;
}

export interface CohortRiskUpdate {
  ageBand: string | null;
  sex: 'FEMALE' | 'MALE' | null;
  pce10y: number | null;
  category: string | null;
  prevent: RiskEstimate['prevent'];
  year: number;
  reason: string;
}

/** What filters are checked against; kept out of the payload a portal receives. */
export interface CohortFilterFacts {
  age: number | null;
  sex: 'FEMALE' | 'MALE' | null;
  category: string | null;
}

export function ageBand(age: number | null): string | null {
  if (age === null || !Number.isFinite(age) || age < 0) return null;
  if (age >= 90) return '90+';
  const low = Math.floor(age / 5) * 5;
  return `${low}-${low + 4}`;
}

export function deidentifiedRiskUpdate(estimate: RiskEstimate, computedAt: Date, reason: string): { update: CohortRiskUpdate; facts: CohortFilterFacts } {
  const age = typeof estimate.inputs.age === 'number' ? estimate.inputs.age : null;
  const sex = estimate.inputs.sex ?? null;
  return {
    update: {
      ageBand: ageBand(age),
      sex,
      pce10y: estimate.pce10y,
      category: estimate.category,
      prevent: estimate.prevent,
      year: computedAt.getUTCFullYear(),
      // The event topic only (e.g. patient.observation.added); payloads may carry identifiers.
      reason,
    },
    facts: { age, sex, category: estimate.category },
  };
}

export function matchesCohortFilter(facts: CohortFilterFacts, filter: CohortRiskFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.sex && facts.sex !== filter.sex) return false;
  if (filter.category && facts.category !== filter.category.toUpperCase()) return false;
  if ((filter.minAge ?? null) !== null && (facts.age === null || facts.age < filter.minAge!)) return false;
  if ((filter.maxAge ?? null) !== null && (facts.age === null || facts.age > filter.maxAge!)) return false;
  return true;
}
