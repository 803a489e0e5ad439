import DataLoader from 'dataloader';
import type { PatientSubgraphClient } from '../../lib/patient-client';
import type { VcfIngestor } from './ingest/ingest-vcf';
import type { VariantCallRecord, VariantRecord, VariantRepository } from './repository/variant-repository';

export interface GenomicsContext {
  repository: VariantRepository;
  vcf: VcfIngestor;
  loaders: {
    callsByPatient: DataLoader<string, VariantCallRecord[]>;
    variant: DataLoader<string, VariantRecord | null>;
    patientExists: DataLoader<string, boolean>;
  };
}

export function createGenomicsContext(repository: VariantRepository, vcf: VcfIngestor, patients: PatientSubgraphClient): GenomicsContext {
  return {
    repository,
    vcf,
    loaders: {
      callsByPatient: new DataLoader((ids) => repository.callsByPatientIds(ids)),
      variant: new DataLoader((ids) => repository.variantsByIds(ids)),
      patientExists: patients.existenceLoader(),
    },
  };
}
