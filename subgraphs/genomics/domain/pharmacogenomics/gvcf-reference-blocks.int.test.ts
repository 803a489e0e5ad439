import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import DataLoader from 'dataloader';
import { createLogger } from '../../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../../tests/support/config';
import type { GenomicsContext } from '../../context';
import { VcfIngestor } from '../../ingest/ingest-vcf';
import { PostgresVariantRepository } from '../../repository/variant-repository';
import { resolvers } from '../../resolvers';
import { GENOMICS_MIGRATIONS } from '../../server';
import { pgxCallWindows, type PgxResult } from '.';
import { TPMT } from './allele-definitions';

/*
 * gVCF reference blocks (issue 17 item 4): a record whose only ALT is `<NON_REF>` (GATK HaplotypeCaller
 * -ERC GVCF) or `<*>` (bcftools, DRAGEN) with a homozygous-reference GT says every base from POS to
 * INFO END was read as reference (VCF 4.3 §1.6.1 END, §5.5 gVCF). PharmCAT reads such blocks as
 * reference at the positions they cover; the hub keeps one reference call per defining position inside
 * the block. Re-ingesting a sample replaces its reference calls.
 */

const TPMT_POSITIONS = [...new Set(TPMT.sites.map((s) => s.pos))].sort((a, b) => a - b);
const FIRST = TPMT_POSITIONS[0]!;
const LAST = TPMT_POSITIONS.at(-1)!;

const gvcf = (...records: string[]) =>
  [
    '##fileformat=VCFv4.2',
    '##contig=<ID=chr6,length=170805979,assembly=GRCh38.p14>',
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the block">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1',
    ...records,
    '',
  ].join('\n');
const block = (alt: string, start: number, end: number, gt = '0/0') => `chr6\t${start}\t.\tA\t${alt}\t.\t.\tEND=${end}\tGT:DP\t${gt}:35`;

describe('gVCF reference blocks at pharmacogenomic positions', () => {
  let pool: Pool;
  let ingestor: VcfIngestor;
  let repository: PostgresVariantRepository;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
    ingestor = new VcfIngestor(pool);
    repository = new PostgresVariantRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const ingest = (patientId: string, text: string) => ingestor.ingest(patientId, Readable.from([Buffer.from(text)]));
  const referencePositions = async (patientId: string) => ((await repository.referenceCallsByPatientIds([patientId]))[0] ?? []).map((r) => r.pos);
  const tpmt = async (patientId: string) => {
    const ctx = {
      loaders: {
        pgxCallsByPatient: new DataLoader((ids: readonly string[]) => repository.callsInWindowsByPatientIds(ids, pgxCallWindows())),
        referenceCallsByPatient: new DataLoader((ids: readonly string[]) => repository.referenceCallsByPatientIds(ids)),
      },
    } as unknown as GenomicsContext;
    const result = ((await resolvers.Patient.pharmacogenomics({ id: patientId }, {}, ctx)) as PgxResult[]).find((r) => r.gene === 'TPMT')!;
    return { status: result.status, diplotype: result.diplotype };
  };

  it.each(['<NON_REF>', '<*>'])('counts a 0/0 block with ALT %s as reference at every TPMT position it spans, and calls *1/*1', async (alt) => {
    const patientId = randomUUID();
    // Two blocks meeting in the middle, as a caller splits them by depth band.
    const middle = TPMT_POSITIONS[Math.floor(TPMT_POSITIONS.length / 2)]!;
    const report = await ingest(patientId, gvcf(block(alt, FIRST - 10, middle), block(alt, middle + 1, LAST + 10)));
    expect(report).toMatchObject({ rejected: [], variants: 0, skipped: 2 });
    expect(await referencePositions(patientId)).toEqual(TPMT_POSITIONS);
    expect(await tpmt(patientId)).toEqual({ status: 'CALLED', diplotype: '*1/*1' });
  });

  it('keeps nothing from a block that is not 0/0, or that ends before the first TPMT position', async () => {
    const patientId = randomUUID();
    await ingest(patientId, gvcf(block('<NON_REF>', FIRST - 100, FIRST - 1), block('<NON_REF>', FIRST, LAST, './.')));
    expect(await referencePositions(patientId)).toEqual([]);
    expect(await tpmt(patientId)).toMatchObject({ diplotype: null });
  });

  it('refuses a block whose END is before POS or past the chromosome, naming the line', async () => {
    const before = await ingest(randomUUID(), gvcf(block('<NON_REF>', FIRST, FIRST - 5)));
    expect(before.rejected).toMatchObject([{ line: 7, reason: `VCF line 7: INFO: END=${FIRST - 5} is not a position at or after POS ${FIRST}` }]);
    const past = await ingest(randomUUID(), gvcf(block('<*>', FIRST, 170805980)));
    expect(past.rejected).toMatchObject([{ line: 7, reason: 'VCF line 7: INFO: END=170805980 is beyond the end of chromosome 6 (170805979 bases)' }]);
  });

  it('replaces the reference calls of a re-ingested sample: positions no longer covered are not kept as reference', async () => {
    const patientId = randomUUID();
    await ingest(patientId, gvcf(block('<NON_REF>', FIRST, LAST)));
    expect(await referencePositions(patientId)).toEqual(TPMT_POSITIONS);
    // The same sample again, now covering only the first position: the others are no longer known.
    expect((await ingest(patientId, gvcf(block('<NON_REF>', FIRST, FIRST)))).rejected).toEqual([]);
    expect(await referencePositions(patientId)).toEqual([FIRST]);
    expect(await tpmt(patientId)).toMatchObject({ diplotype: null });
    // A refused file changes nothing.
    const refused = await ingest(patientId, gvcf(block('<NON_REF>', FIRST, LAST), 'chr6\tx\t.\tA\tT\t.\t.\t.\tGT:DP\t0/1:3'));
    expect(refused.rejected).toHaveLength(1);
    expect(await referencePositions(patientId)).toEqual([FIRST]);
  });
});
