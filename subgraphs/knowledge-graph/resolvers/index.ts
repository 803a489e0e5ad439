import { ErrorCode, HubError } from '../../../lib/errors';
import type { KnowledgeContext } from '../context';
import type { EvidenceRecord, GuidelineRecord, TrialFilter } from '../repository/knowledge-repository';

export const MAX_RESULTS = 200;
/** Trial matching reads the whole catalogue page by page; a page may be larger than other lists. */
export const MAX_TRIALS = 2000;

const EVIDENCE_TYPES = new Set(['PREDICTIVE', 'PROGNOSTIC', 'DIAGNOSTIC', 'PREDISPOSING', 'ONCOGENIC', 'FUNCTIONAL']);
const RESPONSES = new Set(['SENSITIVITY', 'REDUCED_SENSITIVITY', 'RESISTANCE', 'ADVERSE_RESPONSE']);
const PMID = /(?:PMID|PubMed):\s*(\d+)/i;

/** The record an evidence item came from; the project's own seed records link their PubMed citation. */
function evidenceView(e: EvidenceRecord) {
  const pmid = PMID.exec(e.citation)?.[1];
  return {
    ...e,
    type: e.type && EVIDENCE_TYPES.has(e.type) ? e.type : null,
    response: e.response && RESPONSES.has(e.response) ? e.response : null,
    drugs: [...e.drugs].sort((a, b) => a.name.localeCompare(b.name)),
    lastReviewed: e.lastReviewed ?? null,
    source: { ...e.source, url: e.source.url ?? (pmid ? `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` : null) },
  };
}

/** A guideline's per-gene table, stored as a JSON object; unreadable → empty (it then applies to no one). */
function genePhenotypes(json: string | null): { gene: string; phenotype: string }[] {
  try {
    return Object.entries(JSON.parse(json ?? '{}') as Record<string, string>).map(([gene, phenotype]) => ({ gene, phenotype: String(phenotype) }));
  } catch {
    return [];
  }
}

/** CPIC writes "n/a" where a gene's result has no implication (e.g. an untested NUDT15): left out. */
const NOT_APPLICABLE = /^n\/a$/i;

function guidelineView(g: GuidelineRecord) {
  return {
    ...g,
    phenotypes: genePhenotypes(g.phenotypes),
    lookupKey: genePhenotypes(g.lookupKey ?? g.phenotypes),
    strength: g.classification,
    population: g.population?.trim() || null,
    implications: genePhenotypes(g.implications)
      .filter((i) => i.phenotype.trim() && !NOT_APPLICABLE.test(i.phenotype.trim()))
      .map((i) => ({ gene: i.gene, implication: i.phenotype })),
    comments: g.comments && !NOT_APPLICABLE.test(g.comments.trim()) ? g.comments : null,
    citations: g.citations ?? [],
  };
}

function checkSearch(text: string, first: number, field: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 2 || trimmed.length > 100) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${field}: give 2 to 100 characters to search for`, { field });
  }
  if (first < 1 || first > MAX_RESULTS) throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${first} is outside 1..${MAX_RESULTS}`, { field: 'first' });
  return trimmed;
}

const Query = {
  gene: (_: unknown, args: { symbol: string }, ctx: KnowledgeContext) => ctx.loaders.gene.load(args.symbol.trim().toUpperCase()),
  drug: (_: unknown, args: { id: string }, ctx: KnowledgeContext) => ctx.loaders.drug.load(args.id),
  drugs: (_: unknown, args: { search: string; first: number }, ctx: KnowledgeContext) =>
    ctx.repository.drugsBySearch(checkSearch(args.search, args.first, 'search'), args.first),
  trial: (_: unknown, args: { nctId: string }, ctx: KnowledgeContext) => ctx.loaders.trial.load(args.nctId.trim().toUpperCase()),
  trials(_: unknown, args: { filter: TrialFilter; first: number; after?: string | null }, ctx: KnowledgeContext) {
    if (args.first < 1 || args.first > MAX_TRIALS) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${args.first} is outside 1..${MAX_TRIALS}`, { field: 'first' });
    }
    const near = args.filter.near;
    if (near) {
      if (!(Math.abs(near.latitude) <= 90)) throw new HubError(ErrorCode.BAD_USER_INPUT, `filter.near.latitude: ${near.latitude} is outside -90..90`, { field: 'filter.near.latitude' });
      if (!(Math.abs(near.longitude) <= 180)) throw new HubError(ErrorCode.BAD_USER_INPUT, `filter.near.longitude: ${near.longitude} is outside -180..180`, { field: 'filter.near.longitude' });
      if (!(near.radiusKm >= 1 && near.radiusKm <= 20_000)) throw new HubError(ErrorCode.BAD_USER_INPUT, `filter.near.radiusKm: ${near.radiusKm} is outside 1..20000`, { field: 'filter.near.radiusKm' });
    }
    const status = args.filter.status?.trim().toUpperCase().replace(/[\s-]+/g, '_');
    return ctx.repository.trialsByFilter({ ...args.filter, status: status || null }, args.first, args.after ?? null);
  },
  knowledgeBaseVersions: (_: unknown, __: unknown, ctx: KnowledgeContext) => ctx.repository.knowledgeBaseVersions(),
  phenotypeCorpus: (_: unknown, __: unknown, ctx: KnowledgeContext) => ctx.repository.phenotypeCorpus(),
  conceptDictionary: (_: unknown, __: unknown, ctx: KnowledgeContext) => ctx.repository.conceptDictionary(),
  disease: (_: unknown, args: { id: string }, ctx: KnowledgeContext) => ctx.loaders.disease.load(args.id.trim()),
  phenotypeSearch: (_: unknown, args: { text: string; first: number }, ctx: KnowledgeContext) =>
    ctx.repository.phenotypesBySearch(checkSearch(args.text, args.first, 'text'), args.first),
};

const Disease = {
  phenotypes: (disease: { id: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.phenotypesByDisease.load(disease.id),
};

/**
 * A variant the graph does not know still resolves (other subgraphs own it): its knowledge fields
 * are then null or empty rather than an error.
 */
const Variant = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  gene: async (v: { id: string }, _: unknown, ctx: KnowledgeContext) => (await ctx.loaders.variant.load(v.id))?.gene ?? null,
  proteinChange: async (v: { id: string }, _: unknown, ctx: KnowledgeContext) =>
    (await ctx.loaders.variant.load(v.id))?.proteinChange ?? null,
  therapies: (v: { id: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.therapies.load(v.id),
  trials: (v: { id: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.trialsByVariant.load(v.id),
  async evidence(v: { id: string }, args: { types?: string[] | null }, ctx: KnowledgeContext) {
    const all = (await ctx.loaders.evidence.load(v.id)).map(evidenceView);
    return args.types?.length ? all.filter((e) => e.type !== null && args.types!.includes(e.type)) : all;
  },
  encodes: async (v: { id: string }, _: unknown, ctx: KnowledgeContext) => [...((await ctx.loaders.variant.load(v.id))?.encodes ?? [])].sort(),
};

const Gene = {
  __resolveReference: (ref: { symbol: string }, ctx: KnowledgeContext) => ctx.loaders.gene.load(ref.symbol),
  drugs: (gene: { symbol: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.drugsByGene.load(gene.symbol),
  diseases: (gene: { symbol: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.diseasesByGene.load(gene.symbol),
  guidelines: async (gene: { symbol: string }, _: unknown, ctx: KnowledgeContext) => (await ctx.loaders.guidelinesByGene.load(gene.symbol)).map(guidelineView),
};

const Drug = {
  __resolveReference: (ref: { id: string }, ctx: KnowledgeContext) => ctx.loaders.drug.load(ref.id),
  rxnormCui: (drug: { id: string }) => (/^\d+$/.test(drug.id) ? drug.id : null),
  interactions: async (drug: { id: string }, _: unknown, ctx: KnowledgeContext) =>
    (await ctx.loaders.interactionsByDrug.load(drug.id)).map((i) => ({ ...i, gene: { symbol: i.gene } })),
  guidelines: async (drug: { id: string }, _: unknown, ctx: KnowledgeContext) => (await ctx.loaders.guidelinesByDrug.load(drug.id)).map(guidelineView),
};

const DrugGeneInteraction = {
  gene: (i: { gene: { symbol: string } }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.gene.load(i.gene.symbol).then((g) => g ?? i.gene),
};

const Trial = {
  __resolveReference: (ref: { nctId: string }, ctx: KnowledgeContext) => ctx.loaders.trial.load(ref.nctId),
  async eligibility(trial: { nctId: string }, _: unknown, ctx: KnowledgeContext) {
    const e = await ctx.loaders.eligibility.load(trial.nctId);
    let labCriteria: unknown[] = [];
    try {
      labCriteria = e.labCriteria ? (JSON.parse(e.labCriteria) as unknown[]) : [];
    } catch {
      // Unreadable criteria are not criteria; the text is still returned.
    }
    return {
      ...e,
      sex: e.sex ? e.sex.toUpperCase() : null,
      requiredVariants: [...e.requiredVariants].sort().map((id) => ({ id })),
      excludedVariants: [...e.excludedVariants].sort().map((id) => ({ id })),
      labCriteria,
    };
  },
  sites: (trial: { nctId: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.sites.load(trial.nctId),
};

export const resolvers = { Query, Variant, Gene, Drug, DrugGeneInteraction, Trial, Disease };
