import { buildPhenotypeIndex } from '../../subgraphs/inference/domain/phenotype-similarity';
import { NYSTAGMUS, SEIZURE, VERY_FREQUENT, VERY_RARE, terms } from '../../subgraphs/inference/domain/phenotype-likelihood.fixture';
import { carrierDecoysFor, evaluateCases, recessiveOnlyGenes } from './evaluate';
import type { PhenopacketCase } from './phenopackets';

const AR = 'HP:0000007';
const AD = 'HP:0000006';
const index = buildPhenotypeIndex(
  [...terms, { id: 'HP:0000005', name: 'Mode of inheritance', parents: ['HP:0000001'] }, { id: AR, name: 'Autosomal recessive inheritance', parents: ['HP:0000005'] }, { id: AD, name: 'Autosomal dominant inheritance', parents: ['HP:0000005'] }],
  [
    // The diagnosis: dominant, gene CAUSAL, seizures in few of its patients.
    { id: 'OMIM:300001', name: 'Diagnosis', phenotypes: [SEIZURE], frequencies: [VERY_RARE], genes: ['CAUSAL'], inheritance: [AD] },
    // A recessive disease with seizures in most, gene CARRIER (recessive only); a gene with a recessive and a dominant disease.
    { id: 'OMIM:300002', name: 'Recessive', phenotypes: [SEIZURE], frequencies: [VERY_FREQUENT], genes: ['CARRIER'], inheritance: [AR] },
    { id: 'OMIM:300003', name: 'Recessive, shared gene', phenotypes: [NYSTAGMUS], genes: ['SHARED'], inheritance: [AR] },
    { id: 'OMIM:300004', name: 'Dominant, shared gene', phenotypes: [NYSTAGMUS], genes: ['SHARED'], inheritance: [AD] },
  ],
);

const sick: PhenopacketCase = {
  id: 'case-1',
  cohort: 'CAUSAL',
  source: 'test',
  observed: [SEIZURE],
  excluded: [],
  diagnosis: { id: 'OMIM:300001', label: 'Diagnosis' },
  genes: ['CAUSAL'],
  genotypes: [{ gene: 'CAUSAL', calls: ['HETEROZYGOUS'] }],
  sex: 'female',
  pmids: [],
};

describe('carrier decoys in the phenopacket evaluation', () => {
  it('draws decoys from genes whose every disease is autosomal recessive only, never a causal gene, the same each run', () => {
    expect(recessiveOnlyGenes(index)).toEqual(['CARRIER']);
    expect(carrierDecoysFor(['A', 'B', 'C', 'D'], ['B'], 2, 7)).toEqual(carrierDecoysFor(['A', 'B', 'C', 'D'], ['B'], 2, 7));
    expect(carrierDecoysFor(['A', 'B', 'C', 'D'], ['B'], 5, 7).map((g) => g.gene).sort()).toEqual(['A', 'C', 'D']);
    expect(carrierDecoysFor(['A'], [], 1, 0)).toEqual([{ gene: 'A', calls: ['HETEROZYGOUS'] }]);
  });

  it('keeps the diagnosis first with a carrier variant beside the causal one; a zygosity-blind ranking puts the carrier disease first', () => {
    // Phenotypes alone: the recessive disease, where seizures are frequent, comes first.
    expect(evaluateCases(index, [sick]).cases[0]!.rank).toEqual({ phenotypes: 2, 'phenotypes+gene': 1 });
    expect(evaluateCases(index, [sick], { carrierDecoys: 1 }).cases[0]!.rank['phenotypes+gene']).toBe(1);
    expect(evaluateCases(index, [sick], { carrierDecoys: 1, ignoreZygosity: true }).cases[0]!.rank['phenotypes+gene']).toBe(2);
  });
});
