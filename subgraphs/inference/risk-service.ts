import DataLoader from 'dataloader';
import type { PatientSubgraphClient } from '../../lib/patient-client';
import { estimateCardiovascularRisk, riskInputFromSnapshot, type ClinicalSnapshot, type RiskEstimate } from './domain/cardiovascular';

export const SNAPSHOT_SELECTION = `birthDate sex race
  observations { code value unit effectiveAt valueCode { system code } }
  conditions { code { system code } clinicalStatus }
  medications { code { system code display } status }`;

export interface PatientRisk {
  cardiovascular: RiskEstimate;
}

/** Loads patients' clinical snapshots in batches and computes their risk. */
export function createRiskLoader(patients: PatientSubgraphClient, now: () => Date = () => new Date()) {
  return new DataLoader<string, PatientRisk | null>(async (ids) => {
    const snapshots = await patients.fetchPatients<ClinicalSnapshot>(ids, SNAPSHOT_SELECTION);
    return snapshots.map((snapshot) =>
      snapshot ? { cardiovascular: estimateCardiovascularRisk(riskInputFromSnapshot(snapshot, now())) } : null,
    );
  });
}
