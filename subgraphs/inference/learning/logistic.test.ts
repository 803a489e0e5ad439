import { explain, logistic, ModelTrainingError, perUnitCoefficients, predict, predictLogOdds, train } from './logistic';
import { seededRandom } from '../../../lib/seeded-random';

/** Rows from logit P(y) = −1 + 0.8·x0 − 0.5·x1 + 0·x2, x ~ N(0, 1) scaled to different units. */
function knownLogistic(n: number, seed: number) {
  const rng = seededRandom(seed, 11);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng.normal(0, 1), rng.normal(50, 10), rng.normal(0, 1)];
    const eta = -1 + 0.8 * x[0]! - 0.05 * (x[1]! - 50) + 0 * x[2]!;
    X.push(x);
    y.push(rng.chance(logistic(eta)) ? 1 : 0);
  }
  return { X, y };
}

describe('L2-regularised logistic regression', () => {
  it('recovers the coefficients of a known logistic model per original unit', () => {
    const { X, y } = knownLogistic(20_000, 1);
    const model = train(X, y, { lambda: 0, featureNames: ['a', 'b', 'noise'] });
    const perUnit = perUnitCoefficients(model);
    expect(perUnit.a).toBeCloseTo(0.8, 1);
    expect(perUnit.b).toBeCloseTo(-0.05, 2);
    expect(Math.abs(perUnit.noise!)).toBeLessThan(0.05);
    expect(predictLogOdds(model, [0, 50, 0])).toBeCloseTo(-1, 1);
  });

  it('shrinks coefficients towards zero as lambda grows', () => {
    const { X, y } = knownLogistic(5_000, 2);
    const sizes = [0, 0.01, 0.1, 1].map((lambda) => Math.hypot(...train(X, y, { lambda }).coefficients));
    for (let k = 1; k < sizes.length; k++) expect(sizes[k]!).toBeLessThan(sizes[k - 1]!);
  });

  it('converges under perfect separation only with a penalty', () => {
    const X = [[-2], [-1], [1], [2]];
    const y = [0, 0, 1, 1];
    expect(() => train(X, y, { lambda: 0 })).toThrow(ModelTrainingError);
    const model = train(X, y, { lambda: 0.1 });
    expect(predict(model, [2])).toBeGreaterThan(0.5);
    expect(predict(model, [-2])).toBeLessThan(0.5);
  });

  it('leaves a constant column at coefficient 0', () => {
    const { X, y } = knownLogistic(2_000, 3);
    const model = train(
      X.map((x) => [...x, 1]),
      y,
      { lambda: 0.001 },
    );
    expect(model.coefficients[3]).toBeCloseTo(0, 12);
  });

  it('rejects labels other than 0 and 1, and a single class', () => {
    expect(() => train([[1], [2]], [0, 2])).toThrow('label 1 is 2, expected 0 or 1');
    expect(() => train([[1], [2]], [1, 1])).toThrow('labels are all one class');
  });

  it('explains a prediction exactly: the baseline plus the contributions is its log-odds', () => {
    const { X, y } = knownLogistic(3_000, 4);
    const model = train(X, y, { lambda: 0.01, featureNames: ['a', 'b', 'noise'] });
    for (const x of X.slice(0, 50)) {
      const explanation = explain(model, x);
      const sum = explanation.baselineLogOdds + explanation.contributions.reduce((s, c) => s + c.contribution, 0);
      expect(sum).toBeCloseTo(predictLogOdds(model, x), 12);
      expect(explanation.logOdds).toBeCloseTo(predictLogOdds(model, x), 12);
      expect(explanation.probability).toBeCloseTo(predict(model, x), 12);
    }
    // At the training mean every contribution is zero.
    expect(explain(model, model.means).contributions.every((c) => Math.abs(c.contribution) < 1e-12)).toBe(true);
  });
});
