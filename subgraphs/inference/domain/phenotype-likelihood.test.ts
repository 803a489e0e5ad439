import { excludedTermLikelihood, observedTermLikelihood, phenotypeLogLikelihoods } from './phenotype-likelihood';
import { ASD, CARDIO, EYE, FOCAL, ID, NERVOUS, NYSTAGMUS, SEIZURE, STRABISMUS, TONIC_CLONIC, diseases, terms } from './phenotype-likelihood.fixture';
import { buildPhenotypeIndex, type PhenotypeIndex } from './phenotype-similarity';

/* The fixture: phenotype-likelihood.fixture.ts (a small extract of HPO, three diseases with frequencies). */
const [Y, X, Z] = [0, 1, 2];
const MIN_BACKGROUND = 1e-4;

function ordinal(index: PhenotypeIndex, id: string) {
  return index.terms.get(id)!.ordinal;
}

describe('phenotype likelihood ratios (LIRICAL, Robinson et al. 2020)', () => {
  const index = buildPhenotypeIndex(terms, diseases);
  const tables = index.likelihood;
  const bg = (id: string) => tables.background[ordinal(index, id)]!;
  const observed = (id: string, d: number) => observedTermLikelihood(tables, ordinal(index, id), d);

  it('takes background frequencies as the mean over diseases of the highest frequency at or below a term', () => {
    expect(bg(SEIZURE)).toBeCloseTo((0.025 + 0.895 + 0) / 3, 12);
    expect(bg(NERVOUS)).toBeCloseTo((0.025 + 0.895 + 0) / 3, 12); // Z's intellectual disability is absent: not counted
    expect(bg(EYE)).toBeCloseTo((0.895 + 0.025 + 0) / 3, 12);
    expect(bg(ASD)).toBeCloseTo(1 / 3, 12);
    expect(bg(FOCAL)).toBe(0);
  });

  it('weighs an exact match by the annotation frequency over the background', () => {
    expect(observed(SEIZURE, X)).toEqual({ likelihoodRatio: expect.closeTo(0.895 / bg(SEIZURE), 12), kind: 'EXACT', term: ordinal(index, SEIZURE) });
    expect(observed(SEIZURE, Y).likelihoodRatio).toBeCloseTo(0.025 / bg(SEIZURE), 12);
    expect(observed(ASD, Z).likelihoodRatio).toBeCloseTo(1 / bg(ASD), 12);
  });

  it('gives a less specific patient term the highest frequency of the disease terms below it', () => {
    expect(observed(NERVOUS, X)).toEqual({ likelihoodRatio: expect.closeTo(0.895 / bg(NERVOUS), 12), kind: 'DISEASE_TERM_MORE_SPECIFIC', term: ordinal(index, NERVOUS) });
  });

  it('shares the frequency of a disease term among its children for a more specific patient term', () => {
    expect(observed(FOCAL, X)).toEqual({ likelihoodRatio: expect.closeTo(0.895 / 2 / MIN_BACKGROUND, 6), kind: 'PATIENT_TERM_MORE_SPECIFIC', term: ordinal(index, SEIZURE) });
  });

  it('falls back on the closest common ancestor below Phenotypic abnormality, at least 0.01, and on 0.01 without one', () => {
    // X's nystagmus (2.5 %) one step below the eye: 0.025 / 10 / bg(eye) < 0.01.
    expect(observed(STRABISMUS, X)).toEqual({ likelihoodRatio: 0.01, kind: 'COMMON_ANCESTOR', term: ordinal(index, EYE) });
    // Y's nystagmus (89.5 %): 0.0895 / bg(eye).
    expect(observed(STRABISMUS, Y).likelihoodRatio).toBeCloseTo(0.0895 / bg(EYE), 12);
    expect(observed(ASD, X)).toEqual({ likelihoodRatio: 0.01, kind: 'NO_MATCH', term: null });
  });

  it('gives 1/1000 to a feature the disease is annotated as lacking (frequency 0)', () => {
    expect(observed(ID, Z)).toEqual({ likelihoodRatio: 0.001, kind: 'ABSENT_IN_DISEASE', term: ordinal(index, ID) });
  });

  it('weighs a negative finding by (1 − f_disease) / (1 − f_background), at least 0.01 / (1 − f_background)', () => {
    const nystagmus = ordinal(index, NYSTAGMUS);
    expect(excludedTermLikelihood(tables, nystagmus, X)).toBeCloseTo((1 - 0.025) / (1 - bg(NYSTAGMUS)), 12);
    expect(excludedTermLikelihood(tables, nystagmus, Y)).toBeCloseTo((1 - 0.895) / (1 - bg(NYSTAGMUS)), 12);
    expect(excludedTermLikelihood(tables, nystagmus, Z)).toBeCloseTo(1 / (1 - bg(NYSTAGMUS)), 12);
    expect(excludedTermLikelihood(tables, ordinal(index, ASD), Z)).toBeCloseTo(0.01 / (1 - bg(ASD)), 12);
  });

  it('scores every disease as the sum of log10 of the ratios it explains them by', () => {
    const patient = [FOCAL, NERVOUS, STRABISMUS, ASD, ID, TONIC_CLONIC].map((id) => ordinal(index, id));
    const excluded = [NYSTAGMUS, CARDIO].map((id) => ordinal(index, id));
    const scores = phenotypeLogLikelihoods(tables, index.diseases.length, patient, excluded);
    index.diseases.forEach((_, d) => {
      const expected =
        patient.reduce((sum, q) => sum + Math.log10(observedTermLikelihood(tables, q, d).likelihoodRatio), 0) +
        excluded.reduce((sum, x) => sum + Math.log10(excludedTermLikelihood(tables, x, d)), 0);
      expect(scores[d]).toBeCloseTo(expected, 10);
    });
  });
});
