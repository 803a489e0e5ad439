import { Cached, type CachedOptions } from '../../lib/cached';
import { ErrorCode, HubError } from '../../lib/errors';
import { isEligibilitySection, isLabComparator } from '../../lib/contracts/reference/trial-criteria';
import type { SubgraphClient } from '../../lib/subgraph-client';
import {
  InferenceConceptDictionaryDocument,
  InferenceGeneGuidelinesDocument,
  InferencePhenotypeCorpusDocument,
  InferenceTrialPageDocument,
  InferenceVariantKnowledgeDocument,
  type InferenceTrialPageQuery,
} from '../../lib/contracts/generated/knowledge-graph/graphql';
import type { CpicRecommendation } from './domain/drug-response';
import type { FindingEvidence } from './domain/actionable-findings';
import { buildPhenotypeIndex, type PhenotypeIndex } from './domain/phenotype-similarity';
import type { TrialCriteria, TrialLabCriterion } from './domain/trial-eligibility';

export interface VariantKnowledge {
  id: string;
  gene: { symbol: string } | null;
  encodes: string[];
  evidence: FindingEvidence[];
}

const TRIAL_PAGE_SIZE = 2000;

type TrialRecord = InferenceTrialPageQuery['trials'][number];

const sexOf = (sex: string | null): TrialCriteria['sex'] => (sex === 'ALL' || sex === 'FEMALE' || sex === 'MALE' ? sex : null);

/** The schema serves comparator and section as strings; the importer writes only the shared vocabulary (lib/contracts/reference/trial-criteria.ts). */
function labCriterionOf(nctId: string, c: TrialRecord['eligibility']['labCriteria'][number]): TrialLabCriterion {
  const { comparator, section } = c;
  if (!isLabComparator(comparator) || !isEligibilitySection(section)) {
    throw new HubError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      `knowledge-graph subgraph: trial ${nctId} lab criterion ${c.loinc} has comparator "${comparator.slice(0, 20)}" and section "${section.slice(0, 20)}"; expected >=, >, <= or < and inclusion or exclusion`,
    );
  }
  return { ...c, comparator, section };
}

/**
 * How long past its few minutes the trial catalogue or HPO corpus in hand is still answered while a newer
 * one is read in the background. Both change only when an import runs; a read of the catalogue took 0.7–4.3 s
 * (issue 19), which the request that found it old used to wait. So a match is answered at once from a read at
 * most this much older than the cache time, and waits only after a quieter hour than that.
 */
export const KNOWLEDGE_STALE_MS = 60 * 60_000;

/**
 * What inference reads from the knowledge-graph subgraph. Per-variant and per-gene knowledge is read
 * per request (batched); the trial catalogue and the HPO corpus are read whole and kept for a few
 * minutes, since every match or ranking needs all of them and they change only on import. Past that
 * the one in hand is answered while the next is read (KNOWLEDGE_STALE_MS).
 */
export class KnowledgeClient {
  private readonly trials: Cached<TrialCriteria[]>;
  private readonly phenotypes: Cached<PhenotypeIndex>;

  constructor(
    private readonly client: SubgraphClient,
    cacheTtlMs = 5 * 60_000,
    options: Pick<CachedOptions, 'onBackgroundError' | 'now'> = {},
  ) {
    const kept = { staleMs: KNOWLEDGE_STALE_MS, ...options };
    this.trials = new Cached(cacheTtlMs, () => this.fetchTrials(), kept);
    this.phenotypes = new Cached(cacheTtlMs, async () => {
      const { phenotypeCorpus } = await this.client.execute(InferencePhenotypeCorpusDocument, {});
      return buildPhenotypeIndex(phenotypeCorpus.terms, phenotypeCorpus.diseases);
    }, kept);
  }

  async variants(ids: readonly string[]): Promise<(VariantKnowledge | null)[]> {
    return this.client.entitiesOf(InferenceVariantKnowledgeDocument, ids.map((id) => ({ id })));
  }

  /** CPIC recommendations per gene, in the order given (a gene the graph does not know has none). */
  async guidelinesByGene(genes: readonly string[]): Promise<CpicRecommendation[][]> {
    const rows = await this.client.entitiesOf(InferenceGeneGuidelinesDocument, genes.map((symbol) => ({ symbol })));
    return rows.map((row) => row?.guidelines ?? []);
  }

  /** Every concept a note can name (read per call; the notes processor keeps it for a while). */
  async conceptDictionary(): Promise<{ id: string; kind: string; names: string[] }[]> {
    const data = await this.client.execute(InferenceConceptDictionaryDocument, {});
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
      const page: { trials: TrialRecord[] } = await this.client.execute(InferenceTrialPageDocument, { filter: {}, first: TRIAL_PAGE_SIZE, after });
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
          labCriteria: t.eligibility.labCriteria.map((c) => labCriterionOf(t.nctId, c)),
        });
      }
      if (page.trials.length < TRIAL_PAGE_SIZE) return all;
      after = page.trials[page.trials.length - 1]!.nctId;
    }
  }
}
