import { ErrorCode, HubError } from '../../../lib/errors';
import type { ActionableFinding } from '../domain/actionable-findings';
import { HPO_ID } from '../domain/hpo-ids';
import { DEFAULT_GENE_LIKELIHOOD_RATIO, rankRareDiseases } from '../domain/rare-disease-ranking';
import { rankTrialMatches } from '../domain/trial-eligibility';
import { RiskChangeError, riskWhatIf, type RiskChanges } from '../domain/what-if';
import { screenedRiskInput } from '../domain/cardiovascular';
import type { InferenceContext } from './context';

const MAX_FIRST = 500;
/** similarPatients ranks this many times `first` before keeping those the caller may see. */
const SIMILAR_OVERFETCH = 5;
const notFound = (id: string) => new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${id}" not found`, { field: 'id' });

function checkFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 1..${MAX_FIRST}`, { field: 'first' });
  }
}

/** An ActionableFinding as the schema shows it (Variant and Drug are entity references). */
export function findingView(f: ActionableFinding) {
  return {
    variant: { id: f.variantId },
    gene: f.gene,
    evidenceFor: f.evidence.evidenceFor,
    evidenceId: f.evidence.id,
    evidenceType: f.evidence.type,
    level: f.evidence.level,
    response: f.evidence.response,
    significance: f.evidence.significance,
    disease: f.evidence.disease?.name ?? null,
    matchedCondition: f.matchedCondition,
    drugs: f.evidence.drugs.map((d) => ({ id: d.id })),
    citation: f.evidence.citation,
    source: f.evidence.source,
  };
}

export const PatientRisk = {
  async learned(risk: { patientId?: string }, _: unknown, ctx: InferenceContext) {
    // Risk delivered by riskUpdated carries no patient id: learned risks come with queries only.
    if (!risk.patientId) return [];
    return (await ctx.loaders.learnedRisks(risk.patientId)) ?? [];
  },
};

export const Patient = {
  // mercurius' federation calls it as a resolver: (representation, args, context).
  __resolveReference(ref: { id: string; organization?: string | null; recordVersion?: string | null }, _args: unknown, ctx: InferenceContext) {
    ctx.noteRepresentation(ref);
    return { id: ref.id };
  },

  async risk(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    const risk = await ctx.loaders.risk.load(patient.id);
    if (!risk) throw notFound(patient.id);
    return { ...risk, patientId: patient.id };
  },

  async riskWhatIf(patient: { id: string }, args: { changes: RiskChanges }, ctx: InferenceContext) {
    const snapshot = await ctx.loaders.snapshot.load(patient.id);
    if (!snapshot) throw notFound(patient.id);
    const { input, excluded, record } = screenedRiskInput(snapshot, new Date());
    try {
      return riskWhatIf(input, args.changes, excluded, record);
    } catch (error) {
      if (error instanceof RiskChangeError) throw new HubError(ErrorCode.INVALID_RISK_INPUT, error.message, { field: `changes.${error.field}` });
      throw error;
    }
  },

  async drugResponses(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    const result = await ctx.loaders.drugResponses(patient.id);
    if (!result) throw notFound(patient.id);
    return result.responses.map((r) => ({ ...r, drugName: r.drug.name, drug: { id: r.drug.id } }));
  },

  async medicationAlerts(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    const result = await ctx.loaders.drugResponses(patient.id);
    if (!result) throw notFound(patient.id);
    return result.alerts.map((a) => ({ ...a, drug: { id: a.drug.id } }));
  },

  async warfarinDosing(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    const result = await ctx.loaders.warfarin(patient.id);
    if (!result) throw notFound(patient.id);
    return { ...result.dose, inputs: { ...result.input, vkorc1: result.input.vkorc1Rs9923231 } };
  },

  async actionableFindings(patient: { id: string }, args: { types?: string[] | null; first: number }, ctx: InferenceContext) {
    checkFirst(args.first);
    const findings = await ctx.loaders.actionableFindings(patient.id, args.types?.map((t) => t.toUpperCase()));
    if (!findings) throw notFound(patient.id);
    return findings.slice(0, args.first).map(findingView);
  },

  async trialMatches(patient: { id: string }, args: { status?: string | null; includeNotEligible: boolean; includeUnmatched: boolean; first: number }, ctx: InferenceContext) {
    checkFirst(args.first);
    const [facts, catalogue] = await Promise.all([ctx.loaders.trialFacts(patient.id), ctx.knowledge.trialCatalogue()]);
    if (!facts) throw notFound(patient.id);
    const status = args.status?.trim().toUpperCase().replace(/[\s-]+/g, '_');
    const trials = status ? catalogue.filter((t) => t.status === status) : catalogue;
    const titles = new Map(trials.map((t) => [t.nctId, t.title]));
    return rankTrialMatches(facts, trials, { includeNotEligible: args.includeNotEligible, includeUnmatched: args.includeUnmatched })
      .slice(0, args.first)
      .map((m) => ({ ...m, trial: { nctId: m.nctId }, title: titles.get(m.nctId) ?? m.nctId }));
  },

  async noteFindings(patient: { id: string }, args: { kinds?: string[] | null; includeNegated: boolean }, ctx: InferenceContext) {
    if (!(await ctx.patientExists.load(patient.id))) throw notFound(patient.id);
    const kinds = args.kinds?.map((k) => k.toLowerCase());
    return (await ctx.noteFindings.load(patient.id))
      .filter((f) => (!kinds?.length || kinds.includes(f.kind)) && (args.includeNegated || !f.negated))
      .map((f) => ({
        ...f,
        span: { start: f.start, end: f.end },
        concept: f.conceptId ? { id: f.conceptId, name: f.conceptName } : null,
        model: ctx.notes.modelId,
      }));
  },

  async noteProcessing(patient: { id: string }, _: unknown, ctx: InferenceContext) {
    if (!(await ctx.patientExists.load(patient.id))) throw notFound(patient.id);
    return (await ctx.noteRuns.load(patient.id)).map((r) => ({ ...r, processedAt: r.processedAt.toISOString(), model: ctx.notes.modelId }));
  },

  async similarPatients(patient: { id: string }, args: { first: number }, ctx: InferenceContext) {
    checkFirst(args.first);
    if (!(await ctx.patientExists.load(patient.id))) throw notFound(patient.id);
    // Ranked over every patient, shown only among those the caller may see.
    const similar = await ctx.notes.similarPatients(patient.id, args.first * SIMILAR_OVERFETCH);
    const visible = new Set(await ctx.patientAccess.filter(similar.map((s) => s.patientId)));
    return similar
      .filter((s) => visible.has(s.patientId))
      .slice(0, args.first)
      .map((s) => ({ patient: { id: s.patientId }, similarity: s.similarity }));
  },

  async rareDiseaseCandidates(patient: { id: string }, args: { phenotypes: string[]; excludedPhenotypes?: string[] | null; first: number }, ctx: InferenceContext) {
    checkFirst(args.first);
    const excluded = args.excludedPhenotypes ?? [];
    const malformedExcluded = excluded.filter((id) => !HPO_ID.test(id));
    if (malformedExcluded.length) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `excludedPhenotypes: ${malformedExcluded.map((m) => `"${m}"`).join(', ')} ${malformedExcluded.length > 1 ? 'are not HPO ids' : 'is not an HPO id'} (HP: and 7 digits)`, { field: 'excludedPhenotypes' });
    }
    if (excluded.length > 100) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `excludedPhenotypes: give at most 100 HPO ids, got ${excluded.length}`, { field: 'excludedPhenotypes' });
    }
    const malformed = args.phenotypes.filter((id) => !HPO_ID.test(id));
    if (malformed.length) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `phenotypes: ${malformed.map((m) => `"${m}"`).join(', ')} ${malformed.length > 1 ? 'are not HPO ids' : 'is not an HPO id'} (HP: and 7 digits)`, { field: 'phenotypes' });
    }
    if (args.phenotypes.length === 0 || args.phenotypes.length > 100) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `phenotypes: give 1 to 100 HPO ids, got ${args.phenotypes.length}`, { field: 'phenotypes' });
    }
    const [snapshot, index, genotypes] = await Promise.all([ctx.loaders.snapshot.load(patient.id), ctx.knowledge.phenotypeIndex(), ctx.loaders.variantGenotypes(patient.id)]);
    if (!snapshot) throw notFound(patient.id);
    const patientSex = snapshot.sex === 'FEMALE' ? 'female' : snapshot.sex === 'MALE' ? 'male' : null;
    const ranking = rankRareDiseases(index, args.phenotypes, { patientGenotypes: genotypes, patientSex, limit: args.first, excludedPhenotypes: excluded });
    if (ranking.unknownPhenotypes.length === new Set(args.phenotypes).size) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `phenotypes: none is in the knowledge graph's HPO: ${ranking.unknownPhenotypes.join(', ')}`, { field: 'phenotypes' });
    }
    return {
      candidates: ranking.candidates.map((c) => ({ ...c, diseaseId: c.disease.id, name: c.disease.name })),
      unknownPhenotypes: ranking.unknownPhenotypes,
      method:
        'Phenotype likelihood ratios after LIRICAL (Robinson et al. 2020, PMID:32755546): each phenotype weighed by its HPO annotation frequency in the ' +
        'disease over its frequency across diseases, negative findings (excludedPhenotypes) by (1 − f_disease)/(1 − f_background); score log10 LR, ' +
        `× ${DEFAULT_GENE_LIKELIHOOD_RATIO} when the patient's calls in a disease gene fit the disease's mode of inheritance (two alleles for ` +
        'a recessive disease, one in a male for X-linked recessive; project heuristic, pathogenicity not weighed). Explanations: Resnik similarity ' +
        '(Resnik 1995; IC from annotation frequency, Köhler et al. 2009, PMID:19800049) with best-match average (Pesquita et al. 2009, PMID:19649320)',
    };
  },
};
