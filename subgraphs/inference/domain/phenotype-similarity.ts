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
 * loaded elsewhere and handed to `buildPhenotypeIndex` once. The ranking of diseases for a patient, which uses these
 * and the likelihood ratios of phenotype-likelihood.ts, is in rare-disease-ranking.ts.
 */
import { ErrorCode, HubError } from '../../../lib/errors';
import { pooledHpoFrequency } from './hpo-frequency';
import { buildLikelihoodTables, type LikelihoodTables } from './phenotype-likelihood';

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
export type MicaWith = (other: number) => number;

/**
 * MICAs of one (patient) term with other terms, each computed on first use and kept for the call: the
 * term-pair cache, held in arrays indexed by ordinal rather than a Map. The term's ancestors are marked
 * once, so a pair costs one scan of the other term's IC-ordered ancestors up to the first marked one.
 */
export function micaWith(index: PhenotypeIndex, ordinal: number): MicaWith {
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
export function compare(index: PhenotypeIndex, patient: readonly MicaWith[], disease: Int32Array, columnBest: Float64Array): BestMatchAverage {
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

/** A patient term, the disease term it matches best, and their most informative common ancestor. */
export interface TermMatch {
  patientPhenotype: TermRef;
  diseasePhenotype: TermRef;
  /** null when the two terms share no ancestor. */
  commonAncestor: TermRef | null;
  informationContent: number;
}

/**
 * For each patient term, the disease term it matches best: highest MICA IC; on a tie the disease term
 * closest to the common ancestor (lowest IC, so an exact match beats a more specific descendant), then the
 * smaller id. Sorted by IC descending, then patient term id.
 */
export function explainMatches(index: PhenotypeIndex, patient: readonly number[], micas: readonly MicaWith[], disease: Int32Array): TermMatch[] {
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

function assertKnown(index: PhenotypeIndex, ids: readonly string[]): void {
  const unknown = unknownPhenotypes(index, ids);
  if (unknown.length > 0) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `phenotypes: ${unknown.join(', ')} not in the ontology`, { field: 'phenotypes', unknownPhenotypes: unknown });
  }
}

export function termRef(index: PhenotypeIndex, ordinal: number): TermRef {
  const term = index.termsByOrdinal[ordinal]!;
  return { id: term.id, name: term.name };
}

/** Code-unit order, independent of locale, so rankings are the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
