import type { Logger } from '../../../lib/logger';
import type { ProcedureRecord } from '../domain/ascvd-applicability';
import { isAssertedCondition } from '../domain/clinical-facts';
import type { SubgraphClient } from '../../../lib/subgraph-client';
import { InferenceTrainingHistoryPageDocument, type InferenceTrainingHistoryPageQuery } from '../../../lib/contracts/generated/patient/graphql';
import { addYears, buildTrainingExample, isoDate, type PatientHistory, type TrainingExample } from './features';
import type { RiskModelDefinition } from './model-definitions';
import type { RiskModelRegistry } from './registry';
import { evaluateModel, shouldPromote, trainRiskModel, type PromotionDecision, type TrainedRiskModel } from './training';

const PAGE_SIZE = 100;
interface HistoryNode {
  id: string;
  birthDate: string | null;
  sex: PatientHistory['sex'];
  race: string | null;
  observations: PatientHistory['observations'];
  conditions: {
    id?: string | null;
    code: { system: string; code: string; display: string | null };
    clinicalStatus: string | null;
    verificationStatus?: string | null;
    onsetAt: string | null;
    recordedAt: string | null;
  }[];
  procedures?: ProcedureRecord[];
  medications: { code: { system: string; code: string; display: string | null }; status: string | null; authoredAt: string | null }[];
}

/**
 * A patient record as learning reads it: asserted conditions only (a refuted or entered-in-error diagnosis is
 * neither a feature, an outcome nor a reason to leave a patient out), with their onset (or, failing that, the
 * date recorded); procedures with their performed date;
 * medications from their order date, still taken unless their status says stopped/completed (the
 * record keeps no end date, so a stopped drug counts from its order date to the extract — documented
 * bias); follow-up to the extract date, since the hub receives a practice's records continuously.
 */
export function historyFromRecord(node: HistoryNode, extractDate: Date): PatientHistory {
  return {
    id: node.id,
    birthDate: node.birthDate,
    sex: node.sex,
    race: node.race,
    observations: node.observations,
    conditions: node.conditions
      .filter(isAssertedCondition)
      .map((c) => ({ id: c.id ?? null, code: c.code, clinicalStatus: c.clinicalStatus, verificationStatus: c.verificationStatus ?? null, onsetAt: c.onsetAt ?? c.recordedAt })),
    procedures: node.procedures ?? [],
    medications: node.medications.map((m) => ({
      code: m.code,
      status: m.status,
      startedAt: m.authoredAt,
      endedAt: m.status && ['stopped', 'completed', 'cancelled', 'entered-in-error'].includes(m.status) ? isoDate(extractDate) : null,
    })),
    followUpEndsAt: isoDate(extractDate),
  };
}

export interface TrainingRun {
  model: TrainedRiskModel;
  decision: PromotionDecision;
  examples: number;
  excluded: Record<string, number>;
}

/**
 * Trains a new version of a model from every patient the patient subgraph holds: features at the index
 * date (`years` before now, so every patient has had the full window to show the outcome), outcome in
 * the window after it; evaluates on a held-out split; scores the promoted version on the same held-out
 * patients and promotes the candidate only when it is not worse (shouldPromote). Stores it either way.
 */
export async function runTraining(opts: {
  definition: RiskModelDefinition;
  patients: SubgraphClient;
  registry: RiskModelRegistry;
  log: Logger;
  now?: Date;
  seed?: number;
  /** The outcome count that triggered training (kept with the version, for the scheduler). */
  outcomesAtTraining?: number;
}): Promise<TrainingRun> {
  const now = opts.now ?? new Date();
  const indexDate = addYears(now, -opts.definition.outcome.years);
  const examples: TrainingExample[] = [];
  const excluded: Record<string, number> = {};
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: InferenceTrainingHistoryPageQuery = await opts.patients.execute(InferenceTrainingHistoryPageDocument, {
      first: PAGE_SIZE,
      after,
    });
    pages += 1;
    for (const { node } of page.patients.edges) {
      const example = buildTrainingExample(historyFromRecord(node, now), indexDate, opts.definition.outcome, opts.definition.population);
      if ('excluded' in example) excluded[example.excluded] = (excluded[example.excluded] ?? 0) + 1;
      else examples.push(example);
    }
    if (!page.patients.pageInfo.hasNextPage || !page.patients.pageInfo.endCursor) break;
    after = page.patients.pageInfo.endCursor;
  }
  opts.log.info({ model: opts.definition.name, patients: examples.length, excluded, pages }, 'training examples read');
  const version = `${now.toISOString().replace(/[-:.]/g, '').slice(0, 18)}Z`; // e.g. 20261129T114800123Z
  const { model, heldOutExamples } = trainRiskModel(examples, {
    name: opts.definition.name,
    version,
    createdAt: now,
    trainingWindow: { from: isoDate(indexDate), to: isoDate(now) },
    outcome: opts.definition.outcome,
    population: opts.definition.population?.rationale ?? null,
    seed: opts.seed ?? Number(version.slice(0, 8)),
  });
  const current = (await opts.registry.promoted([opts.definition.name])).get(opts.definition.name);
  const currentOnSamePatients = current ? { outcome: current.model.outcome, metrics: evaluateModel(current.model, heldOutExamples).metrics } : null;
  const decision = {
    ...shouldPromote({ outcome: model.outcome, metrics: model.heldOut }, currentOnSamePatients),
    ...(opts.outcomesAtTraining === undefined ? {} : { outcomesAtTraining: opts.outcomesAtTraining }),
  };
  await opts.registry.save(model, decision);
  opts.log.info({ model: model.name, version, heldOut: model.heldOut, decision }, decision.promote ? 'model promoted' : 'model kept as candidate');
  return { model, decision, examples: examples.length, excluded };
}
