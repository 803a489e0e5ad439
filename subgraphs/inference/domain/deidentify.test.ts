import { estimateCardiovascularRisk } from './cardiovascular';
import { ageBand, deidentifiedRiskUpdate, matchesCohortFilter } from './deidentify';

describe('de-identified cohort risk updates', () => {
  it('bands ages in fives and pools ages over 89, as Safe Harbor requires', () => {
    expect([ageBand(42), ageBand(45), ageBand(89), ageBand(90), ageBand(104), ageBand(null)]).toEqual(['40-44', '45-49', '85-89', '90+', '90+', null]);
  });

  it('carries no identifier or date beyond the year, and filters on facts kept out of the payload', () => {
    const estimate = estimateCardiovascularRisk({ age: 57, sex: 'FEMALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120,
      onHypertensionTreatment: false, smoker: false, diabetes: false });
    const { update, facts } = deidentifiedRiskUpdate(estimate, new Date('2026-11-29T10:00:00Z'), 'patient.observation.added');
    expect(Object.keys(update).sort()).toEqual(['ageBand', 'category', 'pce10y', 'prevent', 'reason', 'sex', 'year']);
    expect(update).toMatchObject({ ageBand: '55-59', sex: 'FEMALE', year: 2026, reason: 'patient.observation.added', pce10y: estimate.pce10y });
    expect(matchesCohortFilter(facts, { sex: 'FEMALE', minAge: 50, maxAge: 60 })).toBe(true);
    expect(matchesCohortFilter(facts, { minAge: 58 })).toBe(false);
    expect(matchesCohortFilter(facts, { sex: 'MALE' })).toBe(false);
    expect(matchesCohortFilter(facts, { category: estimate.category!.toLowerCase() })).toBe(true);
    expect(matchesCohortFilter(facts, null)).toBe(true);
  });
});
