import { observationWarnings } from '../domain/observation-warnings';
import type { ObservationRecord } from '../repository/patient-repository';

export const Observation = {
  warnings: (observation: ObservationRecord) => observationWarnings(observation),
};
