import DataLoader from 'dataloader';
import type { IdentifierRecord, ObservationRecord, PatientRecord, PatientRepository } from './repository/patient-repository';

export interface PatientContext {
  repository: PatientRepository;
  loaders: {
    patient: DataLoader<string, PatientRecord | null>;
    identifiers: DataLoader<string, IdentifierRecord[]>;
    observations: DataLoader<string, ObservationRecord[]>;
  };
}

/** One set of loaders per request: batching across the request's entities, no cache across users. */
export function createPatientContext(repository: PatientRepository): PatientContext {
  return {
    repository,
    loaders: {
      patient: new DataLoader((ids) => repository.patientsByIds(ids)),
      identifiers: new DataLoader((ids) => repository.identifiersByPatientIds(ids)),
      observations: new DataLoader((ids) => repository.observationsByPatientIds(ids)),
    },
  };
}
