/**
 * A promoted learned model's answer for one patient now: its prediction with the exact explanation, or,
 * for a patient outside the population the model declares (learning/population.ts), no prediction and the
 * reason with the record behind it — as PCE and PREVENT answer for secondary prevention.
 */
import type { CausingRecord } from '../domain/ascvd-applicability';
import { extractFeatures, toFeatureVector, type PatientHistory } from './features';
import { explain } from './logistic';
import { riskModelDefinition } from './model-definitions';
import { populationExclusion, populationReason } from './population';
import type { StoredRiskModel } from './registry';

export interface LearnedRisk {
  model: string;
  version: string;
  outcome: string;
  horizonYears: number;
  /** False: the patient is outside the model's population; probability and explanation are then null/empty. */
  applicable: boolean;
  notApplicableReason: string | null;
  causedBy: CausingRecord | null;
  probability: number | null;
  baselineLogOdds: number | null;
  contributions: { feature: string; value: number; contribution: number }[];
}

/**
 * Every promoted model's answer for the patient at `at`. The population comes from the model's definition
 * (model-definitions.ts) by name, so a version trained before the definition declared one is held to it too.
 */
export function learnedRisks(models: readonly StoredRiskModel[], history: PatientHistory, at: Date): LearnedRisk[] {
  let features: ReturnType<typeof extractFeatures> | undefined;
  return models.map((stored) => {
    const base = { model: stored.name, version: stored.version, outcome: stored.model.outcome.name, horizonYears: stored.model.outcome.years };
    const population = riskModelDefinition(stored.name)?.population ?? null;
    const excludedBy = populationExclusion(population, history.conditions, history.procedures ?? []);
    if (population && excludedBy) {
      return { ...base, applicable: false, notApplicableReason: populationReason(population, excludedBy), causedBy: excludedBy.causedBy, probability: null, baselineLogOdds: null, contributions: [] };
    }
    features ??= extractFeatures(history, at);
    const explanation = explain(stored.model.logistic, toFeatureVector(features, stored.model.imputation));
    return {
      ...base,
      applicable: true,
      notApplicableReason: null,
      causedBy: null,
      probability: Math.round(explanation.probability * 10000) / 10000,
      baselineLogOdds: explanation.baselineLogOdds,
      contributions: explanation.contributions,
    };
  });
}
