import { announce, PatientTopic } from '../../../lib/contracts/events';
import { isHubId } from '../../../lib/ids';
import type { Pool, PoolClient } from '../../../lib/postgres';
import { inTransaction } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { LOINC_CATALOGUE, type NormalisedQuantity } from '../domain/loinc';
import type { ObservationFlag } from '../../../lib/contracts/reference/loinc-catalogue';
import { PatientNameSearch, type NameCursor, type NameSearch, type NameSearchPage } from './patient-search';

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientRecord {
  id: string;
  name: string;
  birthDate: string | null;
  sex: Sex | null;
  race: string | null;
  /** The managing organisation (FHIR Patient.managingOrganization), if known. */
  organization: string | null;
}

export interface IdentifierRecord {
  patientId: string;
  system: string;
  value: string;
  /** HL7 v2-0203 type code as ingested (FHIR Identifier.type); null when none came. */
  type: string | null;
}

export interface CodingRecord {
  system: string;
  code: string;
  display: string | null;
}

export interface ObservationRecord {
  id: string;
  patientId: string;
  codeSystem: string;
  code: string;
  display: string;
  value: number | null;
  unit: string | null;
  originalValue: number | null;
  originalUnit: string | null;
  valueCode: CodingRecord | null;
  /** Observation.valueString as sent: free text, never in a calculation or a research view. */
  valueString: string | null;
  normalised: boolean;
  /** Why the value is kept out of calculations (lib/contracts/reference/loinc-catalogue.ts ObservationFlag); null when usable. */
  flag: ObservationFlag | null;
  excludedReason: string | null;
  effectiveAt: string;
}

export interface ConditionRecord {
  id: string;
  patientId: string;
  code: CodingRecord;
  clinicalStatus: string | null;
  /** FHIR condition-ver-status code as recorded (confirmed, refuted, entered-in-error, ...). */
  verificationStatus: string | null;
  onsetAt: string | null;
  abatementAt: string | null;
  recordedAt: string | null;
}

export interface MedicationRecord {
  id: string;
  patientId: string;
  kind: 'MedicationRequest' | 'MedicationStatement';
  code: CodingRecord;
  status: string | null;
  authoredAt: string | null;
  dosage: string | null;
}

export interface AllergyRecord {
  id: string;
  patientId: string;
  code: CodingRecord;
  clinicalStatus: string | null;
  criticality: string | null;
  categories: string[];
  recordedAt: string | null;
}

export interface NoteRecord {
  id: string;
  patientId: string;
  kind: string;
  title: string | null;
  contentType: string;
  text: string;
  authoredAt: string | null;
}

export interface NewPatient {
  name: string;
  birthDate: string | null;
  sex: Sex | null;
  race: string | null;
  organization?: string | null;
  identifiers: { system: string; value: string }[];
}

/**
 * What `Query.patients` and `Query.cohort` select on, already validated by the resolvers; every
 * field given must hold (AND), an absent or null field does not filter.
 */
export interface PatientCriteria {
  identifier?: string | null;
  /** Born on this day (ISO date, already validated). */
  birthDate?: string | null;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: Sex | null;
  conditionCode?: string | null;
  conditionSystem?: string | null;
  /** A LOINC code from the unit catalogue; bounds inclusive, in its canonical unit. */
  observation?: { code: string; min?: number | null; max?: number | null } | null;
  /** An RxNorm code, or text the medication's display contains (case-insensitive). */
  hasMedication?: string | null;
  /** Only this organisation's patients (a clinician's or partner's view). */
  organization?: string | null;
  /** Only patients whose current research consent is granted (a researcher's view). */
  researchConsented?: boolean | null;
  /** Only these patients (gene and variant filters, answered by the genomics subgraph). */
  patientIds?: readonly string[] | null;
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
  conditionsByPatientIds(ids: readonly string[]): Promise<ConditionRecord[][]>;
  medicationsByPatientIds(ids: readonly string[]): Promise<MedicationRecord[][]>;
  allergiesByPatientIds(ids: readonly string[]): Promise<AllergyRecord[][]>;
  notesByPatientIds(ids: readonly string[]): Promise<NoteRecord[][]>;
  listPatients(filter: PatientCriteria, first: number, afterId: string | null): Promise<PatientPage>;
  /** listPatients' page without its count (Query.patients counts only when totalCount is asked for). */
  pagePatients(filter: PatientCriteria, first: number, afterId: string | null): Promise<Omit<PatientPage, 'totalCount'>>;
  countPatients(filter: PatientCriteria): Promise<number>;
  /** Search by name (repository/patient-search.ts). */
  foldSearchWords(words: readonly string[]): Promise<string[]>;
  searchByName(search: NameSearch, filter: PatientCriteria, first: number, after: NameCursor | null): Promise<NameSearchPage>;
  countByName(search: NameSearch, filter: PatientCriteria): Promise<number>;
  /** Stores the observation and its outbox event in one transaction. */
  addObservation(patientId: string, quantity: NormalisedQuantity, effectiveAt: Date, idempotent?: IdempotentWrite): Promise<ObservationRecord>;
}

export { isHubId };

const INSERT_PATIENT = `
  INSERT INTO patient.patients (name, birth_date, sex, race, managing_organization) VALUES ($1, $2, $3, $4, $5)
  RETURNING id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, race, managing_organization`;
const INSERT_IDENTIFIER = `INSERT INTO patient.identifiers (system, value, patient_id) VALUES ($1, $2, $3)`;
const SELECT_PATIENTS_BY_IDS = `
  SELECT id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, race, managing_organization
  FROM patient.patients WHERE id = ANY($1::uuid[])`;
const SELECT_IDENTIFIERS_BY_PATIENT_IDS = `
  SELECT patient_id, system, value, type_code FROM patient.identifiers WHERE patient_id = ANY($1::uuid[]) ORDER BY system, value`;
const SELECT_OBSERVATIONS_BY_PATIENT_IDS = `
  SELECT id, patient_id, code_system, code, display, value, unit, original_value, original_unit,
         value_code_system, value_code, value_display, value_text, normalised, effective_at, flag, flag_reason
  FROM patient.observations WHERE patient_id = ANY($1::uuid[]) ORDER BY effective_at DESC, created_at DESC, id`;
const SELECT_CONDITIONS_BY_PATIENT_IDS = `
  SELECT id, patient_id, code_system, code, display, clinical_status, verification_status, onset_at, abatement_at, recorded_at
  FROM patient.conditions WHERE patient_id = ANY($1::uuid[]) ORDER BY onset_at DESC NULLS LAST, id`;
const SELECT_MEDICATIONS_BY_PATIENT_IDS = `
  SELECT id, patient_id, kind, code_system, code, display, status, authored_at, dosage
  FROM patient.medications WHERE patient_id = ANY($1::uuid[]) ORDER BY authored_at DESC NULLS LAST, id`;
const SELECT_ALLERGIES_BY_PATIENT_IDS = `
  SELECT id, patient_id, code_system, code, display, clinical_status, criticality, categories, recorded_at
  FROM patient.allergies WHERE patient_id = ANY($1::uuid[]) ORDER BY recorded_at DESC NULLS LAST, id`;
const SELECT_NOTES_BY_PATIENT_IDS = `
  SELECT id, patient_id, kind, title, content_type, text, authored_at
  FROM patient.notes WHERE patient_id = ANY($1::uuid[]) ORDER BY authored_at DESC NULLS LAST, id`;
/** Age in whole years today; `age()` counts calendar years and months, so it turns on the birthday. */
export const AGE_YEARS = `date_part('year', age(current_date, p.birth_date))::int`;
/**
 * "Latest" observation, as `Patient.observations` lists them (newest first): the order the observation
 * filter and the cohort's lab percentiles both use.
 */
export const LATEST_OBSERVATION_ORDER = `o.effective_at DESC, o.created_at DESC, o.id`;

/**
 * One predicate on `patient.patients p` per filter field, each with its own parameters numbered from
 * $1; patientFilterSql renumbers them as it ANDs the fields given. User values travel only as
 * parameters.
 */
const FILTER_PREDICATES = {
  identifier: `EXISTS (SELECT 1 FROM patient.identifiers i WHERE i.patient_id = p.id AND i.value = $1)`,
  birthDate: `p.birth_date = $1::date`,
  ageMin: `${AGE_YEARS} >= $1::int`,
  ageMax: `${AGE_YEARS} <= $1::int`,
  sex: `p.sex = $1::text`,
  condition: `EXISTS (SELECT 1 FROM patient.conditions c
    WHERE c.patient_id = p.id AND c.code = $1::text AND ($2::text IS NULL OR c.code_system = $2::text))`,
  // A coded (value-less) latest observation is out of every range; flagged values (unconverted or
  // implausible) are not compared: the latest usable one is.
  observation: `EXISTS (SELECT 1 FROM (
      SELECT o.value FROM patient.observations o
      WHERE o.patient_id = p.id AND o.code_system = 'http://loinc.org' AND o.code = $1::text AND o.flag IS NULL
      ORDER BY ${LATEST_OBSERVATION_ORDER} LIMIT 1) latest
    WHERE latest.value >= coalesce($2::float8, '-infinity') AND latest.value <= coalesce($3::float8, 'infinity'))`,
  // strpos, not ILIKE: a % or _ in the text is meant literally.
  hasMedication: `EXISTS (SELECT 1 FROM patient.medications m
    WHERE m.patient_id = p.id AND m.status = 'active'
      AND ((m.code_system = 'http://www.nlm.nih.gov/research/umls/rxnorm' AND m.code = $1::text)
        OR strpos(lower(m.display), lower($1::text)) > 0))`,
  organization: `p.managing_organization = $1::text`,
  patientIds: `p.id = ANY($1::uuid[])`,
  // The newest consent row is the current decision.
  researchConsented: `(SELECT rc.granted FROM patient.research_consents rc WHERE rc.patient_id = p.id ORDER BY rc.id DESC LIMIT 1) IS TRUE`,
};

/** A WHERE clause on `patient.patients p` built from FILTER_PREDICATES, and its parameters. */
export interface PatientFilterSql {
  where: string;
  params: unknown[];
}

/** The filter's predicates ANDed; `paramOffset` placeholders ($1..$paramOffset) come before them. */
export function patientFilterSql(criteria: PatientCriteria, paramOffset = 0): PatientFilterSql {
  const given = (value: unknown) => value !== null && value !== undefined;
  const predicates: [string, unknown[]][] = [];
  if (given(criteria.identifier)) predicates.push([FILTER_PREDICATES.identifier, [criteria.identifier]]);
  if (given(criteria.birthDate)) predicates.push([FILTER_PREDICATES.birthDate, [criteria.birthDate]]);
  if (given(criteria.ageMin)) predicates.push([FILTER_PREDICATES.ageMin, [criteria.ageMin]]);
  if (given(criteria.ageMax)) predicates.push([FILTER_PREDICATES.ageMax, [criteria.ageMax]]);
  if (given(criteria.sex)) predicates.push([FILTER_PREDICATES.sex, [criteria.sex]]);
  if (given(criteria.conditionCode)) {
    predicates.push([FILTER_PREDICATES.condition, [criteria.conditionCode, criteria.conditionSystem ?? null]]);
  }
  const observation = criteria.observation;
  if (observation) {
    predicates.push([FILTER_PREDICATES.observation, [observation.code, observation.min ?? null, observation.max ?? null]]);
  }
  if (given(criteria.hasMedication)) predicates.push([FILTER_PREDICATES.hasMedication, [criteria.hasMedication]]);
  if (given(criteria.organization)) predicates.push([FILTER_PREDICATES.organization, [criteria.organization]]);
  if (criteria.researchConsented) predicates.push([FILTER_PREDICATES.researchConsented, []]);
  if (criteria.patientIds) predicates.push([FILTER_PREDICATES.patientIds, [criteria.patientIds.filter(isHubId)]]);

  const params: unknown[] = [];
  const clauses = predicates.map(([sql, values]) => {
    const shift = paramOffset + params.length;
    params.push(...values);
    return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
  });
  return { where: clauses.length ? clauses.join('\n    AND ') : 'TRUE', params };
}

/** `filter` from patientFilterSql with paramOffset 0. */
const countPatients = (filter: PatientFilterSql) => `SELECT count(*) AS total FROM patient.patients p WHERE ${filter.where}`;
/** `filter` from patientFilterSql with paramOffset 2: $1 is the limit, $2 the id to start after. */
const selectPatientPage = (filter: PatientFilterSql) => `
  SELECT p.id, p.name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.sex, p.race, p.managing_organization
  FROM patient.patients p
  WHERE ($2::uuid IS NULL OR p.id > $2::uuid)
    AND ${filter.where}
  ORDER BY p.id LIMIT $1`;
const SELECT_PATIENT_EXISTS_FOR_UPDATE = `SELECT 1 FROM patient.patients WHERE id = $1 FOR SHARE`;
const INSERT_OBSERVATION = `
  INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at, display, normalised, flag, flag_reason, source_key)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  RETURNING id, effective_at`;
const SELECT_OBSERVATION_BY_SOURCE_KEY = `
  SELECT id, patient_id, code_system, code, display, value, unit, original_value, original_unit,
         value_code_system, value_code, value_display, value_text, normalised, effective_at, flag, flag_reason
  FROM patient.observations WHERE patient_id = $1 AND source_key = $2`;
/**
 * Where an API write's idempotency key is kept: the observation's source_key, which FHIR ingests fill
 * with `Observation/<id>` and device streams with their own prefix, so no key can meet an ingested row.
 */
const idempotencySourceKey = (key: string) => `api-idempotency:${key}`;

/** An API write made safe to retry (ObservationInput.idempotencyKey). */
export interface IdempotentWrite {
  key: string;
  /** The request named its time; otherwise "now" differs between a request and its retry and is not compared. */
  effectiveAtGiven: boolean;
}

export interface PatientRow {
  id: string;
  name: string;
  birth_date: string | null;
  sex: Sex | null;
  race: string | null;
  managing_organization: string | null;
}

export const toPatient = (row: PatientRow): PatientRecord => ({
  id: row.id,
  name: row.name,
  birthDate: row.birth_date,
  sex: row.sex,
  race: row.race,
  organization: row.managing_organization,
});

function groupBy<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const byId = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(key(row))?.push(row);
  return ids.map((id) => byId.get(id) ?? []);
}

export class PostgresPatientRepository implements PatientRepository {
  private readonly names: PatientNameSearch;

  constructor(private readonly pool: Pool) {
    this.names = new PatientNameSearch(pool);
  }

  foldSearchWords(words: readonly string[]): Promise<string[]> {
    return this.names.foldWords(words);
  }

  searchByName(search: NameSearch, filter: PatientCriteria, first: number, after: NameCursor | null): Promise<NameSearchPage> {
    return this.names.page(search, filter, first, after);
  }

  countByName(search: NameSearch, filter: PatientCriteria): Promise<number> {
    return this.names.count(search, filter);
  }

  async pagePatients(filter: PatientCriteria, first: number, afterId: string | null): Promise<Omit<PatientPage, 'totalCount'>> {
    const pageFilter = patientFilterSql(filter, 2);
    const page = await this.pool.query<PatientRow>(selectPatientPage(pageFilter), [first + 1, afterId, ...pageFilter.params]);
    return { patients: page.rows.slice(0, first).map(toPatient), hasNextPage: page.rows.length > first };
  }

  async countPatients(filter: PatientCriteria): Promise<number> {
    const countFilter = patientFilterSql(filter);
    const count = await this.pool.query<{ total: string }>(countPatients(countFilter), countFilter.params);
    return Number(count.rows[0]?.total ?? 0);
  }

  async createPatient(input: NewPatient): Promise<PatientRecord> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<PatientRow>(INSERT_PATIENT, [input.name, input.birthDate, input.sex, input.race, input.organization ?? null]);
      const patient = toPatient(rows[0]!);
      for (const identifier of input.identifiers) {
        await this.insertIdentifier(client, identifier, patient.id, patient.organization);
      }
      return patient;
    });
  }

  private async insertIdentifier(client: PoolClient, identifier: { system: string; value: string }, patientId: string, organisation: string | null) {
    try {
      await client.query(INSERT_IDENTIFIER, [identifier.system, identifier.value, patientId]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        // Identifiers are unique per organisation only: this names the caller's own (or, for an admin,
        // the one it writes into), never another organisation's patient.
        throw new HubError(
          ErrorCode.IDENTIFIER_IN_USE,
          `identifiers: ${identifier.system}|${identifier.value} already names another patient of ${organisation === null ? 'no organisation' : `organisation ${organisation}`}`,
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
    const { rows } = await this.pool.query<{ patient_id: string; system: string; value: string; type_code: string | null }>(
      SELECT_IDENTIFIERS_BY_PATIENT_IDS,
      [ids.filter(isHubId)],
    );
    const records = rows.map((r) => ({ patientId: r.patient_id, system: r.system, value: r.value, type: r.type_code }));
    return groupBy(ids, records, (r) => r.patientId);
  }

  async observationsByPatientIds(ids: readonly string[]): Promise<ObservationRecord[][]> {
    const { rows } = await this.pool.query<ObservationRow>(SELECT_OBSERVATIONS_BY_PATIENT_IDS, [ids.filter(isHubId)]);
    return groupBy(ids, rows.map(toObservation), (r) => r.patientId);
  }

  private async byPatient<Row extends { patient_id: string }, T extends { patientId: string }>(
    sql: string,
    ids: readonly string[],
    map: (row: Row) => T,
  ): Promise<T[][]> {
    const { rows } = await this.pool.query<Row>(sql, [ids.filter(isHubId)]);
    return groupBy(ids, rows.map(map), (r) => r.patientId);
  }

  conditionsByPatientIds(ids: readonly string[]) {
    return this.byPatient(SELECT_CONDITIONS_BY_PATIENT_IDS, ids, (r: ClinicalRow) => ({
      id: r.id,
      patientId: r.patient_id,
      code: coding(r.code_system, r.code, r.display),
      clinicalStatus: r.clinical_status,
      verificationStatus: r.verification_status,
      onsetAt: iso(r.onset_at),
      abatementAt: iso(r.abatement_at),
      recordedAt: iso(r.recorded_at),
    }));
  }

  medicationsByPatientIds(ids: readonly string[]) {
    return this.byPatient(SELECT_MEDICATIONS_BY_PATIENT_IDS, ids, (r: ClinicalRow) => ({
      id: r.id,
      patientId: r.patient_id,
      kind: r.kind as MedicationRecord['kind'],
      code: coding(r.code_system, r.code, r.display),
      status: r.status,
      authoredAt: iso(r.authored_at),
      dosage: r.dosage,
    }));
  }

  allergiesByPatientIds(ids: readonly string[]) {
    return this.byPatient(SELECT_ALLERGIES_BY_PATIENT_IDS, ids, (r: ClinicalRow) => ({
      id: r.id,
      patientId: r.patient_id,
      code: coding(r.code_system, r.code, r.display),
      clinicalStatus: r.clinical_status,
      criticality: r.criticality,
      categories: r.categories ?? [],
      recordedAt: iso(r.recorded_at),
    }));
  }

  notesByPatientIds(ids: readonly string[]) {
    return this.byPatient(SELECT_NOTES_BY_PATIENT_IDS, ids, (r: ClinicalRow) => ({
      id: r.id,
      patientId: r.patient_id,
      kind: r.kind!,
      title: r.title,
      contentType: r.content_type!,
      text: r.text!,
      authoredAt: iso(r.authored_at),
    }));
  }

  async listPatients(filter: PatientCriteria, first: number, afterId: string | null): Promise<PatientPage> {
    // Keyset pagination on the hub id: stable under concurrent inserts, no OFFSET scans.
    const pageFilter = patientFilterSql(filter, 2);
    const countFilter = patientFilterSql(filter);
    const [page, count] = await Promise.all([
      this.pool.query<PatientRow>(selectPatientPage(pageFilter), [first + 1, afterId, ...pageFilter.params]),
      this.pool.query<{ total: string }>(countPatients(countFilter), countFilter.params),
    ]);
    return {
      patients: page.rows.slice(0, first).map(toPatient),
      totalCount: Number(count.rows[0]?.total ?? 0),
      hasNextPage: page.rows.length > first,
    };
  }

  async addObservation(patientId: string, quantity: NormalisedQuantity, effectiveAt: Date, idempotent?: IdempotentWrite): Promise<ObservationRecord> {
    // API writes carry no FHIR provenance: source_key stays null (every call stores a reading) unless the
    // caller gave an idempotency key, which is kept there under a prefix no ingest uses.
    if (!isHubId(patientId)) throw patientNotFound(patientId);
    const sourceKey = idempotent ? idempotencySourceKey(idempotent.key) : null;
    return inTransaction(this.pool, async (client) => {
      const exists = await client.query(SELECT_PATIENT_EXISTS_FOR_UPDATE, [patientId]);
      if (!exists.rowCount) throw patientNotFound(patientId);
      if (sourceKey !== null) {
        // The patient row is locked: a request and its retry are serialised here, so the second sees the first's row.
        const stored = await client.query<ObservationRow>(SELECT_OBSERVATION_BY_SOURCE_KEY, [patientId, sourceKey]);
        if (stored.rows[0]) return sameWriteOrRefuse(stored.rows[0], quantity, effectiveAt, idempotent!);
      }
      const { rows } = await client.query<{ id: string; effective_at: Date }>(INSERT_OBSERVATION, [
        patientId,
        quantity.code,
        quantity.value,
        quantity.unit,
        quantity.originalValue,
        quantity.originalUnit,
        effectiveAt,
        quantity.display,
        quantity.normalised,
        quantity.flag,
        quantity.flagReason,
        sourceKey,
      ]);
      const row = rows[0]!;
      await announce(client, 'patient.outbox', PatientTopic.OBSERVATION_ADDED, patientId, { observationId: row.id, code: quantity.code });
      return {
        id: row.id,
        patientId,
        codeSystem: 'http://loinc.org',
        code: quantity.code,
        display: quantity.display,
        value: quantity.value,
        unit: quantity.unit,
        originalValue: quantity.originalValue,
        originalUnit: quantity.originalUnit,
        valueCode: null,
        valueString: null,
        normalised: quantity.normalised,
        flag: quantity.flag,
        excludedReason: quantity.flagReason,
        effectiveAt: row.effective_at.toISOString(),
      };
    });
  }
}

/**
 * A stored write under the same idempotency key: the same reading again answers with the stored one
 * (nothing written, no event); a different one is refused, since one key names one write.
 */
function sameWriteOrRefuse(stored: ObservationRow, quantity: NormalisedQuantity, effectiveAt: Date, idempotent: IdempotentWrite): ObservationRecord {
  const differences = [
    stored.code !== quantity.code && 'code',
    (stored.original_value ?? stored.value) !== quantity.originalValue && 'value',
    (stored.original_unit ?? stored.unit) !== quantity.originalUnit && 'unit',
    idempotent.effectiveAtGiven && stored.effective_at.getTime() !== effectiveAt.getTime() && 'effectiveAt',
  ].filter((field): field is string => typeof field === 'string');
  if (differences.length) {
    throw new HubError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      `input.idempotencyKey "${idempotent.key}" already stored observation ${stored.id} for this patient with another ${differences.join(', ')}: use a new key for a new reading`,
      { field: 'input.idempotencyKey' },
    );
  }
  return toObservation(stored);
}

export function patientNotFound(patientId: string): HubError {
  return new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found: create it first or check the hub id`, {
    field: 'patientId',
  });
}

interface ObservationRow {
  id: string;
  patient_id: string;
  code_system: string;
  code: string;
  display: string | null;
  value: number | null;
  unit: string | null;
  original_value: number | null;
  original_unit: string | null;
  value_code_system: string | null;
  value_code: string | null;
  value_display: string | null;
  value_text: string | null;
  normalised: boolean;
  effective_at: Date;
  flag: ObservationFlag | null;
  flag_reason: string | null;
}

/** The columns the clinical tables share or have alone; each mapper reads its own. */
interface ClinicalRow {
  id: string;
  patient_id: string;
  code_system: string;
  code: string;
  display: string | null;
  clinical_status: string | null;
  verification_status: string | null;
  onset_at: Date | null;
  abatement_at: Date | null;
  recorded_at: Date | null;
  kind: string | null;
  status: string | null;
  authored_at: Date | null;
  dosage: string | null;
  criticality: string | null;
  categories: string[] | null;
  title: string | null;
  content_type: string | null;
  text: string | null;
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;
const coding = (system: string, code: string, display: string | null): CodingRecord => ({ system, code, display });

function toObservation(row: ObservationRow): ObservationRecord {
  return {
    id: row.id,
    patientId: row.patient_id,
    codeSystem: row.code_system,
    code: row.code,
    display: row.display ?? LOINC_CATALOGUE.get(row.code)?.display ?? row.code,
    value: row.value,
    unit: row.unit,
    originalValue: row.original_value,
    originalUnit: row.original_unit,
    valueCode: row.value_code ? coding(row.value_code_system ?? '', row.value_code, row.value_display) : null,
    valueString: row.value_text,
    normalised: row.normalised,
    flag: row.flag,
    excludedReason: row.flag_reason,
    effectiveAt: row.effective_at.toISOString(),
  };
}
