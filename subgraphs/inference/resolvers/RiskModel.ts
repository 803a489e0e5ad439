import type { StoredRiskModel } from '../learning/registry';
import { modelCard } from '../learning/training';
import type { InferenceContext } from './context';

function cardView(stored: StoredRiskModel) {
  const card = modelCard(stored.model);
  const gap = card.subgroups.largestAurocGap;
  return {
    ...card,
    trainingFrom: card.trainingWindow.from,
    trainingTo: card.trainingWindow.to,
    trainingN: card.n.training,
    heldOutN: card.n.heldOut,
    outcome: card.outcome.description,
    subgroups: card.subgroups.attributes.flatMap((a) => a.groups.map((g) => ({ ...g, attribute: a.attribute }))),
    largestAurocGap: gap ? { attribute: gap.attribute, value: gap.value, between: gap.between, flagged: gap.flagged } : null,
    biasFlagged: card.subgroups.flagged,
  };
}

export const riskModelQueries = {
  async riskModels(_: unknown, __: unknown, ctx: InferenceContext) {
    return (await ctx.registry.all()).map((m) => ({
      name: m.name,
      version: m.version,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      heldOut: m.model.heldOut,
      biasFlagged: m.model.subgroups.flagged,
      decision: m.decision.reasons,
    }));
  },
  async modelCard(_: unknown, args: { name: string; version?: string | null }, ctx: InferenceContext) {
    const stored = args.version ? await ctx.registry.version(args.name, args.version) : ((await ctx.registry.promoted([args.name])).get(args.name) ?? null);
    return stored ? cardView(stored) : null;
  },
};
