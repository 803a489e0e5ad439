/**
 * Pharmacogenomic drug response (pure; no I/O): the patient's CPIC phenotypes (genomics subgraph)
 * matched to CPIC recommendations (knowledge graph), and alerts where a current medication meets a
 * phenotype CPIC acts on — e.g. clopidogrel with a CYP2C19 poor metabolizer (CPIC 2022 update, Lee CR
 * et al., Clin Pharmacol Ther 2022;112:959-967, PMID:35034351). Decision support: a clinician confirms.
 *
 * A recommendation applies when every gene in its lookup key matches the patient's result for that
 * gene: CPIC looks recommendations up by phenotype for most genes and by activity score for DPYD (and
 * CYP2C9 for some drugs), exactly as CPIC's `lookupkey` does. A gene the patient has no result for, or
 * an Indeterminate result, matches nothing: no recommendation is better than a wrong one.
 */

export interface PgxCall {
  gene: string;
  diplotype: string | null;
  phenotype: string;
  activityScore: number | null;
}

export interface CpicRecommendation {
  id: string;
  name: string | null;
  url: string | null;
  drug: { id: string; name: string };
  phenotypes: { gene: string; phenotype: string }[];
  lookupKey: { gene: string; phenotype: string }[];
  recommendation: string;
  strength: string | null;
  population: string | null;
  citations: string[];
  source: string;
  sourceVersion: string | null;
}

export interface Medication {
  code: { system: string; code: string; display: string | null };
  status: string | null;
}

export interface DrugResponse {
  drug: { id: string; name: string };
  genes: string[];
  /** "CYP2C19 Poor Metabolizer" (several genes joined by "; "). */
  phenotype: string;
  diplotypes: string[];
  recommendation: string;
  strength: string | null;
  population: string | null;
  guideline: string | null;
  url: string | null;
  citations: string[];
  source: string;
  sourceVersion: string | null;
  recommendationId: string;
  currentMedication: boolean;
}

export type AlertSeverity = 'HIGH' | 'MODERATE';

export interface MedicationAlert {
  severity: AlertSeverity;
  drug: { id: string; name: string };
  medication: string;
  genes: string[];
  phenotype: string;
  message: string;
  recommendation: string;
  recommendationId: string;
}

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
/** FHIR MedicationRequest/MedicationStatement statuses under which the patient is taking the drug. */
const CURRENT_STATUSES = new Set(['active', 'on-hold', 'intended', 'unknown']);
/** Phenotypes under which CPIC's recommendation is the label's: no alert. */
const NO_ACTION = /^(normal (metabolizer|function)|indeterminate|no result|n\/a)$/i;

const normalise = (s: string) => s.trim().toLowerCase();

function callMatches(call: PgxCall | undefined, expected: string): boolean {
  if (!call || /^indeterminate$/i.test(call.phenotype)) return false;
  if (normalise(call.phenotype) === normalise(expected)) return true;
  // Activity-score lookup ("1.5", "≥3"): compare numerically with the patient's score.
  const score = call.activityScore;
  if (score === null) return false;
  const m = /^(≥|>=)?\s*(\d+(?:\.\d+)?)$/.exec(expected.trim());
  if (!m) return false;
  const value = Number(m[2]);
  return m[1] ? score >= value : Math.abs(score - value) < 1e-9;
}

/** Is the medication this drug? By RxNorm ingredient CUI, or by the ingredient's name as a word of the display text. */
export function isMedicationOf(medication: Medication, drug: { id: string; name: string }): boolean {
  if (medication.code.system === RXNORM && medication.code.code === drug.id) return true;
  const display = medication.code.display?.toLowerCase();
  if (!display) return false;
  const name = drug.name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z])${name}([^a-z]|$)`).test(display);
}

export const isCurrent = (m: Medication): boolean => m.status === null || CURRENT_STATUSES.has(m.status.toLowerCase());

/**
 * CPIC recommendations that apply to the patient's phenotypes, current medications first, then by
 * drug name; and one alert per current medication with a recommendation that is not the label's
 * (Strong → HIGH, Moderate → MODERATE; Optional and "No Recommendation" raise none), the most severe
 * when several apply (clopidogrel's differ by indication).
 */
export function drugResponses(
  calls: PgxCall[],
  recommendations: CpicRecommendation[],
  medications: Medication[],
): { responses: DrugResponse[]; alerts: MedicationAlert[] } {
  const byGene = new Map(calls.map((c) => [c.gene.toUpperCase(), c]));
  const current = medications.filter(isCurrent);
  const responses: DrugResponse[] = [];
  const alerts: MedicationAlert[] = [];
  const seen = new Set<string>();
  for (const rec of recommendations) {
    if (seen.has(rec.id)) continue;
    seen.add(rec.id);
    const key = rec.lookupKey.length ? rec.lookupKey : rec.phenotypes;
    if (key.length === 0 || !key.every((k) => callMatches(byGene.get(k.gene.toUpperCase()), k.phenotype))) continue;
    const genes = key.map((k) => k.gene);
    const phenotype = genes.map((g) => `${g} ${byGene.get(g.toUpperCase())!.phenotype}`).join('; ');
    const medication = current.find((m) => isMedicationOf(m, rec.drug));
    responses.push({
      drug: rec.drug,
      genes,
      phenotype,
      diplotypes: genes.map((g) => byGene.get(g.toUpperCase())!.diplotype).filter((d): d is string => d !== null),
      recommendation: rec.recommendation,
      strength: rec.strength,
      population: rec.population,
      guideline: rec.name,
      url: rec.url,
      citations: rec.citations,
      source: rec.source,
      sourceVersion: rec.sourceVersion,
      recommendationId: rec.id,
      currentMedication: medication !== undefined,
    });
    const actionable = genes.some((g) => !NO_ACTION.test(byGene.get(g.toUpperCase())!.phenotype));
    const severity: AlertSeverity | null = /^strong$/i.test(rec.strength ?? '') ? 'HIGH' : /^moderate$/i.test(rec.strength ?? '') ? 'MODERATE' : null;
    if (medication && actionable && severity) {
      const medicationName = medication.code.display ?? `${medication.code.system}|${medication.code.code}`;
      alerts.push({
        severity,
        drug: rec.drug,
        medication: medicationName,
        genes,
        phenotype,
        message: `${medicationName} with ${phenotype}${rec.population && rec.population !== 'general' ? ` (${rec.population})` : ''}: ${rec.recommendation}`,
        recommendation: rec.recommendation,
        recommendationId: rec.id,
      });
    }
  }
  responses.sort((a, b) => Number(b.currentMedication) - Number(a.currentMedication) || a.drug.name.localeCompare(b.drug.name) || a.recommendationId.localeCompare(b.recommendationId));
  // One alert per drug: the most severe of its recommendations (clopidogrel has one per indication).
  const byDrug = new Map<string, MedicationAlert>();
  for (const alert of alerts) {
    const kept = byDrug.get(alert.drug.id);
    if (!kept || (kept.severity === 'MODERATE' && alert.severity === 'HIGH')) byDrug.set(alert.drug.id, alert);
  }
  const distinct = [...byDrug.values()].sort((a, b) => (a.severity === b.severity ? a.drug.name.localeCompare(b.drug.name) : a.severity === 'HIGH' ? -1 : 1));
  return { responses, alerts: distinct };
}
