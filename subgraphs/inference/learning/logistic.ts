/**
 * L2-regularised (ridge) logistic regression, fitted by Newton–Raphson / iteratively reweighted least
 * squares (IRLS; McCullagh & Nelder, Generalized Linear Models, 2nd ed. 1989, §4.4; Hastie, Tibshirani
 * & Friedman, The Elements of Statistical Learning, 2nd ed. 2009, §4.4.1 and §3.4.1 for the ridge term).
 *
 * Library: `ml-matrix` (mljs) does the linear algebra — the weighted cross-products and the Cholesky
 * solve of each Newton step. Options weighed (npm, 2025–26):
 *  - `ml-logistic-regression` 2.0.0: fixed-step gradient descent (50 000 steps, learning rate 5e-4 by
 *    default), no L2 penalty, no convergence test, no intercept handling, one-vs-all class labels out
 *    rather than probabilities, no type definitions. It would give a different answer per step size.
 *  - `ml-xgboost` 1.1.2: an xgboost WASM build on ml-matrix 5, asynchronous loading, no types, and a
 *    boosted model has no exact per-feature decomposition of the kind issue 8 asks for.
 *  - `@tensorflow/tfjs`: hundreds of MB with native bindings for a 20-coefficient convex problem, and
 *    its optimisers are first-order (Adam/SGD) with the same step-size question.
 *  - `ml-matrix` 6.15: maintained (mljs, releases through 2026), typed, no native code; its
 *    `transposeMultiply` and `CholeskyDecomposition` are exactly what a Newton step needs.
 * The penalised log-likelihood is strictly concave for λ > 0, so Newton's method converges
 * quadratically from β = 0 to the unique optimum; a few lines of IRLS with a convergence test and step
 * halving (a guard, rarely used) are easier to verify than a tuned first-order optimiser.
 *
 * Features are standardised (training mean and SD, kept with the model) before fitting, so λ penalises
 * every coefficient on the same per-SD scale; the intercept is not penalised. The objective maximised is
 *   (1/n) Σ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − (λ/2) Σⱼ βⱼ²,   ηᵢ = β₀ + offsetᵢ + Σⱼ βⱼ zᵢⱼ,
 * with the log-likelihood averaged over n so one λ means the same amount of shrinkage at any sample size.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export interface LogisticModel {
  featureNames: string[];
  /** Per-SD coefficients: the change in log-odds for a one-SD increase in the feature. */
  coefficients: number[];
  /** Log-odds at the training mean of every feature. */
  intercept: number;
  /** Training means and SDs each feature is standardised with (SD 1 for a constant feature). */
  means: number[];
  sds: number[];
  lambda: number;
  iterations: number;
}

export interface TrainOptions {
  /** Ridge penalty on the per-SD coefficients (see the objective above); 0 for plain maximum likelihood. */
  lambda?: number;
  featureNames?: string[];
  /** A fixed term added to every linear predictor, e.g. logit(p) when fitting calibration-in-the-large. */
  offset?: readonly number[];
  maxIterations?: number;
  /** Converged when no coefficient moves by more than this (per-SD scale, default 1e-6 — far below any reported precision) in one Newton step. */
  tolerance?: number;
}

/** Why a model could not be trained; thrown by pure code, never returned as a half-trained model. */
export class ModelTrainingError extends Error {
  override name = 'ModelTrainingError';
  constructor(
    readonly code: 'INVALID_TRAINING_DATA' | 'NOT_CONVERGED',
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_ITERATIONS = 50;
const DEFAULT_TOLERANCE = 1e-6;
/** Step halvings before a Newton step is given up on; a concave objective needs them only far from the optimum. */
const MAX_HALVINGS = 30;
/** Only a tiny ridge: keeps the Hessian positive definite when λ = 0 and a column is constant. */
const JITTER = 1e-10;

export const logistic = (eta: number) => (eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta)));
export const logit = (p: number) => Math.log(p / (1 - p));
/** log(1 + e^η) without overflow. */
const softplus = (eta: number) => (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));

function columnStats(X: readonly (readonly number[])[], p: number): { means: number[]; sds: number[] } {
  const n = X.length;
  const means = new Array<number>(p).fill(0);
  const sds = new Array<number>(p).fill(0);
  for (const row of X) for (let j = 0; j < p; j++) means[j]! += row[j]! / n;
  for (const row of X) for (let j = 0; j < p; j++) sds[j]! += (row[j]! - means[j]!) ** 2 / n;
  // A constant column (e.g. a missing indicator never set in training) has nothing to learn from: SD 1
  // leaves it at zero after centring, and its coefficient stays 0.
  return { means, sds: sds.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

/** Fits the model; throws ModelTrainingError on unusable data or when Newton's method does not converge. */
export function train(X: readonly (readonly number[])[], y: readonly number[], options: TrainOptions = {}): LogisticModel {
  const n = X.length;
  const p = X[0]?.length ?? 0;
  const lambda = options.lambda ?? 0;
  const offset = options.offset;
  const featureNames = options.featureNames ?? Array.from({ length: p }, (_, j) => `x${j}`);
  if (n === 0) throw new ModelTrainingError('INVALID_TRAINING_DATA', 'no training rows');
  if (y.length !== n) throw new ModelTrainingError('INVALID_TRAINING_DATA', `${n} rows but ${y.length} labels`);
  if (offset && offset.length !== n) throw new ModelTrainingError('INVALID_TRAINING_DATA', `${n} rows but ${offset.length} offsets`);
  if (featureNames.length !== p) throw new ModelTrainingError('INVALID_TRAINING_DATA', `${p} columns but ${featureNames.length} feature names`);
  if (!(lambda >= 0)) throw new ModelTrainingError('INVALID_TRAINING_DATA', `lambda must be ≥ 0, got ${lambda}`);
  let events = 0;
  for (let i = 0; i < n; i++) {
    if (X[i]!.length !== p) throw new ModelTrainingError('INVALID_TRAINING_DATA', `row ${i} has ${X[i]!.length} columns, expected ${p}`);
    if (y[i] !== 0 && y[i] !== 1) throw new ModelTrainingError('INVALID_TRAINING_DATA', `label ${i} is ${y[i]}, expected 0 or 1`);
    events += y[i]!;
  }
  if (events === 0 || events === n) throw new ModelTrainingError('INVALID_TRAINING_DATA', 'labels are all one class');

  const { means, sds } = columnStats(X, p);
  // Design matrix: a column of ones, then the standardised features.
  const Z = new Matrix(n, p + 1);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    Z.set(i, 0, 1);
    for (let j = 0; j < p; j++) {
      const value = row[j]!;
      if (!Number.isFinite(value)) throw new ModelTrainingError('INVALID_TRAINING_DATA', `row ${i}, ${featureNames[j]}: ${value} is not a number`);
      Z.set(i, j + 1, (value - means[j]!) / sds[j]!);
    }
  }
  const penalty = (beta: number[]) => {
    let s = 0;
    for (let j = 1; j <= p; j++) s += beta[j]! ** 2;
    return (lambda / 2) * s;
  };
  const linearPredictor = (beta: number[]) => {
    const eta = Z.mmul(Matrix.columnVector(beta)).to1DArray();
    if (offset) for (let i = 0; i < n; i++) eta[i]! += offset[i]!;
    return eta;
  };
  const objective = (eta: number[], beta: number[]) => {
    let ll = 0;
    for (let i = 0; i < n; i++) ll += y[i]! * eta[i]! - softplus(eta[i]!);
    return ll / n - penalty(beta);
  };

  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  let beta = new Array<number>(p + 1).fill(0);
  let eta = linearPredictor(beta);
  let current = objective(eta, beta);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const weights = new Array<number>(n);
    const residual = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const mu = logistic(eta[i]!);
      weights[i] = mu * (1 - mu);
      residual[i] = y[i]! - mu;
    }
    // Gradient and (negated) Hessian of the objective: g = Zᵀ(y − μ)/n − λβ, H = ZᵀWZ/n + λI (no penalty on β₀).
    const gradient = Z.transposeMultiply(Matrix.columnVector(residual)).div(n);
    const weighted = Z.transposeMultiply(Z.clone().mulColumnVector(weights));
    // ZᵀWZ is symmetric in exact arithmetic; rounding leaves it off by an ulp, which Cholesky rejects.
    const hessian = weighted.add(weighted.transpose()).div(2 * n);
    for (let j = 0; j <= p; j++) {
      if (j > 0) gradient.set(j, 0, gradient.get(j, 0) - lambda * beta[j]!);
      hessian.set(j, j, hessian.get(j, j) + (j > 0 ? lambda : 0) + JITTER);
    }
    const cholesky = new CholeskyDecomposition(hessian);
    if (!cholesky.isPositiveDefinite()) {
      throw new ModelTrainingError('NOT_CONVERGED', `Hessian not positive definite at iteration ${iteration}; are two features identical and λ = 0?`);
    }
    const step = cholesky.solve(gradient).to1DArray();
    let scale = 1;
    let next = beta.map((b, j) => b + step[j]!);
    let nextEta = linearPredictor(next);
    let nextObjective = objective(nextEta, next);
    for (let halving = 0; nextObjective < current - 1e-15 && halving < MAX_HALVINGS; halving++) {
      scale /= 2;
      next = beta.map((b, j) => b + scale * step[j]!);
      nextEta = linearPredictor(next);
      nextObjective = objective(nextEta, next);
    }
    const moved = Math.max(...step.map((s) => Math.abs(scale * s)));
    beta = next;
    eta = nextEta;
    current = nextObjective;
    if (moved < tolerance) {
      return { featureNames: [...featureNames], coefficients: beta.slice(1), intercept: beta[0]!, means, sds, lambda, iterations: iteration };
    }
  }
  throw new ModelTrainingError('NOT_CONVERGED', `no convergence in ${maxIterations} Newton iterations (λ = ${lambda}); perfect separation needs λ > 0`);
}

/** Log-odds for one feature vector (in the model's feature order, unstandardised). */
export function predictLogOdds(model: LogisticModel, x: readonly number[], offset = 0): number {
  let eta = model.intercept + offset;
  for (let j = 0; j < model.coefficients.length; j++) eta += (model.coefficients[j]! * (x[j]! - model.means[j]!)) / model.sds[j]!;
  return eta;
}

/** Predicted probability of the outcome. */
export function predict(model: LogisticModel, x: readonly number[]): number {
  return logistic(predictLogOdds(model, x));
}

/** Coefficients per original unit of each feature (β / SD), for reporting next to published ones. */
export function perUnitCoefficients(model: LogisticModel): Record<string, number> {
  return Object.fromEntries(model.featureNames.map((name, j) => [name, model.coefficients[j]! / model.sds[j]!]));
}

export interface Explanation {
  /** Log-odds of a patient at the training mean of every feature (the model intercept). */
  baselineLogOdds: number;
  /** Each feature's contribution to the log-odds relative to the training mean, largest magnitude first. */
  contributions: { feature: string; value: number; contribution: number }[];
  /** baselineLogOdds + Σ contributions — equal to the prediction's log-odds. */
  logOdds: number;
  probability: number;
}

/**
 * Exact additive explanation for a linear model: contribution_j = β_j (x_j − mean_j) / SD_j, so the
 * baseline plus the contributions is the prediction's log-odds, with nothing left over. This is what
 * SHAP values reduce to for a linear model with independent features (Lundberg & Lee, NeurIPS 2017,
 * "Linear SHAP"), taken on the log-odds scale where the model is additive.
 */
export function explain(model: LogisticModel, x: readonly number[]): Explanation {
  const contributions = model.featureNames.map((feature, j) => ({
    feature,
    value: x[j]!,
    contribution: (model.coefficients[j]! * (x[j]! - model.means[j]!)) / model.sds[j]!,
  }));
  const logOdds = model.intercept + contributions.reduce((sum, c) => sum + c.contribution, 0);
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { baselineLogOdds: model.intercept, contributions, logOdds, probability: logistic(logOdds) };
}
