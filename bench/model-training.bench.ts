/**
 * Training a learned risk model (issue 8) on synthetic patients whose outcome follows a known logistic
 * risk function: time to build features and labels from patient histories, to train (imputation +
 * ridge logistic regression by Newton–Raphson on ml-matrix), and to evaluate on the held-out part
 * (AUROC, Brier, calibration, subgroups); and the trained model's held-out AUROC against the true
 * model's AUROC on the same patients (the ceiling any model can reach on these data).
 *
 *   npx tsx bench/model-training.bench.ts [--patients 100000] [--seed 1]
 *
 * Histories are generated before any timing (deterministic: same seed → same cohort).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { buildTrainingExample, FEATURE_NAMES, fitImputation, toFeatureVector, type TrainingExample } from '../subgraphs/inference/learning/features';
import { train } from '../subgraphs/inference/learning/logistic';
import { auroc } from '../subgraphs/inference/learning/metrics';
import { SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME, syntheticCohort } from '../subgraphs/inference/learning/synthetic-cohort';
import { DEFAULT_LAMBDA, evaluateModel, stratifiedSplit, trainRiskModel } from '../subgraphs/inference/learning/training';

const { values } = parseArgs({ options: { patients: { type: 'string' }, seed: { type: 'string' } } });
const PATIENTS = Number(values.patients ?? 100_000);
const SEED = Number(values.seed ?? 1);
const SPLIT_SEED = 42;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

const generated = syntheticCohort({ patients: PATIENTS, seed: SEED });
const trueRisk = new Map(generated.map((p) => [p.history.id, p.trueRisk]));

let start = process.hrtime.bigint();
const built = generated.map((p) => buildTrainingExample(p.history, SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME));
const featureSeconds = seconds(start);
const examples = built.filter((e): e is TrainingExample => 'features' in e);

// The phases trainRiskModel runs, timed one by one on the same split it uses.
start = process.hrtime.bigint();
const split = stratifiedSplit(
  examples.map((e) => e.outcome),
  SPLIT_SEED,
);
const trainingExamples = split.training.map((i) => examples[i]!);
const heldOutExamples = split.heldOut.map((i) => examples[i]!);
const imputation = fitImputation(trainingExamples.map((e) => e.features));
const logistic = train(
  trainingExamples.map((e) => toFeatureVector(e.features, imputation)),
  trainingExamples.map((e) => e.outcome),
  { lambda: DEFAULT_LAMBDA, featureNames: [...FEATURE_NAMES] },
);
const trainSeconds = seconds(start);
start = process.hrtime.bigint();
const { metrics } = evaluateModel({ imputation, logistic }, heldOutExamples);
const evaluateSeconds = seconds(start);

// The whole pipeline as the caller runs it, for the end-to-end figure.
start = process.hrtime.bigint();
const { model } = trainRiskModel(examples, {
  name: 'bench',
  version: '0',
  createdAt: new Date(),
  trainingWindow: { from: '2015-01-01', to: '2015-01-01' },
  outcome: SYNTHETIC_OUTCOME,
  seed: SPLIT_SEED,
});
const pipelineSeconds = seconds(start);

const trueAuroc = auroc(
  heldOutExamples.map((e) => trueRisk.get(e.patientId)!),
  heldOutExamples.map((e) => e.outcome),
)!;
const f3 = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const f4 = (v: number | null) => (v === null ? '—' : v.toFixed(4));

console.log(`Model training, ${PATIENTS.toLocaleString('en')} synthetic patients (seed ${SEED}), ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
console.log('| Phase | Patients | Seconds |');
console.log('|---|---:|---:|');
console.log(`| Features + outcome labels | ${PATIENTS.toLocaleString('en')} | ${featureSeconds.toFixed(2)} |`);
console.log(`| Split + imputation + training (${logistic.iterations} Newton steps, ${FEATURE_NAMES.length} features) | ${trainingExamples.length.toLocaleString('en')} | ${trainSeconds.toFixed(2)} |`);
console.log(`| Held-out evaluation (AUROC, Brier, calibration, subgroups) | ${heldOutExamples.length.toLocaleString('en')} | ${evaluateSeconds.toFixed(2)} |`);
console.log(`| Total (features + trainRiskModel) | ${PATIENTS.toLocaleString('en')} | ${(featureSeconds + pipelineSeconds).toFixed(2)} |`);
console.log('');
console.log('| Held-out metric | Trained model | True risk function |');
console.log('|---|---:|---:|');
console.log(`| AUROC | ${f3(metrics.auroc)} | ${f3(trueAuroc)} |`);
console.log(`| Brier score | ${f4(metrics.brier)} | — |`);
console.log(`| Calibration slope | ${f3(metrics.calibrationSlope)} | 1 (by construction) |`);
console.log(`| Calibration intercept | ${f3(metrics.calibrationIntercept)} | 0 (by construction) |`);
console.log('');
console.log(
  `Examples: ${examples.length.toLocaleString('en')} labelled (${examples.filter((e) => e.outcome === 1).length.toLocaleString('en')} with the outcome), ` +
    `${(built.length - examples.length).toLocaleString('en')} excluded (censored or prevalent). Subgroup gap flagged: ${model.subgroups.flagged ? `yes — ${model.subgroups.findings.join('; ')}` : 'no'}.`,
);
