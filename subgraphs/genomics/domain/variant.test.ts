import { normaliseVariant, parseGenotype, parseVariantId } from './variant';

describe('normaliseVariant', () => {
  it('names chromosomes without the chr prefix and chrM as MT', () => {
    expect(normaliseVariant({ chrom: 'chr7', pos: 140753336, ref: 'a', alt: 't' }).id).toBe('GRCh38:7:140753336:A:T');
    expect(normaliseVariant({ chrom: 'chrM', pos: 3243, ref: 'A', alt: 'G' }).id).toBe('GRCh38:MT:3243:A:G');
  });

  it('trims a shared suffix and prefix, keeping the VCF anchor base', () => {
    expect(normaliseVariant({ chrom: '1', pos: 100, ref: 'CAGT', alt: 'CT' })).toMatchObject({ pos: 100, ref: 'CAG', alt: 'C' });
    expect(normaliseVariant({ chrom: '1', pos: 100, ref: 'GATTC', alt: 'GACTC' })).toMatchObject({ pos: 102, ref: 'T', alt: 'C' });
  });

  it('rejects a record whose ALT equals REF', () => {
    expect(() => normaliseVariant({ chrom: '1', pos: 5, ref: 'A', alt: 'a' }, 'calls[0]')).toThrow('calls[0] alt: ALT equals REF ("A")');
  });

  it('rejects an empty REF and a non-nucleotide ALT, naming the field', () => {
    expect(() => normaliseVariant({ chrom: '1', pos: 5, ref: '', alt: 'A' }, 'calls[2]')).toThrow('calls[2] ref: REF is empty');
    expect(() => normaliseVariant({ chrom: '1', pos: 5, ref: 'A', alt: '<DEL>' })).toThrow('alt: "<DEL>"');
  });

  it('rejects an unknown chromosome', () => {
    expect(() => normaliseVariant({ chrom: 'chr23', pos: 5, ref: 'A', alt: 'C' })).toThrow('"chr23" is not a GRCh38 chromosome');
  });
});

describe('parseVariantId', () => {
  it('accepts a normalised GRCh38 id', () => {
    expect(parseVariantId('GRCh38:12:25245351:C:A')).toMatchObject({ chrom: '12', pos: 25245351, ref: 'C', alt: 'A' });
  });

  it('rejects a malformed id with the expected shape in the message', () => {
    expect(() => parseVariantId('BRAF V600E')).toThrow(/malformed: expected GRCh38:<chrom>:<pos>:<ref>:<alt>/);
  });

  it('rejects a GRCh37 id', () => {
    expect(() => parseVariantId('GRCh37:7:140453136:A:T')).toThrow('build GRCh37 is not supported');
  });

  it('rejects an id that is not in normalised form and names the normalised one', () => {
    expect(() => parseVariantId('GRCh38:chr7:140753336:A:T')).toThrow('the normalised id is GRCh38:7:140753336:A:T');
  });
});

describe('parseGenotype', () => {
  it('reads zygosity and phasing from GT', () => {
    expect(parseGenotype('0/1')).toEqual({ genotype: '0/1', phased: false, zygosity: 'HETEROZYGOUS' });
    expect(parseGenotype('1|1')).toEqual({ genotype: '1|1', phased: true, zygosity: 'HOMOZYGOUS_ALTERNATE' });
    expect(parseGenotype('./.').zygosity).toBe('NO_CALL');
    expect(parseGenotype('1').zygosity).toBe('HEMIZYGOUS');
  });

  it('rejects a GT that is not VCF', () => {
    expect(() => parseGenotype('het')).toThrow('"het" is not a VCF GT value');
  });
});
