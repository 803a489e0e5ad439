import path from 'node:path';
import { createSubgraphServer, postgresHealth, serveApollo, type RunningService } from '../../lib/service-host';
import { createPool, migrate } from '../../lib/postgres';
import { PatientSubgraphClient } from '../../lib/patient-client';
import { PostgresPatientDirectory } from '../../lib/contracts/patient-directory';
import type { Logger } from '../../lib/logger';
import type { IdentityAssertions } from '../../lib/identity';
import { createGenomicsContext, type GenomicsContext } from './context';
import { PostgresVariantRepository } from './repository/variant-repository';
import { resolvers } from './resolvers';
import { VcfIngestor } from './ingest/ingest-vcf';

export interface GenomicsServiceOptions {
  databaseUrl: string;
  patientUrl: string;
  host: string;
  port: number;
  log: Logger;
  /** Verifies the gateway's identity assertions (and signs this service's own calls). */
  assertions: IdentityAssertions;
}

export const GENOMICS_MIGRATIONS = path.join(__dirname, 'migrations');

export async function startGenomicsService(opts: GenomicsServiceOptions): Promise<RunningService> {
  await migrate(opts.databaseUrl, 'genomics', GENOMICS_MIGRATIONS, opts.log);
  const pool = createPool(opts.databaseUrl);
  const repository = new PostgresVariantRepository(pool);
  const vcf = new VcfIngestor(pool, { log: opts.log });
  const patients = new PatientSubgraphClient(opts.patientUrl, opts.assertions.forService('genomics'));
  // Row access is read from the patient service's access directory, not asked of it per request (issue 19).
  const directory = new PostgresPatientDirectory(pool);
  const server = createSubgraphServer<GenomicsContext>('genomics', resolvers, opts.log);
  return serveApollo({
    server,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    assertions: opts.assertions,
    context: async (_req, identity) => createGenomicsContext({ repository, vcf, patients, directory }, identity),
    health: postgresHealth(pool),
    onClose: () => pool.end(),
  });
}
