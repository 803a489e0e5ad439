/*
 * rankRareDiseases' default scoring, likelihood ratios (phenotype-likelihood.ts), on a small extract of HPO with
 * annotation frequencies (phenotype-likelihood.fixture.ts). These tests fail on the similarity ranking (symmetric BMA),
 * which ignores frequencies: diseases with the same terms tie and are ordered by id.
 */
import { EYE, NYSTAGMUS, OBLIGATE, OCCASIONAL, SEIZURE, STRABISMUS, VERY_FREQUENT, diseases, terms } from './phenotype-likelihood.fixture';
import { buildPhenotypeIndex } from './phenotype-similarity';
import { rankRareDiseases, rareDiseaseOrder } from './rare-disease-ranking';

describe('rankRareDiseases with likelihood ratios (the default)', () => {
  const index = buildPhenotypeIndex(terms, diseases);

  it('ranks the disease in which the feature is frequent above one in which it is very rare', () => {
    const order = rareDiseaseOrder(index, [SEIZURE]);
    expect(order.map((c) => c.id)).toEqual(['OMIM:100002', 'OMIM:100001', 'OMIM:100003']);
    expect(order[0]!.score).toBeCloseTo(Math.log10(0.895 / ((0.025 + 0.895) / 3)), 12);
  });

  it('with scoreNegativeFindings, lowers a disease in which an excluded feature is obligate below one in which it is occasional', () => {
    const pair = buildPhenotypeIndex(terms, [
      { id: 'OMIM:200001', name: 'P', phenotypes: [SEIZURE, NYSTAGMUS], frequencies: [VERY_FREQUENT, OBLIGATE], genes: [] },
      { id: 'OMIM:200002', name: 'Q', phenotypes: [SEIZURE, NYSTAGMUS], frequencies: [VERY_FREQUENT, OCCASIONAL], genes: [] },
    ]);
    const order = rareDiseaseOrder(pair, [SEIZURE], { excludedPhenotypes: [NYSTAGMUS], scoreNegativeFindings: true });
    expect(order.map((c) => c.id)).toEqual(['OMIM:200002', 'OMIM:200001']);
    // By default negative findings are named, not scored (they lowered accuracy on published cases): a tie, by id.
    expect(rareDiseaseOrder(pair, [SEIZURE], { excludedPhenotypes: [NYSTAGMUS] }).map((c) => c.id)).toEqual(['OMIM:200001', 'OMIM:200002']);
    const background = (1 + 0.17) / 2;
    expect(order[0]!.score - order[1]!.score).toBeCloseTo(Math.log10((1 - 0.17) / (1 - background)) - Math.log10(0.01 / (1 - background)), 10);
  });

  it('explains each candidate: per patient term its best match and likelihood ratio, each contradiction with its ratio', () => {
    const { candidates } = rankRareDiseases(index, [SEIZURE, STRABISMUS], { excludedPhenotypes: [NYSTAGMUS], scoreNegativeFindings: true, limit: 1 });
    const bgSeizure = (0.025 + 0.895) / 3;
    const bgEye = (0.895 + 0.025) / 3;
    const bgNystagmus = bgEye;
    const ratios = [0.895 / bgSeizure, 0.01, (1 - 0.025) / (1 - bgNystagmus)];
    expect(candidates).toEqual([
      {
        disease: { id: 'OMIM:100002', name: 'X' },
        score: expect.closeTo(ratios.reduce((sum, lr) => sum + Math.log10(lr), 0), 10),
        logLikelihoodRatio: expect.closeTo(ratios.reduce((sum, lr) => sum + Math.log10(lr), 0), 10),
        similarity: expect.any(Number),
        patientToDisease: expect.any(Number),
        geneBoosted: false,
        matchedGenes: [],
        inheritance: [],
        genotypeNotes: [],
        matches: [
          // Seizure and the eye are each annotated to 2 of 3 diseases: equal IC, then patient term id order.
          {
            patientPhenotype: { id: STRABISMUS, name: 'Strabismus' },
            diseasePhenotype: { id: NYSTAGMUS, name: 'Nystagmus' },
            commonAncestor: { id: EYE, name: 'Abnormality of the eye' },
            informationContent: expect.any(Number),
            likelihoodRatio: 0.01,
            likelihoodMatch: 'COMMON_ANCESTOR',
          },
          {
            patientPhenotype: { id: SEIZURE, name: 'Seizure' },
            diseasePhenotype: { id: SEIZURE, name: 'Seizure' },
            commonAncestor: { id: SEIZURE, name: 'Seizure' },
            informationContent: expect.any(Number),
            likelihoodRatio: expect.closeTo(ratios[0]!, 10),
            likelihoodMatch: 'EXACT',
          },
        ],
        contradictions: [{ id: NYSTAGMUS, name: 'Nystagmus' }],
        contradictionLikelihoodRatios: [expect.closeTo(ratios[2]!, 10)],
      },
    ]);
  });

  it('multiplies the likelihood ratio by geneLikelihoodRatio (10^20 by default) on a gene match', () => {
    const plain = rareDiseaseOrder(index, [SEIZURE]);
    const withGene = rareDiseaseOrder(index, [SEIZURE], { patientGenes: ['GENEY'] });
    const y = (order: { id: string; score: number }[]) => order.find((c) => c.id === 'OMIM:100001')!.score;
    expect(y(withGene) - y(plain)).toBeCloseTo(20, 12);
    expect(withGene[0]!.id).toBe('OMIM:100001');
    expect(y(rareDiseaseOrder(index, [SEIZURE], { patientGenes: ['GENEY'], geneLikelihoodRatio: 10 })) - y(plain)).toBeCloseTo(1, 12);
  });

  it("counts a gene only when the patient's calls fit the disease's mode of inheritance, and says why", () => {
    const recessive = buildPhenotypeIndex(
      [...terms, { id: 'HP:0000005', name: 'Mode of inheritance', parents: ['HP:0000001'] }, { id: 'HP:0000007', name: 'Autosomal recessive inheritance', parents: ['HP:0000005'] }],
      diseases.map((d) => (d.id === 'OMIM:100001' ? { ...d, inheritance: ['HP:0000007'] } : d)),
    );
    const plain = rareDiseaseOrder(recessive, [SEIZURE]);
    const carrier = rankRareDiseases(recessive, [SEIZURE], { patientGenotypes: [{ gene: 'GENEY', calls: ['HETEROZYGOUS'] }] });
    const y = carrier.candidates.find((c) => c.disease.id === 'OMIM:100001')!;
    expect(carrier.candidates.map((c) => [c.disease.id, c.score])).toEqual(plain.map((c) => [c.id, c.score]));
    expect(y).toMatchObject({
      geneBoosted: false,
      matchedGenes: ['GENEY'],
      inheritance: [{ id: 'HP:0000007', name: 'Autosomal recessive inheritance' }],
      genotypeNotes: ['GENEY: one heterozygous variant; the disease is autosomal recessive (HP:0000007): carrier state, not counted'],
    });
    const affected = rankRareDiseases(recessive, [SEIZURE], { patientGenotypes: [{ gene: 'GENEY', calls: ['HOMOZYGOUS_ALTERNATE'] }] });
    expect(affected.candidates[0]).toMatchObject({ disease: { id: 'OMIM:100001' }, geneBoosted: true, genotypeNotes: ['GENEY: one homozygous variant; fits autosomal recessive (HP:0000007)'] });
    expect(affected.candidates[0]!.score - plain.find((c) => c.id === 'OMIM:100001')!.score).toBeCloseTo(20, 12);
  });

  it('leaves out, on request, ORPHA entries whose genes all belong to OMIM entries, and keeps the others', () => {
    const withOrphanet = buildPhenotypeIndex(terms, [
      ...diseases,
      { id: 'ORPHA:1', name: 'Y again', phenotypes: [SEIZURE], genes: ['GENEY'] },
      { id: 'ORPHA:2', name: 'no gene', phenotypes: [SEIZURE], genes: [] },
      { id: 'ORPHA:3', name: 'another gene', phenotypes: [SEIZURE], genes: ['GENEY', 'GENEO'] },
    ]);
    const ids = (options = {}) => rareDiseaseOrder(withOrphanet, [SEIZURE], options).map((c) => c.id).sort();
    expect(ids()).toContain('ORPHA:1');
    expect(ids({ omitGeneCoveredOrphanet: true })).toEqual(['OMIM:100001', 'OMIM:100002', 'OMIM:100003', 'ORPHA:2', 'ORPHA:3']);
  });

  it('keeps the similarity ranking on request', () => {
    // X and Y carry the same terms: equal similarity, ties by id.
    expect(rareDiseaseOrder(index, [SEIZURE], { scoring: 'similarity' }).map((c) => c.id)).toEqual(['OMIM:100001', 'OMIM:100002', 'OMIM:100003']);
  });
});
