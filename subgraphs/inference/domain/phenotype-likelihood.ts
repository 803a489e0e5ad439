/**
 * Phenotype likelihood ratios for rare-disease ranking, after LIRICAL: Robinson PN et al. Interpretable clinical
 * genomics with a likelihood ratio paradigm. Am J Hum Genet 2020;107:403–417 (PMID:32755546), whose reference
 * implementation (TheJacksonLaboratory/LIRICAL, `PhenotypeLikelihoodRatio` and `InducedDiseaseGraph`) defines the
 * cases below. The ranking score of a disease D is log10 of the product of the LRs of the patient's features:
 *
 * Observed term q (the first case that applies):
 * 1. D is annotated with q (f = the annotation's frequency): LR = f / bg(q).
 * 2. D is annotated with a descendant of q: LR = max f of those annotations / bg(q) (a patient described less
 *    precisely still has what the disease shows).
 * 3. q is a direct child of a term p D is annotated with: LR = max(f(p) / children(p), fp(q)) / bg(q) — the
 *    disease's frequency shared among p's subclasses; fp is LIRICAL's "false-positive" probability of a finding,
 *    from 1:500 of its background for the rarest terms to 1:10 for the most common.
 * 4. q and D's annotations share an ancestor below Phenotypic abnormality (HP:0000118): the closest one a in
 *    breadth-first order up from q; LR = max(0.01, f_a / bg(a)), f_a the frequency of D's annotations below a
 *    divided by 10 per is-a step between them.
 * 5. Otherwise LR = 0.01.
 * A disease whose annotation says a feature is absent (frequency 0: HP:0040285, 0/m, 0 %) has LR = 1/1000 for a
 * patient who shows it (LIRICAL's EXCLUDED_IN_DISEASE_BUT_PRESENT_IN_QUERY).
 *
 * Excluded term x (a negative finding): LR = max(0.01, 1 − f) / (1 − bg(x)) when D is annotated with x or a
 * descendant (f the highest such frequency: a feature seen in 30 % of patients is missing in 70 %), else
 * 1 / (1 − bg(x)); 1 when bg(x) > 0.99.
 *
 * Background bg(t): the mean over all ranked diseases of the highest frequency of their annotations at or below t
 * (0 for a disease with none), floored at 1/10,000. An annotation without a frequency counts as `DEFAULT_FREQUENCY`
 * (LIRICAL: 1, i.e. obligate).
 *
 * Pure: tables are built once with the phenotype index (phenotype-similarity.ts); scoring every disease for one
 * patient walks, per patient term, the inverted lists of its ancestors, never the whole disease × term matrix.
 */

/** Root of the phenotypic-abnormality sub-ontology: a common ancestor at or above it says nothing about an organ. */
export const PHENOTYPIC_ABNORMALITY = 'HP:0000118';
/** LIRICAL's frequency for an annotation without one ("DEFAULT_TERM_FREQUENCY = 1"). */
export const DEFAULT_FREQUENCY = 1;
const MIN_BACKGROUND = 1 / 10_000;
const NO_COMMON_ORGAN_LR = 0.01;
const PRESENT_BUT_ABSENT_IN_DISEASE_LR = 1 / 1000;
const FALSE_NEGATIVE_PROBABILITY = 0.01;
/** An annotation's frequency seen from an ancestor: divided by 10 per is-a step (LIRICAL's InducedDiseaseGraph). */
const DECAY_PER_STEP = 10;

export type LikelihoodMatchKind = 'EXACT' | 'DISEASE_TERM_MORE_SPECIFIC' | 'PATIENT_TERM_MORE_SPECIFIC' | 'COMMON_ANCESTOR' | 'NO_MATCH' | 'ABSENT_IN_DISEASE';

export interface LikelihoodTables {
  /** Background frequency by term ordinal (not floored). */
  background: Float64Array;
  parents: readonly Int32Array[];
  childCount: Int32Array;
  /** 1 for terms below Phenotypic abnormality (or, in an ontology without it, terms that have a parent). */
  organLevel: Uint8Array;
  /** By term ordinal: indices of the diseases annotated with the term or a descendant at frequency > 0, ascending. */
  annotated: readonly Int32Array[];
  /** Parallel to `annotated`: the highest frequency of those annotations. */
  propagated: readonly Float64Array[];
  /** Parallel to `annotated`: the frequency of the disease's annotation with the term itself, NaN when only below. */
  direct: readonly Float64Array[];
  /** Parallel to `annotated`: max over the annotations below of f / 10^(is-a steps up to the term). */
  decayed: readonly Float64Array[];
  /** By term ordinal: indices of diseases annotated with the term at frequency 0, ascending. */
  absent: readonly Int32Array[];
}

export interface LikelihoodTerm {
  id: string;
  parentOrdinals: readonly number[];
}

export interface LikelihoodDisease {
  phenotypeOrdinals: Int32Array;
  /** Parallel to phenotypeOrdinals; NaN where the annotation states no frequency. */
  frequencies: Float64Array;
}

export function buildLikelihoodTables(terms: readonly LikelihoodTerm[], diseases: readonly LikelihoodDisease[]): LikelihoodTables {
  const termCount = terms.length;
  const parents = terms.map((t) => Int32Array.from(t.parentOrdinals));
  const childCount = new Int32Array(termCount);
  for (const p of parents) for (const parent of p) childCount[parent]!++;
  const organLevel = organLevelTerms(terms, parents);

  const lists = Array.from({ length: termCount }, () => ({ diseases: [] as number[], propagated: [] as number[], direct: [] as number[], decayed: [] as number[] }));
  const absentLists = Array.from({ length: termCount }, () => [] as number[]);
  const background = new Float64Array(termCount);
  const stamp = new Int32Array(termCount).fill(-1);
  const maxFrequency = new Float64Array(termCount);
  const directFrequency = new Float64Array(termCount);
  const decayedFrequency = new Float64Array(termCount);
  const seen = new Int32Array(termCount).fill(-1);
  let walk = 0;
  diseases.forEach((disease, d) => {
    const touched: number[] = [];
    disease.phenotypeOrdinals.forEach((ordinal, j) => {
      const stated = disease.frequencies[j]!;
      const f = Number.isNaN(stated) ? DEFAULT_FREQUENCY : stated;
      if (f === 0) {
        absentLists[ordinal]!.push(d);
        return;
      }
      if (stamp[ordinal] !== d) {
        stamp[ordinal] = d;
        touched.push(ordinal);
        maxFrequency[ordinal] = 0;
        directFrequency[ordinal] = NaN;
        decayedFrequency[ordinal] = 0;
      }
      directFrequency[ordinal] = f;
      // Breadth-first up the is-a graph: the first visit of an ancestor is at its fewest steps.
      walk++;
      let frontier = [ordinal];
      seen[ordinal] = walk;
      for (let steps = 0; frontier.length > 0; steps++) {
        const next: number[] = [];
        for (const t of frontier) {
          if (stamp[t] !== d) {
            stamp[t] = d;
            touched.push(t);
            maxFrequency[t] = 0;
            directFrequency[t] = NaN;
            decayedFrequency[t] = 0;
          }
          if (f > maxFrequency[t]!) maxFrequency[t] = f;
          const decayed = f / DECAY_PER_STEP ** steps;
          if (organLevel[t] && decayed > decayedFrequency[t]!) decayedFrequency[t] = decayed;
          for (const parent of parents[t]!) {
            if (seen[parent] !== walk) {
              seen[parent] = walk;
              next.push(parent);
            }
          }
        }
        frontier = next;
      }
    });
    for (const t of touched) {
      const list = lists[t]!;
      list.diseases.push(d);
      list.propagated.push(maxFrequency[t]!);
      list.direct.push(directFrequency[t]!);
      list.decayed.push(decayedFrequency[t]!);
      background[t]! += maxFrequency[t]!;
    }
  });
  const n = diseases.length;
  if (n > 0) for (let t = 0; t < termCount; t++) background[t]! /= n;
  return {
    background,
    parents,
    childCount,
    organLevel,
    annotated: lists.map((l) => Int32Array.from(l.diseases)),
    propagated: lists.map((l) => Float64Array.from(l.propagated)),
    direct: lists.map((l) => Float64Array.from(l.direct)),
    decayed: lists.map((l) => Float64Array.from(l.decayed)),
    absent: absentLists.map((l) => Int32Array.from(new Set(l))),
  };
}

/** Terms strictly below Phenotypic abnormality; without that term in the ontology, every term with a parent. */
function organLevelTerms(terms: readonly LikelihoodTerm[], parents: readonly Int32Array[]): Uint8Array {
  const organLevel = new Uint8Array(terms.length);
  const root = terms.findIndex((t) => t.id === PHENOTYPIC_ABNORMALITY);
  if (root < 0) {
    parents.forEach((p, t) => (organLevel[t] = p.length > 0 ? 1 : 0));
    return organLevel;
  }
  const children: number[][] = terms.map(() => []);
  parents.forEach((p, t) => p.forEach((parent) => children[parent]!.push(t)));
  const stack = [...children[root]!];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (organLevel[t]) continue;
    organLevel[t] = 1;
    stack.push(...children[t]!);
  }
  return organLevel;
}

function backgroundOf(tables: LikelihoodTables, term: number): number {
  return Math.max(tables.background[term]!, MIN_BACKGROUND);
}

/** LIRICAL's `noCommonOrganProbability`: 1:500 of the term's background for the rarest terms up to 1:10 for common ones. */
function falsePositiveProbability(tables: LikelihoodTables, term: number): number {
  const f = tables.background[term]!;
  const min = 0.002;
  const max = 0.1;
  const penalty = min + (f - NO_COMMON_ORGAN_LR) * ((max - min) / (max - NO_COMMON_ORGAN_LR));
  return penalty * f;
}

/** Ancestors of a term (itself first) in breadth-first order, organ-level only. */
function ancestorsBreadthFirst(tables: LikelihoodTables, term: number): number[] {
  const order: number[] = [];
  const seen = new Set<number>([term]);
  let frontier = [term];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const t of frontier) {
      if (tables.organLevel[t]) order.push(t);
      for (const p of tables.parents[t]!) {
        if (seen.has(p)) continue;
        seen.add(p);
        next.push(p);
      }
    }
    frontier = next;
  }
  return order;
}

/**
 * log10 of each disease's phenotype likelihood ratio (diseases in index order) for observed and excluded term
 * ordinals. `excluded` must not hold ancestors of observed terms (the caller drops those).
 */
export function phenotypeLogLikelihoods(tables: LikelihoodTables, diseaseCount: number, observed: readonly number[], excluded: readonly number[]): Float64Array {
  const total = new Float64Array(diseaseCount);
  const assigned = new Int32Array(diseaseCount).fill(-1);
  const candidate = new Float64Array(diseaseCount);
  observed.forEach((q, round) => {
    let remaining = diseaseCount;
    const assign = (d: number, lr: number) => {
      assigned[d] = round;
      total[d]! += Math.log10(lr);
      remaining--;
    };
    const bg = backgroundOf(tables, q);
    // LIRICAL checks a disease's "absent" annotations first: the patient shows what the disease is said not to.
    for (const a of ancestorsBreadthFirst(tables, q)) for (const d of tables.absent[a]!) if (assigned[d] !== round) assign(d, PRESENT_BUT_ABSENT_IN_DISEASE_LR);
    const annotated = tables.annotated[q]!;
    for (let i = 0; i < annotated.length; i++) {
      const d = annotated[i]!;
      if (assigned[d] === round) continue;
      const direct = tables.direct[q]![i]!;
      assign(d, (Number.isNaN(direct) ? tables.propagated[q]![i]! : direct) / bg);
    }
    const touched: number[] = [];
    for (const p of tables.parents[q]!) {
      const share = 1 / tables.childCount[p]!;
      const list = tables.annotated[p]!;
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!;
        const direct = tables.direct[p]![i]!;
        if (assigned[d] === round || Number.isNaN(direct)) continue;
        if (assigned[d] !== -2 - round) {
          assigned[d] = -2 - round; // marked as a candidate of this round
          candidate[d] = 0;
          touched.push(d);
        }
        if (direct * share > candidate[d]!) candidate[d] = direct * share;
      }
    }
    const falsePositive = falsePositiveProbability(tables, q);
    for (const d of touched) assign(d, Math.max(candidate[d]!, falsePositive) / bg);
    if (remaining > 0) {
      for (const a of ancestorsBreadthFirst(tables, q)) {
        const list = tables.annotated[a]!;
        const bgA = backgroundOf(tables, a);
        for (let i = 0; i < list.length; i++) {
          const d = list[i]!;
          if (assigned[d] === round) continue;
          assign(d, Math.max(NO_COMMON_ORGAN_LR, tables.decayed[a]![i]! / bgA));
        }
      }
    }
    if (remaining > 0) {
      const noMatch = Math.log10(NO_COMMON_ORGAN_LR);
      for (let d = 0; d < diseaseCount; d++) if (assigned[d] !== round) total[d]! += noMatch;
    }
  });
  for (const x of excluded) {
    const bg = tables.background[x]!;
    if (bg > 0.99) continue;
    const notAnnotated = Math.log10(1 / (1 - bg));
    const list = tables.annotated[x]!;
    let next = 0;
    for (let d = 0; d < diseaseCount; d++) {
      if (next < list.length && list[next] === d) {
        total[d]! += Math.log10(Math.max(FALSE_NEGATIVE_PROBABILITY, 1 - tables.propagated[x]![next]!) / (1 - bg));
        next++;
      } else total[d]! += notAnnotated;
    }
  }
  return total;
}

export interface TermLikelihood {
  likelihoodRatio: number;
  kind: LikelihoodMatchKind;
  /** The term of the disease side the ratio rests on (the annotation, or the common ancestor); null for NO_MATCH. */
  term: number | null;
}

/** Position of disease `d` in an ascending list, or −1. */
function positionOf(list: Int32Array, d: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! === d) return mid;
    if (list[mid]! < d) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The likelihood ratio of one observed term for one disease with the case that gave it: the explanation of a
 * candidate. Same rules as `phenotypeLogLikelihoods` (a test checks they agree on every disease).
 */
export function observedTermLikelihood(tables: LikelihoodTables, q: number, d: number): TermLikelihood {
  const ancestors = ancestorsBreadthFirst(tables, q);
  for (const a of ancestors) if (positionOf(tables.absent[a]!, d) >= 0) return { likelihoodRatio: PRESENT_BUT_ABSENT_IN_DISEASE_LR, kind: 'ABSENT_IN_DISEASE', term: a };
  const bg = backgroundOf(tables, q);
  const i = positionOf(tables.annotated[q]!, d);
  if (i >= 0) {
    const direct = tables.direct[q]![i]!;
    return Number.isNaN(direct)
      ? { likelihoodRatio: tables.propagated[q]![i]! / bg, kind: 'DISEASE_TERM_MORE_SPECIFIC', term: q }
      : { likelihoodRatio: direct / bg, kind: 'EXACT', term: q };
  }
  let best = -1;
  let bestTerm = -1;
  for (const p of tables.parents[q]!) {
    const j = positionOf(tables.annotated[p]!, d);
    const direct = j >= 0 ? tables.direct[p]![j]! : NaN;
    if (Number.isNaN(direct)) continue;
    const f = direct / tables.childCount[p]!;
    if (f > best) {
      best = f;
      bestTerm = p;
    }
  }
  if (bestTerm >= 0) return { likelihoodRatio: Math.max(best, falsePositiveProbability(tables, q)) / bg, kind: 'PATIENT_TERM_MORE_SPECIFIC', term: bestTerm };
  for (const a of ancestors) {
    const j = positionOf(tables.annotated[a]!, d);
    if (j >= 0) return { likelihoodRatio: Math.max(NO_COMMON_ORGAN_LR, tables.decayed[a]![j]! / backgroundOf(tables, a)), kind: 'COMMON_ANCESTOR', term: a };
  }
  return { likelihoodRatio: NO_COMMON_ORGAN_LR, kind: 'NO_MATCH', term: null };
}

/** The likelihood ratio of one negative finding for one disease (see the header). */
export function excludedTermLikelihood(tables: LikelihoodTables, x: number, d: number): number {
  const bg = tables.background[x]!;
  if (bg > 0.99) return 1;
  const i = positionOf(tables.annotated[x]!, d);
  return i >= 0 ? Math.max(FALSE_NEGATIVE_PROBABILITY, 1 - tables.propagated[x]![i]!) / (1 - bg) : 1 / (1 - bg);
}
