import type { Pool } from '../../../lib/postgres';
import { isHubId } from './patient-repository';

/**
 * A patient's record version: the id of the newest outbox event about the patient (patient.outbox). Every write to a
 * patient's record announces an event in the transaction that makes it (lib/contracts/events.ts `announce`: a new
 * observation, a bundle's records, device readings, an unlink, a consent decision), and outbox ids only grow (the
 * table is append-only, never pruned), so the version changes with every change to the record and never goes back.
 * "0" for a patient nothing was announced about yet (just created). Other services key what they keep of the record by
 * it (inference's snapshot cache) without reading the record to learn whether it changed.
 */
export interface RecordVersionRepository {
  versionsByPatientIds(ids: readonly string[]): Promise<string[]>;
}

// One index range per patient (outbox_patient_id_idx), newest first.
const SELECT_RECORD_VERSIONS = `
  SELECT p.id AS patient_id, (SELECT o.id FROM patient.outbox o WHERE o.patient_id = p.id ORDER BY o.id DESC LIMIT 1)::text AS version
  FROM unnest($1::uuid[]) AS p(id)`;

export class PostgresRecordVersionRepository implements RecordVersionRepository {
  constructor(private readonly pool: Pool) {}

  async versionsByPatientIds(ids: readonly string[]): Promise<string[]> {
    const valid = [...new Set(ids.filter(isHubId).map((id) => id.toLowerCase()))];
    const { rows } = valid.length ? await this.pool.query<{ patient_id: string; version: string | null }>(SELECT_RECORD_VERSIONS, [valid]) : { rows: [] };
    const byId = new Map(rows.map((row) => [row.patient_id, row.version ?? '0']));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? '0');
  }
}
