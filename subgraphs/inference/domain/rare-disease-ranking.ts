/**
 * Rare diseases ranked for a patient's HPO phenotypes (Patient.rareDiseaseCandidates): by phenotype likelihood
 * ratios (default; phenotype-likelihood.ts, after LIRICAL) or by semantic similarity (phenotype-similarity.ts), times
 * a gene factor when the patient's calls in a disease gene fit its mode of inheritance (genotype-fit.ts). Every
 * candidate carries its explanation. Pure functions over a PhenotypeIndex. Clinical decision support: the ranking
 * suggests diagnoses to consider, it does not make one.
 */
import { ErrorCode, HubError } from '../../../lib/errors';
import { genotypeFit, type GeneGenotype, type GenotypeFit, type GenotypeSex } from './genotype-fit';
import { excludedTermLikelihood, observedTermLikelihood, phenotypeLogLikelihoods, type LikelihoodMatchKind } from './phenotype-likelihood';
import {
  compare,
  compareIds,
  explainMatches,
  micaWith,
  termRef,
  unknownPhenotypes,
  type IndexedDisease,
  type PhenotypeIndex,
  type TermMatch,
  type TermRef,
} from './phenotype-similarity';

export type RareDiseaseScoring = 'likelihood-ratio' | 'similarity';

export interface RankOptions {
  /** HGNC symbols of genes where the patient carries a variant of unknown zygosity; compared exactly (normalise at the edge). */
  patientGenes?: string[];
  /**
   * The patient's carried calls per gene, with zygosity: a gene counts for a disease only when its calls fit one of
   * the disease's modes of inheritance (genotype-fit.ts). Takes precedence over patientGenes for the same gene.
   */
  patientGenotypes?: GeneGenotype[];
  /** The patient's sex, for X-linked recessive diseases (one allele suffices in a male). */
  patientSex?: GenotypeSex;
  /** Similarity scoring: score = similarity × (1 + geneBoost) on a gene match. Default DEFAULT_GENE_BOOST. */
  geneBoost?: number;
  /** Likelihood-ratio scoring: the phenotype LR × geneLikelihoodRatio on a gene match. Default DEFAULT_GENE_LIKELIHOOD_RATIO. */
  geneLikelihoodRatio?: number;
  /** How many candidates to return; all when absent. */
  limit?: number;
  /**
   * HPO ids the patient was examined for and does not have (GA4GH phenopacket `excluded: true`): negative
   * findings. Ids not in the ontology, and ids that are ancestors of a patient phenotype (the patient cannot lack
   * "Seizure" and have "Focal-onset seizure"), are ignored.
   */
  excludedPhenotypes?: string[];
  /** Similarity scoring: score × (1 − penalty) per negative finding the disease is annotated with. Default DEFAULT_NEGATIVE_FINDING_PENALTY. */
  negativeFindingPenalty?: number;
  /** Likelihood-ratio scoring: multiply in each negative finding's ratio. Default DEFAULT_SCORE_NEGATIVE_FINDINGS. */
  scoreNegativeFindings?: boolean;
  /** Default DEFAULT_SCORING. */
  scoring?: RareDiseaseScoring;
  /**
   * Leave out ORPHA entries whose genes are all genes of OMIM entries (a gene-based guess that they duplicate those
   * entries; entries without genes stay). Default false: an experiment (knowledge-graph/eval/README.md).
   */
  omitGeneCoveredOrphanet?: boolean;
}

export interface PhenotypeMatch extends TermMatch {
  /** This phenotype's likelihood ratio for the disease (phenotype-likelihood.ts) and the case that gave it. */
  likelihoodRatio: number;
  likelihoodMatch: LikelihoodMatchKind;
}

export interface RareDiseaseCandidate {
  disease: TermRef;
  /** The ranking score: log10 likelihood ratio (likelihood-ratio scoring) or boosted similarity (similarity scoring). */
  score: number;
  /** log10 of the product of the phenotype likelihood ratios (observed terms, and excluded ones when scored), gene not included. */
  logLikelihoodRatio: number;
  /** Symmetric BMA of Resnik similarities. */
  similarity: number;
  /** The one-sided sim(patient → disease) of Phenomizer, for comparison. */
  patientToDisease: number;
  /**
   * True when the patient's calls in one of the disease's genes fit one of its modes of inheritance (genotype-fit.ts)
   * and the gene weight is above neutral.
   */
  geneBoosted: boolean;
  /** Disease genes in which the patient has a variant, sorted (whether or not the calls fit). */
  matchedGenes: string[];
  /** The disease's modes of inheritance (HPO terms), sorted; empty where the knowledge graph states none. */
  inheritance: TermRef[];
  /** Per matched gene, whether its calls fit the disease's mode of inheritance and why; same order as matchedGenes. */
  genotypeNotes: string[];
  /** For each patient phenotype, its best-matching disease phenotype and their MICA; IC descending. */
  matches: PhenotypeMatch[];
  /** The patient's negative findings this disease is annotated with (the term itself or a descendant), sorted by id. */
  contradictions: TermRef[];
  /** LIRICAL's likelihood ratio of each contradiction, (1 − f_disease)/(1 − f_background), same order; in the score only with scoreNegativeFindings. */
  contradictionLikelihoodRatios: number[];
}

export interface RareDiseaseRanking {
  candidates: RareDiseaseCandidate[];
  /** Patient HPO ids not in the ontology: left out of the computation, reported for the caller to act on. */
  unknownPhenotypes: string[];
}

/**
 * The project's own heuristic, not taken from a paper (similarity scoring): a disease with one of the patient's
 * variant genes has its phenotype similarity multiplied by 1 + geneBoost (1.5 by default). Combining variant
 * pathogenicity with phenotype scores (as Exomiser and LIRICAL do) is out of scope.
 */
export const DEFAULT_GENE_BOOST = 0.5;

/**
 * Likelihood-ratio scoring: a gene match multiplies the phenotype LR by this. LIRICAL's genotype LR (Robinson et
 * al. 2020) needs the variants' pathogenicity and the gene's background rate of such variants, which the hub does
 * not hold; this constant stands in for it, a project heuristic chosen by measurement (knowledge-graph/eval/README.md):
 * the phenotype log10 LRs of the diseases a patient's features touch spread over tens of units (products of many
 * correlated features), so a factor of 100 or 10^10 rarely reorders and the causal gene's disease stayed lower than
 * with the similarity ranking's ×1.5; 10^20 beat it on top-1, top-3 and top-10 while a phenotype stronger by more
 * than 20 orders can still outrank a gene match. It lifts the diseases of a gene whose calls fit the disease's mode
 * of inheritance (genotype-fit.ts: not one heterozygous variant for a recessive disease), benign variants included:
 * the hub holds no pathogenicity to filter them by.
 */
export const DEFAULT_GENE_LIKELIHOOD_RATIO = 1e20;

/**
 * Similarity scoring only: a flat penalty per negative finding (score × (1 − p)) ranked the true diagnosis lower
 * at every p tried (knowledge-graph/eval/README.md; case reports list the expected signs a patient lacks). The
 * likelihood-ratio scoring weighs negative findings by frequency instead.
 */
export const DEFAULT_NEGATIVE_FINDING_PENALTY = 0;

/**
 * Negative findings weighed by frequency (LIRICAL's (1 − f_disease)/(1 − f_background), floored at 0.01) lowered
 * top-1 on published cases against the full HPO release (knowledge-graph/eval/README.md), as the flat penalty did:
 * case reports list the expected signs a patient lacks, so the absence of a feature of the true diagnosis is
 * over-represented. Off by default; each candidate still names them with their ratios (`contradictions`).
 */
export const DEFAULT_SCORE_NEGATIVE_FINDINGS = false;

/** Measured on 10,577 published cases against the full HPO release (knowledge-graph/eval/README.md). */
export const DEFAULT_SCORING: RareDiseaseScoring = 'likelihood-ratio';

/**
 * Ranks diseases for a patient's phenotypes; order: score descending, then disease id.
 *
 * Likelihood-ratio scoring (default; phenotype-likelihood.ts, after LIRICAL, Robinson et al. 2020, PMID:32755546):
 * each observed feature weighs by its frequency in the disease against its frequency across all diseases (and, with
 * scoreNegativeFindings, each negative finding by how often the disease lacks it); the score is log10 of their product.
 *
 * Similarity scoring: symmetric BMA of Resnik similarities. Why symmetric rather than Phenomizer's one-sided
 * sim(Q→D): the one-sided mean favours diseases with many annotations (Köhler et al. 2009 correct for that with
 * p-values from random queries); the symmetric form (Pesquita et al. 2009) also asks how much of the disease the
 * patient's phenotype accounts for.
 *
 * Every candidate returned carries both scores and its explanation: per patient term the best-matching disease
 * term (Resnik) and its likelihood ratio, the negative findings the disease shows and their ratios.
 *
 * Input handling: duplicate patient terms count once; unknown ids are reported, not used. A term that is an
 * ancestor of another patient term is kept: each is something the clinician recorded. With no known patient term
 * there is nothing to compare, so candidates is empty (not every disease at score 0).
 */
export function rankRareDiseases(index: PhenotypeIndex, patientPhenotypes: readonly string[], options: RankOptions = {}): RareDiseaseRanking {
  const { scored, ordinals, micas, negatives, unknown } = scoreRareDiseases(index, patientPhenotypes, options);
  const scoredNegatives = (options.scoreNegativeFindings ?? DEFAULT_SCORE_NEGATIVE_FINDINGS) ? negatives.map((id) => index.terms.get(id)!.ordinal) : [];
  const scratch = new Float64Array(index.diseases.reduce((longest, d) => Math.max(longest, d.phenotypeOrdinals.length), 0));
  const candidates = scored.slice(0, options.limit ?? scored.length).map(({ disease, position, matchedGenes, genotypeFits, geneBoosted, score, contradictions }) => {
    // Explanations only for the candidates returned: at HPO scale (~12,600 diseases) explaining every disease
    // cost more than scoring them.
    const similarity = compare(index, micas, disease.phenotypeOrdinals, scratch);
    const shown = contradictions ?? negatives.filter((negative) => annotatedWithin(index, disease, negative));
    const ratios = ordinals.map((q) => observedTermLikelihood(index.likelihood, q, position));
    const excludedRatios = scoredNegatives.map((x) => excludedTermLikelihood(index.likelihood, x, position));
    const logLikelihoodRatio = [...ratios.map((r) => r.likelihoodRatio), ...excludedRatios].reduce((sum, lr) => sum + Math.log10(lr), 0);
    const ratioOf = new Map(ordinals.map((q, i) => [q, ratios[i]!]));
    return {
      disease: { id: disease.id, name: disease.name },
      score,
      logLikelihoodRatio,
      similarity: similarity.symmetric,
      patientToDisease: similarity.patientToDisease,
      geneBoosted,
      matchedGenes,
      inheritance: disease.inheritance.map((id) => ({ id, name: index.terms.get(id)?.name ?? id })),
      genotypeNotes: genotypeFits.map((fit) => fit.note),
      matches: explainMatches(index, ordinals, micas, disease.phenotypeOrdinals).map((match) => {
        const ratio = ratioOf.get(index.terms.get(match.patientPhenotype.id)!.ordinal)!;
        return { ...match, likelihoodRatio: ratio.likelihoodRatio, likelihoodMatch: ratio.kind };
      }),
      contradictions: shown.map((id) => termRef(index, index.terms.get(id)!.ordinal)),
      contradictionLikelihoodRatios: shown.map((id) => excludedTermLikelihood(index.likelihood, index.terms.get(id)!.ordinal, position)),
    };
  });
  return { candidates, unknownPhenotypes: unknown };
}

/**
 * The order `rankRareDiseases` returns, as disease ids with their scores and nothing else (no explanations):
 * for evaluations that need the rank of one disease among all (knowledge-graph/eval). Same function, same order.
 */
export function rareDiseaseOrder(index: PhenotypeIndex, patientPhenotypes: readonly string[], options: Omit<RankOptions, 'limit'> = {}): { id: string; score: number }[] {
  return scoreRareDiseases(index, patientPhenotypes, options).scored.map(({ disease, score }) => ({ id: disease.id, score }));
}

interface ScoredDisease {
  disease: IndexedDisease;
  /** Position in index.diseases. */
  position: number;
  matchedGenes: string[];
  /** Per matched gene, same order. */
  genotypeFits: GenotypeFit[];
  geneBoosted: boolean;
  score: number;
  /** Computed while scoring only when a penalty makes them change the score; otherwise on output. */
  contradictions: string[] | null;
}

function scoreRareDiseases(index: PhenotypeIndex, patientPhenotypes: readonly string[], options: RankOptions) {
  const geneBoost = options.geneBoost ?? DEFAULT_GENE_BOOST;
  if (!Number.isFinite(geneBoost) || geneBoost < 0) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `geneBoost: ${geneBoost} is not a finite number ≥ 0`, { field: 'geneBoost' });
  }
  const geneLikelihoodRatio = options.geneLikelihoodRatio ?? DEFAULT_GENE_LIKELIHOOD_RATIO;
  if (!Number.isFinite(geneLikelihoodRatio) || geneLikelihoodRatio < 1) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `geneLikelihoodRatio: ${geneLikelihoodRatio} is not a finite number ≥ 1`, { field: 'geneLikelihoodRatio' });
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `limit: ${options.limit} is not a whole number ≥ 1`, { field: 'limit' });
  }
  const penalty = options.negativeFindingPenalty ?? DEFAULT_NEGATIVE_FINDING_PENALTY;
  if (!Number.isFinite(penalty) || penalty < 0 || penalty > 1) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `negativeFindingPenalty: ${penalty} is not a number from 0 to 1`, { field: 'negativeFindingPenalty' });
  }
  const scoring = options.scoring ?? DEFAULT_SCORING;
  if (scoring !== 'likelihood-ratio' && scoring !== 'similarity') {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `scoring: "${String(scoring)}" is not likelihood-ratio or similarity`, { field: 'scoring' });
  }
  const unknown = unknownPhenotypes(index, patientPhenotypes);
  const patient = [...new Set(patientPhenotypes)].filter((id) => index.terms.has(id));
  const ordinals = patient.map((id) => index.terms.get(id)!.ordinal);
  const micas = ordinals.map((ordinal) => micaWith(index, ordinal));
  if (patient.length === 0) return { scored: [] as ScoredDisease[], ordinals, micas, negatives: [] as string[], unknown };
  const negatives = negativeFindings(index, patient, options.excludedPhenotypes ?? []);

  const genotypes = new Map<string, GeneGenotype>((options.patientGenes ?? []).map((gene) => [gene, { gene, calls: [] }]));
  for (const genotype of options.patientGenotypes ?? []) genotypes.set(genotype.gene, genotype);
  const sex = options.patientSex ?? null;
  const genesOf = (disease: IndexedDisease) => {
    if (genotypes.size === 0) return { matchedGenes: [], genotypeFits: [], fits: false };
    const matchedGenes = [...disease.genes].filter((gene) => genotypes.has(gene)).sort(compareIds);
    const genotypeFits = matchedGenes.map((gene) => genotypeFit(genotypes.get(gene)!, disease.inheritance, sex));
    return { matchedGenes, genotypeFits, fits: genotypeFits.some((fit) => fit.fits) };
  };
  let scored: ScoredDisease[];
  if (scoring === 'likelihood-ratio') {
    const logLr = phenotypeLogLikelihoods(
      index.likelihood,
      index.diseases.length,
      ordinals,
      (options.scoreNegativeFindings ?? DEFAULT_SCORE_NEGATIVE_FINDINGS) ? negatives.map((id) => index.terms.get(id)!.ordinal) : [],
    );
    const geneLog = Math.log10(geneLikelihoodRatio);
    scored = index.diseases.map((disease, position): ScoredDisease => {
      const { matchedGenes, genotypeFits, fits } = genesOf(disease);
      const geneBoosted = fits && geneLikelihoodRatio > 1;
      return { disease, position, matchedGenes, genotypeFits, geneBoosted, score: logLr[position]! + (geneBoosted ? geneLog : 0), contradictions: null };
    });
  } else {
    const scratch = new Float64Array(index.diseases.reduce((longest, d) => Math.max(longest, d.phenotypeOrdinals.length), 0));
    scored = index.diseases.map((disease, position): ScoredDisease => {
      const similarity = compare(index, micas, disease.phenotypeOrdinals, scratch);
      const { matchedGenes, genotypeFits, fits } = genesOf(disease);
      const geneBoosted = fits && geneBoost > 0;
      const contradictions = penalty > 0 ? negatives.filter((negative) => annotatedWithin(index, disease, negative)) : null;
      const score = (geneBoosted ? similarity.symmetric * (1 + geneBoost) : similarity.symmetric) * (1 - penalty) ** (contradictions?.length ?? 0);
      return { disease, position, matchedGenes, genotypeFits, geneBoosted, score, contradictions };
    });
  }
  if (options.omitGeneCoveredOrphanet) {
    const omimGenes = new Set(index.diseases.filter((d) => d.id.startsWith('OMIM:')).flatMap((d) => [...d.genes]));
    scored = scored.filter(({ disease }) => !disease.id.startsWith('ORPHA:') || disease.genes.size === 0 || ![...disease.genes].every((g) => omimGenes.has(g)));
  }
  scored.sort((a, b) => b.score - a.score || compareIds(a.disease.id, b.disease.id));
  return { scored, ordinals, micas, negatives, unknown };
}

/** Negative findings that count: known to the ontology, not an ancestor of (or equal to) a patient phenotype; sorted, each once. */
function negativeFindings(index: PhenotypeIndex, patient: readonly string[], excluded: readonly string[]): string[] {
  const implied = new Set<string>();
  for (const id of patient) for (const ancestor of index.terms.get(id)!.ancestors) implied.add(ancestor);
  return [...new Set(excluded)].filter((id) => index.terms.has(id) && !implied.has(id)).sort(compareIds);
}

/** The disease is annotated with the term or one of its descendants. */
function annotatedWithin(index: PhenotypeIndex, disease: IndexedDisease, term: string): boolean {
  for (const ordinal of disease.phenotypeOrdinals) if (index.termsByOrdinal[ordinal]!.ancestors.has(term)) return true;
  return false;
}
