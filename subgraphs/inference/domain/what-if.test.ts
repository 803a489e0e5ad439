import { estimateCardiovascularRisk, type RiskInput } from './cardiovascular';
import { applyRiskChanges, riskWhatIf, RiskChangeError } from './what-if';

// A 55-year-old white male smoker, SBP 150 untreated (Goff et al. 2013 Table A example, with smoking).
const PATIENT: RiskInput = {
  age: 55, sex: 'MALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 150, onHypertensionTreatment: false,
  smoker: true, diabetes: false, bmi: 28, egfr: 90, onStatin: false,
};

describe('risk what-if', () => {
  it('recomputes both equations with smoking stopped and reports absolute and relative change', () => {
    const result = riskWhatIf(PATIENT, { stopSmoking: true });
    const nonSmoker = estimateCardiovascularRisk({ ...PATIENT, smoker: false });
    expect(result.scenario.pce10y).toBe(nonSmoker.pce10y);
    expect(result.changes).toEqual([{ change: 'stopSmoking', applied: true, description: 'smoking stopped' }]);
    const pce = result.deltas.find((d) => d.measure === 'pce10y')!;
    expect(pce.baseline).toBe(result.baseline.pce10y);
    expect(pce.absoluteChange).toBeCloseTo(nonSmoker.pce10y! - result.baseline.pce10y!, 4);
    expect(pce.relativeChange).toBeCloseTo((nonSmoker.pce10y! - result.baseline.pce10y!) / result.baseline.pce10y!, 4);
    expect(pce.absoluteChange).toBeLessThan(0);
    expect(result.deltas.map((d) => d.measure)).toEqual(['pce10y', 'prevent.cvd10y', 'prevent.ascvd10y', 'prevent.hf10y', 'prevent.cvd30y', 'prevent.ascvd30y', 'prevent.hf30y']);
  });

  it('lowers blood pressure to a target on treatment, and only when above it', () => {
    const lowered = applyRiskChanges(PATIENT, { systolicBpTarget: 130 });
    expect(lowered.input).toMatchObject({ systolicBp: 130, onHypertensionTreatment: true });
    expect(applyRiskChanges({ ...PATIENT, systolicBp: 124 }, { systolicBpTarget: 130 }).changes).toEqual([
      { change: 'systolicBpTarget', applied: false, description: 'systolic blood pressure 124 mmHg is already at or below 130 mmHg' },
    ]);
    expect(applyRiskChanges({ ...PATIENT, systolicBp: null }, { systolicBpTarget: 130 }).changes[0]!.applied).toBe(false);
  });

  it('changes PREVENT but not PCE when a statin is started', () => {
    const result = riskWhatIf(PATIENT, { startStatin: true });
    expect(result.scenario.pce10y).toBe(result.baseline.pce10y);
    expect(result.scenario.inputs.onStatin).toBe(true);
    // PREVENT's statin term (and its interaction with non-HDL cholesterol) moves at least one estimate.
    expect(result.deltas.some((d) => d.measure.startsWith('prevent.') && d.absoluteChange !== 0)).toBe(true);
    expect(riskWhatIf({ ...PATIENT, onStatin: true }, { startStatin: true }).changes).toEqual([
      { change: 'startStatin', applied: false, description: 'already on a statin' },
    ]);
  });

  it('refuses an implausible target, naming it', () => {
    expect(() => applyRiskChanges(PATIENT, { systolicBpTarget: 1200 })).toThrow(
      new RiskChangeError('changes.systolicBpTarget: systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])', 'systolicBpTarget'),
    );
  });
});
