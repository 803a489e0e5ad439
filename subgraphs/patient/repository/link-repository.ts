import { isHubId } from '../../../lib/ids';
import type { Pool } from '../../../lib/postgres';
import { inTransaction } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { announce, PatientTopic } from '../../../lib/contracts/events';

export interface PatientLinkRecord {
  id: string;
  patientId: string;
  sourcePatient: string;
  identifiers: { system: string; value: string }[];
  score: number;
  rule: string;
  linkedAt: string;
  unlinkedAt: string | null;
  unlinkedInto: string | null;
  linkedBy: string | null;
  acrossOrganisations: boolean;
}

/** Record linkage: the links joining a second source's patient to a hub patient, and undoing them. */
export interface LinkRepository {
  linksByPatientIds(ids: readonly string[]): Promise<PatientLinkRecord[][]>;
  /** Splits the linked source back out into a patient of its own, with its identifiers and records. */
  unlinkPatient(
    linkId: string,
    authorize?: (patientId: string, acrossOrganisations: boolean) => Promise<void>,
  ): Promise<{ link: PatientLinkRecord; newPatientId: string }>;
}

const SELECT_LINKS_BY_PATIENT_IDS = `
  SELECT id, patient_id, source_patient, identifiers, score, rule, linked_at, unlinked_at, unlinked_into, linked_by, across_organisations
  FROM patient.patient_links WHERE patient_id = ANY($1::uuid[]) ORDER BY linked_at, id`;
const LOCK_LINK = `
  SELECT id, patient_id, source_patient, identifiers, demographics, score, rule, linked_at, unlinked_at, unlinked_into,
    linked_by, across_organisations, source_organization
  FROM patient.patient_links WHERE id = $1 FOR UPDATE`;
const INSERT_SPLIT_PATIENT = `
  INSERT INTO patient.patients (name, birth_date, sex, race, address, phone, managing_organization)
  SELECT d->>'name', (d->>'birthDate')::date, d->>'sex', d->>'race', d->'address', d->>'phone',
    -- The split-off patient stays in the care of the organisation that held the linked record, or, for
    -- an admin's cross-organisation link, returns to the organisation its source came from.
    CASE WHEN $3::boolean THEN $4::text ELSE (SELECT managing_organization FROM patient.patients WHERE id = $2) END
  FROM (SELECT $1::jsonb AS d) AS source
  RETURNING id`;
const MOVE_IDENTIFIERS = `
  UPDATE patient.identifiers i SET patient_id = $2
  FROM jsonb_to_recordset($3::jsonb) AS moved(system text, value text)
  WHERE i.patient_id = $1 AND i.system = moved.system AND i.value = moved.value`;
// The records that came with the linked source move with it; nothing is deleted.
const MOVE_RECORDS = ['observations', 'conditions', 'procedures', 'medications', 'allergies', 'notes', 'imaging_studies'].map(
  (table) => `UPDATE patient.${table} SET patient_id = $2 WHERE patient_id = $1 AND source_patient = $3`,
);
const MARK_UNLINKED = `UPDATE patient.patient_links SET unlinked_at = now(), unlinked_into = $2 WHERE id = $1 RETURNING unlinked_at`;

interface LinkRow {
  id: string;
  patient_id: string;
  source_patient: string;
  identifiers: { system: string; value: string }[];
  demographics?: Record<string, unknown>;
  score: number;
  rule: string;
  linked_at: Date;
  unlinked_at: Date | null;
  unlinked_into: string | null;
  linked_by: string | null;
  across_organisations: boolean;
  source_organization?: string | null;
}

const toLink = (r: LinkRow): PatientLinkRecord => ({
  id: r.id,
  patientId: r.patient_id,
  sourcePatient: r.source_patient,
  identifiers: r.identifiers,
  score: r.score,
  rule: r.rule,
  linkedAt: r.linked_at.toISOString(),
  unlinkedAt: r.unlinked_at?.toISOString() ?? null,
  unlinkedInto: r.unlinked_into,
  linkedBy: r.linked_by,
  acrossOrganisations: r.across_organisations,
});

export class PostgresLinkRepository implements LinkRepository {
  constructor(private readonly pool: Pool) {}

  async linksByPatientIds(ids: readonly string[]): Promise<PatientLinkRecord[][]> {
    const { rows } = await this.pool.query<LinkRow>(SELECT_LINKS_BY_PATIENT_IDS, [ids.filter(isHubId)]);
    const byPatient = new Map<string, PatientLinkRecord[]>(ids.map((id) => [id, []]));
    for (const row of rows) byPatient.get(row.patient_id)?.push(toLink(row));
    return ids.map((id) => byPatient.get(id) ?? []);
  }

  async unlinkPatient(linkId: string, authorize: (patientId: string, acrossOrganisations: boolean) => Promise<void> = async () => undefined): Promise<{ link: PatientLinkRecord; newPatientId: string }> {
    const notFound = () => new HubError(ErrorCode.LINK_NOT_FOUND, `Patient link "${linkId}" not found`, { field: 'linkId' });
    if (!isHubId(linkId)) throw notFound();
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<LinkRow>(LOCK_LINK, [linkId]);
      const row = rows[0];
      if (!row) throw notFound();
      // Undoing a link changes the patient's record: the caller needs access to that patient.
      await authorize(row.patient_id, row.across_organisations);
      if (row.unlinked_at) {
        throw new HubError(ErrorCode.BAD_USER_INPUT, `Patient link "${linkId}" was already undone on ${row.unlinked_at.toISOString()}`, {
          field: 'linkId',
        });
      }
      const { rows: created } = await client.query<{ id: string }>(INSERT_SPLIT_PATIENT, [row.demographics, row.patient_id, row.across_organisations, row.source_organization ?? null]);
      const newPatientId = created[0]!.id;
      await client.query(MOVE_IDENTIFIERS, [row.patient_id, newPatientId, JSON.stringify(row.identifiers)]);
      for (const sql of MOVE_RECORDS) await client.query(sql, [row.patient_id, newPatientId, row.source_patient]);
      const marked = await client.query<{ unlinked_at: Date }>(MARK_UNLINKED, [linkId, newPatientId]);
      for (const patientId of [row.patient_id, newPatientId]) {
        await announce(client, 'patient.outbox', PatientTopic.UNLINKED, patientId, { linkId });
      }
      return { link: toLink({ ...row, unlinked_at: marked.rows[0]!.unlinked_at, unlinked_into: newPatientId }), newPatientId };
    });
  }
}
