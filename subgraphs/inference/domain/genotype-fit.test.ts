import { AUTOSOMAL_RECESSIVE, X_LINKED_RECESSIVE, genotypeFit, type CarriedZygosity } from './genotype-fit';

const AUTOSOMAL_DOMINANT = 'HP:0000006';
const fit = (calls: CarriedZygosity[], inheritance: string[], sex: 'female' | 'male' | null = null) => genotypeFit({ gene: 'CFTR', calls }, inheritance, sex);

describe('genotypeFit', () => {
  it('does not count one heterozygous variant for an autosomal-recessive disease: carrier state', () => {
    expect(fit(['HETEROZYGOUS'], [AUTOSOMAL_RECESSIVE])).toEqual({
      gene: 'CFTR',
      fits: false,
      note: 'CFTR: one heterozygous variant; the disease is autosomal recessive (HP:0000007): carrier state, not counted',
    });
  });

  it('counts a homozygous variant, or two heterozygous ones taken as compound heterozygous, for a recessive disease', () => {
    expect(fit(['HOMOZYGOUS_ALTERNATE'], [AUTOSOMAL_RECESSIVE])).toEqual({
      gene: 'CFTR',
      fits: true,
      note: 'CFTR: one homozygous variant; fits autosomal recessive (HP:0000007)',
    });
    expect(fit(['HETEROZYGOUS', 'HETEROZYGOUS'], [AUTOSOMAL_RECESSIVE])).toEqual({
      gene: 'CFTR',
      fits: true,
      note: 'CFTR: 2 heterozygous variants, taken as compound heterozygous (phase not stored); fits autosomal recessive (HP:0000007)',
    });
  });

  it('counts one heterozygous variant for a dominant disease, and for a disease stated both dominant and recessive', () => {
    expect(fit(['HETEROZYGOUS'], [AUTOSOMAL_DOMINANT]).fits).toBe(true);
    expect(fit(['HETEROZYGOUS'], [AUTOSOMAL_DOMINANT, AUTOSOMAL_RECESSIVE])).toEqual({
      gene: 'CFTR',
      fits: true,
      note: 'CFTR: one heterozygous variant; fits a mode of inheritance the disease states (HP:0000006, HP:0000007)',
    });
  });

  it('asks one allele of a male and two of a female (or of a patient of unrecorded sex) for an X-linked recessive disease', () => {
    expect(fit(['HETEROZYGOUS'], [X_LINKED_RECESSIVE], 'male').fits).toBe(true);
    expect(fit(['HEMIZYGOUS'], [X_LINKED_RECESSIVE], 'male').fits).toBe(true);
    expect(fit(['HETEROZYGOUS'], [X_LINKED_RECESSIVE], 'female')).toEqual({
      gene: 'CFTR',
      fits: false,
      note: 'CFTR: one heterozygous variant; the disease is X-linked recessive (HP:0001419): a female patient: carrier state, not counted',
    });
    expect(fit(['HETEROZYGOUS'], [X_LINKED_RECESSIVE], null).fits).toBe(false);
    expect(fit(['HOMOZYGOUS_ALTERNATE'], [X_LINKED_RECESSIVE], 'female').fits).toBe(true);
  });

  it('counts the gene, saying why, when the disease states no mode of inheritance or the zygosity is unknown', () => {
    expect(fit(['HETEROZYGOUS'], [])).toEqual({ gene: 'CFTR', fits: true, note: 'CFTR: one heterozygous variant; the disease states no mode of inheritance, so counted' });
    expect(fit([], [AUTOSOMAL_RECESSIVE])).toEqual({
      gene: 'CFTR',
      fits: true,
      note: 'CFTR: a variant of unknown zygosity; counted without checking the mode of inheritance',
    });
  });
});
