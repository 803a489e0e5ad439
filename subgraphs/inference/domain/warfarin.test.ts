import { HubError } from '../../../lib/errors';
import { iwpcAgeDecades, iwpcWarfarinDose, WarfarinInputError, type WarfarinInput } from './warfarin';

// No published worked example was found; the expected doses are computed by hand from the IWPC 2009
// appendix coefficients (S1e pharmacogenetic, S1f clinical) quoted in warfarin.ts.
const white65: WarfarinInput = {
  age: 65,
  heightCm: 170,
  weightKg: 70,
  race: 'WHITE',
  vkorc1Rs9923231: 'AG',
  cyp2c9Diplotype: '*1/*1',
  enzymeInducer: false,
  amiodarone: false,
};

describe('iwpcWarfarinDose', () => {
  it('computes the pharmacogenetic dose for a white VKORC1 A/G, CYP2C9 *1/*1 patient', () => {
    // 5.6044 − 0.2614×6 + 0.0087×170 + 0.0128×70 − 0.8677 = 5.5433; 5.5433² = 30.728 mg/week; /7 = 4.39
    expect(iwpcWarfarinDose(white65)).toEqual({
      weeklyDoseMg: 30.7,
      dailyDoseMg: 4.4,
      algorithm: 'IWPC pharmacogenetic',
      missing: [],
      notes: [],
      source: expect.stringContaining('PMID:19228618'),
    });
  });

  it('computes the pharmacogenetic dose for an Asian VKORC1 A/A, CYP2C9 *3/*1 patient on amiodarone', () => {
    // 5.6044 − 0.2614×4 + 0.0087×160 + 0.0128×60 − 1.6974 − 0.9357 − 0.1092 − 0.5503 = 3.4262;
    // 3.4262² = 11.739 mg/week; /7 = 1.68
    const result = iwpcWarfarinDose({
      age: 45,
      heightCm: 160,
      weightKg: 60,
      race: 'ASIAN',
      vkorc1Rs9923231: 'AA',
      cyp2c9Diplotype: '*3/*1',
      enzymeInducer: false,
      amiodarone: true,
    });
    expect(result.weeklyDoseMg).toBe(11.7);
    expect(result.dailyDoseMg).toBe(1.7);
    expect(result.notes).toEqual([]);
  });

  it('falls back to the clinical algorithm when no genotype is known', () => {
    // 4.0376 − 0.2546×7 + 0.0118×180 + 0.0134×90 + 0.4060 + 1.2799 = 7.2713; 7.2713² = 52.872 mg/week
    const result = iwpcWarfarinDose({
      age: 72,
      heightCm: 180,
      weightKg: 90,
      race: 'BLACK',
      vkorc1Rs9923231: null,
      cyp2c9Diplotype: null,
      enzymeInducer: true,
      amiodarone: false,
    });
    expect(result.algorithm).toBe('IWPC clinical');
    expect(result.weeklyDoseMg).toBe(52.9);
    expect(result.dailyDoseMg).toBe(7.6);
    expect(result.notes).toEqual([
      'No VKORC1 or modelled CYP2C9 genotype: the IWPC clinical (non-genetic) algorithm was used.',
      'CPIC 2017: 45–50% of individuals with self-reported African ancestry carry CYP2C9*5, *6, *8, *11 or ' +
        'rs12777823, which the IWPC algorithm does not include, so it may overestimate the dose; if CYP2C9*5, ' +
        '*6, *8 and *11 were not tested, CPIC recommends dosing warfarin clinically.',
    ]);
  });

  it('uses the CYP2C9-unknown term when only VKORC1 is known, and says so', () => {
    // 5.6044 − 0.2614×5 + 0.0087×175 + 0.0128×80 − 0.8677 − 0.2188 = 5.7574; 5.7574² = 33.148 mg/week
    const result = iwpcWarfarinDose({ ...white65, age: 55, heightCm: 175, weightKg: 80, cyp2c9Diplotype: null });
    expect(result.algorithm).toBe('IWPC pharmacogenetic');
    expect(result.weeklyDoseMg).toBe(33.1);
    expect(result.notes).toEqual(['CYP2C9 genotype unknown: the algorithm\'s "CYP2C9 genotype unknown" term was used.']);
  });

  it('uses the VKORC1-unknown term when only CYP2C9 is known', () => {
    const result = iwpcWarfarinDose({ ...white65, vkorc1Rs9923231: null });
    // 5.5433 + 0.8677 − 0.4854 = 5.9256; 5.9256² = 35.113 mg/week
    expect(result.weeklyDoseMg).toBe(35.1);
    expect(result.notes).toEqual(['VKORC1 rs9923231 genotype unknown: the algorithm\'s "VKORC1 genotype unknown" term was used.']);
  });

  it('treats an unmodelled CYP2C9 diplotype as unknown and names the allele', () => {
    const result = iwpcWarfarinDose({ ...white65, cyp2c9Diplotype: '*1/*8' });
    expect(result.weeklyDoseMg).toBe(iwpcWarfarinDose({ ...white65, cyp2c9Diplotype: null }).weeklyDoseMg);
    expect(result.notes).toEqual([
      'CYP2C9 *1/*8: the IWPC algorithm models only *1, *2 and *3; *8 is not modelled, so the genotype is treated as unknown.',
      'CYP2C9 genotype unknown: the algorithm\'s "CYP2C9 genotype unknown" term was used.',
    ]);
  });

  it('adds the CPIC dose-reduction advice for a Black patient carrying CYP2C9*5, *6, *8 or *11, without applying it', () => {
    const result = iwpcWarfarinDose({ ...white65, race: 'BLACK', cyp2c9Diplotype: '*1/*5' });
    expect(result.weeklyDoseMg).toBe(iwpcWarfarinDose({ ...white65, race: 'BLACK', cyp2c9Diplotype: null }).weeklyDoseMg);
    expect(result.notes).toContain(
      'CPIC 2017 recommends, for carriers of CYP2C9*5, *6, *8 or *11 of African ancestry, decreasing the ' +
        'algorithm-calculated dose by 15–30% (larger reductions, 20–40%, may be needed in variant homozygotes); ' +
        'that reduction is not applied here.',
    );
    expect(result.notes.some((note) => note.startsWith('CPIC 2017: 45–50%'))).toBe(true);
  });

  it('uses the clinical algorithm when CYP2C9 is unmodelled and VKORC1 unknown', () => {
    const result = iwpcWarfarinDose({ ...white65, vkorc1Rs9923231: null, cyp2c9Diplotype: '*11/*1' });
    expect(result.algorithm).toBe('IWPC clinical');
    expect(result.notes[0]).toMatch(/^CYP2C9 \*1\/\*11: .*\*11 is not modelled/);
  });

  it('lists missing age, height and weight and returns no dose instead of defaulting them', () => {
    const result = iwpcWarfarinDose({ ...white65, age: null, weightKg: null });
    expect(result.weeklyDoseMg).toBeNull();
    expect(result.dailyDoseMg).toBeNull();
    expect(result.missing).toEqual(['age', 'weightKg']);
  });

  it('uses the missing-or-mixed race term for a race the algorithm has no term for', () => {
    const other = iwpcWarfarinDose({ ...white65, race: 'OTHER' });
    expect(other.weeklyDoseMg).toBe(iwpcWarfarinDose({ ...white65, race: 'MIXED_OR_MISSING' }).weeklyDoseMg);
    // 5.5433 − 0.1032 = 5.4401; 5.4401² = 29.595 mg/week
    expect(other.weeklyDoseMg).toBe(29.6);
  });

  it.each([
    ['age', { age: 16 }],
    ['age', { age: 101 }],
    ['heightCm', { heightCm: 1.7 }],
    ['weightKg', { weightKg: 700 }],
    ['weightKg', { weightKg: Number.NaN }],
    ['cyp2c9Diplotype', { cyp2c9Diplotype: 'poor metaboliser' }],
  ] as const)('rejects an implausible %s', (field, change) => {
    let error: unknown;
    try {
      iwpcWarfarinDose({ ...white65, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WarfarinInputError);
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ field, code: 'INVALID_RISK_INPUT', extensions: { code: 'INVALID_RISK_INPUT', field } });
  });

  it('returns no dose when the prediction falls below zero rather than squaring a negative', () => {
    // 5.6044 − 0.2614×9 + 0.0087×120 + 0.0128×30 − 1.6974 − 2.3312 − 0.2760 − 0.5503 = −0.1751
    const result = iwpcWarfarinDose({
      age: 95,
      heightCm: 120,
      weightKg: 30,
      race: 'BLACK',
      vkorc1Rs9923231: 'AA',
      cyp2c9Diplotype: '*3/*3',
      enzymeInducer: false,
      amiodarone: true,
    });
    expect(result.weeklyDoseMg).toBeNull();
    expect(result.notes.at(-1)).toMatch(/outside the range the algorithm can estimate/);
  });
});

describe('iwpcAgeDecades', () => {
  it('is the decade number of the IWPC age bands, with 90+ as 9', () => {
    expect([18, 59, 60, 89, 90, 100].map(iwpcAgeDecades)).toEqual([1, 5, 6, 8, 9, 9]);
  });
});
