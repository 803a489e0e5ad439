import { buildTrainingExample, FEATURE_NAMES, type TrainingExample } from './features';
import { perUnitCoefficients } from './logistic';
import { auroc } from './metrics';
import { SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME, syntheticCohort, TRUE_MODEL } from './synthetic-cohort';
import { modelCard, shouldPromote, stratifiedSplit, trainRiskModel, type TrainRiskModelOptions } from './training';

const OPTIONS: TrainRiskModelOptions = {
  name: 'mi-10y',
  version: '2026.1',
  createdAt: new Date('2026-01-15T00:00:00Z'),
  trainingWindow: { from: '2015-01-01', to: '2015-01-01' },
  outcome: SYNTHETIC_OUTCOME,
  seed: 42,
};

function cohort(patients: number, seed: number) {
  const generated = syntheticCohort({ patients, seed });
  const trueRisk = new Map(generated.map((p) => [p.history.id, p.trueRisk]));
  const examples = generated
    .map((p) => buildTrainingExample(p.history, SYNTHETIC_INDEX_DATE, SYNTHETIC_OUTCOME))
    .filter((e): e is TrainingExample => 'features' in e);
  return { examples, trueRisk, excluded: generated.length - examples.length };
}

describe('training on patients from a known risk function', () => {
  const { examples, trueRisk, excluded } = cohort(30_000, 1);
  const { model, heldOutExamples } = trainRiskModel(examples, OPTIONS);

  it('excludes censored patients and keeps the rest', () => {
    expect(excluded).toBeGreaterThan(1_000);
    expect(examples.length + excluded).toBe(30_000);
    expect(model.split.trainingN + model.split.heldOutN).toBe(examples.length);
  });

  it('recovers the sign and approximate size of every true coefficient', () => {
    const perUnit = perUnitCoefficients(model.logistic);
    const truth: Record<string, number> = {
      age: TRUE_MODEL.age.perUnit, totalCholesterol: TRUE_MODEL.totalCholesterol.perUnit, hdlCholesterol: TRUE_MODEL.hdlCholesterol.perUnit,
      systolicBp: TRUE_MODEL.systolicBp.perUnit, bmi: TRUE_MODEL.bmi.perUnit, hba1c: TRUE_MODEL.hba1c.perUnit, egfr: TRUE_MODEL.egfr.perUnit,
      male: TRUE_MODEL.male, raceBlack: TRUE_MODEL.raceBlack, smoker: TRUE_MODEL.smoker, diabetes: TRUE_MODEL.diabetes,
      onAntihypertensive: TRUE_MODEL.onAntihypertensive, onStatin: TRUE_MODEL.onStatin,
    };
    for (const [name, value] of Object.entries(truth)) {
      expect({ name, sign: Math.sign(perUnit[name]!) }).toEqual({ name, sign: Math.sign(value) });
      // Within 40% of the truth: enough to catch a wrong scale or a swapped column, loose enough for sampling error.
      expect({ name, relativeError: Math.abs(perUnit[name]! / value - 1) < 0.4 }).toEqual({ name, relativeError: true });
    }
  });

  it('reaches within 0.02 of the true model’s AUROC on held-out patients, and is well calibrated', () => {
    const trueAuroc = auroc(
      heldOutExamples.map((e) => trueRisk.get(e.patientId)!),
      heldOutExamples.map((e) => e.outcome),
    )!;
    expect(trueAuroc).toBeGreaterThan(0.7);
    expect(model.heldOut.auroc!).toBeGreaterThan(trueAuroc - 0.02);
    expect(model.heldOut.calibrationSlope!).toBeGreaterThan(0.85);
    expect(model.heldOut.calibrationSlope!).toBeLessThan(1.15);
    expect(Math.abs(model.heldOut.observedMinusExpected)).toBeLessThan(0.02);
  });

  it('gets AUROC ≈ 0.5 when trained on shuffled labels', () => {
    const shuffledOutcomes = stratifiedSplit(
      examples.map((e) => e.outcome),
      7,
      0.5,
    );
    // Permute outcomes: pair each example with the outcome of another, chosen by a seeded split.
    const order = [...shuffledOutcomes.heldOut, ...shuffledOutcomes.training];
    const shuffled = examples.map((e, i) => ({ ...e, outcome: examples[order[i]!]!.outcome }));
    const broken = trainRiskModel(shuffled, OPTIONS).model;
    expect(Math.abs(broken.heldOut.auroc! - 0.5)).toBeLessThan(0.03);
  });

  it('reports subgroups by sex, age band and race on the held-out patients', () => {
    expect(model.subgroups.attributes.map((a) => a.attribute)).toEqual(['sex', 'ageBand', 'race']);
    const sex = model.subgroups.attributes[0]!;
    expect(sex.groups.map((g) => g.group)).toEqual(['FEMALE', 'MALE']);
    expect(sex.groups.reduce((s, g) => s + g.n, 0)).toBe(model.split.heldOutN);
  });

  it('describes itself in a model card', () => {
    const card = modelCard(model);
    expect(card).toMatchObject({
      name: 'mi-10y',
      version: '2026.1',
      created: '2026-01-15T00:00:00.000Z',
      trainingWindow: { from: '2015-01-01', to: '2015-01-01' },
      n: { training: model.split.trainingN, heldOut: model.split.heldOutN },
      metrics: model.heldOut,
    });
    expect(card.intendedUse).toContain('decision support, not a medical device');
    expect(card.features.map((f) => f.name)).toEqual(FEATURE_NAMES);
    expect(card.limitations.length).toBeGreaterThan(3);
  });
});

describe('stratifiedSplit', () => {
  it('holds out the same patients for the same seed and keeps the event rate', () => {
    const outcomes = Array.from({ length: 1_000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const a = stratifiedSplit(outcomes, 3);
    expect(stratifiedSplit(outcomes, 3)).toEqual(a);
    expect(stratifiedSplit(outcomes, 4)).not.toEqual(a);
    expect(a.heldOut).toHaveLength(200);
    expect(a.heldOut.filter((i) => outcomes[i] === 1)).toHaveLength(20);
    expect(new Set([...a.heldOut, ...a.training]).size).toBe(1_000);
  });
});

describe('shouldPromote', () => {
  const outcome = SYNTHETIC_OUTCOME;
  const current = { outcome, metrics: { auroc: 0.78, brier: 0.1 } };

  it('promotes the first model', () => {
    expect(shouldPromote(current, null)).toMatchObject({ promote: true });
  });

  it('promotes a candidate that is better or worse by no more than the tolerances', () => {
    expect(shouldPromote({ outcome, metrics: { auroc: 0.79, brier: 0.099 } }, current).promote).toBe(true);
    expect(shouldPromote({ outcome, metrics: { auroc: 0.776, brier: 0.1015 } }, current).promote).toBe(true);
  });

  it('refuses a candidate whose AUROC or Brier score is worse by more than the tolerance, saying why', () => {
    expect(shouldPromote({ outcome, metrics: { auroc: 0.77, brier: 0.1 } }, current)).toEqual({
      promote: false,
      reasons: ['AUROC 0.7700 is 0.0100 below the current 0.7800 (tolerance 0.005)'],
    });
    expect(shouldPromote({ outcome, metrics: { auroc: 0.8, brier: 0.105 } }, current)).toEqual({
      promote: false,
      reasons: ['Brier 0.1050 is 0.0050 above the current 0.1000 (tolerance 0.002)'],
    });
  });

  it('refuses a candidate for a different outcome definition', () => {
    expect(shouldPromote({ outcome: { ...outcome, years: 5 }, metrics: { auroc: 0.9, brier: 0.05 } }, current).promote).toBe(false);
  });
});
