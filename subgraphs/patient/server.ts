import path from 'node:path';
import { createSubgraphServer, postgresHealth, serveApollo, type RunningService } from '../../lib/service-host';
import { createPool, migrate, type Pool } from '../../lib/postgres';
import type { Logger } from '../../lib/logger';
import type { IdentityAssertions } from '../../lib/identity';
import { AccessLog, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../../lib/audit';
import { createPatientContext, type PatientContext, type PatientServices } from './context';
import { DeviceObservationIngestor } from './ingest/device-observations';
import { prepareFhirValidation } from './ingest/fhir-validation';
import { PostgresImagingRepository } from './repository/imaging-repository';
import { PostgresLinkRepository } from './repository/link-repository';
import { PostgresCohortRepository } from './repository/cohort-repository';
import { PostgresPatientRepository } from './repository/patient-repository';
import { PostgresProcedureRepository } from './repository/procedure-repository';
import { PostgresConsentRepository } from './repository/consent-repository';
import { PostgresRecordVersionRepository } from './repository/record-version-repository';
import { ResearchView } from './domain/research-view';
import { GenomicsCarrierClient } from './repository/genomics-carriers';
import { resolvers } from './resolvers';
import { FhirIngestor } from './ingest/ingest-bundle';

export interface PatientServiceOptions {
  databaseUrl: string;
  host: string;
  port: number;
  log: Logger;
  /** Verifies the gateway's identity assertions (and signs this service's own calls). */
  assertions: IdentityAssertions;
  /** Where the genomics subgraph listens (read per request; it may start after this one): gene and variant filters. */
  genomicsUrl?: () => string | undefined;
  /** Opens the service's pool; tests and benchmarks pass one that counts SQL statements. */
  createPool?: (databaseUrl: string) => Pool;
}

export const PATIENT_MIGRATIONS = path.join(__dirname, 'migrations');

/** Applies the patient schema's migrations, then serves the subgraph; port 0 picks a free port. */
export async function startPatientService(opts: PatientServiceOptions): Promise<RunningService> {
  await migrate(opts.databaseUrl, 'patient', PATIENT_MIGRATIONS, opts.log);
  await migrate(opts.databaseUrl, AUDIT_SCHEMA, AUDIT_MIGRATIONS, opts.log);
  prepareFhirValidation();
  const pool = (opts.createPool ?? createPool)(opts.databaseUrl);
  const services: PatientServices = {
    repository: new PostgresPatientRepository(pool),
    ingestor: new FhirIngestor(pool, opts.log),
    devices: new DeviceObservationIngestor(pool),
    cohorts: new PostgresCohortRepository(pool),
    links: new PostgresLinkRepository(pool),
    imaging: new PostgresImagingRepository(pool),
    procedures: new PostgresProcedureRepository(pool),
    accessLog: new AccessLog(pool, 'patient'),
    consents: new PostgresConsentRepository(pool),
    recordVersions: new PostgresRecordVersionRepository(pool),
    research: new ResearchView(opts.assertions.deriveKey('research-view')),
    ...(opts.genomicsUrl ? { genomics: new GenomicsCarrierClient(opts.genomicsUrl, opts.assertions.forService('patient')) } : {}),
  };
  const server = createSubgraphServer<PatientContext>('patient', resolvers, opts.log, services.accessLog);
  return serveApollo({
    server,
    host: opts.host,
    port: opts.port,
    log: opts.log,
    assertions: opts.assertions,
    context: async (_req, identity) => createPatientContext(services, identity),
    health: postgresHealth(pool),
    onClose: () => pool.end(),
  });
}
