import type { KnowledgeContext } from '../context';

const Query = {
  gene: (_: unknown, args: { symbol: string }, ctx: KnowledgeContext) => ctx.loaders.gene.load(args.symbol.trim().toUpperCase()),
  drug: (_: unknown, args: { id: string }, ctx: KnowledgeContext) => ctx.loaders.drug.load(args.id),
  trial: (_: unknown, args: { nctId: string }, ctx: KnowledgeContext) => ctx.loaders.trial.load(args.nctId.trim().toUpperCase()),
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
};

const Drug = {
  __resolveReference: (ref: { id: string }, ctx: KnowledgeContext) => ctx.loaders.drug.load(ref.id),
};

const Trial = {
  __resolveReference: (ref: { nctId: string }, ctx: KnowledgeContext) => ctx.loaders.trial.load(ref.nctId),
};

export const resolvers = { Query, Variant, Gene, Drug, Trial };
