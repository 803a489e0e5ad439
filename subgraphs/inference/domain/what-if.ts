/**
 * What-if ("digital twin", first step): the same risk equations re-run on the patient's inputs with
 * interventions applied. This is what PCE and PREVENT estimate for a person with the changed values —
 * not a treatment effect measured in trials (the ACC ASCVD Risk Estimator Plus uses trial relative risk
 * reductions for that). Each change says whether it applied and why not.
 *  - systolicBpTarget: SBP set to the target when above it; reaching a target means treatment, so
 *    onHypertensionTreatment becomes true (both equations weigh treated SBP differently).
 *  - startStatin: onStatin true. PREVENT has a statin term; PCE has none, so PCE does not change.
 *  - stopSmoking: smoker false (the equations' never/former-smoker estimate; benefit accrues over years).
 *  - totalCholesterol / hdlCholesterol / bmi: a value to assume (e.g. after lipid-lowering therapy).
 */
import { estimateCardiovascularRisk, type ExcludedValue, type RecordContext, type RiskEstimate, type RiskInput } from './cardiovascular';
import { implausibility } from './plausibility';

export interface RiskChanges {
  systolicBpTarget?: number | null;
  startStatin?: boolean | null;
  stopSmoking?: boolean | null;
  totalCholesterol?: number | null;
  hdlCholesterol?: number | null;
  bmi?: number | null;
}

export interface AppliedChange {
  change: string;
  applied: boolean;
  description: string;
}

export interface RiskDelta {
  /** pce10y, prevent.cvd10y, ... */
  measure: string;
  baseline: number;
  scenario: number;
  /** Percentage points (scenario − baseline). */
  absoluteChange: number;
  /** (scenario − baseline) / baseline; null when the baseline is 0. */
  relativeChange: number | null;
}

export interface RiskWhatIf {
  baseline: RiskEstimate;
  scenario: RiskEstimate;
  changes: AppliedChange[];
  deltas: RiskDelta[];
}

export class RiskChangeError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'RiskChangeError';
  }
}

const PREVENT_MEASURES = ['cvd10y', 'ascvd10y', 'hf10y', 'cvd30y', 'ascvd30y', 'hf30y'] as const;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function checkValue(field: 'systolicBp' | 'totalCholesterol' | 'hdlCholesterol' | 'bmi', name: string, value: number): void {
  const reason = implausibility(field, value);
  if (reason) throw new RiskChangeError(`changes.${name}: ${reason}`, name);
}

export function applyRiskChanges(input: RiskInput, changes: RiskChanges): { input: RiskInput; changes: AppliedChange[] } {
  const next: RiskInput = { ...input };
  const applied: AppliedChange[] = [];
  if (changes.systolicBpTarget !== undefined && changes.systolicBpTarget !== null) {
    const target = changes.systolicBpTarget;
    checkValue('systolicBp', 'systolicBpTarget', target);
    if (input.systolicBp === null || input.systolicBp === undefined) {
      applied.push({ change: 'systolicBpTarget', applied: false, description: `no systolic blood pressure on record to lower to ${target} mmHg` });
    } else if (input.systolicBp <= target) {
      applied.push({ change: 'systolicBpTarget', applied: false, description: `systolic blood pressure ${input.systolicBp} mmHg is already at or below ${target} mmHg` });
    } else {
      next.systolicBp = target;
      next.onHypertensionTreatment = true;
      applied.push({ change: 'systolicBpTarget', applied: true, description: `systolic blood pressure ${input.systolicBp} → ${target} mmHg, on treatment` });
    }
  }
  if (changes.startStatin) {
    if (input.onStatin === true) applied.push({ change: 'startStatin', applied: false, description: 'already on a statin' });
    else {
      next.onStatin = true;
      applied.push({ change: 'startStatin', applied: true, description: 'statin started (PREVENT only: PCE has no statin term)' });
    }
  }
  if (changes.stopSmoking) {
    if (input.smoker === true) {
      next.smoker = false;
      applied.push({ change: 'stopSmoking', applied: true, description: 'smoking stopped' });
    } else {
      applied.push({ change: 'stopSmoking', applied: false, description: input.smoker === false ? 'not a current smoker' : 'smoking status not recorded' });
    }
  }
  for (const field of ['totalCholesterol', 'hdlCholesterol', 'bmi'] as const) {
    const value = changes[field];
    if (value === undefined || value === null) continue;
    checkValue(field, field, value);
    next[field] = value;
    applied.push({ change: field, applied: true, description: `${field} ${input[field] ?? 'not recorded'} → ${value}` });
  }
  return { input: next, changes: applied };
}

export function riskDeltas(baseline: RiskEstimate, scenario: RiskEstimate): RiskDelta[] {
  const pairs: [string, number | null | undefined, number | null | undefined][] = [
    ['pce10y', baseline.pce10y, scenario.pce10y],
    ...PREVENT_MEASURES.map((m): [string, number | null | undefined, number | null | undefined] => [`prevent.${m}`, baseline.prevent?.[m], scenario.prevent?.[m]]),
  ];
  const deltas: RiskDelta[] = [];
  for (const [measure, before, after] of pairs) {
    if (typeof before !== 'number' || typeof after !== 'number') continue;
    deltas.push({
      measure,
      baseline: before,
      scenario: after,
      absoluteChange: round(after - before, 4),
      relativeChange: before === 0 ? null : round((after - before) / before, 4),
    });
  }
  return deltas;
}

/** `record`: the patient's dated inputs and prevalent diseases, so that both estimates apply the same populations. */
export function riskWhatIf(input: RiskInput, changes: RiskChanges, excludedValues: ExcludedValue[] = [], record?: RecordContext): RiskWhatIf {
  const baseline = estimateCardiovascularRisk(input, excludedValues, record);
  const scenarioInput = applyRiskChanges(input, changes);
  const scenario = estimateCardiovascularRisk(scenarioInput.input, excludedValues, record);
  return { baseline, scenario, changes: scenarioInput.changes, deltas: riskDeltas(baseline, scenario) };
}
