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
  /** HPO ids the disease is annotated with. */
  phenotypes: string[];
  /** HGNC symbols of the disease's genes; may be empty. */
  genes: string[];
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
  genes: ReadonlySet<string>;
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
    const phenotypes: string[] = [];
    for (const id of new Set(disease.phenotypes)) {
      if (byId.has(id)) phenotypes.push(id);
      else unknownAnnotations.push({ diseaseId: disease.id, phenotypeId: id });
    }
    if (phenotypes.length === 0) continue;
    const phenotypeOrdinals = Int32Array.from(phenotypes, (id) => ordinalOf.get(id)!);
    indexedDiseases.push({ id: disease.id, name: disease.name, phenotypes, phenotypeOrdinals, genes: new Set(disease.genes) });
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
function explainMatches(index: PhenotypeIndex, patient: readonly number[], micas: readonly MicaWith[], disease: Int32Array): PhenotypeMatch[] {
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

export interface RankOptions {
  /** HGNC symbols of genes where the patient carries a variant; compared exactly (normalise at the edge). */
  patientGenes?: string[];
  /** Multiplier bonus for a gene match: score = similarity × (1 + geneBoost). Default DEFAULT_GENE_BOOST. */
  geneBoost?: number;
  /** How many candidates to return; all when absent. */
  limit?: number;
  /**
   * HPO ids the patient was examined for and does not have (GA4GH phenopacket `excluded: true`): negative
   * findings. Ids not in the ontology, and ids that are ancestors of a patient phenotype (the patient cannot lack
   * "Seizure" and have "Focal-onset seizure"), are ignored.
   */
  excludedPhenotypes?: string[];
  /** Multiplier for each negative finding a disease is annotated with: score × (1 − penalty). Default DEFAULT_NEGATIVE_FINDING_PENALTY. */
  negativeFindingPenalty?: number;
}

export interface PhenotypeMatch {
  patientPhenotype: TermRef;
  diseasePhenotype: TermRef;
  /** null when the two terms share no ancestor. */
  commonAncestor: TermRef | null;
  informationContent: number;
}

export interface RareDiseaseCandidate {
  disease: TermRef;
  /** similarity, times (1 + geneBoost) when geneBoosted. */
  score: number;
  /** Symmetric BMA of Resnik similarities. */
  similarity: number;
  /** The one-sided sim(patient → disease) of Phenomizer, for comparison. */
  patientToDisease: number;
  /** True when the patient has a variant in one of the disease's genes and geneBoost > 0. */
  geneBoosted: boolean;
  /** Disease genes in which the patient has a variant, sorted. */
  matchedGenes: string[];
  /** For each patient phenotype, its best-matching disease phenotype and their MICA; IC descending. */
  matches: PhenotypeMatch[];
  /** The patient's negative findings this disease is annotated with (the term itself or a descendant), sorted by id. */
  contradictions: TermRef[];
}

export interface RareDiseaseRanking {
  candidates: RareDiseaseCandidate[];
  /** Patient HPO ids not in the ontology: left out of the computation, reported for the caller to act on. */
  unknownPhenotypes: string[];
}

/**
 * The project's own heuristic, not taken from a paper: a disease with one of the patient's variant genes
 * has its phenotype similarity multiplied by 1 + geneBoost (1.5 by default). Multiplying rather than adding
 * keeps a disease whose phenotype does not match at all at 0. Combining variant pathogenicity with
 * phenotype scores (as Exomiser does) is out of scope.
 */
export const DEFAULT_GENE_BOOST = 0.5;

/**
 * Negative findings are reported per candidate (`contradictions`) but do not lower its score by default. A flat
 * penalty (score × (1 − p) per negative finding the disease is annotated with, a frequency-free stand-in for
 * LIRICAL's likelihood ratio of an excluded feature, Robinson et al. 2020, PMID:32755546) was measured on 10,577
 * published cases (knowledge-graph/eval/README.md): 56 % of the excluded terms case reports give that the graph
 * knows are features of the patient's own diagnosis — authors list the expected signs a patient lacks — so any
 * flat penalty ranks the true diagnosis lower (top-1 of the diagnoses in the seed graph: 522 of 663 without it,
 * 303 with p = 0.1 on the exact term, 283 with p = 0.1 on the term or a descendant). Using them needs each
 * annotation's frequency (LIRICAL: LR = (1 − f_disease) / (1 − f_background)).
 */
export const DEFAULT_NEGATIVE_FINDING_PENALTY = 0;

/**
 * Ranks diseases for a patient's phenotypes by symmetric BMA of Resnik similarities, optionally boosted by
 * genes. Order: score descending, then disease id.
 *
 * Why symmetric BMA rather than Phenomizer's one-sided sim(Q→D): the one-sided mean favours diseases with
 * many annotations, since more disease terms give each patient term more chances of a close match; Köhler
 * et al. 2009 correct for that with p-values from random queries, which are out of scope here. The
 * symmetric form (Pesquita et al. 2009) also asks how much of the disease the patient's phenotype accounts
 * for, which counters the bias without calibration. Its cost is that diseases with many features the
 * patient has not (yet) shown rank lower, so the one-sided value is returned beside it.
 *
 * Cost: ancestor sets and IC are precomputed; per disease the work is |patient terms| × |disease terms|
 * pair look-ups, each pair's MICA computed once per call.
 *
 * Input handling: duplicate patient terms count once; unknown ids are reported, not used. A term that is an
 * ancestor of another patient term is kept: each is something the clinician recorded, and pruning it would
 * silently reweight the mean. With no known patient term there is nothing to compare, so candidates is
 * empty (not every disease at score 0).
 */
export function rankRareDiseases(index: PhenotypeIndex, patientPhenotypes: readonly string[], options: RankOptions = {}): RareDiseaseRanking {
  const { scored, ordinals, micas, negatives, unknown } = scoreRareDiseases(index, patientPhenotypes, options);
  const candidates = scored.slice(0, options.limit ?? scored.length).map(({ disease, similarity, matchedGenes, geneBoosted, score, contradictions }) => ({
    disease: { id: disease.id, name: disease.name },
    score,
    similarity: similarity.symmetric,
    patientToDisease: similarity.patientToDisease,
    geneBoosted,
    matchedGenes,
    // Explanations only for the candidates returned: at HPO scale (~12,600 diseases) explaining every disease
    // cost more than scoring them.
    matches: explainMatches(index, ordinals, micas, disease.phenotypeOrdinals),
    contradictions: (contradictions ?? negatives.filter((negative) => annotatedWithin(index, disease, negative))).map((id) =>
      termRef(index, index.terms.get(id)!.ordinal),
    ),
  }));
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
  similarity: BestMatchAverage;
  matchedGenes: string[];
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
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `limit: ${options.limit} is not a whole number ≥ 1`, { field: 'limit' });
  }
  const penalty = options.negativeFindingPenalty ?? DEFAULT_NEGATIVE_FINDING_PENALTY;
  if (!Number.isFinite(penalty) || penalty < 0 || penalty > 1) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `negativeFindingPenalty: ${penalty} is not a number from 0 to 1`, { field: 'negativeFindingPenalty' });
  }
  const unknown = unknownPhenotypes(index, patientPhenotypes);
  const patient = [...new Set(patientPhenotypes)].filter((id) => index.terms.has(id));
  const ordinals = patient.map((id) => index.terms.get(id)!.ordinal);
  const micas = ordinals.map((ordinal) => micaWith(index, ordinal));
  if (patient.length === 0) return { scored: [] as ScoredDisease[], ordinals, micas, negatives: [] as string[], unknown };
  const negatives = negativeFindings(index, patient, options.excludedPhenotypes ?? []);

  const patientGenes = new Set(options.patientGenes ?? []);
  const scratch = new Float64Array(index.diseases.reduce((longest, d) => Math.max(longest, d.phenotypeOrdinals.length), 0));
  const scored = index.diseases.map((disease): ScoredDisease => {
    const similarity = compare(index, micas, disease.phenotypeOrdinals, scratch);
    const matchedGenes = patientGenes.size === 0 ? [] : [...disease.genes].filter((gene) => patientGenes.has(gene)).sort(compareIds);
    const geneBoosted = matchedGenes.length > 0 && geneBoost > 0;
    const contradictions = penalty > 0 ? negatives.filter((negative) => annotatedWithin(index, disease, negative)) : null;
    const score = (geneBoosted ? similarity.symmetric * (1 + geneBoost) : similarity.symmetric) * (1 - penalty) ** (contradictions?.length ?? 0);
    return { disease, similarity, matchedGenes, geneBoosted, score, contradictions };
  });
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
