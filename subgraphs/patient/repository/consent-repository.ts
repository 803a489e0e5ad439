import { ErrorCode, HubError } from '../../../lib/errors';
import { inTransaction, type Pool } from '../../../lib/postgres';
import { announce, PatientTopic } from '../../../lib/contracts/events';
import { isHubId } from './patient-repository';

export interface ConsentEntry {
  granted: boolean;
  recordedAt: string;
  recordedBy: string;
  source: string;
}

export interface ConsentRepository {
  /** Appends a decision to the patient's history, with its outbox event, in one transaction. */
  record(patientId: string, granted: boolean, recordedBy: string, source: string): Promise<ConsentEntry>;
  /** Each patient's decisions, newest first (empty: never asked, which counts as not consented). */
  historyByPatientIds(ids: readonly string[]): Promise<ConsentEntry[][]>;
}

const LOCK_PATIENT = `SELECT 1 FROM patient.patients WHERE id = $1 FOR SHARE`;
const INSERT_CONSENT = `
  INSERT INTO patient.research_consents (patient_id, granted, recorded_by, source) VALUES ($1, $2, $3, $4)
  RETURNING granted, recorded_at, recorded_by, source`;
const SELECT_HISTORY = `
  SELECT patient_id, granted, recorded_at, recorded_by, source FROM patient.research_consents
  WHERE patient_id = ANY($1::uuid[]) ORDER BY id DESC`;

interface ConsentRow {
  patient_id?: string;
  granted: boolean;
  recorded_at: Date;
  recorded_by: string;
  source: string;
}

const toEntry = (row: ConsentRow): ConsentEntry => ({
  granted: row.granted,
  recordedAt: row.recorded_at.toISOString(),
  recordedBy: row.recorded_by,
  source: row.source,
});

export class PostgresConsentRepository implements ConsentRepository {
  constructor(private readonly pool: Pool) {}

  async record(patientId: string, granted: boolean, recordedBy: string, source: string): Promise<ConsentEntry> {
    if (!isHubId(patientId)) throw new HubError(ErrorCode.PATIENT_NOT_FOUND, `no patient with id "${patientId}"`, { patientId });
    return inTransaction(this.pool, async (client) => {
      const exists = await client.query(LOCK_PATIENT, [patientId]);
      if (!exists.rowCount) throw new HubError(ErrorCode.PATIENT_NOT_FOUND, `no patient with id "${patientId}"`, { patientId });
      const { rows } = await client.query<ConsentRow>(INSERT_CONSENT, [patientId, granted, recordedBy, source]);
      await announce(client, 'patient.outbox', PatientTopic.CONSENT_CHANGED, patientId, { granted });
      return toEntry(rows[0]!);
    });
  }

  async historyByPatientIds(ids: readonly string[]): Promise<ConsentEntry[][]> {
    const valid = ids.filter(isHubId);
    const { rows } = valid.length ? await this.pool.query<ConsentRow>(SELECT_HISTORY, [valid]) : { rows: [] };
    const byPatient = new Map<string, ConsentEntry[]>();
    for (const row of rows) {
      const list = byPatient.get(row.patient_id!) ?? [];
      list.push(toEntry(row));
      byPatient.set(row.patient_id!, list);
    }
    return ids.map((id) => byPatient.get(id.toLowerCase()) ?? []);
  }
}
