import { ErrorCode, HubError } from '../../../lib/errors';
import type { KnowledgeContext } from '../context';
import type { TrialFilter } from '../repository/knowledge-repository';

export const MAX_RESULTS = 200;

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
  trials(_: unknown, args: { filter: TrialFilter; first: number }, ctx: KnowledgeContext) {
    if (args.first < 1 || args.first > MAX_RESULTS) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `first: ${args.first} is outside 1..${MAX_RESULTS}`, { field: 'first' });
    }
    return ctx.repository.trialsByFilter(args.filter, args.first);
  },
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
};

const Gene = {
  __resolveReference: (ref: { symbol: string }, ctx: KnowledgeContext) => ctx.loaders.gene.load(ref.symbol),
  drugs: (gene: { symbol: string }, _: unknown, ctx: KnowledgeContext) => ctx.loaders.drugsByGene.load(gene.symbol),
};

const Drug = {
  __resolveReference: (ref: { id: string }, ctx: KnowledgeContext) => ctx.loaders.drug.load(ref.id),
};

const Trial = {
  __resolveReference: (ref: { nctId: string }, ctx: KnowledgeContext) => ctx.loaders.trial.load(ref.nctId),
};

export const resolvers = { Query, Variant, Gene, Drug, Trial, Disease };
