import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLogger } from '../../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../../lib/postgres';
import type { PatientSubgraphClient } from '../../../../lib/patient-client';
import type { PatientDirectory } from '../../../../lib/contracts/patient-directory';
import { TEST_DATABASE_URL } from '../../../../tests/support/config';
import { createGenomicsContext } from '../../context';
import { VcfIngestor } from '../../ingest/ingest-vcf';
import { PostgresVariantRepository, type NewVariantCall } from '../../repository/variant-repository';
import { resolvers } from '../../resolvers';
import { GENOMICS_MIGRATIONS } from '../../server';
import { normaliseVariant, parseGenotype } from '../variant';
import { callPharmacogenomics, pgxCallWindows } from '.';
import { TPMT } from './allele-definitions';

/*
 * Issue 19: the dashboard's pharmacogenomics panel of a whole-genome patient waited tens of seconds on
 * first load because Patient.pharmacogenomics read every call of the patient (millions of rows) to use
 * the few at defining positions. The calling must read only the calls that can bear on a defining
 * position, and answer exactly what it answers over all of them.
 */

const TESTS = path.join(__dirname, 'data', 'pharmcat-tests');
const ADMIN = { subject: 'test-admin', role: 'admin', client: 'precision-hub-tests' } as const;

/** The patient service as the context uses it: not asked here (an admin reads; no cohort filter). */
const patients = {} as PatientSubgraphClient;
/** The access directory: every patient exists, in no organisation. */
const directory: PatientDirectory = { entriesOf: async (ids) => ids.map(() => ({ organization: null, researchConsent: false })) };

const call = (chrom: string, pos: number, ref: string, alt: string, gt: string): NewVariantCall => ({
  ...normaliseVariant({ chrom, pos, ref, alt }),
  ...parseGenotype(gt),
});

describe('pharmacogenomics reads only the calls near defining positions', () => {
  let pool: Pool;
  /** Rows each query returned from genomics.variant_calls, counted. */
  let callRowsRead = 0;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
  });

  afterAll(async () => {
    await pool.end();
  });

  const countingPool = (): Pool =>
    new Proxy(pool, {
      get(target, key) {
        if (key !== 'query') return Reflect.get(target, key) as unknown;
        return async (text: string, values?: unknown[]) => {
          const result = await target.query(text, values);
          if (text.includes('genomics.variant_calls')) callRowsRead += result.rowCount ?? 0;
          return result;
        };
      },
    });

  it('gives the same results as calling over every call, reading only those in its windows', async () => {
    const patientId = randomUUID();
    // PharmCAT's TPMT *3A/*3B test VCF (NamedAlleleMatcherTpmtTest), through the real ingest.
    await new VcfIngestor(pool).ingest(patientId, Readable.from([readFileSync(path.join(TESTS, 'TPMT', 's3as3b.vcf'))]));
    const repository = new PostgresVariantRepository(pool);
    const windows = pgxCallWindows();
    const tpmtWindow = windows.find((w) => w.chrom === '6' && w.from <= TPMT.sites[0]!.pos && TPMT.sites[0]!.pos <= w.to)!;
    const d = TPMT.sites[0]!.pos;
    await repository.addVariantCalls(patientId, [
      // 2,000 calls far from any defining position: what a genome has, and the calling must not read.
      ...Array.from({ length: 2000 }, (_, i) => call('1', 1_000_000 + i * 7, 'A', 'G', '0/1')),
      // Its id sorts inside the TPMT window's id range (one digit fewer): the exact position test drops it.
      call('6', Math.floor(tpmtWindow.from / 10), 'A', 'G', '0/1'),
      // One base too far before the first TPMT position to reach it, and a 1,000-base deletion that just does.
      call('6', d - 1000, 'A', 'G', '0/1'),
      call('6', d - 999, 'A'.repeat(1000), 'A', '0/1'),
    ]);
    const all = (await repository.callsByPatientIds([patientId]))[0]!;
    const references = (await repository.referenceCallsByPatientIds([patientId]))[0]!;
    const expected = callPharmacogenomics([
      ...all.map((c) => ({ chrom: c.variant.chrom, pos: c.variant.pos, ref: c.variant.ref, alt: c.variant.alt, genotype: c.genotype })),
      ...references.map((r) => ({ chrom: r.chrom, pos: r.pos, ref: r.ref, alt: '.', genotype: r.genotype })),
    ]);
    const inWindows = all.filter((c) => windows.some((w) => w.chrom === c.variant.chrom && w.from <= c.variant.pos && c.variant.pos <= w.to));
    expect(all.length).toBeGreaterThan(2000);
    expect(inWindows.map((c) => c.variant.pos)).toContain(d - 999);
    expect(inWindows.map((c) => c.variant.pos)).not.toContain(d - 1000);

    const counted = new PostgresVariantRepository(countingPool());
    const ctx = createGenomicsContext({ repository: counted, vcf: new VcfIngestor(pool), patients, directory }, ADMIN);
    callRowsRead = 0;
    const results = await resolvers.Patient.pharmacogenomics({ id: patientId }, {}, ctx);

    expect(results).toEqual(expected);
    // The deletion reaching d makes TPMT's first position unreadable, as it does over all calls.
    expect(results.find((r) => r.gene === 'TPMT')?.missingPositions.join(' ')).toContain(String(d));
    expect(callRowsRead).toBe(inWindows.length);
    expect(callRowsRead).toBeLessThan(100);
  });

  it('windows reach MAX_ALLELE_LENGTH - 1 bases before each defining position and do not overlap', () => {
    const windows = pgxCallWindows();
    for (const site of TPMT.sites) expect(windows.some((w) => w.chrom === '6' && w.from <= site.pos - 999 && site.pos <= w.to)).toBe(true);
    for (const [i, w] of windows.entries()) {
      const next = windows[i + 1];
      if (next?.chrom === w.chrom) expect(next.from).toBeGreaterThan(w.to + 1);
    }
  });
});
