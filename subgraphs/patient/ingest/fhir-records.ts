import { CODE_SYSTEMS } from '../../../lib/contracts/reference/code-systems';
import type { ObservationFlag } from '../../../lib/contracts/reference/loinc-catalogue';

/** What one FHIR bundle becomes: rows ready to store, keyed by the bundle's own patient reference. */
export interface PatientData {
  /** The bundle's reference to this patient (fullUrl or `Patient/<id>`). */
  ref: string;
  sourceKey: string;
  name: string;
  birthDate: string | null;
  sex: 'female' | 'male' | 'other' | 'unknown' | null;
  race: string | null;
  address: Record<string, unknown> | null;
  phone: string | null;
  /** Patient.managingOrganization: the Organization's id, identifier value or display. */
  organization: string | null;
  /** `type`: the HL7 v2-0203 code of Identifier.type, when it came with one (domain/identifier-kinds.ts). */
  identifiers: { system: string; value: string; type: string | null }[];
}

interface ClinicalRow {
  /** Reference to the patient within the bundle. */
  patientRef: string;
  /** The source Patient (`Patient/<id>`) the record came with; what unlinking moves by. */
  sourcePatient: string;
  /** `<ResourceType>/<id>` of the source resource, the key that makes re-ingest idempotent. */
  sourceKey: string;
}

export interface ObservationRow extends ClinicalRow {
  codeSystem: string;
  code: string;
  display: string | null;
  value: number | null;
  unit: string | null;
  originalValue: number | null;
  originalUnit: string | null;
  valueCodeSystem: string | null;
  valueCode: string | null;
  valueDisplay: string | null;
  /** Observation.valueString as sent; value stays null, so no calculation reads it. */
  valueText: string | null;
  normalised: boolean;
  /** Why the value is kept out of calculations (lib/contracts/reference/loinc-catalogue.ts ObservationFlag); null when usable. */
  flag: ObservationFlag | null;
  flagReason: string | null;
  effectiveAt: string;
}

export interface ConditionRow extends ClinicalRow {
  codeSystem: string;
  code: string;
  display: string | null;
  clinicalStatus: string | null;
  /** FHIR condition-ver-status code (confirmed, refuted, entered-in-error, ...); null when the record says none. */
  verificationStatus: string | null;
  onsetAt: string | null;
  abatementAt: string | null;
  recordedAt: string | null;
}

/** A FHIR Procedure: what was done (or not done) and when; revascularisation counts as established ASCVD. */
export interface ProcedureRow extends ClinicalRow {
  codeSystem: string;
  code: string;
  display: string | null;
  /** FHIR event-status; never entered-in-error (those are skipped). */
  status: string;
  /** performedDateTime, or performedPeriod.start; null when the record gives neither. */
  performedAt: string | null;
}

export interface MedicationRow extends ClinicalRow {
  kind: 'MedicationRequest' | 'MedicationStatement';
  codeSystem: string;
  code: string;
  display: string | null;
  status: string | null;
  authoredAt: string | null;
  dosage: string | null;
}

export interface AllergyRow extends ClinicalRow {
  codeSystem: string;
  code: string;
  display: string | null;
  clinicalStatus: string | null;
  criticality: string | null;
  categories: string[];
  recordedAt: string | null;
}

export interface NoteRow extends ClinicalRow {
  kind: 'DocumentReference' | 'DiagnosticReport';
  title: string | null;
  contentType: string;
  text: string;
  authoredAt: string | null;
}

export interface ImagingStudyRow extends ClinicalRow {
  studyUid: string | null;
  status: string | null;
  modalities: string[];
  bodySites: string[];
  seriesCount: number | null;
  instanceCount: number | null;
  startedAt: string | null;
  description: string | null;
  reportText: string | null;
}

/**
 * Why an ingest path refused a resource (or a bundle, a line, a file): the `code` of an IngestReject.
 * Clients branch on the code and show the reason; the codes shared with GraphQL errors
 * (IMPOSSIBLE_VALUE) mean the same as there (lib/errors.ts).
 */
export const IngestRejectCode = {
  /** Not JSON at all (the ingest CLI's files and NDJSON lines). */
  INVALID_JSON: 'INVALID_JSON',
  /** The bundle itself: not a Bundle, a type the hub does not ingest, an entry without a resource. */
  INVALID_BUNDLE: 'INVALID_BUNDLE',
  /** Not what this path takes (a device feed line that is not an Observation). */
  WRONG_RESOURCE_TYPE: 'WRONG_RESOURCE_TYPE',
  /** Fails the FHIR R4 JSON Schema: element type, format, a required binding, an unknown element. */
  INVALID_FHIR: 'INVALID_FHIR',
  /** An element the hub needs is absent or empty (a name, an identifier, a coding, a value, a unit, an id). */
  MISSING_ELEMENT: 'MISSING_ELEMENT',
  /** A code outside its required value set (administrative-gender). */
  INVALID_CODE: 'INVALID_CODE',
  /** A date that is not a calendar date, before 1900 or in the future (domain/clinical-time.ts). */
  INVALID_DATE: 'INVALID_DATE',
  /** A reference that does not resolve in the bundle, or points at the wrong resource type. */
  UNRESOLVED_REFERENCE: 'UNRESOLVED_REFERENCE',
  /** The same Type/id twice with different content. */
  DUPLICATE_RESOURCE: 'DUPLICATE_RESOURCE',
  /** Two entries behind one fullUrl. */
  DUPLICATE_FULL_URL: 'DUPLICATE_FULL_URL',
  /** Text longer than its limit (domain/text-limits.ts). */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** A NUL byte or another control character where text belongs. */
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  /** An attachment that is not base64 UTF-8 text. */
  INVALID_ENCODING: 'INVALID_ENCODING',
  /** A quantity whose display unit and UCUM code name different units. */
  UNIT_CONFLICT: 'UNIT_CONFLICT',
  /** Physically impossible for its LOINC code (lib/contracts/reference/loinc-catalogue.ts), as ErrorCode.IMPOSSIBLE_VALUE. */
  IMPOSSIBLE_VALUE: 'IMPOSSIBLE_VALUE',
  /** Not a finite number, or one that overflows once converted to the canonical unit. */
  NON_FINITE_VALUE: 'NON_FINITE_VALUE',
  /** Clinical resources and no Patient to hold them. */
  MISSING_PATIENT: 'MISSING_PATIENT',
  /** The Patient's identifiers name more than one hub patient. */
  IDENTIFIER_CONFLICT: 'IDENTIFIER_CONFLICT',
} as const;
export type IngestRejectCode = (typeof IngestRejectCode)[keyof typeof IngestRejectCode];

export interface IngestReject {
  /** `<ResourceType>/<id>`, or `Bundle` / `Bundle.entry[n]` when the resource cannot be named. */
  resource: string;
  field: string;
  reason: string;
  code: IngestRejectCode;
}

/** What an ingest warning is about; the value was stored. */
export const IngestWarningCode = {
  /** The sent unit lacks an annotation of the canonical unit (eGFR in mL/min): converted, usable. */
  UNIT_ANNOTATION_ASSUMED: 'UNIT_ANNOTATION_ASSUMED',
  /** A known LOINC code in a unit that does not convert: stored as sent, kept out of calculations. */
  UNIT_NOT_CONVERTIBLE: 'UNIT_NOT_CONVERTIBLE',
  /** Outside the code's plausible range: stored, kept out of calculations. */
  IMPLAUSIBLE_VALUE: 'IMPLAUSIBLE_VALUE',
  /**
   * A value[x] type FHIR R4 allows that the hub does not store (valueBoolean, valueInteger, valueRange,
   * valueRatio, valueSampledData, valueTime, valueDateTime, valuePeriod): that value is left out, the
   * rest of the record is stored.
   */
  UNSUPPORTED_VALUE_TYPE: 'UNSUPPORTED_VALUE_TYPE',
} as const;
export type IngestWarningCode = (typeof IngestWarningCode)[keyof typeof IngestWarningCode];

/** Stored, with something the sender should know. */
export interface IngestWarning {
  resource: string;
  field: string;
  reason: string;
  code: IngestWarningCode;
}

export interface ParsedBundle {
  patients: PatientData[];
  observations: ObservationRow[];
  conditions: ConditionRow[];
  procedures: ProcedureRow[];
  medications: MedicationRow[];
  allergies: AllergyRow[];
  notes: NoteRow[];
  imagingStudies: ImagingStudyRow[];
  rejects: IngestReject[];
  warnings: IngestWarning[];
  /** Resource types the hub does not ingest (yet), with counts. */
  skippedTypes: Record<string, number>;
  /** Resources skipped on purpose (entered-in-error, exact duplicates within the bundle, ...). */
  skipped: number;
}

/** The code systems the hub ingests (lib/contracts/reference/code-systems.ts, shared with inference). */
export const SYSTEMS = CODE_SYSTEMS;
