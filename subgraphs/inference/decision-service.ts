import DataLoader from 'dataloader';
import type { OrganizationNotingReads } from '../../lib/patient-client';
import type { SubgraphClient } from '../../lib/subgraph-client';
import { geneAt } from '../../lib/contracts/reference/gene-coordinates';
import { InferencePatientGenomicsDocument } from '../../lib/contracts/generated/genomics/graphql';
import { InferencePatientSnapshotDocument } from '../../lib/contracts/generated/patient/graphql';
import { rankActionableFindings, type ActionableFinding } from './domain/actionable-findings';
import { ageOn, estimateCardiovascularRisk, screenedRiskInput, type ClinicalSnapshot, type RiskEstimate } from './domain/cardiovascular';
import { isPresentCondition } from './domain/clinical-facts';
import type { CarriedZygosity, GeneGenotype } from './domain/genotype-fit';
import type { SnapshotCache } from './snapshot-cache';
import { drugResponses, type CpicRecommendation, type DrugResponse, type MedicationAlert, type PgxCall } from './domain/drug-response';
import type { PatientFacts } from './domain/trial-eligibility';
import { iwpcWarfarinDose, type WarfarinDose, type WarfarinInput } from './domain/warfarin';
import { warfarinInputFromRecord } from './domain/warfarin-input';
import type { KnowledgeClient, VariantKnowledge } from './knowledge-client';
import { learnedRisks, type LearnedRisk } from './learning/learned-risk';
import { RISK_MODEL_DEFINITIONS } from './learning/model-definitions';
import type { RiskModelRegistry, StoredRiskModel } from './learning/registry';
import { historyFromRecord } from './learning/training-job';

/** The carried zygosities (the genomics page holds no others; a new enum value is not taken for one). */
function isCarried(zygosity: string): zygosity is CarriedZygosity {
  return zygosity === 'HETEROZYGOUS' || zygosity === 'HOMOZYGOUS_ALTERNATE' || zygosity === 'HEMIZYGOUS';
}

export interface PatientGenomics {
  /** null: no variant calls stored for the patient (not sequenced, as far as the hub knows). */
  variantIds: string[] | null;
  /** The clinically relevant calls (genes the hub knows, FILTER PASS) with their gene and zygosity; empty when none. */
  clinicalCalls: { variantId: string; gene: string | null; zygosity: CarriedZygosity }[];
  pharmacogenomics: PgxCall[];
}

export interface PatientRisk {
  cardiovascular: RiskEstimate;
}

export interface DecisionClients {
  registry: RiskModelRegistry;
  /** Reads the clinical snapshot (InferencePatientSnapshot, with the organisation: see context.ts). */
  patients: OrganizationNotingReads;
  genomics: SubgraphClient;
  knowledge: KnowledgeClient;
}

/** GRCh38:<chrom>:<pos>:... → the gene it falls in (the shipped GRCh38 gene table), for gene-level joins. */
function geneOfVariant(id: string): string | null {
  const [, chrom, pos] = id.split(':');
  return chrom && pos ? geneAt(chrom, Number(pos)) : null;
}

export type { LearnedRisk } from './learning/learned-risk';

/**
 * One set of batched loaders per request (or per event batch): every field of every patient in the
 * request shares one call per subgraph and kind of data.
 */
/**
 * Records kept across requests (snapshot-cache.ts) and the record version this request's representations carry for
 * a patient (undefined: none, so the record is read).
 */
export interface SnapshotReuse {
  cache: SnapshotCache;
  versionOf(patientId: string): string | undefined;
  /** A record answered from the cache, as the patient subgraph's answer would have been noted (its organisation). */
  reused(record: ClinicalSnapshot): void;
}

export function createDecisionLoaders(clients: DecisionClients, now: () => Date = () => new Date(), reuse?: SnapshotReuse) {
  let promoted: Promise<StoredRiskModel[]> | undefined;
  // Read once per request: every patient of the request is scored by the same versions.
  const promotedModels = () => (promoted ??= clients.registry.promoted(Object.keys(RISK_MODEL_DEFINITIONS)).then((m) => [...m.values()]));
  // What decisions read from the patient subgraph: the risk snapshot plus condition names.
  const readSnapshots = (ids: readonly string[]) => clients.patients.patientsOf(InferencePatientSnapshotDocument, ids) as Promise<(ClinicalSnapshot | null)[]>;
  const snapshot = new DataLoader<string, ClinicalSnapshot | null>(async (ids) => {
    if (!reuse) return readSnapshots(ids);
    const versions = ids.map((id) => reuse.versionOf(id));
    const found = ids.map((id, i) => (versions[i] === undefined ? undefined : reuse.cache.get(id, versions[i]!)));
    for (const record of found) if (record) reuse.reused(record);
    const missing = ids.flatMap((_, i) => (found[i] === undefined ? [i] : []));
    if (missing.length === 0) return found as ClinicalSnapshot[];
    const read = await readSnapshots(missing.map((i) => ids[i]!));
    missing.forEach((position, j) => {
      const record = read[j] ?? null;
      found[position] = record ?? undefined;
      if (record && versions[position] !== undefined) reuse.cache.set(ids[position]!, versions[position]!, record);
    });
    return found.map((record) => record ?? null);
  });
  const genomics = new DataLoader<string, PatientGenomics>(async (ids) => {
    const rows = await clients.genomics.entitiesOf(InferencePatientGenomicsDocument, ids.map((id) => ({ id })));
    return rows.map((row) => {
      const clinicalCalls = (row?.clinical ?? []).flatMap((c) =>
        isCarried(c.zygosity) ? [{ variantId: c.variant.id, gene: c.geneSymbol ?? geneOfVariant(c.variant.id), zygosity: c.zygosity }] : [],
      );
      return {
        variantIds: row && row.any && row.any.length > 0 ? clinicalCalls.map((c) => c.variantId) : null,
        clinicalCalls,
        pharmacogenomics: row?.pharmacogenomics ?? [],
      };
    });
  });
  const variantKnowledge = new DataLoader<string, VariantKnowledge | null>((ids) => clients.knowledge.variants(ids), { maxBatchSize: 1000 });
  const guidelines = new DataLoader<string, CpicRecommendation[]>((genes) => clients.knowledge.guidelinesByGene(genes));

  const risk = new DataLoader<string, PatientRisk | null>(async (ids) => {
    const snapshots = await snapshot.loadMany(ids);
    return snapshots.map((s) => {
      if (s instanceof Error) return s;
      if (!s) return null;
      const { input, excluded, record } = screenedRiskInput(s, now());
      return { cardiovascular: estimateCardiovascularRisk(input, excluded, record) };
    });
  });

  async function knowledgeOf(variantIds: string[]): Promise<VariantKnowledge[]> {
    const rows = await variantKnowledge.loadMany(variantIds);
    return rows.filter((r): r is VariantKnowledge => r !== null && !(r instanceof Error));
  }

  return {
    snapshot,
    genomics,
    risk,

    async drugResponses(patientId: string): Promise<{ responses: DrugResponse[]; alerts: MedicationAlert[] } | null> {
      const [s, g] = await Promise.all([snapshot.load(patientId), genomics.load(patientId)]);
      if (!s) return null;
      const genes = [...new Set(g.pharmacogenomics.map((c) => c.gene))];
      const recommendations = (await guidelines.loadMany(genes)).flatMap((r) => {
        if (r instanceof Error) throw r;
        return r;
      });
      return drugResponses(g.pharmacogenomics, recommendations, s.medications);
    },

    async actionableFindings(patientId: string, types?: readonly string[]): Promise<ActionableFinding[] | null> {
      const [s, g] = await Promise.all([snapshot.load(patientId), genomics.load(patientId)]);
      if (!s) return null;
      const knowledge = await knowledgeOf(g.variantIds ?? []);
      const variants = knowledge.map((k) => ({ variantId: k.id, gene: k.gene?.symbol ?? geneOfVariant(k.id), evidence: k.evidence }));
      return rankActionableFindings(variants, s.conditions as Parameters<typeof rankActionableFindings>[1], types);
    },

    /** The patient as trial matching sees them. */
    async trialFacts(patientId: string): Promise<PatientFacts | null> {
      const [s, g] = await Promise.all([snapshot.load(patientId), genomics.load(patientId)]);
      if (!s) return null;
      const knowledge = await knowledgeOf(g.variantIds ?? []);
      const latestLabs = new Map<string, { value: number; unit: string; effectiveAt: string }>();
      for (const o of s.observations) {
        if (o.value === null || o.unit === null || o.excludedReason) continue;
        const held = latestLabs.get(o.code);
        if (!held || o.effectiveAt > held.effectiveAt) latestLabs.set(o.code, { value: o.value, unit: o.unit, effectiveAt: o.effectiveAt });
      }
      const sex = s.sex === 'FEMALE' ? 'female' : s.sex === 'MALE' ? 'male' : s.sex === 'OTHER' ? 'other' : s.sex === 'UNKNOWN' ? 'unknown' : null;
      const at = now();
      return {
        ageYears: s.birthDate ? ageOn(s.birthDate, at) : null,
        sex,
        conditions: s.conditions
          .filter(isPresentCondition)
          .map((c) => ({ code: c.code.code, system: c.code.system, display: (c.code as { display?: string | null }).display ?? null })),
        variantIds: g.variantIds,
        variantKnowledge: knowledge.map((k) => ({ id: k.id, gene: k.gene?.symbol ?? null, encodes: k.encodes })),
        latestLabs,
      };
    },

    /** The IWPC warfarin dose estimate from the patient's record and pharmacogenomic results. */
    async warfarin(patientId: string): Promise<{ input: WarfarinInput; dose: WarfarinDose } | null> {
      const [s, g] = await Promise.all([snapshot.load(patientId), genomics.load(patientId)]);
      if (!s) return null;
      const input = warfarinInputFromRecord(s, g.pharmacogenomics, now());
      return { input, dose: iwpcWarfarinDose(input) };
    },

    /** Each promoted trained model's prediction for the patient now (none outside its population), with its exact explanation. */
    async learnedRisks(patientId: string): Promise<LearnedRisk[] | null> {
      const [s, models] = await Promise.all([snapshot.load(patientId), promotedModels()]);
      if (!s) return null;
      const at = now();
      return learnedRisks(models, historyFromRecord(s as unknown as Parameters<typeof historyFromRecord>[0], at), at);
    },

    /** The patient's clinically relevant calls per gene, with zygosity (for the rare-disease gene factor). */
    async variantGenotypes(patientId: string): Promise<GeneGenotype[]> {
      const g = await genomics.load(patientId);
      const byGene = new Map<string, CarriedZygosity[]>();
      for (const call of g.clinicalCalls) if (call.gene !== null) byGene.set(call.gene, [...(byGene.get(call.gene) ?? []), call.zygosity]);
      return [...byGene].map(([gene, calls]) => ({ gene, calls }));
    },
  };
}

export type DecisionLoaders = ReturnType<typeof createDecisionLoaders>;
