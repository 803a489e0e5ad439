import DataLoader from 'dataloader';
import type { FhirIngestor } from './ingest/ingest-bundle';
import type { CohortRepository } from './repository/cohort-repository';
import type { PatientRepository } from './repository/patient-repository';

/** One set of loaders per request: batching across the request's entities, no cache across users. */
function createLoaders(repository: PatientRepository) {
  return {
    patient: new DataLoader((ids: readonly string[]) => repository.patientsByIds(ids)),
    identifiers: new DataLoader((ids: readonly string[]) => repository.identifiersByPatientIds(ids)),
    observations: new DataLoader((ids: readonly string[]) => repository.observationsByPatientIds(ids)),
    conditions: new DataLoader((ids: readonly string[]) => repository.conditionsByPatientIds(ids)),
    medications: new DataLoader((ids: readonly string[]) => repository.medicationsByPatientIds(ids)),
    allergies: new DataLoader((ids: readonly string[]) => repository.allergiesByPatientIds(ids)),
    notes: new DataLoader((ids: readonly string[]) => repository.notesByPatientIds(ids)),
  };
}

export interface PatientContext {
  repository: PatientRepository;
  ingestor: FhirIngestor;
  cohorts: CohortRepository;
  loaders: ReturnType<typeof createLoaders>;
}

export function createPatientContext(repository: PatientRepository, ingestor: FhirIngestor, cohorts: CohortRepository): PatientContext {
  return { repository, ingestor, cohorts, loaders: createLoaders(repository) };
}
