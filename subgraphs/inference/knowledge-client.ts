import { Cached } from '../../lib/cached';
import type { SubgraphClient } from '../../lib/subgraph-client';
import type { CpicRecommendation } from './domain/drug-response';
import type { FindingEvidence } from './domain/actionable-findings';
import { buildPhenotypeIndex, type PhenotypeIndex } from './domain/phenotype-similarity';
import type { TrialCriteria } from './domain/trial-eligibility';

export interface VariantKnowledge {
  id: string;
  gene: { symbol: string } | null;
  encodes: string[];
  evidence: FindingEvidence[];
}

const VARIANT_SELECTION = `id gene { symbol } encodes
  evidence { id type level direction significance response rating disease { id name } drugs { id name } citation evidenceFor
             source { name recordId url version } }`;
const GUIDELINE_SELECTION = `symbol guidelines { id name url drug { id name } phenotypes { gene phenotype } lookupKey { gene phenotype }
  recommendation strength population implications { gene implication } comments citations source sourceVersion }`;
const TRIAL_PAGE = `query ($filter: TrialFilter!, $first: Int!, $after: ID) {
  trials(filter: $filter, first: $first, after: $after) {
    nctId title phase status conditions
    eligibility { minimumAge maximumAge sex requiredVariants { id } excludedVariants { id }
                  labCriteria { loinc name comparator value unit section } }
  } }`;
const PHENOTYPE_CORPUS = `{ phenotypeCorpus { terms { id name parents } diseases { id name phenotypes genes } } }`;
const TRIAL_PAGE_SIZE = 2000;

interface TrialRecord {
  nctId: string;
  title: string;
  phase: string | null;
  status: string | null;
  conditions: string[];
  eligibility: {
    minimumAge: number | null;
    maximumAge: number | null;
    sex: string | null;
    requiredVariants: { id: string }[];
    excludedVariants: { id: string }[];
    labCriteria: TrialCriteria['labCriteria'];
  };
}

const sexOf = (sex: string | null): TrialCriteria['sex'] => (sex === 'ALL' || sex === 'FEMALE' || sex === 'MALE' ? sex : null);

/**
 * What inference reads from the knowledge-graph subgraph. Per-variant and per-gene knowledge is read
 * per request (batched); the trial catalogue and the HPO corpus are read whole and kept for a few
 * minutes, since every match or ranking needs all of them and they change only on import.
 */
export class KnowledgeClient {
  private readonly trials: Cached<TrialCriteria[]>;
  private readonly phenotypes: Cached<PhenotypeIndex>;

  constructor(
    private readonly client: SubgraphClient,
    cacheTtlMs = 5 * 60_000,
  ) {
    this.trials = new Cached(cacheTtlMs, () => this.fetchTrials());
    this.phenotypes = new Cached(cacheTtlMs, async () => {
      const { phenotypeCorpus } = await this.client.request<{ phenotypeCorpus: Parameters<typeof buildPhenotypeIndex> extends [infer T, infer D] ? { terms: T; diseases: D } : never }>(PHENOTYPE_CORPUS);
      return buildPhenotypeIndex(phenotypeCorpus.terms, phenotypeCorpus.diseases);
    });
  }

  async variants(ids: readonly string[]): Promise<(VariantKnowledge | null)[]> {
    return this.client.entities<VariantKnowledge>('Variant', ids.map((id) => ({ id })), VARIANT_SELECTION);
  }

  /** CPIC recommendations per gene, in the order given (a gene the graph does not know has none). */
  async guidelinesByGene(genes: readonly string[]): Promise<CpicRecommendation[][]> {
    const rows = await this.client.entities<{ symbol: string; guidelines: CpicRecommendation[] }>('Gene', genes.map((symbol) => ({ symbol })), GUIDELINE_SELECTION);
    return rows.map((row) => row?.guidelines ?? []);
  }

  /** Every concept a note can name (read per call; the notes processor keeps it for a while). */
  async conceptDictionary(): Promise<{ id: string; kind: string; names: string[] }[]> {
    const data = await this.client.request<{ conceptDictionary: { id: string; kind: string; names: string[] }[] }>(`{ conceptDictionary { id kind names } }`);
    return data.conceptDictionary;
  }

  trialCatalogue(): Promise<TrialCriteria[]> {
    return this.trials.get();
  }

  phenotypeIndex(): Promise<PhenotypeIndex> {
    return this.phenotypes.get();
  }

  private async fetchTrials(): Promise<TrialCriteria[]> {
    const all: TrialCriteria[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { trials: TrialRecord[] } = await this.client.request(TRIAL_PAGE, { filter: {}, first: TRIAL_PAGE_SIZE, after });
      for (const t of page.trials) {
        all.push({
          nctId: t.nctId,
          title: t.title,
          phase: t.phase,
          status: t.status,
          minimumAgeYears: t.eligibility.minimumAge,
          maximumAgeYears: t.eligibility.maximumAge,
          sex: sexOf(t.eligibility.sex),
          conditions: t.conditions,
          requiredVariants: t.eligibility.requiredVariants.map((v) => ({ id: v.id, gene: null, name: null })),
          excludedVariants: t.eligibility.excludedVariants.map((v) => ({ id: v.id, gene: null, name: null })),
          labCriteria: t.eligibility.labCriteria,
        });
      }
      if (page.trials.length < TRIAL_PAGE_SIZE) return all;
      after = page.trials[page.trials.length - 1]!.nctId;
    }
  }
}
