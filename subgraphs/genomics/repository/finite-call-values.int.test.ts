import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { GENOMICS_MIGRATIONS } from '../server';
import { PostgresVariantRepository } from './variant-repository';

/**
 * Calls stored before ingestion checked VCF fields (issue 16): NaN/Infinity QUAL, negative depths.
 * In a database of its own, migrated up to the migration before the clean-up, so such rows can exist.
 */
const CLEAN_UP = '1733430000000_finite-call-values.sql';
const log = createLogger('test', 'silent');
const INSERT_CALL = `
  INSERT INTO genomics.variant_calls (patient_id, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, quality, source)
  VALUES ($1, $2, '0/1', false, 'HETEROZYGOUS', $3, $4, $5, $6, 'vcf:S1')`;

describe('variant calls stored with numbers no sequencer measured', () => {
  const name = `precision_hub_test_${process.pid}_finite_${randomUUID().slice(0, 8)}`;
  let admin: pg.Client;
  let databaseUrl: string;
  let pool: Pool;
  let earlier: string;

  beforeAll(async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    earlier = fs.mkdtempSync(path.join(os.tmpdir(), 'genomics-migrations-'));
    for (const file of fs.readdirSync(GENOMICS_MIGRATIONS).filter((f) => f.endsWith('.sql') && f < CLEAN_UP)) {
      fs.copyFileSync(path.join(GENOMICS_MIGRATIONS, file), path.join(earlier, file));
    }
    await migrate(databaseUrl, 'genomics', earlier, log);
    pool = createPool(databaseUrl);
  });

  afterAll(async () => {
    await pool?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(earlier, { recursive: true, force: true });
  });

  it('reads a non-finite quality or allele fraction as unknown, then the migration clears them and refuses new ones', async () => {
    const patientId = randomUUID();
    const rows: [string, number | null, number | null, number | string | null, number | string | null][] = [
      ['GRCh38:10:94781859:G:A', 30, 99, 0.5, 'NaN'],
      ['GRCh38:10:94761900:C:T', -5, -1, 'Infinity', '-Infinity'],
      ['GRCh38:10:94942290:C:T', 35, 99, 0.25, 388],
    ];
    for (const [variantId, depth, gq, af, quality] of rows) await pool.query(INSERT_CALL, [patientId, variantId, depth, gq, af, quality]);
    const repository = new PostgresVariantRepository(pool);
    const numbers = async () =>
      (await repository.callsByPatientIds([patientId]))[0]!
        .map((c) => ({ id: c.variant.id, quality: c.quality, alleleFraction: c.alleleFraction, depth: c.depth, genotypeQuality: c.genotypeQuality }))
        .sort((a, b) => a.id.localeCompare(b.id));

    // Before the migration: GraphQL's Float can serialise every number the reader hands out.
    expect(await numbers()).toEqual([
      { id: 'GRCh38:10:94761900:C:T', quality: null, alleleFraction: null, depth: -5, genotypeQuality: -1 },
      { id: 'GRCh38:10:94781859:G:A', quality: null, alleleFraction: 0.5, depth: 30, genotypeQuality: 99 },
      { id: 'GRCh38:10:94942290:C:T', quality: 388, alleleFraction: 0.25, depth: 35, genotypeQuality: 99 },
    ]);

    await migrate(databaseUrl, 'genomics', GENOMICS_MIGRATIONS, log);
    const stored = await pool.query<{ variant_id: string; quality: number | null; allele_fraction: number | null; depth: number | null; genotype_quality: number | null }>(
      'SELECT variant_id, quality, allele_fraction, depth, genotype_quality FROM genomics.variant_calls WHERE patient_id = $1 ORDER BY variant_id',
      [patientId],
    );
    expect(stored.rows).toEqual([
      { variant_id: 'GRCh38:10:94761900:C:T', quality: null, allele_fraction: null, depth: null, genotype_quality: null },
      { variant_id: 'GRCh38:10:94781859:G:A', quality: null, allele_fraction: 0.5, depth: 30, genotype_quality: 99 },
      { variant_id: 'GRCh38:10:94942290:C:T', quality: 388, allele_fraction: 0.25, depth: 35, genotype_quality: 99 },
    ]);
    await expect(pool.query(INSERT_CALL, [patientId, 'GRCh38:10:1000:G:C', 10, 10, 0.5, 'NaN'])).rejects.toMatchObject({ code: '23514' });
    await expect(pool.query(INSERT_CALL, [patientId, 'GRCh38:10:1001:G:C', -3, 10, 0.5, 50])).rejects.toMatchObject({ code: '23514' });
  });
});
