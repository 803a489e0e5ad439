import type { Pool, PoolClient } from '../../../lib/postgres';
import { inTransaction } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { LOINC_CATALOGUE, type NormalisedQuantity } from '../domain/loinc';

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientRecord {
  id: string;
  name: string;
  birthDate: string | null;
  sex: Sex | null;
  race: string | null;
}

export interface IdentifierRecord {
  patientId: string;
  system: string;
  value: string;
}

export interface ObservationRecord extends NormalisedQuantity {
  id: string;
  patientId: string;
  effectiveAt: string;
}

export interface NewPatient {
  name: string;
  birthDate: string | null;
  sex: Sex | null;
  race: string | null;
  identifiers: { system: string; value: string }[];
}

export interface PatientPage {
  patients: PatientRecord[];
  totalCount: number;
  hasNextPage: boolean;
}

/** Data access for the patient subgraph; resolvers see only this interface. */
export interface PatientRepository {
  createPatient(input: NewPatient): Promise<PatientRecord>;
  patientsByIds(ids: readonly string[]): Promise<(PatientRecord | null)[]>;
  identifiersByPatientIds(ids: readonly string[]): Promise<IdentifierRecord[][]>;
  observationsByPatientIds(ids: readonly string[]): Promise<ObservationRecord[][]>;
  listPatients(filter: { identifier?: string | null }, first: number, afterId: string | null): Promise<PatientPage>;
  /** Stores the observation and its outbox event in one transaction. */
  addObservation(patientId: string, quantity: NormalisedQuantity, effectiveAt: Date): Promise<ObservationRecord>;
}

export const OUTBOX_CHANNEL = 'patient_outbox';
export const OBSERVATION_ADDED = 'patient.observation.added';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isHubId = (id: string): boolean => UUID.test(id);

const INSERT_PATIENT = `
  INSERT INTO patient.patients (name, birth_date, sex, race) VALUES ($1, $2, $3, $4)
  RETURNING id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, race`;
const INSERT_IDENTIFIER = `INSERT INTO patient.identifiers (system, value, patient_id) VALUES ($1, $2, $3)`;
const SELECT_PATIENTS_BY_IDS = `
  SELECT id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, race
  FROM patient.patients WHERE id = ANY($1::uuid[])`;
const SELECT_IDENTIFIERS_BY_PATIENT_IDS = `
  SELECT patient_id, system, value FROM patient.identifiers WHERE patient_id = ANY($1::uuid[]) ORDER BY system, value`;
const SELECT_OBSERVATIONS_BY_PATIENT_IDS = `
  SELECT id, patient_id, code, value, unit, original_value, original_unit, effective_at
  FROM patient.observations WHERE patient_id = ANY($1::uuid[]) ORDER BY effective_at DESC, created_at DESC`;
const PATIENT_FILTER = `($1::text IS NULL OR EXISTS (
    SELECT 1 FROM patient.identifiers i WHERE i.patient_id = p.id AND i.value = $1))`;
const COUNT_PATIENTS = `SELECT count(*) AS total FROM patient.patients p WHERE ${PATIENT_FILTER}`;
const SELECT_PATIENT_PAGE = `
  SELECT p.id, p.name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.sex, p.race
  FROM patient.patients p
  WHERE ${PATIENT_FILTER} AND ($3::uuid IS NULL OR p.id > $3::uuid)
  ORDER BY p.id LIMIT $2`;
const SELECT_PATIENT_EXISTS_FOR_UPDATE = `SELECT 1 FROM patient.patients WHERE id = $1 FOR SHARE`;
const INSERT_OBSERVATION = `
  INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  RETURNING id, effective_at`;
const INSERT_OUTBOX_EVENT = `INSERT INTO patient.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`;
const NOTIFY_OUTBOX = `SELECT pg_notify($1, $2)`;

interface PatientRow {
  id: string;
  name: string;
  birth_date: string | null;
  sex: Sex | null;
  race: string | null;
}

const toPatient = (row: PatientRow): PatientRecord => ({
  id: row.id,
  name: row.name,
  birthDate: row.birth_date,
  sex: row.sex,
  race: row.race,
});

function groupBy<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const byId = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(key(row))?.push(row);
  return ids.map((id) => byId.get(id) ?? []);
}

export class PostgresPatientRepository implements PatientRepository {
  constructor(private readonly pool: Pool) {}

  async createPatient(input: NewPatient): Promise<PatientRecord> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<PatientRow>(INSERT_PATIENT, [input.name, input.birthDate, input.sex, input.race]);
      const patient = toPatient(rows[0]!);
      for (const identifier of input.identifiers) {
        await this.insertIdentifier(client, identifier, patient.id);
      }
      return patient;
    });
  }

  private async insertIdentifier(client: PoolClient, identifier: { system: string; value: string }, patientId: string) {
    try {
      await client.query(INSERT_IDENTIFIER, [identifier.system, identifier.value, patientId]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new HubError(
          ErrorCode.BAD_USER_INPUT,
          `identifiers: ${identifier.system}|${identifier.value} already belongs to another patient`,
          { field: 'identifiers' },
        );
      }
      throw error;
    }
  }

  async patientsByIds(ids: readonly string[]): Promise<(PatientRecord | null)[]> {
    const valid = ids.filter(isHubId);
    const { rows } = valid.length ? await this.pool.query<PatientRow>(SELECT_PATIENTS_BY_IDS, [valid]) : { rows: [] };
    const byId = new Map(rows.map((row) => [row.id, toPatient(row)]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  }

  async identifiersByPatientIds(ids: readonly string[]): Promise<IdentifierRecord[][]> {
    const { rows } = await this.pool.query<{ patient_id: string; system: string; value: string }>(
      SELECT_IDENTIFIERS_BY_PATIENT_IDS,
      [ids.filter(isHubId)],
    );
    const records = rows.map((r) => ({ patientId: r.patient_id, system: r.system, value: r.value }));
    return groupBy(ids, records, (r) => r.patientId);
  }

  async observationsByPatientIds(ids: readonly string[]): Promise<ObservationRecord[][]> {
    const { rows } = await this.pool.query<ObservationRow>(SELECT_OBSERVATIONS_BY_PATIENT_IDS, [ids.filter(isHubId)]);
    return groupBy(ids, rows.map(toObservation), (r) => r.patientId);
  }

  async listPatients(filter: { identifier?: string | null }, first: number, afterId: string | null): Promise<PatientPage> {
    // Keyset pagination on the hub id: stable under concurrent inserts, no OFFSET scans.
    const identifier = filter.identifier ?? null;
    const [page, count] = await Promise.all([
      this.pool.query<PatientRow>(SELECT_PATIENT_PAGE, [identifier, first + 1, afterId]),
      this.pool.query<{ total: string }>(COUNT_PATIENTS, [identifier]),
    ]);
    return {
      patients: page.rows.slice(0, first).map(toPatient),
      totalCount: Number(count.rows[0]?.total ?? 0),
      hasNextPage: page.rows.length > first,
    };
  }

  async addObservation(patientId: string, quantity: NormalisedQuantity, effectiveAt: Date): Promise<ObservationRecord> {
    if (!isHubId(patientId)) throw patientNotFound(patientId);
    return inTransaction(this.pool, async (client) => {
      const exists = await client.query(SELECT_PATIENT_EXISTS_FOR_UPDATE, [patientId]);
      if (!exists.rowCount) throw patientNotFound(patientId);
      const { rows } = await client.query<{ id: string; effective_at: Date }>(INSERT_OBSERVATION, [
        patientId,
        quantity.code,
        quantity.value,
        quantity.unit,
        quantity.originalValue,
        quantity.originalUnit,
        effectiveAt,
      ]);
      const row = rows[0]!;
      await client.query(INSERT_OUTBOX_EVENT, [OBSERVATION_ADDED, patientId, { observationId: row.id, code: quantity.code }]);
      // Delivered only on COMMIT, so a listener never wakes for a change it cannot see yet.
      await client.query(NOTIFY_OUTBOX, [OUTBOX_CHANNEL, patientId]);
      return { ...quantity, id: row.id, patientId, effectiveAt: row.effective_at.toISOString() };
    });
  }
}

export function patientNotFound(patientId: string): HubError {
  return new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found: create it first or check the hub id`, {
    field: 'patientId',
  });
}

interface ObservationRow {
  id: string;
  patient_id: string;
  code: string;
  value: number;
  unit: string;
  original_value: number;
  original_unit: string;
  effective_at: Date;
}

function toObservation(row: ObservationRow): ObservationRecord {
  return {
    id: row.id,
    patientId: row.patient_id,
    code: row.code,
    display: LOINC_CATALOGUE.get(row.code)?.display ?? row.code,
    value: row.value,
    unit: row.unit,
    originalValue: row.original_value,
    originalUnit: row.original_unit,
    effectiveAt: row.effective_at.toISOString(),
  };
}
