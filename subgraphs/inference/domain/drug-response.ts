/**
 * Pharmacogenomic drug response (pure; no I/O): the patient's CPIC phenotypes (genomics subgraph)
 * matched to CPIC recommendations (knowledge graph), and alerts where a current medication meets a
 * phenotype CPIC acts on — e.g. clopidogrel with a CYP2C19 poor metabolizer (CPIC 2022 update, Lee CR
 * et al., Clin Pharmacol Ther 2022;112:959-967, PMID:35034351). Decision support: a clinician confirms.
 *
 * Lookup, as CPIC encodes it. A recommendation applies when every gene of its lookup key matches the
 * patient's value for that gene: the phenotype for most genes, the activity score for DPYD (and
 * CYP2C9 for some drugs). CPIC's data has explicit keys for results that are not a phenotype:
 *   - "Indeterminate": the gene was genotyped but no phenotype could be assigned;
 *   - "No Result": the gene has no result at all (not genotyped). The thiopurine guideline (Relling MV
 *     et al., Clin Pharmacol Ther 2019;105:1095-1105, PMID:30447069) gives e.g. TPMT Poor Metabolizer
 *     with NUDT15 "No Result" its own recommendation; PharmCAT's Reporter builds the same key for an
 *     unknown gene result (TextConstants.NO_RESULT, docs/methods/Matching-Recommendations.md).
 * So a gene the patient has no result for (absent, or NOT_GENOTYPED) is looked up as "No Result", and
 * an Indeterminate result as "Indeterminate"; each matches only CPIC rows written for it. At least one
 * gene of the key must have a result: nothing is recommended for a patient never genotyped.
 *
 * Context. CPIC writes one recommendation per population where the advice differs by indication
 * (clopidogrel: "CVI ACS PCI", "CVI non-ACS non-PCI", "NVI", Lee 2022 Table 2); they are not in
 * conflict. Responses are therefore one per drug, with the recommendations grouped by population.
 */
import { CODE_SYSTEMS } from '../../../lib/contracts/reference/code-systems';

export type PgxStatus = 'CALLED' | 'INDETERMINATE' | 'NOT_GENOTYPED';

export interface PgxCall {
  gene: string;
  diplotype: string | null;
  phenotype: string;
  activityScore: number | null;
  /** The genomics subgraph's PgxResult.status; absent in older callers (read from the phenotype). */
  status?: PgxStatus | null;
}

export interface GeneImplication {
  gene: string;
  implication: string;
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
  /** CPIC's implications per gene ("n/a" left out). */
  implications?: GeneImplication[];
  /** CPIC's comment on the recommendation (for clopidogrel it defines the population). */
  comments?: string | null;
  citations: string[];
  source: string;
  sourceVersion: string | null;
}

export interface Medication {
  code: { system: string; code: string; display: string | null };
  status: string | null;
}

/** One CPIC recommendation for one population (indication) of a drug. */
export interface PopulationRecommendation {
  /** CPIC's population, e.g. "CVI ACS PCI", "NVI"; "general" when CPIC gives one for every patient. */
  population: string;
  /** CPIC classification: Strong, Moderate, Optional, No Recommendation. */
  classification: string | null;
  recommendation: string;
  implications: GeneImplication[];
  comments: string | null;
  /** The patient's results the recommendation was looked up by, e.g. "TPMT Poor Metabolizer; NUDT15 not genotyped". */
  phenotype: string;
  recommendationId: string;
}

export interface DrugResponse {
  drug: { id: string; name: string };
  genes: string[];
  /** "CYP2C19 Poor Metabolizer" (several genes joined by "; "; an untested gene as "NUDT15 not genotyped"). */
  phenotype: string;
  diplotypes: string[];
  /** One entry per CPIC population, by population name. */
  recommendationsByPopulation: PopulationRecommendation[];
  /** Genes of the lookup that the patient has no result for (CPIC's "No Result" rows applied). */
  untestedGenes: string[];
  /** What an untested gene means for these recommendations. */
  notes: string[];
  guideline: string | null;
  url: string | null;
  citations: string[];
  /** The guideline's latest publication among the citations. */
  guidelineCitation: string | null;
  source: string;
  sourceVersion: string | null;
  currentMedication: boolean;
  // Before the grouping, one response per recommendation carried these; kept for existing clients.
  /** The recommendation; with several populations, each prefixed by its population. */
  recommendation: string;
  /** The classification when every population has the same one, else null. */
  strength: string | null;
  /** The population when there is one, else null. */
  population: string | null;
  /** The first population's recommendation id. */
  recommendationId: string;
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

const RXNORM = CODE_SYSTEMS.rxnorm;
/** FHIR MedicationRequest/MedicationStatement statuses under which the patient is taking the drug. */
const CURRENT_STATUSES = new Set(['active', 'on-hold', 'intended', 'unknown']);
/** Phenotypes under which CPIC's recommendation is the label's: no alert. */
const NO_ACTION = /^(normal (metabolizer|function)|indeterminate|no result|not genotyped|n\/a)$/i;
/** CPIC's lookup value for a gene without a result. */
export const NO_RESULT = 'No Result';
/** The population CPIC's export gives a recommendation that applies to every patient. */
const GENERAL = 'general';
const CLASSIFICATION_ORDER: Record<string, number> = { strong: 0, moderate: 1, optional: 2 };

const normalise = (s: string) => s.trim().toLowerCase();

/** No result for the gene: not in the patient's results, or genotyping had no call at the gene. */
function untested(call: PgxCall | undefined): boolean {
  return !call || call.status === 'NOT_GENOTYPED' || /^(not genotyped|no result)$/i.test(call.phenotype.trim());
}

function callMatches(call: PgxCall | undefined, expected: string): boolean {
  if (untested(call)) return normalise(expected) === normalise(NO_RESULT);
  if (normalise(call!.phenotype) === normalise(expected)) return true;
  // Activity-score lookup ("1.5", "≥3"): compare numerically with the patient's score.
  const score = call!.activityScore;
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

/** The latest publication: the citation naming the latest year "(2022)", else the last one listed. */
export function latestCitation(citations: readonly string[]): string | null {
  let best: { citation: string; year: number } | null = null;
  for (const citation of citations) {
    const year = Number(/\((\d{4})\)/.exec(citation)?.[1] ?? NaN);
    if (Number.isFinite(year) && (!best || year >= best.year)) best = { citation, year };
  }
  return best?.citation ?? citations.at(-1) ?? null;
}

interface Matched {
  rec: CpicRecommendation;
  key: { gene: string; phenotype: string }[];
}

/** Genes with results first (in key order), untested ones after. */
function describe(key: Matched['key'], byGene: Map<string, PgxCall>): { genes: string[]; phenotype: string; untestedGenes: string[] } {
  const genes = key.map((k) => k.gene);
  const tested = genes.filter((g) => !untested(byGene.get(g.toUpperCase())));
  const untestedGenes = genes.filter((g) => untested(byGene.get(g.toUpperCase())));
  const phenotype = [...tested.map((g) => `${g} ${byGene.get(g.toUpperCase())!.phenotype}`), ...untestedGenes.map((g) => `${g} not genotyped`)].join('; ');
  return { genes: [...tested, ...untestedGenes], phenotype, untestedGenes };
}

function severityOf(classification: string | null): AlertSeverity | null {
  return /^strong$/i.test(classification ?? '') ? 'HIGH' : /^moderate$/i.test(classification ?? '') ? 'MODERATE' : null;
}

const classificationRank = (c: string | null) => CLASSIFICATION_ORDER[normalise(c ?? '')] ?? 3;

/**
 * CPIC recommendations that apply to the patient's results, one response per drug with its
 * recommendations grouped by population (current medications first, then by drug name); and one
 * alert per current medication with a recommendation that is not the label's (Strong → HIGH,
 * Moderate → MODERATE; Optional and "No Recommendation" raise none), the most severe of the drug's
 * populations (the message names that population).
 */
export function drugResponses(
  calls: PgxCall[],
  recommendations: CpicRecommendation[],
  medications: Medication[],
): { responses: DrugResponse[]; alerts: MedicationAlert[] } {
  const byGene = new Map(calls.map((c) => [c.gene.toUpperCase(), c]));
  const current = medications.filter(isCurrent);
  const byDrug = new Map<string, Matched[]>();
  const seen = new Set<string>();
  for (const rec of recommendations) {
    if (seen.has(rec.id)) continue;
    seen.add(rec.id);
    const key = rec.lookupKey.length ? rec.lookupKey : rec.phenotypes;
    if (key.length === 0) continue;
    if (key.every((k) => untested(byGene.get(k.gene.toUpperCase())))) continue;
    if (!key.every((k) => callMatches(byGene.get(k.gene.toUpperCase()), k.phenotype))) continue;
    const list = byDrug.get(rec.drug.id) ?? [];
    list.push({ rec, key });
    byDrug.set(rec.drug.id, list);
  }

  const responses: DrugResponse[] = [];
  const alerts: MedicationAlert[] = [];
  for (const matched of byDrug.values()) {
    const { rec: first } = matched[0]!;
    const groups = new Map<string, PopulationRecommendation>();
    const genes = new Set<string>();
    const untestedGenes = new Set<string>();
    const phenotypes: string[] = [];
    // By population, then id: the same population from two sources (seed and import) keeps one copy of identical advice.
    for (const { rec, key } of [...matched].sort((a, b) => (a.rec.population ?? GENERAL).localeCompare(b.rec.population ?? GENERAL) || a.rec.id.localeCompare(b.rec.id))) {
      const described = describe(key, byGene);
      described.genes.forEach((g) => genes.add(g));
      described.untestedGenes.forEach((g) => untestedGenes.add(g));
      if (!phenotypes.includes(described.phenotype)) phenotypes.push(described.phenotype);
      const population = rec.population?.trim() || GENERAL;
      const groupKey = `${population}\u0000${rec.strength ?? ''}\u0000${rec.recommendation}`;
      if (groups.has(groupKey)) continue;
      groups.set(groupKey, {
        population,
        classification: rec.strength,
        recommendation: rec.recommendation,
        implications: (rec.implications ?? []).filter((i) => i.implication.trim() && !/^n\/a$/i.test(i.implication.trim())),
        comments: rec.comments && !/^n\/a$/i.test(rec.comments.trim()) ? rec.comments : null,
        phenotype: described.phenotype,
        recommendationId: rec.id,
      });
    }
    const byPopulation = [...groups.values()];
    const medication = current.find((m) => isMedicationOf(m, first.drug));
    const diplotypes = [...genes].map((g) => byGene.get(g.toUpperCase())).filter((c) => !untested(c)).map((c) => c!.diplotype).filter((d): d is string => d !== null);
    const untestedList = [...untestedGenes];
    const tested = [...genes].filter((g) => !untestedGenes.has(g));
    const several = byPopulation.length > 1;
    const classifications = new Set(byPopulation.map((p) => p.classification));
    const citations = [...new Set(matched.flatMap((m) => m.rec.citations))];
    responses.push({
      drug: first.drug,
      genes: [...genes],
      phenotype: phenotypes.join(' | '),
      diplotypes,
      recommendationsByPopulation: byPopulation,
      untestedGenes: untestedList,
      notes: untestedList.map(
        (g) =>
          `${g} was not genotyped: this is CPIC's recommendation for ${tested.map((t) => `${t} ${byGene.get(t.toUpperCase())!.phenotype}`).join(' and ')} ` +
          `when no ${g} result is available ("${NO_RESULT}" in CPIC's tables); a ${g} result can change it.`,
      ),
      guideline: first.name,
      url: first.url,
      citations,
      guidelineCitation: latestCitation(citations),
      source: first.source,
      sourceVersion: first.sourceVersion,
      currentMedication: medication !== undefined,
      recommendation: several ? byPopulation.map((p) => `${p.population}: ${p.recommendation}`).join(' | ') : byPopulation[0]!.recommendation,
      strength: classifications.size === 1 ? byPopulation[0]!.classification : null,
      population: several ? null : byPopulation[0]!.population,
      recommendationId: byPopulation[0]!.recommendationId,
    });

    if (!medication) continue;
    const actionable = tested.some((g) => !NO_ACTION.test(byGene.get(g.toUpperCase())!.phenotype.trim()));
    if (!actionable) continue;
    // The most severe population; its message names the population (clopidogrel's differ by indication).
    const worst = [...byPopulation].filter((p) => severityOf(p.classification)).sort((a, b) => classificationRank(a.classification) - classificationRank(b.classification))[0];
    if (!worst) continue;
    const medicationName = medication.code.display ?? `${medication.code.system}|${medication.code.code}`;
    alerts.push({
      severity: severityOf(worst.classification)!,
      drug: first.drug,
      medication: medicationName,
      genes: [...genes],
      phenotype: worst.phenotype,
      message: `${medicationName} with ${worst.phenotype}${worst.population !== GENERAL ? ` (${worst.population})` : ''}: ${worst.recommendation}`,
      recommendation: worst.recommendation,
      recommendationId: worst.recommendationId,
    });
  }
  responses.sort((a, b) => Number(b.currentMedication) - Number(a.currentMedication) || a.drug.name.localeCompare(b.drug.name) || a.drug.id.localeCompare(b.drug.id));
  alerts.sort((a, b) => (a.severity === b.severity ? a.drug.name.localeCompare(b.drug.name) : a.severity === 'HIGH' ? -1 : 1));
  return { responses, alerts };
}
