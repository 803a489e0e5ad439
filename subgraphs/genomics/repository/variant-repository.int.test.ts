import { randomUUID } from 'node:crypto';
import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { GENOMICS_MIGRATIONS } from '../server';
import { normaliseVariant, parseGenotype } from '../domain/variant';
import { PostgresVariantRepository } from './variant-repository';

describe('PostgresVariantRepository', () => {
  let pool: Pool;
  let repository: PostgresVariantRepository;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'genomics', GENOMICS_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
    repository = new PostgresVariantRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  it('stores API calls annotated with their gene and announces them in the outbox, in one transaction', async () => {
    const patientId = randomUUID();
    const call = { ...normaliseVariant({ chrom: 'chr10', pos: 94781859, ref: 'G', alt: 'A' }), ...parseGenotype('0/1') };
    const [stored] = await repository.addVariantCalls(patientId, [call]);
    expect(stored).toMatchObject({ gene: 'CYP2C19', source: 'api', zygosity: 'HETEROZYGOUS' });
    const events = await pool.query('SELECT topic, payload FROM genomics.outbox WHERE patient_id = $1', [patientId]);
    expect(events.rows).toEqual([{ topic: 'genomics.variants.changed', payload: { variants: 1, source: 'api' } }]);
    expect((await repository.cohortCountsByGenes(['CYP2C19', 'NOT_A_GENE'], null))[1]).toEqual({ gene: 'NOT_A_GENE', patients: 0, variants: 0 });
    expect(await repository.cohortCountsByGenes(['CYP2C19'], [patientId])).toEqual([{ gene: 'CYP2C19', patients: 1, variants: 1 }]);
    expect(await repository.cohortCountsByGenes(['CYP2C19'], [])).toEqual([{ gene: 'CYP2C19', patients: 0, variants: 0 }]);
  });
});
