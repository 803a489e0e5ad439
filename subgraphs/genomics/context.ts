import DataLoader from 'dataloader';
import type { PatientSubgraphClient } from '../../lib/patient-client';
import type { Identity } from '../../lib/identity';
import type { VcfIngestor } from './ingest/ingest-vcf';
import type { GeneCohortCounts, VariantCallRecord, VariantFilter, VariantRecord, VariantRepository } from './repository/variant-repository';

export interface GenomicsContext {
  /** The caller, as the gateway asserted it. */
  identity: Identity;
  /** Row-level access to a patient's variants (lib/authorization.ts calls it for Patient fields). */
  checkPatientAccess: (patientId: string) => Promise<void>;
  repository: VariantRepository;
  vcf: VcfIngestor;
  loaders: {
    callsByPatient: DataLoader<string, VariantCallRecord[]>;
    variant: DataLoader<string, VariantRecord | null>;
    patientExists: DataLoader<string, boolean>;
    /** One loader per distinct (filter, first, after): patients asking the same page batch together. */
    carriedCalls(filter: VariantFilter, first: number, after: string | null): DataLoader<string, VariantCallRecord[]>;
    cohortCounts: DataLoader<string, GeneCohortCounts>;
  };
}

export function createGenomicsContext(repository: VariantRepository, vcf: VcfIngestor, patients: PatientSubgraphClient, identity: Identity): GenomicsContext {
  const pages = new Map<string, DataLoader<string, VariantCallRecord[]>>();
  const access = patients.accessFor(identity);
  return {
    identity,
    checkPatientAccess: (patientId) => access.check(patientId),
    repository,
    vcf,
    loaders: {
      callsByPatient: new DataLoader((ids) => repository.callsByPatientIds(ids)),
      variant: new DataLoader((ids) => repository.variantsByIds(ids)),
      patientExists: patients.existenceLoader(),
      carriedCalls(filter, first, after) {
        const key = JSON.stringify([filter.gene ?? null, filter.minQuality ?? null, filter.clinicalOnly ?? false, first, after]);
        let loader = pages.get(key);
        if (!loader) {
          loader = new DataLoader((ids: readonly string[]) => repository.carriedCallsByPatientIds(ids, filter, first, after));
          pages.set(key, loader);
        }
        return loader;
      },
      cohortCounts: new DataLoader((symbols: readonly string[]) => repository.cohortCountsByGenes(symbols)),
    },
  };
}
