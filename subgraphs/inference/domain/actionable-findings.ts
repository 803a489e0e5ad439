/**
 * Actionable findings (pure; no I/O): the patient's variants joined to the knowledge graph's evidence,
 * ranked the way a molecular tumour board reads them — evidence in the patient's own disease first
 * (OncoKB and the AMP/ASCO/CAP tiers (Li MM et al., J Mol Diagn 2017;19:4-23, PMID:27993330) separate
 * evidence in the patient's tumour type from evidence in another), then by level (CIViC A validated …
 * E inferential), sensitivity before resistance, higher CIViC rating. Evidence that does not support its
 * claim (direction DOES_NOT_SUPPORT) is not actionable and is left out.
 */
import { isPresentCondition } from './clinical-facts';
import { conditionsMatch, conditionTerm } from './trial-eligibility';

export interface FindingEvidence {
  id: string;
  type: string | null;
  level: string;
  direction: string | null;
  significance: string | null;
  response: string | null;
  rating: number | null;
  disease: { id: string; name: string } | null;
  drugs: { id: string; name: string }[];
  citation: string;
  evidenceFor: string;
  source: { name: string; recordId: string; url: string | null; version: string | null };
}

export interface VariantEvidence {
  variantId: string;
  gene: string | null;
  evidence: FindingEvidence[];
}

export interface PatientCondition {
  code: { system: string; code: string; display: string | null };
  clinicalStatus: string | null;
}

export interface ActionableFinding {
  variantId: string;
  gene: string | null;
  evidence: FindingEvidence;
  /** The patient's condition the evidence's disease matches, when one does. */
  matchedCondition: string | null;
}

const RESPONSE_ORDER: Record<string, number> = { SENSITIVITY: 0, REDUCED_SENSITIVITY: 1, RESISTANCE: 2, ADVERSE_RESPONSE: 3 };

export function rankActionableFindings(variants: VariantEvidence[], conditions: PatientCondition[], types?: readonly string[]): ActionableFinding[] {
  const patientTerms = conditions
    .filter((c) => c.code.display && isPresentCondition(c))
    .map((c) => ({ display: c.code.display!, term: conditionTerm(c.code.display!) }));
  const findings: ActionableFinding[] = [];
  const seen = new Set<string>();
  for (const variant of variants) {
    for (const evidence of variant.evidence) {
      if (evidence.direction === 'DOES_NOT_SUPPORT') continue;
      if (types && types.length && (!evidence.type || !types.includes(evidence.type))) continue;
      const key = `${variant.variantId}|${evidence.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const diseaseTerm = evidence.disease ? conditionTerm(evidence.disease.name) : null;
      const matched = diseaseTerm ? patientTerms.find((p) => conditionsMatch(p.term, diseaseTerm)) : undefined;
      findings.push({ variantId: variant.variantId, gene: variant.gene, evidence, matchedCondition: matched?.display ?? null });
    }
  }
  return findings.sort(
    (a, b) =>
      Number(b.matchedCondition !== null) - Number(a.matchedCondition !== null) ||
      a.evidence.level.localeCompare(b.evidence.level) ||
      (RESPONSE_ORDER[a.evidence.response ?? ''] ?? 9) - (RESPONSE_ORDER[b.evidence.response ?? ''] ?? 9) ||
      (b.evidence.rating ?? 0) - (a.evidence.rating ?? 0) ||
      a.variantId.localeCompare(b.variantId) ||
      a.evidence.id.localeCompare(b.evidence.id),
  );
}
