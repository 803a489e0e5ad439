import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
 * PharmCAT test VCFs through the real ingest (PostgreSQL) and the Patient.pharmacogenomics resolver:
 * the hom-ref `ALT=.` records of PharmCAT's TPMT s1s1.vcf (NamedAlleleMatcherTpmtTest.tpmts1s1, expected
 * *1/*1) must be stored and read as reference, and a patient without any VCF is "not genotyped".
 */

const TESTS = path.join(__dirname, 'data', 'pharmcat-tests');

describe('pharmacogenomics from ingested PharmCAT VCFs', () => {
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

  /** The resolver with the two loaders it reads, as createGenomicsContext builds them. */
  const pharmacogenomics = async (patientId: string): Promise<PgxResult[]> => {
    const ctx = {
      loaders: {
        pgxCallsByPatient: new DataLoader((ids: readonly string[]) => repository.callsInWindowsByPatientIds(ids, pgxCallWindows())),
        referenceCallsByPatient: new DataLoader((ids: readonly string[]) => repository.referenceCallsByPatientIds(ids)),
      },
    } as unknown as GenomicsContext;
    return resolvers.Patient.pharmacogenomics({ id: patientId }, {}, ctx);
  };
  const summary = (r: PgxResult | undefined) => r && { gene: r.gene, status: r.status, diplotype: r.diplotype, phenotype: r.phenotype };

  it('stores the ALT=. hom-ref records of TPMT s1s1.vcf at TPMT positions and calls *1/*1 from them', async () => {
    const patientId = randomUUID();
    const file = readFileSync(path.join(TESTS, 'TPMT', 's1s1.vcf'), 'utf8');
    const report = await ingestor.ingest(patientId, Readable.from([Buffer.from(file)]));
    expect(report).toMatchObject({ records: 32, variants: 0, skipped: 32, rejected: [], build: 'GRCh38' });
    // The file predates the current definitions: 2 of its 32 positions define no TPMT allele any more.
    const positions = file.split('\n').filter((l) => l.startsWith('chr6')).map((l) => Number(l.split('\t')[1]));
    const defining = positions.filter((pos) => TPMT.sites.some((s) => s.pos === pos)).sort((a, b) => a - b);
    expect(defining).toHaveLength(30);
    const stored = await pool.query(`SELECT pos, genotype, source FROM genomics.reference_calls WHERE patient_id = $1 ORDER BY pos`, [patientId]);
    expect(stored.rows).toEqual(defining.map((pos) => ({ pos, genotype: '0/0', source: 'vcf:NA12878' })));
    const results = await pharmacogenomics(patientId);
    expect(summary(results.find((r) => r.gene === 'TPMT'))).toEqual({ gene: 'TPMT', status: 'CALLED', diplotype: '*1/*1', phenotype: 'Normal Metabolizer' });
    expect(summary(results.find((r) => r.gene === 'CYP2C19'))).toEqual({ gene: 'CYP2C19', status: 'NOT_GENOTYPED', diplotype: null, phenotype: 'Not genotyped' });
  });

  it('keeps no reference record outside the pharmacogenomic positions', async () => {
    const patientId = randomUUID();
    const file = [
      '##fileformat=VCFv4.2',
      '##contig=<ID=chr6,assembly=GRCh38.p14,species="Homo sapiens">',
      '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1',
      'chr6\t18143724\trs1800462\tC\t.\t.\tPASS\t.\tGT\t0/0',
      'chr6\t1000000\t.\tA\t.\t.\tPASS\t.\tGT\t0/0',
      'chr6\t18138997\trs1800460\tC\t.\t.\tPASS\t.\tGT\t./.',
      '',
    ].join('\n');
    expect(await ingestor.ingest(patientId, Readable.from([Buffer.from(file)]))).toMatchObject({ rejected: [], build: 'GRCh38', skipped: 3 });
    expect((await repository.referenceCallsByPatientIds([patientId]))[0]).toEqual([{ chrom: '6', pos: 18143724, ref: 'C', genotype: '0/0' }]);
  });

  it('answers "not genotyped" for every gene of a patient without any VCF, not "Indeterminate"', async () => {
    const results = await pharmacogenomics(randomUUID());
    expect(results.map(summary)).toEqual(
      ['CYP2C19', 'CYP2C9', 'DPYD', 'NUDT15', 'SLCO1B1', 'TPMT', 'VKORC1'].map((gene) => ({ gene, status: 'NOT_GENOTYPED', diplotype: null, phenotype: 'Not genotyped' })),
    );
  });
});
