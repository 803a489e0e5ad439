import DataLoader from 'dataloader';
import type { PatientSubgraphClient } from '../../lib/patient-client';
import type { Identity } from '../../lib/identity';
import { accessFor, countable, KnownOrganisations } from '../../lib/patient-access';
import { patientsExist, perRequest, type PatientDirectory } from '../../lib/contracts/patient-directory';
import type { VcfIngestor } from './ingest/ingest-vcf';
import { pgxCallWindows } from './domain/pharmacogenomics';
import type { GeneCohortCounts, ReferenceCallRecord, VariantCallRecord, VariantFilter, VariantRepository } from './repository/variant-repository';

export interface GenomicsContext {
  /** The caller, as the gateway asserted it. */
  identity: Identity;
  /**
   * Patients' organisations as the gateway sent them in this request's representations
   * (`Patient.organization` @external, @requires on the patient fields): row access without a call back.
   */
  organisations: KnownOrganisations;
  /** Row-level access to a patient's variants (lib/authorization.ts calls it for Patient fields). */
  checkPatientAccess: (patientId: string) => Promise<void>;
  /** The write rule for a patient's variant calls (lib/patient-access.ts mayWritePatient). */
  checkPatientWrite: (patientId: string) => Promise<void>;
  /**
   * The patients this caller's aggregates count, as Query.cohort counts them: every patient (null) for
   * admins and services, the organisation's for clinicians and partners, research-consented ones for
   * researchers. Only patients carrying a variant in an annotated gene are listed.
   */
  countedGeneCarriers: () => Promise<readonly string[] | null>;
  /** The members of a PatientFilter cohort this caller's aggregates may count. */
  countedCohort: (filter: Record<string, unknown>) => Promise<readonly string[]>;
  repository: VariantRepository;
  vcf: VcfIngestor;
  loaders: {
    callsByPatient: DataLoader<string, VariantCallRecord[]>;
    /** The calls the pharmacogenomic calling reads: those in its windows (pgxCallWindows), not the whole genome. */
    pgxCallsByPatient: DataLoader<string, VariantCallRecord[]>;
    referenceCallsByPatient: DataLoader<string, ReferenceCallRecord[]>;
    patientExists: DataLoader<string, boolean>;
    /** One loader per distinct (filter, first, after): patients asking the same page batch together. */
    carriedCalls(filter: VariantFilter, first: number, after: string | null): DataLoader<string, VariantCallRecord[]>;
    cohortCounts: DataLoader<string, GeneCohortCounts>;
  };
}

const PGX_CALL_WINDOWS = pgxCallWindows();

export interface GenomicsServices {
  repository: VariantRepository;
  vcf: VcfIngestor;
  /** Cohort filters only (`cohortMembers`): the patient subgraph's query, not access data. */
  patients: PatientSubgraphClient;
  /** The patient service's access directory: organisations, consent and existence without a call back. */
  directory: PatientDirectory;
}

export function createGenomicsContext({ repository, vcf, patients, directory: shared }: GenomicsServices, identity: Identity): GenomicsContext {
  const directory = perRequest(shared);
  const pages = new Map<string, DataLoader<string, VariantCallRecord[]>>();
  const organisations = new KnownOrganisations();
  const access = accessFor(directory, identity, organisations);
  let counted: Promise<readonly string[] | null> | undefined;
  /** Once per request: the carriers this caller's aggregates may count. */
  const countedGeneCarriers = () =>
    (counted ??= (async () => {
      if (identity.role === 'admin' || identity.role === 'service') return null;
      return countable(directory, identity, await repository.geneCarrierPatientIds());
    })());
  return {
    identity,
    organisations,
    checkPatientAccess: (patientId) => access.check(patientId),
    checkPatientWrite: (patientId) => access.checkWrite(patientId),
    countedGeneCarriers,
    countedCohort: async (filter) => countable(directory, identity, await patients.cohortMembers(filter)),
    repository,
    vcf,
    loaders: {
      callsByPatient: new DataLoader((ids) => repository.callsByPatientIds(ids)),
      pgxCallsByPatient: new DataLoader((ids) => repository.callsInWindowsByPatientIds(ids, PGX_CALL_WINDOWS)),
      referenceCallsByPatient: new DataLoader((ids) => repository.referenceCallsByPatientIds(ids)),
      patientExists: new DataLoader((ids: readonly string[]) => patientsExist(directory, ids)),
      carriedCalls(filter, first, after) {
        const key = JSON.stringify([filter.gene ?? null, filter.minQuality ?? null, filter.clinicalOnly ?? false, first, after]);
        let loader = pages.get(key);
        if (!loader) {
          loader = new DataLoader((ids: readonly string[]) => repository.carriedCallsByPatientIds(ids, filter, first, after));
          pages.set(key, loader);
        }
        return loader;
      },
      // Counted as Query.cohort counts (organisation, research consent); small cells are dropped in the resolver.
      cohortCounts: new DataLoader(async (symbols: readonly string[]) => repository.cohortCountsByGenes(symbols, await countedGeneCarriers())),
    },
  };
}
