import { auroc, brierScore, calibration, subgroupMetrics } from './metrics';
import { seededRandom } from '../../../lib/seeded-random';

describe('AUROC', () => {
  it('matches a hand count of pairs with ties counted one half', () => {
    // Events score 0.8, 0.6, 0.4; non-events 0.6, 0.3, 0.2, 0.4.
    // Pairs (event > non-event = 1, tie = ½): 0.8 beats all 4 → 4; 0.6 ties 0.6, beats 0.3, 0.2, 0.4 → 3.5;
    // 0.4 beats 0.3, 0.2, ties 0.4 → 2.5. Total 10 of 3 × 4 = 12 pairs.
    const scores = [0.8, 0.6, 0.4, 0.6, 0.3, 0.2, 0.4];
    const outcomes = [1, 1, 1, 0, 0, 0, 0];
    expect(auroc(scores, outcomes)).toBeCloseTo(10 / 12, 12);
  });

  it('is 1 for perfect ranking, 0 for reversed, 0.5 when every score is tied', () => {
    expect(auroc([0.1, 0.2, 0.9], [0, 0, 1])).toBe(1);
    expect(auroc([0.9, 0.2, 0.1], [0, 0, 1])).toBe(0);
    expect(auroc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('is undefined (null) with one class only', () => {
    expect(auroc([0.1, 0.2], [1, 1])).toBeNull();
  });
});

describe('Brier score', () => {
  it('matches a hand computation', () => {
    // (0.9−1)² + (0.2−0)² + (0.6−1)² + (0.5−0)² = 0.01 + 0.04 + 0.16 + 0.25 = 0.46; / 4 = 0.115
    expect(brierScore([0.9, 0.2, 0.6, 0.5], [1, 0, 1, 0])).toBeCloseTo(0.115, 12);
  });
});

/** Outcomes drawn from the predictions themselves: a perfectly calibrated model by construction. */
function calibratedSample(n: number, seed: number) {
  const rng = seededRandom(seed, 12);
  const p: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const risk = 1 / (1 + Math.exp(-rng.normal(-1.5, 1)));
    p.push(risk);
    y.push(rng.chance(risk) ? 1 : 0);
  }
  return { p, y };
}

describe('calibration', () => {
  it('has slope ≈ 1 and intercept ≈ 0 for a correct model', () => {
    const { p, y } = calibratedSample(20_000, 1);
    const c = calibration(p, y)!;
    expect(c.slope).toBeGreaterThan(0.93);
    expect(c.slope).toBeLessThan(1.07);
    expect(Math.abs(c.intercept)).toBeLessThan(0.05);
  });

  it('has slope < 1 when predictions are pushed to the extremes (over-confident)', () => {
    const { p, y } = calibratedSample(20_000, 1);
    const overConfident = p.map((risk) => 1 / (1 + Math.exp(-2 * Math.log(risk / (1 - risk)))));
    expect(calibration(overConfident, y)!.slope).toBeCloseTo(0.5, 1);
  });

  it('has intercept > 0 when risk is underestimated across the board', () => {
    const { p, y } = calibratedSample(20_000, 1);
    const c = calibration(
      p.map((risk) => risk / 2),
      y,
    )!;
    expect(c.intercept).toBeGreaterThan(0.4);
  });
});

describe('subgroup metrics', () => {
  it('flags an AUROC gap above the threshold and names the subgroups it lies between', () => {
    const rng = seededRandom(5, 13);
    const p: number[] = [];
    const y: number[] = [];
    const groups: { sex: string }[] = [];
    for (let i = 0; i < 4_000; i++) {
      const female = i % 2 === 0;
      const risk = 1 / (1 + Math.exp(-rng.normal(-1.5, 1)));
      y.push(rng.chance(risk) ? 1 : 0);
      // The model sees the true risk for men, and noise for women.
      p.push(female ? 0.25 * risk + 0.75 * rng.next() * 0.4 : risk);
      groups.push({ sex: female ? 'FEMALE' : 'MALE' });
    }
    const report = subgroupMetrics(p, y, groups);
    expect(report.flagged).toBe(true);
    expect(report.largestAurocGap).toMatchObject({ attribute: 'sex', between: ['MALE', 'FEMALE'], flagged: true });
    expect(report.findings.some((f) => f.startsWith('sex: AUROC gap'))).toBe(true);
  });

  it('does not flag subgroups that perform alike, and reports a subgroup too small to judge', () => {
    const { p, y } = calibratedSample(6_000, 2);
    const groups = p.map((_, i) => ({ sex: i < 30 ? 'OTHER' : i % 2 ? 'FEMALE' : 'MALE' }));
    const report = subgroupMetrics(p, y, groups);
    const sex = report.attributes[0]!;
    expect(sex.groups.find((g) => g.group === 'OTHER')).toMatchObject({ n: 30, tooSmall: true });
    expect(sex.aurocGap!.between).not.toContain('OTHER');
    expect(sex.aurocGap!.flagged).toBe(false);
    expect(report.flagged).toBe(false);
    expect(report.findings).toEqual([expect.stringMatching(/^sex OTHER: too small to judge \(n = 30, events = \d+\)$/)]);
  });
});
