import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { GENOMICS_MIGRATIONS } from '../server';
import { VcfIngestor } from './ingest-vcf';
import { EXAMPLE_RECORDS, GRCH38_HEADER, vcf } from './fixtures/vcf';

const text = (s: string) => Readable.from([Buffer.from(s)]);
/** BGZF-like: several gzip members back to back, as bgzip writes them. */
const bgzip = (s: string) => {
  const half = Math.floor(s.length / 2);
  return Buffer.concat([zlib.gzipSync(s.slice(0, half)), zlib.gzipSync(s.slice(half)), zlib.gzipSync('')]);
};

describe('VcfIngestor', () => {
  let pool: Pool;
  let ingestor: VcfIngestor;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
    ingestor = new VcfIngestor(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const storedCalls = async (patientId: string) =>
    (
      await pool.query(
        `SELECT variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, source
         FROM genomics.variant_calls WHERE patient_id = $1 ORDER BY variant_id COLLATE "C"`,
        [patientId],
      )
    ).rows;

  it('loads a VCF: multi-allelic records split, chr names unified, indels trimmed, call details kept', async () => {
    const patientId = randomUUID();
    const report = await ingestor.ingest(patientId, text(vcf(EXAMPLE_RECORDS)));
    expect(report).toEqual({ records: 5, variants: 5, skipped: 1, rejected: [], sample: 'TUMOR', build: 'GRCh38' });
    expect(await storedCalls(patientId)).toEqual([
      { variant_id: 'GRCh38:10:94781859:G:A', genotype: '1|1', phased: true, zygosity: 'HOMOZYGOUS_ALTERNATE', depth: 40, genotype_quality: 99, allele_fraction: 1, filter: 'PASS', quality: 300, source: 'vcf:TUMOR' },
      { variant_id: 'GRCh38:12:25245351:C:A', genotype: '1/0', phased: false, zygosity: 'HETEROZYGOUS', depth: 60, genotype_quality: 50, allele_fraction: 0.4167, filter: 'PASS', quality: 95, source: 'vcf:TUMOR' },
      { variant_id: 'GRCh38:12:25245351:C:T', genotype: '0/1', phased: false, zygosity: 'HETEROZYGOUS', depth: 60, genotype_quality: 50, allele_fraction: 0.5833, filter: 'PASS', quality: 95, source: 'vcf:TUMOR' },
      { variant_id: 'GRCh38:1:1000:CAG:C', genotype: '0/1', phased: false, zygosity: 'HETEROZYGOUS', depth: 10, genotype_quality: 20, allele_fraction: 0.4, filter: 'LowQual', quality: 50, source: 'vcf:TUMOR' },
      { variant_id: 'GRCh38:7:140753336:A:T', genotype: '0/1', phased: false, zygosity: 'HETEROZYGOUS', depth: 120, genotype_quality: 99, allele_fraction: 0.4167, filter: 'PASS', quality: 812, source: 'vcf:TUMOR' },
    ]);
    const events = await pool.query('SELECT topic, payload FROM genomics.outbox WHERE patient_id = $1', [patientId]);
    expect(events.rows).toEqual([{ topic: 'genomics.variants.changed', payload: { variants: 5, sample: 'TUMOR' } }]);
  });

  it('reads bgzip and stores the same calls again without duplicating them', async () => {
    const patientId = randomUUID();
    const file = vcf(EXAMPLE_RECORDS);
    await ingestor.ingest(patientId, text(file));
    const again = await ingestor.ingest(patientId, Readable.from([bgzip(file)]));
    expect(again).toMatchObject({ records: 5, variants: 5, rejected: [] });
    expect(await storedCalls(patientId)).toHaveLength(5);
  });

  it('picks the named sample of a multi-sample VCF', async () => {
    const patientId = randomUUID();
    const file = vcf([['chr7', 140753336, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/0', '1/1']], { samples: ['MOTHER', 'CHILD'] });
    expect(await ingestor.ingest(patientId, text(file), { sample: 'CHILD' })).toMatchObject({ sample: 'CHILD', variants: 1 });
    expect((await storedCalls(patientId))[0]).toMatchObject({ genotype: '1/1', zygosity: 'HOMOZYGOUS_ALTERNATE' });
  });

  describe('bad input: the line named, nothing from the file stored', () => {
    async function expectRefused(input: Buffer | string, reason: string | RegExp, options = {}) {
      const patientId = randomUUID();
      const report = await ingestor.ingest(patientId, Readable.from([Buffer.from(input)]), options);
      expect(report.variants).toBe(0);
      expect(report.rejected[0]?.reason).toEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
      expect(await storedCalls(patientId)).toEqual([]);
      return report;
    }

    it('refuses a file with no header', async () => {
      await expectRefused('chr1\t100\t.\tA\tC\t50\tPASS\t.\n', 'VCF line 1: missing ##fileformat=VCFv4.x header: not a VCF file');
    });

    it('refuses a wrong column count, a non-numeric POS, illegal bases and ALT equal to REF — each with its line', async () => {
      const header = GRCH38_HEADER.length + 1;
      const report = await expectRefused(
        vcf([
          ['chr7', 140753336, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr7', 'abc', '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr7', 100, '.', 'A', 'T', 50, 'PASS', '.', 'GT'],
          ['chr7', 101, '.', 'AXZ', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr7', 102, '.', 'A', 'A', 50, 'PASS', '.', 'GT', '0/1'],
        ]),
        `VCF line ${header + 2}: POS: "abc" is not a position`,
      );
      expect(report.rejected).toEqual([
        { line: header + 2, reason: `VCF line ${header + 2}: POS: "abc" is not a position`, code: 'INVALID_POSITION' },
        { line: header + 3, reason: `VCF line ${header + 3}: has 9 tab-separated columns, the header declares 10`, code: 'COLUMN_COUNT' },
        { line: header + 4, reason: `VCF line ${header + 4}: ref: "AXZ" is not a sequence of A, C, G, T, N`, code: 'INVALID_ALLELE' },
        { line: header + 5, reason: `VCF line ${header + 5}: alt: ALT equals REF ("A")`, code: 'INVALID_ALLELE' },
      ]);
    });

    it('refuses a non-finite QUAL and negative or fractional DP, GQ and AD — each with its line', async () => {
      const header = GRCH38_HEADER.length + 1;
      const report = await expectRefused(
        vcf([
          ['chr7', 140753336, '.', 'A', 'T', 'NaN', 'PASS', '.', 'GT:DP:GQ:AD', '0/1:120:99:70,50'],
          ['chr7', 140753337, '.', 'A', 'T', 'Infinity', 'PASS', '.', 'GT:DP:GQ:AD', '0/1:120:99:70,50'],
          ['chr7', 140753338, '.', 'A', 'T', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:-5:99:70,50'],
          ['chr7', 140753339, '.', 'A', 'T', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:120:1.5:70,50'],
          ['chr7', 140753340, '.', 'A', 'T', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:120:99:70,-1'],
          ['chr7', 140753341, '.', 'A', 'T', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:abc:99:70,50'],
          ['chr7', 140753342, '.', 'A', 'T', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:99999999999:99:70,50'],
        ]),
        `VCF line ${header + 1}: QUAL: NaN is not a finite number or "."`,
      );
      expect(report.rejected).toEqual([
        { line: header + 1, reason: `VCF line ${header + 1}: QUAL: NaN is not a finite number or "."`, code: 'INVALID_QUALITY' },
        { line: header + 2, reason: `VCF line ${header + 2}: QUAL: Infinity is not a finite number or "."`, code: 'INVALID_QUALITY' },
        { line: header + 3, reason: `VCF line ${header + 3}: DP: -5 is not a non-negative integer (up to 2147483647) or "."`, code: 'INVALID_COUNT' },
        { line: header + 4, reason: `VCF line ${header + 4}: GQ: 1.5 is not a non-negative integer (up to 2147483647) or "."`, code: 'INVALID_COUNT' },
        { line: header + 5, reason: `VCF line ${header + 5}: AD: -1 is not a non-negative integer (up to 2147483647) or "."`, code: 'INVALID_COUNT' },
        { line: header + 6, reason: `VCF line ${header + 6}: DP: NaN is not a non-negative integer (up to 2147483647) or "."`, code: 'INVALID_COUNT' },
        { line: header + 7, reason: `VCF line ${header + 7}: DP: 99999999999 is not a non-negative integer (up to 2147483647) or "."`, code: 'INVALID_COUNT' },
      ]);
    });

    it('refuses a POS beyond the contig: GRCh38 length when the header declares none, the ##contig length when it does', async () => {
      const header = GRCH38_HEADER.length + 1;
      const report = await expectRefused(
        vcf([
          ['chr10', 200000000, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr1', 999999999999, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr10', 133797422, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
        ]),
        `VCF line ${header + 1}: pos: 200000000 is beyond the end of chromosome 10 (133797422 bases in GRCh38)`,
      );
      expect(report.rejected).toEqual([
        { line: header + 1, reason: `VCF line ${header + 1}: pos: 200000000 is beyond the end of chromosome 10 (133797422 bases in GRCh38)`, code: 'POSITION_BEYOND_CONTIG' },
        { line: header + 2, reason: `VCF line ${header + 2}: pos: 999999999999 is beyond the end of chromosome 1 (248956422 bases in GRCh38)`, code: 'POSITION_BEYOND_CONTIG' },
      ]);
      const short = ['##fileformat=VCFv4.2', '##reference=GRCh38', '##contig=<ID=chr7,length=5000,assembly=test>', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">'];
      await expectRefused(
        vcf([['chr7', 5001, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1']], { header: short }),
        `VCF line ${short.length + 2}: pos: 5001 is beyond the end of chromosome 7 (5000 bases in the ##contig header)`,
      );
    });

    it('refuses a 1 MB REF with a coded reason instead of an unexpected error', async () => {
      await expectRefused(
        vcf([['chr7', 100, '.', 'A'.repeat(1_000_000), 'T', 50, 'PASS', '.', 'GT', '0/1']]),
        `VCF line ${GRCH38_HEADER.length + 2}: ref: 1000000 bases exceed the limit of 1000 per allele`,
      );
    });

    it('stores QUAL, DP, GQ and AD written as "." as unknown', async () => {
      const patientId = randomUUID();
      const report = await ingestor.ingest(patientId, text(vcf([['chr7', 140753336, '.', 'A', 'T', '.', 'PASS', '.', 'GT:DP:GQ:AD', '0/1:.:.:.,.']])));
      expect(report).toMatchObject({ variants: 1, rejected: [] });
      expect(await storedCalls(patientId)).toEqual([expect.objectContaining({ depth: null, genotype_quality: null, allele_fraction: null, quality: null })]);
    });

    it('refuses a file that names the same variant twice once normalised', async () => {
      await expectRefused(
        vcf([
          ['chr7', 140753336, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1'],
          ['chr7', 140753336, '.', 'A', 'C,T', 50, 'PASS', '.', 'GT', '1/2'],
        ]),
        /names the same variant twice after normalisation.*bcftools norm --rm-dup/,
      );
    });

    it('refuses a sample that is not in the header', async () => {
      await expectRefused(vcf(EXAMPLE_RECORDS), /sample "NORMAL" is not in the header \(samples: TUMOR\)/, { sample: 'NORMAL' });
    });

    it('refuses a truncated bgzip file', async () => {
      const whole = bgzip(vcf(EXAMPLE_RECORDS));
      await expectRefused(whole.subarray(0, whole.length - 30), /compressed data is truncated or corrupt/);
    });

    it('refuses a GRCh37 file, saying how to lift it over', async () => {
      const header = ['##fileformat=VCFv4.2', '##contig=<ID=1,length=249250621>', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">'];
      await expectRefused(vcf([['1', 140453136, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1']], { header }), /the file is GRCh37 \(##contig 1 length 249250621\).*lift it over/);
    });

    it('refuses a file that names no build unless GRCh38 is assumed', async () => {
      const header = ['##fileformat=VCFv4.2', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">'];
      const file = vcf([['7', 140753336, '.', 'A', 'T', 50, 'PASS', '.', 'GT', '0/1']], { header });
      await expectRefused(file, /names no genome build/);
      expect(await ingestor.ingest(randomUUID(), text(file), { assumeBuild: 'GRCh38' })).toMatchObject({ variants: 1, build: 'GRCh38 (assumed)' });
    });

    it('refuses a 0-byte file', async () => {
      await expectRefused('', 'VCF line 1: the file is empty or has no #CHROM header line');
    });
  });
});

describe('VcfIngestor statistics after a bulk load', () => {
  let pool: Pool;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
  });

  afterAll(async () => {
    await pool.end();
  });

  /** How often genomics.variant_calls was analyzed by a command (autovacuum's analyses are counted apart). */
  const analyzeCount = async () =>
    Number((await pool.query(`SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = 'genomics' AND relname = 'variant_calls'`)).rows[0]!.analyze_count);
  const snvs = (n: number) => Array.from({ length: n }, (_, i) => ['chr7', 140_000_000 + i, '.', 'A', 'G', 50, 'PASS', '.', 'GT:DP:GQ:AD', '0/1:30:40:15,15']);

  it('refreshes the statistics of the tables it wrote (ANALYZE) after a file of analyzeAfterRecords lines, and not after a smaller one', async () => {
    const ingestor = new VcfIngestor(pool, { analyzeAfterRecords: 20 });
    const before = await analyzeCount();
    expect(await ingestor.ingest(randomUUID(), text(vcf(snvs(19))))).toMatchObject({ records: 19, variants: 19, rejected: [] });
    expect(await analyzeCount()).toBe(before);
    expect(await ingestor.ingest(randomUUID(), text(vcf(snvs(20))))).toMatchObject({ records: 20, variants: 20, rejected: [] });
    expect(await analyzeCount()).toBe(before + 1);
  });

  it('keeps the calls and logs a warning when the ANALYZE after a large file fails', async () => {
    // The real pool, with the one statement refused (as a lock timeout or a cancelled statement would).
    const refusing = Object.create(pool) as Pool;
    refusing.connect = (async () => {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as { query: unknown }).query = (...args: unknown[]) =>
        typeof args[0] === 'string' && args[0].startsWith('ANALYZE') ? Promise.reject(new Error('canceling statement due to lock timeout')) : query(...args);
      return client;
    }) as Pool['connect'];
    const warnings: Array<Record<string, unknown>> = [];
    const ingestor = new VcfIngestor(refusing, { analyzeAfterRecords: 20, log: { warn: (fields: Record<string, unknown>) => warnings.push(fields) } as never });
    const patientId = randomUUID();
    expect(await ingestor.ingest(patientId, text(vcf(snvs(20))))).toMatchObject({ records: 20, variants: 20, rejected: [] });
    expect((await pool.query('SELECT count(*)::int AS n FROM genomics.variant_calls WHERE patient_id = $1', [patientId])).rows[0]!.n).toBe(20);
    expect(warnings).toEqual([{ reason: 'canceling statement due to lock timeout' }]);
  });
});
