import { ErrorCode, HubError } from '../../../lib/errors';
import { MAX_ALLELE_LENGTH, normaliseVariant, parseGenotype, parseVariantId, type VariantKey } from './variant';

/** The HubError normaliseVariant throws for `input`, or a failure if it accepts it. */
function refusal(input: VariantKey, where: string, lengths?: ReadonlyMap<string, number>): HubError {
  try {
    normaliseVariant(input, where, lengths);
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input).slice(0, 80)}`);
}

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

  it('rejects a position beyond the chromosome\'s GRCh38 length with INVALID_VARIANT, naming the call', () => {
    const error = refusal({ chrom: 'chr10', pos: 200_000_000, ref: 'A', alt: 'C' }, 'calls[1]');
    expect(error.code).toBe(ErrorCode.INVALID_VARIANT);
    expect(error.message).toBe('calls[1] pos: 200000000 is beyond the end of chromosome 10 (133797422 bases in GRCh38)');
    expect(refusal({ chrom: '1', pos: 999_999_999_999, ref: 'A', alt: 'C' }, 'calls[0]').message).toBe(
      'calls[0] pos: 999999999999 is beyond the end of chromosome 1 (248956422 bases in GRCh38)',
    );
    expect(refusal({ chrom: 'MT', pos: 16_570, ref: 'A', alt: 'C' }, 'calls[2]').message).toBe(
      'calls[2] pos: 16570 is beyond the end of chromosome MT (16569 bases in GRCh38)',
    );
  });

  it('accepts the last base of a chromosome and refuses a REF that runs past it', () => {
    expect(normaliseVariant({ chrom: 'chr10', pos: 133_797_422, ref: 'A', alt: 'C' }).pos).toBe(133797422);
    expect(refusal({ chrom: 'chr10', pos: 133_797_421, ref: 'ACG', alt: 'A' }, 'calls[0]').message).toBe(
      'calls[0] ref: 3 bases from 133797421 run past the end of chromosome 10 (133797422 bases in GRCh38)',
    );
  });

  it('takes the contig length from the lengths given (a VCF header) over GRCh38', () => {
    const header = new Map([['7', 1000]]);
    expect(refusal({ chrom: 'chr7', pos: 1001, ref: 'A', alt: 'C' }, 'VCF line 9', header).message).toBe(
      'VCF line 9 pos: 1001 is beyond the end of chromosome 7 (1000 bases in the ##contig header)',
    );
    expect(normaliseVariant({ chrom: 'chr10', pos: 5, ref: 'A', alt: 'C' }, 'x', header).pos).toBe(5);
  });

  it('refuses a REF or ALT longer than MAX_ALLELE_LENGTH bases, naming the call', () => {
    const long = 'A'.repeat(MAX_ALLELE_LENGTH + 1);
    expect(MAX_ALLELE_LENGTH).toBe(1000);
    const ref = refusal({ chrom: '1', pos: 5, ref: 'C'.repeat(1_000_000), alt: 'A' }, 'calls[3]');
    expect(ref.code).toBe(ErrorCode.INVALID_VARIANT);
    expect(ref.message).toBe('calls[3] ref: 1000000 bases exceed the limit of 1000 per allele');
    expect(refusal({ chrom: '1', pos: 5, ref: 'C', alt: long }, 'calls[4]').message).toBe('calls[4] alt: 1001 bases exceed the limit of 1000 per allele');
    expect(normaliseVariant({ chrom: '1', pos: 5, ref: 'C', alt: 'A'.repeat(MAX_ALLELE_LENGTH) }).alt).toHaveLength(1000);
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
