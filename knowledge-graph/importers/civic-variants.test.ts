import { civicVariantRow, grch38Form, GRCH38_ACCESSIONS } from './civic-variants';
import { CIVIC_VARIANT_HEADER, civicVariantLine } from './test-support';

const parse = (fields: Parameters<typeof civicVariantLine>[0]) => {
  const cells = civicVariantLine(fields).split('\t');
  return civicVariantRow((column) => cells[CIVIC_VARIANT_HEADER.indexOf(column)] ?? '', 7);
};

describe('CIViC variant coordinates', () => {
  it('keeps GRCh37 coordinates with their build and links no GRCh38 variant when CIViC gives only GRCh37 forms', () => {
    const row = parse({
      variant_id: '9001', gene: 'GENEX', variant: 'V12E', chromosome: '7', start: '1000', stop: '1000', reference_bases: 'a', variant_bases: 'T',
      reference_build: 'GRCh37', representative_transcript: 'ENST00000000001.1', hgvs_descriptions: 'NC_000007.13:g.1000A>T,NM_000001.1:c.35T>A',
      allele_registry_id: 'CA000001', clinvar_ids: '11,12', single_variant_molecular_profile_id: '9001',
    });
    expect(row).toEqual({
      line: 7, id: 'GENEX:V12E', gene: 'GENEX', name: 'V12E', proteinChange: 'p.V12E', level: 'protein', civicVariantId: 'civic:variant:9001',
      location: 'GRCh37:7:1000-1000', locationBuild: 'GRCh37', locationRef: 'A', locationAlt: 'T', transcript: 'ENST00000000001.1',
      hgvs: ['NC_000007.13:g.1000A>T', 'NM_000001.1:c.35T>A'], alleleRegistryId: 'CA000001', clinvarIds: ['11', '12'], grch38: null,
    });
  });

  it('links a GRCh38 variant from a GRCh38 row, or from a g. HGVS substitution on a GRCh38 chromosome accession', () => {
    expect(grch38Form('GRCh38', '12', '500', 'C', 'A', [])).toBe('GRCh38:12:500:C:A');
    expect(grch38Form('GRCh37', '7', '1000', 'A', 'T', ['NC_000007.13:g.1000A>T', 'NC_000007.14:g.1400A>T'])).toBe('GRCh38:7:1400:A:T');
    expect(grch38Form('GRCh37', 'X', '10', 'C', 'G', ['NC_000023.11:g.20C>G'])).toBe('GRCh38:X:20:C:G');
    expect(Object.keys(GRCH38_ACCESSIONS)).toHaveLength(24);
  });

  it('does not link an indel (no VCF anchor base) or a GRCh38 row with unequal bases', () => {
    expect(grch38Form('GRCh38', '17', '100', 'TTGA', '', ['NC_000017.11:g.100_103del'])).toBeNull();
    expect(grch38Form('GRCh38', '17', '100', '', 'GG', [])).toBeNull();
  });

  it('keeps a variant without coordinates, and skips an unreadable build, chromosome or gene with a code', () => {
    expect(parse({ variant_id: '9002', gene: 'GENEX', variant: 'Amplification' })).toMatchObject({ location: null, locationBuild: null, grch38: null, level: 'category' });
    const base = { variant_id: '9003', gene: 'GENEX', variant: 'V12E', chromosome: '7', start: '1000', stop: '1000' };
    expect(parse({ ...base, reference_build: 'NCBI36' })).toEqual({ skip: 'reference_build "NCBI36" is not GRCh37 or GRCh38', code: 'INVALID_IDENTIFIER' });
    expect(parse({ ...base, reference_build: 'GRCh37', chromosome: 'chr7' })).toEqual({ skip: 'chromosome "chr7" is not 1-22, X, Y or MT', code: 'INVALID_IDENTIFIER' });
    expect(parse({ ...base, reference_build: 'GRCh37', gene: 'not a gene' })).toMatchObject({ code: 'INVALID_GENE_SYMBOL' });
  });
});
