import type { Pool, PoolClient } from '../../../lib/postgres';
import { inTransaction } from '../../../lib/postgres';
import type { Logger } from '../../../lib/logger';
import { announce, PatientTopic } from '../../../lib/contracts/events';
import { parseBundle, type ResourceValidator } from './fhir-mapping';
import { IngestRejectCode, type IngestReject, type IngestWarning, type ObservationRow, type ParsedBundle, type PatientData } from './fhir-records';
import { validateFhirResource } from './fhir-validation';
import { matchPatients, type Demographics } from '../domain/patient-matching';
import type { Identity } from '../../../lib/identity';
import { assertMayLinkAcrossOrganisations, organisationForWrite } from '../../../lib/patient-access';

export { IngestRejectCode, type IngestReject, type IngestWarning } from './fhir-records';

export interface IngestReport {
  /** Hub ids of the bundle's patients (empty when the bundle was rejected). */
  patientIds: string[];
  created: number;
  updated: number;
  /** Already stored and unchanged, duplicates within the bundle, entered-in-error. */
  skipped: number;
  /** Non-empty: the bundle was rejected whole and nothing was written. */
  rejected: IngestReject[];
  /** Stored with a caveat: a unit annotation assumed, a unit that does not convert, an implausible value. Empty when rejected. */
  warnings: IngestWarning[];
  /** Resource types the hub does not ingest, counted. */
  skippedTypes: Record<string, number>;
  /** Patients from this bundle joined to an existing hub patient by demographic matching. */
  linked: PatientLinkReport[];
}

export interface PatientLinkReport {
  linkId: string;
  patientId: string;
  sourcePatient: string;
  score: number;
  rule: string;
}

export interface IngestOptions {
  /** Admins and hub services only: demographic linkage considers every organisation's patients. */
  linkAcrossOrganisations?: boolean;
}

interface Column {
  name: string;
  type: string;
}

interface UpsertCounts {
  created: number;
  updated: number;
  skipped: number;
}

/**
 * One statement per table per bundle: rows travel as arrays through unnest(), and a row already
 * stored unchanged is neither rewritten nor counted as updated (`IS DISTINCT FROM`).
 */
function upsertStatement(table: string, columns: Column[]): string {
  const names = columns.map((c) => c.name);
  const params = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const updatable = names.filter((n) => n !== 'patient_id' && n !== 'source_key');
  // Arrays travel joined by '|' (unnest would flatten an array of arrays) and are split back here.
  const select = columns.map((c) => (ARRAY_COLUMNS.has(c.name) ? `string_to_array(${c.name}, '|')` : c.name)).join(', ');
  return `
    INSERT INTO patient.${table} (${names.join(', ')})
    SELECT ${select} FROM unnest(${params}) AS input(${names.join(', ')})
    ON CONFLICT (patient_id, source_key) DO UPDATE SET ${updatable.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
    WHERE (${updatable.map((n) => `${table}.${n}`).join(', ')}) IS DISTINCT FROM (${updatable.map((n) => `EXCLUDED.${n}`).join(', ')})
    RETURNING (xmax = 0) AS inserted`;
}

const col = (name: string, type: string): Column => ({ name, type });
const ARRAY_COLUMNS = new Set(['categories', 'modalities', 'body_sites']);
const KEY = [col('patient_id', 'uuid'), col('source_key', 'text'), col('source_patient', 'text')];

const TABLES = {
  observations: [
    ...KEY,
    col('code_system', 'text'),
    col('code', 'text'),
    col('display', 'text'),
    col('value', 'float8'),
    col('unit', 'text'),
    col('original_value', 'float8'),
    col('original_unit', 'text'),
    col('value_code_system', 'text'),
    col('value_code', 'text'),
    col('value_display', 'text'),
    col('value_text', 'text'),
    col('normalised', 'boolean'),
    col('effective_at', 'timestamptz'),
    col('flag', 'text'),
    col('flag_reason', 'text'),
  ],
  conditions: [
    ...KEY,
    col('code_system', 'text'),
    col('code', 'text'),
    col('display', 'text'),
    col('clinical_status', 'text'),
    col('onset_at', 'timestamptz'),
    col('abatement_at', 'timestamptz'),
    col('recorded_at', 'timestamptz'),
    col('verification_status', 'text'),
  ],
  procedures: [...KEY, col('code_system', 'text'), col('code', 'text'), col('display', 'text'), col('status', 'text'), col('performed_at', 'timestamptz')],
  medications: [
    ...KEY,
    col('kind', 'text'),
    col('code_system', 'text'),
    col('code', 'text'),
    col('display', 'text'),
    col('status', 'text'),
    col('authored_at', 'timestamptz'),
    col('dosage', 'text'),
  ],
  allergies: [
    ...KEY,
    col('code_system', 'text'),
    col('code', 'text'),
    col('display', 'text'),
    col('clinical_status', 'text'),
    col('criticality', 'text'),
    col('categories', 'text'),
    col('recorded_at', 'timestamptz'),
  ],
  notes: [...KEY, col('kind', 'text'), col('title', 'text'), col('content_type', 'text'), col('text', 'text'), col('authored_at', 'timestamptz')],
  imaging_studies: [
    ...KEY,
    col('study_uid', 'text'),
    col('status', 'text'),
    col('modalities', 'text'),
    col('body_sites', 'text'),
    col('series_count', 'integer'),
    col('instance_count', 'integer'),
    col('started_at', 'timestamptz'),
    col('description', 'text'),
    col('report_text', 'text'),
  ],
} as const satisfies Record<string, Column[]>;

const UPSERT = Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, upsertStatement(table, columns)])) as Record<
  keyof typeof TABLES,
  string
>;

// Serialises bundles that may name the same person (same identifier, or same birth date and sex for
// linkage) so two of them cannot both create it. Keys are taken in sorted order: no deadlock.
const LOCK_KEY = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;
// Candidates come from the organisation the patient is written into only: linkage never joins, or
// reveals, another organisation's patient (identifiers are per organisation too; see the migration).
// ($3 null: every organisation's, for an admin's linkAcrossOrganisations.)
const SELECT_LINK_CANDIDATES = `
  SELECT id, name, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", sex, phone, address
  FROM patient.patients WHERE ($3::text IS NULL OR coalesce(managing_organization, '') = $3) AND birth_date = $1 AND sex = $2 LIMIT 200`;
const INSERT_LINK = `
  INSERT INTO patient.patient_links (patient_id, source_patient, identifiers, demographics, score, rule, linked_by, across_organisations, source_organization)
  SELECT $1, $2, $3, $4, $5, $6, $7, coalesce(p.managing_organization, '') IS DISTINCT FROM coalesce($8, ''), $8
  FROM patient.patients p WHERE p.id = $1 RETURNING id`;
const SELECT_ACTIVE_LINK = `SELECT 1 FROM patient.patient_links WHERE patient_id = $1 AND source_patient = $2 AND unlinked_at IS NULL`;
const UPDATE_LINK_DEMOGRAPHICS = `
  UPDATE patient.patient_links SET demographics = $3
  WHERE patient_id = $1 AND source_patient = $2 AND unlinked_at IS NULL AND demographics IS DISTINCT FROM $3::jsonb
  RETURNING id`;
const FIND_BY_IDENTIFIERS = `
  SELECT DISTINCT patient_id FROM patient.identifiers i
  JOIN unnest($1::text[], $2::text[]) AS wanted(system, value) ON i.system = wanted.system AND i.value = wanted.value
  WHERE i.organization = $3`;
const INSERT_PATIENT = `
  INSERT INTO patient.patients (name, birth_date, sex, race, address, phone, managing_organization) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`;
// The patient was found within the organisation it is written into: its organisation stays as it is.
const UPDATE_PATIENT = `
  UPDATE patient.patients SET name = $2, birth_date = $3, sex = $4, race = $5, address = $6, phone = $7, updated_at = now()
  WHERE id = $1 AND (name, birth_date, sex, race, address, phone) IS DISTINCT FROM ($2, $3::date, $4, $5, $6::jsonb, $7)
  RETURNING id`;
// The identifier's organisation is its patient's (set by the table's trigger), so the key is per organisation.
// A type arriving for an identifier stored without one (before the column existed) is filled in; nothing else changes.
const INSERT_IDENTIFIERS = `
  INSERT INTO patient.identifiers (system, value, patient_id, type_code)
  SELECT system, value, $3, type_code FROM unnest($1::text[], $2::text[], $4::text[]) AS i(system, value, type_code)
  ON CONFLICT (organization, system, value) DO UPDATE SET type_code = EXCLUDED.type_code
  WHERE patient.identifiers.type_code IS NULL AND EXCLUDED.type_code IS NOT NULL`;

const emptyReport = (parsed: ParsedBundle): IngestReport => ({
  patientIds: [],
  created: 0,
  updated: 0,
  skipped: parsed.skipped,
  rejected: parsed.rejects,
  warnings: parsed.rejects.length ? [] : parsed.warnings,
  skippedTypes: parsed.skippedTypes,
  linked: [],
});

/**
 * Ingests FHIR R4 bundles: validates and maps every resource first, then writes the whole bundle in
 * one transaction (all of it or nothing), idempotently by source identifiers, and announces the
 * change with one outbox event per patient (a bundle is one recomputation, not one per resource).
 * Every patient is written into the organisation the write rule gives for this writer
 * (lib/patient-access.ts organisationForWrite), and found or linked only within it.
 */
export class FhirIngestor {
  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly validate: ResourceValidator = validateFhirResource,
  ) {}

  async ingestBundle(bundle: unknown, writer: Identity, options: IngestOptions = {}): Promise<IngestReport> {
    if (options.linkAcrossOrganisations) assertMayLinkAcrossOrganisations(writer);
    const parsed = parseBundle(bundle, this.validate);
    const report = emptyReport(parsed);
    if (parsed.rejects.length) return report;
    // Refused before anything is written: a clinician's bundle naming another organisation.
    const organisations = parsed.patients.map((p) => organisationForWrite(writer, p.organization, `${p.sourceKey} managingOrganization`, 'managingOrganization'));
    if (!parsed.patients.length) {
      const clinical = [parsed.observations, parsed.conditions, parsed.procedures, parsed.medications, parsed.allergies, parsed.notes, parsed.imagingStudies].reduce((n, rows) => n + rows.length, 0);
      if (clinical) report.rejected.push({ resource: 'Bundle', field: 'entry', reason: 'clinical resources but no Patient', code: IngestRejectCode.MISSING_PATIENT });
      return report;
    }
    return inTransaction(this.pool, async (client) => {
      const hubIds = new Map<string, string>();
      const changed = new Set<string>();
      for (const [index, patient] of parsed.patients.entries()) {
        const { id, counts } = await this.upsertPatient(client, patient, organisations[index]!, report, writer, options);
        if (!id) {
          report.rejected.push({
            resource: patient.sourceKey,
            field: 'identifier',
            reason: 'its identifiers belong to more than one hub patient; link or unlink them first',
            code: IngestRejectCode.IDENTIFIER_CONFLICT,
          });
          continue;
        }
        hubIds.set(patient.ref, id);
        add(report, counts);
        if (counts.created || counts.updated) changed.add(id);
      }
      if (report.rejected.length) throw new RejectedBundle(report);

      const hub = (ref: string) => hubIds.get(ref)!;
      const batches: [keyof typeof TABLES, unknown[][]][] = [
        ['observations', observationColumns(parsed.observations, (r) => hub(r.patientRef))],
        ['conditions', columnsOf(parsed.conditions, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.codeSystem, r.code, r.display, r.clinicalStatus, r.onsetAt, r.abatementAt, r.recordedAt, r.verificationStatus], 11)],
        ['procedures', columnsOf(parsed.procedures, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.codeSystem, r.code, r.display, r.status, r.performedAt], 8)],
        ['medications', columnsOf(parsed.medications, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.kind, r.codeSystem, r.code, r.display, r.status, r.authoredAt, r.dosage], 10)],
        ['allergies', columnsOf(parsed.allergies, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.codeSystem, r.code, r.display, r.clinicalStatus, r.criticality, r.categories.join('|'), r.recordedAt], 10)],
        ['notes', columnsOf(parsed.notes, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.kind, r.title, r.contentType, r.text, r.authoredAt], 8)],
        ['imaging_studies', columnsOf(parsed.imagingStudies, (r) => [hub(r.patientRef), r.sourceKey, r.sourcePatient, r.studyUid, r.status, r.modalities.join('|'), r.bodySites.join('|'), r.seriesCount, r.instanceCount, r.startedAt, r.description, r.reportText], 12)],
      ];
      const rowsOf = {
        observations: parsed.observations,
        conditions: parsed.conditions,
        procedures: parsed.procedures,
        medications: parsed.medications,
        allergies: parsed.allergies,
        notes: parsed.notes,
        imaging_studies: parsed.imagingStudies,
      };
      for (const [table, columns] of batches) {
        const rows = rowsOf[table];
        if (!rows.length) continue;
        const { rows: written } = await client.query<{ inserted: boolean }>(UPSERT[table], columns);
        const created = written.filter((w) => w.inserted).length;
        add(report, { created, updated: written.length - created, skipped: rows.length - written.length });
        if (written.length) {
          // Which patients changed is only needed for the event; a bundle almost always has one.
          for (const row of rows) changed.add(hub(row.patientRef));
        }
      }
      for (const patientId of changed) {
        await announce(client, 'patient.outbox', PatientTopic.RECORDS_INGESTED, patientId, { created: report.created, updated: report.updated });
      }
      report.patientIds = [...new Set(hubIds.values())];
      return report;
    }).catch((error: unknown) => {
      if (error instanceof RejectedBundle) return { ...error.report, patientIds: [], created: 0, updated: 0, warnings: [], linked: [] };
      throw error;
    });
  }

  /**
   * Finds the hub patient by any of its identifiers; failing that, links it to a patient with
   * matching demographics from another source; failing that, creates it.
   */
  private async upsertPatient(
    client: PoolClient,
    patient: PatientData,
    organisation: string | null,
    report: IngestReport,
    writer: Identity,
    options: IngestOptions,
  ): Promise<{ id: string | null; counts: UpsertCounts }> {
    const scope = organisation ?? '';
    const keys = [...new Set(patient.identifiers.map((i) => `${scope}|${i.system}|${i.value}`))].sort();
    if (patient.birthDate && patient.sex) {
      keys.unshift(`demographics|${options.linkAcrossOrganisations ? '*' : scope}|${patient.birthDate}|${patient.sex}`);
    }
    for (const key of keys) await client.query(LOCK_KEY, [key]);
    const systems = patient.identifiers.map((i) => i.system);
    const values = patient.identifiers.map((i) => i.value);
    const types = patient.identifiers.map((i) => i.type);
    const found = await client.query<{ patient_id: string }>(FIND_BY_IDENTIFIERS, [systems, values, scope]);
    if (found.rows.length > 1) return { id: null, counts: { created: 0, updated: 0, skipped: 0 } };
    const demographics = [patient.name, patient.birthDate, patient.sex, patient.race, patient.address, patient.phone];
    const existing = found.rows[0]?.patient_id;
    if (existing) {
      // A linked source keeps its own demographics on its link; the hub patient's stay as they were.
      const linked = (await client.query(SELECT_ACTIVE_LINK, [existing, patient.sourceKey])).rowCount;
      const changed = linked
        ? (await client.query(UPDATE_LINK_DEMOGRAPHICS, [existing, patient.sourceKey, demographicsOf(patient)])).rowCount
        : (await client.query(UPDATE_PATIENT, [existing, ...demographics])).rowCount;
      await client.query(INSERT_IDENTIFIERS, [systems, values, existing, types]);
      return { id: existing, counts: { created: 0, updated: changed ? 1 : 0, skipped: changed ? 0 : 1 } };
    }
    const match = await this.findMatch(client, patient, options.linkAcrossOrganisations ? null : scope);
    if (match) {
      const { rows } = await client.query<{ id: string }>(INSERT_LINK, [
        match.patientId,
        patient.sourceKey,
        JSON.stringify(patient.identifiers),
        demographicsOf(patient),
        match.score,
        match.rule,
        writer.subject,
        organisation,
      ]);
      await client.query(INSERT_IDENTIFIERS, [systems, values, match.patientId, types]);
      report.linked.push({ linkId: rows[0]!.id, patientId: match.patientId, sourcePatient: patient.sourceKey, score: match.score, rule: match.rule });
      this.log.info({ patientId: match.patientId, score: match.score, rule: match.rule }, 'patient linked by demographics');
      return { id: match.patientId, counts: { created: 0, updated: 1, skipped: 0 } };
    }
    const inserted = await client.query<{ id: string }>(INSERT_PATIENT, [...demographics, organisation]);
    const id = inserted.rows[0]!.id;
    await client.query(INSERT_IDENTIFIERS, [systems, values, id, types]);
    return { id, counts: { created: 1, updated: 0, skipped: 0 } };
  }

  private async findMatch(client: PoolClient, patient: PatientData, scope: string | null): Promise<{ patientId: string; score: number; rule: string } | null> {
    if (!patient.birthDate || !patient.sex) return null;
    const { rows } = await client.query<{ id: string } & Demographics>(SELECT_LINK_CANDIDATES, [patient.birthDate, patient.sex, scope]);
    let best: { patientId: string; score: number; rule: string } | null = null;
    for (const candidate of rows) {
      const match = matchPatients(patient, candidate);
      if (match && (!best || match.score > best.score)) best = { patientId: candidate.id, ...match };
    }
    return best;
  }
}

const demographicsOf = (p: PatientData) => ({ name: p.name, birthDate: p.birthDate, sex: p.sex, race: p.race, address: p.address, phone: p.phone });

class RejectedBundle extends Error {
  constructor(readonly report: IngestReport) {
    super('bundle rejected');
  }
}

function add(report: IngestReport, counts: UpsertCounts): void {
  report.created += counts.created;
  report.updated += counts.updated;
  report.skipped += counts.skipped;
}

/** Observation rows → the observations table's columns, with each row's hub patient id. */
export function observationColumns(rows: ObservationRow[], hubId: (row: ObservationRow) => string): unknown[][] {
  return columnsOf(
    rows,
    (r) => [hubId(r), r.sourceKey, r.sourcePatient, r.codeSystem, r.code, r.display, r.value, r.unit, r.originalValue, r.originalUnit, r.valueCodeSystem, r.valueCode, r.valueDisplay, r.valueText, r.normalised, r.effectiveAt, r.flag, r.flagReason],
    TABLES.observations.length,
  );
}

/** Rows → one array per column, as unnest() takes them. */
/** The statement that upserts a table's rows; see upsertStatement. */
export const upsertSql = (table: keyof typeof TABLES): string => UPSERT[table];

function columnsOf<T>(rows: T[], toRow: (row: T) => unknown[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) toRow(row).forEach((value, i) => columns[i]!.push(value));
  return columns;
}
