/**
 * Rare-disease candidate ranking by semantic similarity over the Human Phenotype Ontology (HPO).
 *
 * - Information content (IC) from annotation frequency: IC(t) = −ln p(t), p(t) = the share of diseases
 *   annotated with t or a descendant of t. Resnik P. Using information content to evaluate semantic
 *   similarity in a taxonomy. IJCAI 1995:448–453; Köhler S et al. Clinical diagnostics in human genetics
 *   with semantic similarity searches in ontologies. Am J Hum Genet 2009;85:457–464 (PMID:19800049).
 * - Term similarity (Resnik): the IC of the most informative common ancestor (MICA) of the two terms.
 * - Set similarity: best-match average (BMA). Pesquita C et al. Semantic similarity in biomedical
 *   ontologies. PLoS Comput Biol 2009;5(7):e1000443 (PMID:19649320).
 *
 * Pure functions, no I/O: the ontology and the disease annotations (e.g. hp.obo and phenotype.hpoa) are
 * loaded elsewhere and handed to `buildPhenotypeIndex` once. Clinical decision support: the ranking
 * suggests diagnoses to consider, it does not make one.
 */
import { ErrorCode, HubError } from '../../../lib/errors';
import { genotypeFit, type GeneGenotype, type GenotypeFit, type GenotypeSex } from './genotype-fit';
import { pooledHpoFrequency } from './hpo-frequency';
import {
  buildLikelihoodTables,
  excludedTermLikelihood,
  observedTermLikelihood,
  phenotypeLogLikelihoods,
  type LikelihoodMatchKind,
  type LikelihoodTables,
} from './phenotype-likelihood';

export interface OntologyTerm {
  /** e.g. HP:0001250 */
  id: string;
  name: string;
  /** is-a parents; ids that are not terms of the ontology are ignored. */
  parents: string[];
}

export interface DiseaseAnnotation {
  /** e.g. OMIM:607208, ORPHA:33069 */
  id: string;
  name: string;
  /** HPO ids the disease is annotated with; an id may repeat (HPOA lists a pair once per reference). */
  phenotypes: string[];
  /**
   * HPOA `frequency` of each entry of `phenotypes` (same order; HP:0040280–HP:0040285, n/m or x %), null where
   * the annotation states none. Absent: no frequencies (every annotation counts as DEFAULT_FREQUENCY).
   */
  frequencies?: (string | null)[];
  /** HGNC symbols of the disease's genes; may be empty. */
  genes: string[];
  /** HPO ids of its modes of inheritance (HPOA aspect I); absent or empty where none is stated. */
  inheritance?: string[];
}

export interface TermRef {
  id: string;
  name: string;
}

export interface IndexedTerm {
  id: string;
  name: string;
  /** Position in id order (code units), so comparing ordinals compares ids. */
  ordinal: number;
  /** The term and all its is-a ancestors. */
  ancestors: ReadonlySet<string>;
  /** Diseases annotated with the term or one of its descendants. */
  diseaseCount: number;
  informationContent: number;
}

export interface IndexedDisease {
  id: string;
  name: string;
  /** Annotated phenotypes that are in the ontology, each once, in the order given. */
  phenotypes: readonly string[];
  /** The same phenotypes as term ordinals. */
  phenotypeOrdinals: Int32Array;
  /** Parallel to phenotypeOrdinals: the annotation's frequency (references pooled, hpo-frequency.ts); NaN where none is stated. */
  frequencies: Float64Array;
  genes: ReadonlySet<string>;
  /** HPO ids of its modes of inheritance, sorted; empty where none is stated (genotype-fit.ts). */
  inheritance: readonly string[];
}

export interface PhenotypeIndex {
  terms: ReadonlyMap<string, IndexedTerm>;
  termsByOrdinal: readonly IndexedTerm[];
  /** IC by term ordinal. */
  informationContent: Float64Array;
  /**
   * Ancestor ordinals by term ordinal, most informative first (IC descending, then id): the first of them
   * that a second term shares is the MICA of the two. Arrays indexed by ordinal keep the ranking's inner loop
   * free of string hashing at HPO scale.
   */
  ancestorsByInformationContent: readonly Int32Array[];
  /** Diseases with at least one phenotype in the ontology; only these are counted and ranked. */
  diseases: readonly IndexedDisease[];
  /** ln(number of diseases): the IC of a term annotated to a single disease, and the cap for unannotated terms. */
  maxInformationContent: number;
  /** Disease annotations whose HPO id is not in the ontology (obsolete or from another release). */
  unknownAnnotations: readonly { diseaseId: string; phenotypeId: string }[];
  /** Frequencies and background frequencies for the likelihood-ratio score (phenotype-likelihood.ts). */
  likelihood: LikelihoodTables;
}

/** A problem in the ontology or the disease corpus, named by the term or disease where it is. */
export class PhenotypeIndexError extends Error {
  override name = 'PhenotypeIndexError';
}

/**
 * Precomputes ancestor sets and IC for every term. N, the number of diseases, counts only diseases with
 * at least one annotation in the ontology, so that every annotated root has p = 1 and IC = 0; diseases
 * without one cannot be compared and are left out of the ranking.
 * A term with no annotated disease below it has p = 0 and −ln p undefined; it is given ln N, the IC of a
 * term annotated to exactly one disease, which is the largest IC the corpus can attest.
 */
export function buildPhenotypeIndex(terms: readonly OntologyTerm[], diseases: readonly DiseaseAnnotation[]): PhenotypeIndex {
  const byId = new Map<string, OntologyTerm>();
  for (const term of terms) {
    if (byId.has(term.id)) throw new PhenotypeIndexError(`HPO term ${term.id}: listed twice`);
    byId.set(term.id, term);
  }
  const ancestors = ancestorSets(byId);

  const ids = [...byId.keys()].sort(compareIds);
  const ordinalOf = new Map(ids.map((id, ordinal) => [id, ordinal]));

  const indexedDiseases: IndexedDisease[] = [];
  const unknownAnnotations: { diseaseId: string; phenotypeId: string }[] = [];
  const diseaseIds = new Set<string>();
  const diseaseCount = new Int32Array(ids.length);
  for (const disease of diseases) {
    if (diseaseIds.has(disease.id)) throw new PhenotypeIndexError(`disease ${disease.id}: listed twice`);
    diseaseIds.add(disease.id);
    const stated = new Map<string, (string | null)[]>();
    disease.phenotypes.forEach((id, i) => {
      const list = stated.get(id) ?? [];
      list.push(disease.frequencies?.[i] ?? null);
      stated.set(id, list);
    });
    const phenotypes: string[] = [];
    for (const id of stated.keys()) {
      if (byId.has(id)) phenotypes.push(id);
      else unknownAnnotations.push({ diseaseId: disease.id, phenotypeId: id });
    }
    if (phenotypes.length === 0) continue;
    const phenotypeOrdinals = Int32Array.from(phenotypes, (id) => ordinalOf.get(id)!);
    const frequencies = Float64Array.from(phenotypes, (id) => pooledHpoFrequency(stated.get(id)!) ?? NaN);
    indexedDiseases.push({ id: disease.id, name: disease.name, phenotypes, phenotypeOrdinals, frequencies, genes: new Set(disease.genes), inheritance: [...new Set(disease.inheritance ?? [])].sort(compareIds) });
    const covered = new Set<string>();
    for (const id of phenotypes) for (const ancestor of ancestors.get(id)!) covered.add(ancestor);
    for (const id of covered) diseaseCount[ordinalOf.get(id)!]!++;
  }

  const n = indexedDiseases.length;
  const maxInformationContent = n > 0 ? Math.log(n) : 0;
  const informationContent = Float64Array.from(diseaseCount, (count) => (count > 0 ? Math.log(n / count) : maxInformationContent));
  const termsByOrdinal = ids.map(
    (id, ordinal): IndexedTerm => ({
      id,
      name: byId.get(id)!.name,
      ordinal,
      ancestors: ancestors.get(id)!,
      diseaseCount: diseaseCount[ordinal]!,
      informationContent: informationContent[ordinal]!,
    }),
  );
  const ancestorsByInformationContent = termsByOrdinal.map((term) =>
    Int32Array.from(term.ancestors, (id) => ordinalOf.get(id)!).sort((a, b) => informationContent[b]! - informationContent[a]! || a - b),
  );
  return {
    terms: new Map(termsByOrdinal.map((term) => [term.id, term])),
    termsByOrdinal,
    informationContent,
    ancestorsByInformationContent,
    diseases: indexedDiseases,
    maxInformationContent,
    unknownAnnotations,
    likelihood: buildLikelihoodTables(
      ids.map((id) => ({ id, parentOrdinals: [...new Set(byId.get(id)!.parents)].filter((p) => byId.has(p)).map((p) => ordinalOf.get(p)!) })),
      indexedDiseases,
    ),
  };
}

/** Ancestors (including the term) by iterative depth-first search, so a deep ontology cannot overflow the stack. */
function ancestorSets(byId: ReadonlyMap<string, OntologyTerm>): Map<string, Set<string>> {
  const parentsOf = (id: string) => byId.get(id)!.parents.filter((parent) => byId.has(parent));
  const done = new Map<string, Set<string>>();
  const onPath = new Set<string>();
  for (const start of byId.keys()) {
    if (done.has(start)) continue;
    const stack = [{ id: start, parents: parentsOf(start), next: 0 }];
    onPath.add(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const parent = frame.parents[frame.next++];
      if (parent !== undefined) {
        if (onPath.has(parent)) {
          const path = stack.slice(stack.findIndex((f) => f.id === parent)).map((f) => f.id);
          throw new PhenotypeIndexError(`HPO term ${parent}: is-a cycle ${[...path, parent].join(' → ')}`);
        }
        if (!done.has(parent)) {
          onPath.add(parent);
          stack.push({ id: parent, parents: parentsOf(parent), next: 0 });
        }
        continue;
      }
      const set = new Set([frame.id]);
      for (const p of frame.parents) for (const ancestor of done.get(p)!) set.add(ancestor);
      done.set(frame.id, set);
      onPath.delete(frame.id);
      stack.pop();
    }
  }
  return done;
}

/** Ids as given, each once, that are not terms of the ontology. */
export function unknownPhenotypes(index: PhenotypeIndex, ids: readonly string[]): string[] {
  return [...new Set(ids)].filter((id) => !index.terms.has(id));
}

export interface TermSimilarity {
  /** Resnik similarity: IC of the MICA; 0 when the terms share no ancestor. */
  informationContent: number;
  /** The most informative common ancestor; null when the terms share none (disconnected parts of a DAG). */
  commonAncestor: TermRef | null;
}

const NO_COMMON_ANCESTOR = -1;
const NOT_COMPUTED = -2;

/** The MICA ordinal of one term with any other, or NO_COMMON_ANCESTOR. */
type MicaWith = (other: number) => number;

/**
 * MICAs of one (patient) term with other terms, each computed on first use and kept for the call: the
 * term-pair cache, held in arrays indexed by ordinal rather than a Map. The term's ancestors are marked
 * once, so a pair costs one scan of the other term's IC-ordered ancestors up to the first marked one.
 */
function micaWith(index: PhenotypeIndex, ordinal: number): MicaWith {
  const termCount = index.termsByOrdinal.length;
  const isAncestor = new Uint8Array(termCount);
  for (const ancestor of index.ancestorsByInformationContent[ordinal]!) isAncestor[ancestor] = 1;
  const cache = new Int32Array(termCount).fill(NOT_COMPUTED);
  return (other) => {
    let mica = cache[other]!;
    if (mica === NOT_COMPUTED) {
      mica = NO_COMMON_ANCESTOR;
      for (const ancestor of index.ancestorsByInformationContent[other]!) {
        if (isAncestor[ancestor]) {
          mica = ancestor;
          break;
        }
      }
      cache[other] = mica;
    }
    return mica;
  };
}

function micaInformationContent(index: PhenotypeIndex, mica: number): number {
  return mica === NO_COMMON_ANCESTOR ? 0 : index.informationContent[mica]!;
}

/** Resnik similarity of two terms with the MICA that gives it; ties between ancestors go to the smaller id. */
export function termSimilarity(index: PhenotypeIndex, a: string, b: string): TermSimilarity {
  assertKnown(index, [a, b]);
  const mica = micaWith(index, index.terms.get(a)!.ordinal)(index.terms.get(b)!.ordinal);
  return {
    informationContent: micaInformationContent(index, mica),
    commonAncestor: mica === NO_COMMON_ANCESTOR ? null : termRef(index, mica),
  };
}

export interface BestMatchAverage {
  /** (patientToDisease + diseaseToPatient) / 2, Pesquita et al. 2009. The ranking score. */
  symmetric: number;
  /** Mean over patient terms of the best Resnik similarity to a disease term: Phenomizer's sim(Q→D), Köhler et al. 2009. */
  patientToDisease: number;
  /** Mean over disease terms of the best Resnik similarity to a patient term. */
  diseaseToPatient: number;
}

/**
 * Compares two sets of known terms (duplicates counted once). Throws BAD_USER_INPUT when either set is
 * empty (a mean over nothing) or holds an id that is not in the ontology; rankRareDiseases reports such
 * ids instead of throwing.
 */
export function bestMatchAverage(index: PhenotypeIndex, patientPhenotypes: readonly string[], diseasePhenotypes: readonly string[]): BestMatchAverage {
  assertKnown(index, [...patientPhenotypes, ...diseasePhenotypes]);
  const patient = [...new Set(patientPhenotypes)].map((id) => micaWith(index, index.terms.get(id)!.ordinal));
  const disease = Int32Array.from(new Set(diseasePhenotypes), (id) => index.terms.get(id)!.ordinal);
  if (patient.length === 0 || disease.length === 0) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, 'phenotypes: both sets need at least one HPO term to compare', { field: 'phenotypes' });
  }
  return compare(index, patient, disease, new Float64Array(disease.length));
}

/** `columnBest` is scratch space at least as long as `disease`, reused across diseases. */
function compare(index: PhenotypeIndex, patient: readonly MicaWith[], disease: Int32Array, columnBest: Float64Array): BestMatchAverage {
  columnBest.fill(0, 0, disease.length);
  let rowSum = 0;
  for (const micaOf of patient) {
    let rowBest = 0;
    for (let j = 0; j < disease.length; j++) {
      const similarity = micaInformationContent(index, micaOf(disease[j]!));
      if (similarity > rowBest) rowBest = similarity;
      if (similarity > columnBest[j]!) columnBest[j] = similarity;
    }
    rowSum += rowBest;
  }
  let columnSum = 0;
  for (let j = 0; j < disease.length; j++) columnSum += columnBest[j]!;
  const patientToDisease = rowSum / patient.length;
  const diseaseToPatient = columnSum / disease.length;
  return { symmetric: (patientToDisease + diseaseToPatient) / 2, patientToDisease, diseaseToPatient };
}

/**
 * For each patient term, the disease term it matches best: highest MICA IC; on a tie the disease term
 * closest to the common ancestor (lowest IC, so an exact match beats a more specific descendant), then the
 * smaller id. Sorted by IC descending, then patient term id.
 */
function explainMatches(index: PhenotypeIndex, patient: readonly number[], micas: readonly MicaWith[], disease: Int32Array): Omit<PhenotypeMatch, 'likelihoodRatio' | 'likelihoodMatch'>[] {
  const ic = index.informationContent;
  const matches = patient.map((patientTerm, i) => {
    let best = disease[0]!;
    let bestMica = micas[i]!(best);
    for (let j = 1; j < disease.length; j++) {
      const term = disease[j]!;
      const mica = micas[i]!(term);
      const similarity = micaInformationContent(index, mica);
      const bestSimilarity = micaInformationContent(index, bestMica);
      if (similarity > bestSimilarity || (similarity === bestSimilarity && (ic[term]! < ic[best]! || (ic[term] === ic[best] && term < best)))) {
        best = term;
        bestMica = mica;
      }
    }
    return {
      patientPhenotype: termRef(index, patientTerm),
      diseasePhenotype: termRef(index, best),
      commonAncestor: bestMica === NO_COMMON_ANCESTOR ? null : termRef(index, bestMica),
      informationContent: micaInformationContent(index, bestMica),
    };
  });
  return matches.sort((a, b) => b.informationContent - a.informationContent || compareIds(a.patientPhenotype.id, b.patientPhenotype.id));
}

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

export interface PhenotypeMatch {
  patientPhenotype: TermRef;
  diseasePhenotype: TermRef;
  /** null when the two terms share no ancestor. */
  commonAncestor: TermRef | null;
  informationContent: number;
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

function assertKnown(index: PhenotypeIndex, ids: readonly string[]): void {
  const unknown = unknownPhenotypes(index, ids);
  if (unknown.length > 0) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `phenotypes: ${unknown.join(', ')} not in the ontology`, { field: 'phenotypes', unknownPhenotypes: unknown });
  }
}

function termRef(index: PhenotypeIndex, ordinal: number): TermRef {
  const term = index.termsByOrdinal[ordinal]!;
  return { id: term.id, name: term.name };
}

/** Code-unit order, independent of locale, so rankings are the same on every machine. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
