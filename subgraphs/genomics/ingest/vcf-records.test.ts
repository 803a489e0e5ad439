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

describe('genome build and reference records (PharmCAT-style VCFs)', () => {
  const contigOnly = (assembly: string) => ['##fileformat=VCFv4.2', `##contig=<ID=chr10,assembly=${assembly},species="Homo sapiens">`, HEADER.at(-1)!];

  it('reads the build from a ##contig assembly= when there is no ##reference (PharmCAT writes GRCh38.p14)', () => {
    expect(parseHeader(contigOnly('GRCh38.p14'))).toMatchObject({ build: 'GRCh38', buildEvidence: '##contig assembly=GRCh38.p14' });
    expect(parseHeader(contigOnly('GRCh37.p13'))).toMatchObject({ build: 'GRCh37' });
    expect(parseHeader(contigOnly('unknown'))).toMatchObject({ build: null });
  });

  it('refuses to choose between header lines that name different builds (hg38 contigs, chr1 at GRCh37\'s length)', () => {
    const mixed = ['##fileformat=VCFv4.2', '##contig=<ID=chr10,assembly=hg38,length=133797422>', '##contig=<ID=1,length=249250621>', HEADER.at(-1)!];
    expect(parseHeader(mixed)).toMatchObject({
      build: null,
      buildConflict: '##contig assembly=hg38 says GRCh38, ##contig 1 length 249250621 says GRCh37',
    });
    expect(parseHeader(contigOnly('GRCh38.p14'))).toMatchObject({ buildConflict: null });
  });

  it('returns an ALT=. record with a hom-ref genotype as a reference call, and other ALT=. records as skipped only', () => {
    const header = parseHeader(HEADER);
    expect(recordCalls(header, 'chr6\t18143724\trs1800462\tc\t.\t.\tPASS\t.\tGT\t0/0', 5, 'S1')).toEqual({
      calls: [],
      skipped: 1,
      reference: { chrom: '6', pos: 18143724, ref: 'C', genotype: '0/0' },
    });
    expect(recordCalls(header, 'chr6\t18143724\trs1800462\tC\t.\t.\tPASS\t.\tGT\t./.', 5, 'S1')).toEqual({ calls: [], skipped: 1 });
    expect(recordCalls(header, 'chr6\t18143724\trs1800462\tC\t.\t.\tPASS\t.\tGT\t0/1', 5, 'S1')).toEqual({ calls: [], skipped: 1 });
  });
});

describe('reading only the stored columns (the values @gmod/vcf SAMPLES() gave, issue 16)', () => {
  const header = (...format: string[]) =>
    parseHeader(['##fileformat=VCFv4.2', '##reference=GRCh38', ...format, '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2']);
  const call = (h: ReturnType<typeof parseHeader>, sample: string, format: string, s1: string, s2: string) =>
    recordCalls(h, `chr10\t94781859\t.\tG\tA,T\t50\tq10;LowQual\t.\t${format}\t${s1}\t${s2}`, 5, sample).calls;

  it('reads the named sample, a repeated FORMAT key from its later column, AD items "." as unknown, AF when AD is missing', () => {
    const h = header('##FORMAT=<ID=AF,Number=A,Type=Float,Description="fraction">');
    expect(call(h, 'S2', 'GT:DP:GQ:AD', '0/1:5:6:1,1,1', '1/2:40:.:10,.,20')).toMatchObject([
      { genotype: '1/0', zygosity: 'HETEROZYGOUS', depth: 40, genotypeQuality: null, alleleFraction: null, filter: 'q10;LowQual', quality: 50 },
      { genotype: '0/1', alleleFraction: 0.6667 },
    ]);
    expect(call(h, 'S1', 'GT:DP:DP:AF', '0/1:5:7:0.25,0.5', '.')).toMatchObject([{ depth: 7, alleleFraction: 0.25 }, { depth: 7, alleleFraction: 0.25 }]);
  });

  it('refuses a count whose header type is not numeric, as before', () => {
    const h = header('##FORMAT=<ID=DP,Number=1,Type=String,Description="depth">');
    expect(() => call(h, 'S1', 'GT:DP', '0/1:30', '0/1:30')).toThrow('VCF line 5: DP: 30 is not a non-negative integer');
  });

  it('refuses an empty INFO column with a coded reason (it escaped as an uncoded parser error)', () => {
    expect(() => recordCalls(header(), 'chr10\t94781859\t.\tG\tA\t50\tPASS\t\tGT\t0/1\t0/1', 5, 'S1')).toThrow(
      'VCF line 5: INFO: is empty: write "." for a record without INFO',
    );
  });
});
