/**
 * Rare-disease ranking measured on solved published cases (issue 18, item 5): each case is ranked twice by
 * the hub's own ranking (`rareDiseaseOrder`: the order of `rankRareDiseases`, the function behind
 * `Patient.rareDiseaseCandidates`, without its per-candidate explanations) — on its
 * phenotypes only, and with its causal genes as the patient's variant genes — and the position of the true
 * diagnosis is recorded.
 *
 * Metrics, as in the phenotype-driven prioritisation literature (Köhler et al. 2009 PMID:19800049; Smedley
 * et al. 2015 PMID:26562621; Robinson et al. 2020 PMID:32755546): top-k recall (share of cases whose
 * diagnosis is ranked within the first k) and the median rank of the diagnosis.
 *
 * A case whose diagnosis is not a disease the graph can rank (no annotations in this release) counts as a
 * miss in the recall over all cases, and is also counted separately; recall over the cases the graph could
 * rank is given beside it. The rank is the diagnosis' position in the order the API returns (score
 * descending, then disease id), so a tie with a disease of smaller id costs a place, as it would on screen.
 * Pure: the phenotype index and the cases are handed in.
 */
import { seededRandom } from '../../lib/seeded-random';
import { AUTOSOMAL_RECESSIVE, type GeneGenotype } from '../../subgraphs/inference/domain/genotype-fit';
import type { PhenotypeIndex } from '../../subgraphs/inference/domain/phenotype-similarity';
import { rareDiseaseOrder, type RankOptions } from '../../subgraphs/inference/domain/rare-disease-ranking';
import type { PhenopacketCase } from './phenopackets';

/** `Patient.rareDiseaseCandidates` takes 1 to 100 HPO ids; a longer list is cut to its first 100, as a client must. */
export const API_MAX_PHENOTYPES = 100;
export const TOP_K = [1, 3, 10] as const;

export type RunName = 'phenotypes' | 'phenotypes+gene';

export interface CaseResult {
  id: string;
  cohort: string;
  diagnosis: string;
  /** The diagnosis is a disease with annotations in the graph (rankable). */
  inGraph: boolean;
  observed: number;
  excluded: number;
  /** Patient terms the graph's ontology does not hold (left out by the ranking). */
  unknownPhenotypes: number;
  genes: string[];
  /** 1-based rank of the diagnosis per run; null when it is not ranked (not in the graph, or no known term). */
  rank: Record<RunName, number | null>;
}

export interface RunSummary {
  run: RunName;
  cases: number;
  /** Cases whose diagnosis the graph can rank. */
  inGraph: number;
  notInGraph: number;
  /** Cases with no term the ontology knows (nothing to rank with). */
  noKnownPhenotype: number;
  /** Cases that name no causal gene (ranked on phenotypes alone in the gene run too). */
  withoutGene: number;
  /** Top-k hits: counts, and recall over all cases and over the in-graph ones. */
  hits: Record<`top${(typeof TOP_K)[number]}`, number>;
  recall: Record<`top${(typeof TOP_K)[number]}`, number>;
  recallInGraph: Record<`top${(typeof TOP_K)[number]}`, number | null>;
  /** Median rank of the diagnosis over the in-graph cases it was ranked for; null when none. */
  medianRankInGraph: number | null;
  /** Median over all cases, a diagnosis not ranked counting as worse than any rank; null when half or more are not ranked. */
  medianRankAll: number | null;
  elapsedMs: number;
}

export interface EvaluationOptions {
  /** Options of the ranking itself (gene boost, negative-finding penalty), for experiments; the API's defaults otherwise. */
  ranking?: Omit<RankOptions, 'patientGenes' | 'patientGenotypes' | 'patientSex' | 'limit' | 'excludedPhenotypes'>;
  /** Give the causal genes without their zygosity (every gene counts), as the ranking did before genotype fits. */
  ignoreZygosity?: boolean;
  /**
   * Heterozygous variants added to each case (gene run only) in genes whose every disease in the graph is autosomal
   * recessive only, none a causal gene of the case: carrier states, which every genome holds (about 2.8 severe
   * recessive mutations per genome, Bell et al. 2011, Sci Transl Med 3:65ra4, PMID:21228398). A ranking that lifts
   * the diseases of every gene with a variant puts those first. Drawn per case by the project's seeded generator (lib/seeded-random.ts: same every run).
   */
  carrierDecoys?: number;
}

/** Genes whose diseases in the index all state autosomal recessive inheritance (HP:0000007) and nothing else. */
export function recessiveOnlyGenes(index: PhenotypeIndex): string[] {
  const verdict = new Map<string, boolean>();
  for (const disease of index.diseases) {
    const recessiveOnly = disease.inheritance.length === 1 && disease.inheritance[0] === AUTOSOMAL_RECESSIVE;
    for (const gene of disease.genes) verdict.set(gene, (verdict.get(gene) ?? true) && recessiveOnly);
  }
  return [...verdict].filter(([, recessive]) => recessive).map(([gene]) => gene).sort();
}

/** `count` heterozygous carrier variants from `pool` for case number `caseIndex`, none in `causal`. */
export function carrierDecoysFor(pool: readonly string[], causal: readonly string[], count: number, caseIndex: number): GeneGenotype[] {
  const random = seededRandom(caseIndex);
  const chosen = new Set<string>();
  const eligible = pool.filter((gene) => !causal.includes(gene));
  while (chosen.size < Math.min(count, eligible.length)) chosen.add(random.pick(eligible));
  return [...chosen].map((gene) => ({ gene, calls: ['HETEROZYGOUS'] }));
}

export interface Evaluation {
  cases: CaseResult[];
  runs: RunSummary[];
}

export function evaluateCases(index: PhenotypeIndex, cases: readonly PhenopacketCase[], options: EvaluationOptions = {}): Evaluation {
  const rankable = new Set(index.diseases.map((d) => d.id));
  const results: CaseResult[] = cases.map((c) => ({
    id: c.id,
    cohort: c.cohort,
    diagnosis: c.diagnosis.id,
    inGraph: rankable.has(c.diagnosis.id),
    observed: c.observed.length,
    excluded: c.excluded.length,
    unknownPhenotypes: c.observed.filter((id) => !index.terms.has(id)).length,
    genes: c.genes,
    rank: { phenotypes: null, 'phenotypes+gene': null },
  }));
  const decoyPool = options.carrierDecoys ? recessiveOnlyGenes(index) : [];
  const genotypesOf = (c: PhenopacketCase, caseIndex: number): GeneGenotype[] => {
    const genotypes = [...c.genotypes, ...carrierDecoysFor(decoyPool, c.genes, options.carrierDecoys ?? 0, caseIndex)];
    return options.ignoreZygosity ? genotypes.map(({ gene }) => ({ gene, calls: [] })) : genotypes;
  };
  const runs: RunSummary[] = [];
  for (const run of ['phenotypes', 'phenotypes+gene'] as const) {
    const started = performance.now();
    cases.forEach((c, i) => {
      const result = results[i]!;
      if (!result.inGraph) return;
      const order = rareDiseaseOrder(index, c.observed.slice(0, API_MAX_PHENOTYPES), {
        ...options.ranking,
        // The causal variants with their zygosity, as genomics' calls reach the API (variantGenotypes).
        patientGenotypes: run === 'phenotypes+gene' ? genotypesOf(c, i) : [],
        patientSex: c.sex,
        // Excluded terms go in as negative findings; whether they change the score is the ranking's choice.
        excludedPhenotypes: c.excluded,
      });
      const position = order.findIndex((candidate) => candidate.id === c.diagnosis.id);
      result.rank[run] = position >= 0 ? position + 1 : null;
    });
    runs.push(summarise(run, results, performance.now() - started));
  }
  return { cases: results, runs };
}

function summarise(run: RunName, results: readonly CaseResult[], elapsedMs: number): RunSummary {
  const inGraph = results.filter((r) => r.inGraph);
  const ranks = inGraph.map((r) => r.rank[run]).filter((rank): rank is number => rank !== null);
  const hits = Object.fromEntries(TOP_K.map((k) => [`top${k}`, ranks.filter((rank) => rank <= k).length])) as RunSummary['hits'];
  const share = (n: number, of: number) => (of > 0 ? n / of : null);
  return {
    run,
    cases: results.length,
    inGraph: inGraph.length,
    notInGraph: results.length - inGraph.length,
    noKnownPhenotype: inGraph.filter((r) => r.unknownPhenotypes === r.observed).length,
    withoutGene: results.filter((r) => r.genes.length === 0).length,
    hits,
    recall: Object.fromEntries(TOP_K.map((k) => [`top${k}`, share(hits[`top${k}`], results.length) ?? 0])) as RunSummary['recall'],
    recallInGraph: Object.fromEntries(TOP_K.map((k) => [`top${k}`, share(hits[`top${k}`], inGraph.length)])) as RunSummary['recallInGraph'],
    medianRankInGraph: median(ranks),
    medianRankAll: medianWithMisses(ranks, results.length),
    elapsedMs,
  };
}

/** Median of ranks (mean of the middle two for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of `total` ranks of which only `ranks` are known and the rest are worse than all of them. */
export function medianWithMisses(ranks: readonly number[], total: number): number | null {
  if (total === 0) return null;
  const sorted = [...ranks].sort((a, b) => a - b);
  const mid = total >> 1;
  const at = (i: number) => (i < sorted.length ? sorted[i]! : null);
  if (total % 2) return at(mid);
  const a = at(mid - 1);
  const b = at(mid);
  return a === null || b === null ? null : (a + b) / 2;
}
