import type { ObservationFlag } from '../../../lib/loinc-catalogue';

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
  identifiers: { system: string; value: string }[];
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
  normalised: boolean;
  /** Why the value is kept out of calculations (lib/loinc-catalogue.ts ObservationFlag); null when usable. */
  flag: ObservationFlag | null;
  flagReason: string | null;
  effectiveAt: string;
}

export interface ConditionRow extends ClinicalRow {
  codeSystem: string;
  code: string;
  display: string | null;
  clinicalStatus: string | null;
  onsetAt: string | null;
  abatementAt: string | null;
  recordedAt: string | null;
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

export interface IngestReject {
  /** `<ResourceType>/<id>`, or `Bundle` / `Bundle.entry[n]` when the resource cannot be named. */
  resource: string;
  field: string;
  reason: string;
}

/** What an ingest warning is about; the value was stored. */
export const IngestWarningCode = {
  /** The sent unit lacks an annotation of the canonical unit (eGFR in mL/min): converted, usable. */
  UNIT_ANNOTATION_ASSUMED: 'UNIT_ANNOTATION_ASSUMED',
  /** A known LOINC code in a unit that does not convert: stored as sent, kept out of calculations. */
  UNIT_NOT_CONVERTIBLE: 'UNIT_NOT_CONVERTIBLE',
  /** Outside the code's plausible range: stored, kept out of calculations. */
  IMPLAUSIBLE_VALUE: 'IMPLAUSIBLE_VALUE',
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

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  usCoreRace: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
} as const;
