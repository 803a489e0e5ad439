import { parseHeader, recordCalls } from './vcf-records';

const HEADER = [
  '##fileformat=VCFv4.2',
  '##reference=GRCh38',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1',
];

describe('VCF text that PostgreSQL cannot store', () => {
  it.each([
    ['chr10\t94781859\trs4244285\tG\tA\t50\tPA\u0000SS\t.\tGT\t0/1', 'VCF line 5: FILTER: contains a NUL byte: VCF records are text'],
    ['chr10\t94781859\trs4244285\tG\tA\t50\tPASS\tPX=CYP2C19\u0000\tGT\t0/1', 'VCF line 5: INFO: contains a NUL byte: VCF records are text'],
    ['chr10\t94781859\trs4244285\tG\tA\t50\tPASS\t.\tGT\t0/1\u0000', 'VCF line 5: sample: contains a NUL byte: VCF records are text'],
  ])('refuses a record with a NUL byte, naming its column: %#', (line, message) => {
    expect(() => recordCalls(parseHeader(HEADER), line, 5, 'S1')).toThrow(message);
  });

  it('refuses a header with a NUL byte (a sample name is stored with each call)', () => {
    const header = [...HEADER.slice(0, -1), '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\u00001'];
    expect(() => parseHeader(header)).toThrow('VCF line 4: contains a NUL byte: a VCF header is text');
  });
});
