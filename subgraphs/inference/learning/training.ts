/**
 * Training a versioned risk model from labelled examples: a seeded stratified split, imputation and
 * standardisation learned from the training part only, a ridge logistic model, held-out metrics and
 * subgroup checks, the promotion rule, and a model card (Mitchell et al., "Model Cards for Model
 * Reporting", FAT* 2019). Pure: the caller stores the result.
 */
import { FEATURE_NAMES, fitImputation, subgroupsOf, toFeatureVector, type Imputation, type OutcomeDefinition, type RawFeatures, type TrainingExample } from './features';
import { perUnitCoefficients, predict, train, type LogisticModel } from './logistic';
import { DEFAULT_SUBGROUP_THRESHOLDS, performance, subgroupMetrics, type PerformanceMetrics, type SubgroupReport, type SubgroupThresholds } from './metrics';

/** Default ridge penalty (per-SD, log-likelihood averaged over n): light shrinkage for ~20 features. */
export const DEFAULT_LAMBDA = 1e-3;
export const DEFAULT_HELD_OUT_FRACTION = 0.2;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit generator, enough to shuffle one cohort for a
 * split; the same seed gives the same split on any machine.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Indices of the training and held-out parts, stratified by outcome so both keep the event rate:
 * within each class the indices are shuffled (Fisher–Yates, seeded) and the first round(fraction × size)
 * held out. Deterministic for a given seed and input order.
 */
export function stratifiedSplit(outcomes: readonly number[], seed: number, heldOutFraction = DEFAULT_HELD_OUT_FRACTION): { training: number[]; heldOut: number[] } {
  const random = mulberry32(seed);
  const training: number[] = [];
  const heldOut: number[] = [];
  for (const cls of [0, 1]) {
    const index = outcomes.flatMap((y, i) => (y === cls ? [i] : []));
    for (let i = index.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [index[i], index[j]] = [index[j]!, index[i]!];
    }
    const cut = Math.round(heldOutFraction * index.length);
    heldOut.push(...index.slice(0, cut));
    training.push(...index.slice(cut));
  }
  return { training: training.sort((a, b) => a - b), heldOut: heldOut.sort((a, b) => a - b) };
}

/** Everything needed to predict with, explain, compare and describe a trained model. */
export interface TrainedRiskModel {
  name: string;
  version: string;
  createdAt: string;
  /** Index dates the examples were taken at. */
  trainingWindow: { from: string; to: string };
  outcome: OutcomeDefinition;
  /** Who the model is for, when restricted (learning/population.ts); absent in versions trained before issue 17. */
  population?: string | null;
  featureNames: string[];
  imputation: Imputation;
  logistic: LogisticModel;
  split: { seed: number; heldOutFraction: number; trainingN: number; heldOutN: number };
  heldOut: PerformanceMetrics;
  subgroups: SubgroupReport;
}

export interface TrainRiskModelOptions {
  name: string;
  version: string;
  createdAt: Date;
  trainingWindow: { from: string; to: string };
  outcome: OutcomeDefinition;
  /** The population restriction's rationale (model-definitions.ts population), kept with the version. */
  population?: string | null;
  lambda?: number;
  seed: number;
  heldOutFraction?: number;
  subgroupThresholds?: SubgroupThresholds;
}

/** Predicted risk for raw features, with the model's own imputation. */
export function predictRisk(model: Pick<TrainedRiskModel, 'imputation' | 'logistic'>, features: RawFeatures): number {
  return predict(model.logistic, toFeatureVector(features, model.imputation));
}

/**
 * Metrics of a model on a set of examples — used on the held-out part at training time, and to score
 * the current model on a candidate's held-out part so the promotion rule compares like with like.
 */
export function evaluateModel(
  model: Pick<TrainedRiskModel, 'imputation' | 'logistic'>,
  examples: readonly TrainingExample[],
  thresholds: SubgroupThresholds = DEFAULT_SUBGROUP_THRESHOLDS,
): { metrics: PerformanceMetrics; subgroups: SubgroupReport } {
  const predictions = examples.map((e) => predictRisk(model, e.features));
  const outcomes = examples.map((e) => e.outcome);
  const groups = examples.map((e) => ({ ...subgroupsOf(e.features) }));
  return { metrics: performance(predictions, outcomes), subgroups: subgroupMetrics(predictions, outcomes, groups, thresholds) };
}

/**
 * Splits, fits imputation and the model on the training part, and evaluates on the held-out part.
 * The stored model is the one evaluated (not refitted on all data), so its metrics describe it exactly.
 */
export function trainRiskModel(examples: readonly TrainingExample[], options: TrainRiskModelOptions): { model: TrainedRiskModel; heldOutExamples: TrainingExample[] } {
  const heldOutFraction = options.heldOutFraction ?? DEFAULT_HELD_OUT_FRACTION;
  const split = stratifiedSplit(
    examples.map((e) => e.outcome),
    options.seed,
    heldOutFraction,
  );
  const trainingExamples = split.training.map((i) => examples[i]!);
  const heldOutExamples = split.heldOut.map((i) => examples[i]!);
  const imputation = fitImputation(trainingExamples.map((e) => e.features));
  const logistic = train(
    trainingExamples.map((e) => toFeatureVector(e.features, imputation)),
    trainingExamples.map((e) => e.outcome),
    { lambda: options.lambda ?? DEFAULT_LAMBDA, featureNames: [...FEATURE_NAMES] },
  );
  const { metrics, subgroups } = evaluateModel({ imputation, logistic }, heldOutExamples, options.subgroupThresholds);
  return {
    model: {
      name: options.name,
      version: options.version,
      createdAt: options.createdAt.toISOString(),
      trainingWindow: options.trainingWindow,
      outcome: options.outcome,
      population: options.population ?? null,
      featureNames: [...FEATURE_NAMES],
      imputation,
      logistic,
      split: { seed: options.seed, heldOutFraction, trainingN: trainingExamples.length, heldOutN: heldOutExamples.length },
      heldOut: metrics,
      subgroups,
    },
    heldOutExamples,
  };
}

/**
 * How much worse than the current model a candidate may be and still replace it. A strict "better"
 * rule would refuse an equally good model trained on newer patients; these margins are below the
 * sampling error of AUROC on a few thousand held-out patients (SE ≈ 0.01), so they accept ties and
 * refuse real loss. Project defaults, not published values.
 */
export interface PromotionTolerances {
  auroc: number;
  brier: number;
}

export const DEFAULT_PROMOTION_TOLERANCES: PromotionTolerances = { auroc: 0.005, brier: 0.002 };

export interface PromotionDecision {
  promote: boolean;
  reasons: string[];
  /** Patients with the outcome when this version was trained (the scheduler retrains on growth). */
  outcomesAtTraining?: number;
}

const sameOutcome = (a: OutcomeDefinition, b: OutcomeDefinition) =>
  a.years === b.years && JSON.stringify([...a.codes].map((c) => `${c.system}|${c.code}`).sort()) === JSON.stringify([...b.codes].map((c) => `${c.system}|${c.code}`).sort());

/**
 * Promote the candidate when there is no current model, or when on the same held-out patients its AUROC
 * is not lower by more than `tolerances.auroc` and its Brier score not higher by more than
 * `tolerances.brier`. Both metrics must be measured on the same patients (score the current model with
 * `evaluateModel` on the candidate's held-out part); metrics from different held-out sets are not
 * comparable. A candidate for a different outcome never replaces the current model.
 */
export function shouldPromote(
  candidate: { outcome: OutcomeDefinition; metrics: Pick<PerformanceMetrics, 'auroc' | 'brier'> },
  current: { outcome: OutcomeDefinition; metrics: Pick<PerformanceMetrics, 'auroc' | 'brier'> } | null,
  tolerances: PromotionTolerances = DEFAULT_PROMOTION_TOLERANCES,
): PromotionDecision {
  if (candidate.metrics.auroc === null) return { promote: false, reasons: ['candidate AUROC undefined: held-out outcomes are all one class'] };
  if (!current) return { promote: true, reasons: ['no current model'] };
  if (!sameOutcome(candidate.outcome, current.outcome)) return { promote: false, reasons: ['candidate predicts a different outcome than the current model'] };
  const reasons: string[] = [];
  const aurocLoss = (current.metrics.auroc ?? 0) - candidate.metrics.auroc;
  const brierLoss = candidate.metrics.brier - current.metrics.brier;
  if (aurocLoss > tolerances.auroc) reasons.push(`AUROC ${candidate.metrics.auroc.toFixed(4)} is ${aurocLoss.toFixed(4)} below the current ${current.metrics.auroc!.toFixed(4)} (tolerance ${tolerances.auroc})`);
  if (brierLoss > tolerances.brier) reasons.push(`Brier ${candidate.metrics.brier.toFixed(4)} is ${brierLoss.toFixed(4)} above the current ${current.metrics.brier.toFixed(4)} (tolerance ${tolerances.brier})`);
  if (reasons.length) return { promote: false, reasons };
  return { promote: true, reasons: [`AUROC change ${(-aurocLoss).toFixed(4)}, Brier change ${brierLoss.toFixed(4)}: within tolerances`] };
}

export interface ModelCard {
  name: string;
  version: string;
  created: string;
  modelType: string;
  intendedUse: string;
  outOfScope: string[];
  trainingWindow: { from: string; to: string };
  n: { training: number; heldOut: number };
  outcome: OutcomeDefinition & { description: string };
  features: { name: string; perUnitCoefficient: number }[];
  missingData: string;
  metrics: PerformanceMetrics;
  subgroups: SubgroupReport;
  limitations: string[];
}

/** The model card: what the model is for, what it was trained and tested on, how well, and for whom not. */
export function modelCard(model: TrainedRiskModel): ModelCard {
  const perUnit = perUnitCoefficients(model.logistic);
  return {
    name: model.name,
    version: model.version,
    created: model.createdAt,
    modelType: `L2-regularised logistic regression (λ = ${model.logistic.lambda}, standardised features), Newton–Raphson`,
    intendedUse: 'Clinical decision support, not a medical device: a risk estimate for a clinician to weigh alongside guideline equations and clinical judgement.',
    outOfScope: [
      'Automated treatment decisions',
      'Patients unlike the training population (see subgroups and limitations)',
      'Individual diagnosis',
      ...(model.population ? [`Patients outside its population, who get no prediction: ${model.population}`] : []),
    ],
    trainingWindow: model.trainingWindow,
    n: { training: model.split.trainingN, heldOut: model.split.heldOutN },
    outcome: {
      ...model.outcome,
      description: `${model.outcome.name}: a condition with one of ${model.outcome.codes.length} codes with onset within ${model.outcome.years} years after the index date; prevalent cases excluded;${model.population ? ' patients with established ASCVD on the index date excluded (a first-event model trained on patients who already had one is biased towards recurrence risk);' : ''} patients followed less than ${model.outcome.years} years without it excluded (censored).`,
    },
    features: model.featureNames.map((name) => ({ name, perUnitCoefficient: perUnit[name]! })),
    missingData: 'Continuous values missing at the index date are filled with the training median, yes/no facts with "absent"; each feature has a missing indicator.',
    metrics: model.heldOut,
    subgroups: model.subgroups,
    limitations: [
      `Held-out metrics are internal validation on a random ${Math.round(model.split.heldOutFraction * 100)}% of the same population and period; performance elsewhere or later needs external or temporal validation.`,
      'Censored patients are excluded rather than weighted: risk is biased when censoring depends on risk (e.g. competing death).',
      'Routine-care data: missingness and coding practice may differ between sites and change over time.',
      'Associations, not causes: a coefficient is not the effect of changing that factor.',
      ...model.subgroups.findings,
    ],
  };
}
