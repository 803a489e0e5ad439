/**
 * Performance of a risk model on held-out patients: discrimination (AUROC), overall accuracy (Brier
 * score), calibration (slope and intercept), and the same per subgroup to expose unequal performance.
 * Reporting follows TRIPOD (Collins et al., BMJ 2015;350:g7594, items 10d and 16) and the calibration
 * hierarchy of Van Calster et al. (J Clin Epidemiol 2016;74:167–176).
 */
import { logit, ModelTrainingError, train } from './logistic';

/**
 * Area under the ROC curve as the Mann–Whitney U statistic over (event, non-event) pairs: the
 * probability that a random event scores higher than a random non-event, ties counting one half
 * (Hanley & McNeil, Radiology 1982;143:29–36). Computed from mid-ranks in O(n log n). Null when
 * either class is absent (undefined, not 0.5).
 */
export function auroc(scores: readonly number[], outcomes: readonly number[]): number | null {
  const n = scores.length;
  if (outcomes.length !== n) throw new RangeError(`${n} scores but ${outcomes.length} outcomes`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let events = 0;
  let rankSumEvents = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    // Ranks start..end (1-based start+1..end+1) are tied: each gets their mean.
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (outcomes[order[k]!] === 1) {
        events++;
        rankSumEvents += midRank;
      }
    }
    start = end + 1;
  }
  const nonEvents = n - events;
  if (events === 0 || nonEvents === 0) return null;
  return (rankSumEvents - (events * (events + 1)) / 2) / (events * nonEvents);
}

/** Mean squared difference between predicted probability and outcome (Brier, Mon Weather Rev 1950;78:1–3). */
export function brierScore(predictions: readonly number[], outcomes: readonly number[]): number {
  if (predictions.length !== outcomes.length) throw new RangeError(`${predictions.length} predictions but ${outcomes.length} outcomes`);
  if (predictions.length === 0) throw new RangeError('no predictions');
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) sum += (predictions[i]! - outcomes[i]!) ** 2;
  return sum / predictions.length;
}

export interface Calibration {
  /**
   * β in logit P(y=1) = α + β·logit(p) (Cox, Biometrika 1958;45:562–565): 1 is ideal, < 1 means
   * predictions are too extreme (over-fitting), > 1 too modest.
   */
  slope: number;
  /**
   * Calibration intercept (calibration-in-the-large): α in logit P(y=1) = α + logit(p) with the slope
   * fixed at 1 (an offset), as Van Calster et al. 2016 define it. 0 is ideal; > 0 means risk is
   * underestimated on average.
   */
  intercept: number;
}

/** Predictions are clipped this far from 0 and 1 so a prediction of exactly 0 or 1 has a finite logit. */
const LOGIT_CLIP = 1e-12;
const clippedLogit = (p: number) => logit(Math.min(1 - LOGIT_CLIP, Math.max(LOGIT_CLIP, p)));

/**
 * Logistic recalibration fitted with the same Newton solver as the models (no penalty). Null when
 * the outcomes are all one class, or when the predictions separate them perfectly (small subgroups):
 * then neither parameter exists as a finite number.
 */
export function calibration(predictions: readonly number[], outcomes: readonly number[]): Calibration | null {
  if (predictions.length !== outcomes.length) throw new RangeError(`${predictions.length} predictions but ${outcomes.length} outcomes`);
  const events = outcomes.reduce((s, y) => s + y, 0);
  if (events === 0 || events === outcomes.length) return null;
  const lp = predictions.map(clippedLogit);
  try {
    return fitCalibration(lp, outcomes);
  } catch (error) {
    if (error instanceof ModelTrainingError && error.code === 'NOT_CONVERGED') return null;
    throw error;
  }
}

function fitCalibration(lp: number[], outcomes: readonly number[]): Calibration {
  const recalibration = train(
    lp.map((v) => [v]),
    outcomes,
    { lambda: 0, featureNames: ['logit'] },
  );
  const inTheLarge = train(
    lp.map(() => []),
    outcomes,
    { lambda: 0, offset: lp },
  );
  // The solver standardises its input: the per-unit slope is the per-SD coefficient over the SD.
  return { slope: recalibration.coefficients[0]! / recalibration.sds[0]!, intercept: inTheLarge.intercept };
}

export interface PerformanceMetrics {
  n: number;
  events: number;
  auroc: number | null;
  brier: number;
  calibrationSlope: number | null;
  calibrationIntercept: number | null;
  /** Observed event rate minus mean predicted risk (risk units). */
  observedMinusExpected: number;
}

export function performance(predictions: readonly number[], outcomes: readonly number[]): PerformanceMetrics {
  const n = predictions.length;
  const events = outcomes.reduce((s, y) => s + y, 0);
  const meanPredicted = predictions.reduce((s, p) => s + p, 0) / n;
  const cal = calibration(predictions, outcomes);
  return {
    n,
    events,
    auroc: auroc(predictions, outcomes),
    brier: brierScore(predictions, outcomes),
    calibrationSlope: cal?.slope ?? null,
    calibrationIntercept: cal?.intercept ?? null,
    observedMinusExpected: events / n - meanPredicted,
  };
}

/**
 * Thresholds for judging subgroups. The minimum sizes follow the rule of thumb that a validation set
 * needs enough events for stable estimates (Vergouwe et al., J Clin Epidemiol 2005;58:475: ≥ 100 events
 * recommended; far fewer gives AUROC intervals too wide to compare). A subgroup under either minimum
 * is reported but not judged. The gap thresholds are this project's defaults, not published cut-offs.
 */
export interface SubgroupThresholds {
  /** Largest acceptable AUROC difference between two judged subgroups of one attribute. */
  aurocGap: number;
  /** Largest acceptable difference in observed − expected risk between two judged subgroups. */
  calibrationGap: number;
  minPatients: number;
  /** Minimum patients with the outcome (and, for AUROC, without it). */
  minEvents: number;
}

export const DEFAULT_SUBGROUP_THRESHOLDS: SubgroupThresholds = { aurocGap: 0.05, calibrationGap: 0.02, minPatients: 50, minEvents: 10 };

export interface SubgroupResult {
  group: string;
  n: number;
  events: number;
  auroc: number | null;
  brier: number;
  /** Observed event rate minus mean predicted risk: calibration-in-the-large in risk units. */
  observedMinusExpected: number;
  /** Too few patients or events to judge: excluded from the gaps. */
  tooSmall: boolean;
}

export interface Gap {
  value: number;
  /** The two subgroups the gap lies between: [better or higher, worse or lower]. */
  between: [string, string];
  flagged: boolean;
}

export interface AttributeSubgroups {
  attribute: string;
  groups: SubgroupResult[];
  aurocGap: Gap | null;
  calibrationGap: Gap | null;
}

export interface SubgroupReport {
  attributes: AttributeSubgroups[];
  /** The single largest AUROC gap across attributes, and whether any gap is flagged. */
  largestAurocGap: (Gap & { attribute: string }) | null;
  flagged: boolean;
  /** Human-readable findings: each flagged gap and each subgroup too small to judge. */
  findings: string[];
  thresholds: SubgroupThresholds;
}

function widestGap(groups: SubgroupResult[], value: (g: SubgroupResult) => number | null, threshold: number): Gap | null {
  let high: { group: string; v: number } | null = null;
  let low: { group: string; v: number } | null = null;
  for (const g of groups) {
    const v = value(g);
    if (g.tooSmall || v === null) continue;
    if (!high || v > high.v) high = { group: g.group, v };
    if (!low || v < low.v) low = { group: g.group, v };
  }
  if (!high || !low || high.group === low.group) return null;
  const gap = high.v - low.v;
  return { value: gap, between: [high.group, low.group], flagged: gap > threshold };
}

const fixed = (v: number) => v.toFixed(3);

/**
 * Metrics per subgroup of each attribute (e.g. sex, age band, race) with the largest gap between
 * judged subgroups in AUROC and in calibration-in-the-large, flagged above the thresholds — the
 * subgroup checks recommended by Obermeyer et al. (Science 2019;366:447) and the TRIPOD+AI statement
 * (Collins et al., BMJ 2024;385:e078378, item 14d/23a: performance across groups).
 */
export function subgroupMetrics(
  predictions: readonly number[],
  outcomes: readonly number[],
  attributes: readonly Record<string, string>[],
  thresholds: SubgroupThresholds = DEFAULT_SUBGROUP_THRESHOLDS,
): SubgroupReport {
  const names = [...new Set(attributes.flatMap((a) => Object.keys(a)))];
  const findings: string[] = [];
  const report: AttributeSubgroups[] = names.map((attribute) => {
    const members = new Map<string, number[]>();
    attributes.forEach((a, i) => {
      const group = a[attribute] ?? 'unknown';
      if (!members.has(group)) members.set(group, []);
      members.get(group)!.push(i);
    });
    const groups: SubgroupResult[] = [...members.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, index]) => {
        const p = index.map((i) => predictions[i]!);
        const y = index.map((i) => outcomes[i]!);
        const events = y.reduce((s, v) => s + v, 0);
        const tooSmall = index.length < thresholds.minPatients || events < thresholds.minEvents || index.length - events < thresholds.minEvents;
        if (tooSmall) findings.push(`${attribute} ${group}: too small to judge (n = ${index.length}, events = ${events})`);
        return {
          group,
          n: index.length,
          events,
          auroc: auroc(p, y),
          brier: brierScore(p, y),
          observedMinusExpected: events / index.length - p.reduce((s, v) => s + v, 0) / index.length,
          tooSmall,
        };
      });
    const aurocGap = widestGap(groups, (g) => g.auroc, thresholds.aurocGap);
    const calibrationGap = widestGap(groups, (g) => g.observedMinusExpected, thresholds.calibrationGap);
    if (aurocGap?.flagged) findings.push(`${attribute}: AUROC gap ${fixed(aurocGap.value)} between ${aurocGap.between.join(' and ')} exceeds ${thresholds.aurocGap}`);
    if (calibrationGap?.flagged) {
      findings.push(`${attribute}: calibration-in-the-large gap ${fixed(calibrationGap.value)} between ${calibrationGap.between.join(' and ')} exceeds ${thresholds.calibrationGap}`);
    }
    return { attribute, groups, aurocGap, calibrationGap };
  });
  let largestAurocGap: SubgroupReport['largestAurocGap'] = null;
  for (const a of report) if (a.aurocGap && (!largestAurocGap || a.aurocGap.value > largestAurocGap.value)) largestAurocGap = { ...a.aurocGap, attribute: a.attribute };
  const flagged = report.some((a) => a.aurocGap?.flagged || a.calibrationGap?.flagged);
  return { attributes: report, largestAurocGap, flagged, findings, thresholds };
}
