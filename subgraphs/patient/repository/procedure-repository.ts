import { isHubId } from '../../../lib/ids';
import type { Pool } from '../../../lib/postgres';
import type { CodingRecord } from './patient-repository';

/** A FHIR Procedure as stored (ingest/fhir-mapping.ts mapProcedure). */
export interface ProcedureRecord {
  id: string;
  patientId: string;
  code: CodingRecord;
  /** FHIR event-status: completed, not-done, in-progress, ... */
  status: string;
  performedAt: string | null;
}

export interface ProcedureRepository {
  /** Each patient's procedures, newest performed first (undated last), in the order of `ids`. */
  proceduresByPatientIds(ids: readonly string[]): Promise<ProcedureRecord[][]>;
}

const SELECT_PROCEDURES_BY_PATIENT_IDS = `
  SELECT id, patient_id, code_system, code, display, status, performed_at
  FROM patient.procedures WHERE patient_id = ANY($1::uuid[]) ORDER BY performed_at DESC NULLS LAST, id`;

interface ProcedureRow {
  id: string;
  patient_id: string;
  code_system: string;
  code: string;
  display: string | null;
  status: string;
  performed_at: Date | null;
}

export class PostgresProcedureRepository implements ProcedureRepository {
  constructor(private readonly pool: Pool) {}

  async proceduresByPatientIds(ids: readonly string[]): Promise<ProcedureRecord[][]> {
    const { rows } = await this.pool.query<ProcedureRow>(SELECT_PROCEDURES_BY_PATIENT_IDS, [ids.filter(isHubId)]);
    const byPatient = new Map<string, ProcedureRecord[]>(ids.map((id) => [id, []]));
    for (const r of rows) {
      byPatient.get(r.patient_id)?.push({
        id: r.id,
        patientId: r.patient_id,
        code: { system: r.code_system, code: r.code, display: r.display },
        status: r.status,
        performedAt: r.performed_at?.toISOString() ?? null,
      });
    }
    return ids.map((id) => byPatient.get(id) ?? []);
  }
}
