import type {
  AllergyIntolerance,
  Bundle,
  CodeableConcept,
  Coding,
  Condition,
  DiagnosticReport,
  DocumentReference,
  ImagingStudy,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { HubError } from '../../../lib/errors';
import { LOINC_CATALOGUE, normaliseQuantity, unitConversion } from '../domain/loinc';
import { ObservationFlag } from '../../../lib/contracts/reference/loinc-catalogue';
import { clinicalInstant } from '../domain/clinical-time';
import { MAX_IDENTIFIER_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_TITLE_LENGTH, MAX_OBSERVATION_TEXT_LENGTH, noteTextCheck, nulPath, textCheck } from '../domain/text-limits';
import { ErrorCode } from '../../../lib/errors';
import { recordedIdentifierType } from '../domain/identifier-kinds';
import {
  SYSTEMS,
  type AllergyRow,
  type ConditionRow,
  type ImagingStudyRow,
  IngestRejectCode,
  IngestWarningCode,
  type IngestReject,
  type IngestWarning,
  type MedicationRow,
  type NoteRow,
  type ObservationRow,
  type ParsedBundle,
  type ProcedureRow,
  type PatientData,
} from './fhir-records';

/** Resource types the hub ingests; anything else is counted and skipped. */
export const INGESTED_TYPES = new Set([
  'Patient',
  'Observation',
  'Condition',
  'Procedure',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'AllergyIntolerance',
  'DocumentReference',
  'DiagnosticReport',
  'ImagingStudy',
]);

export type ResourceValidator = (resource: Resource, name: string) => IngestReject[];

class Reject extends Error {
  constructor(
    readonly resource: string,
    readonly field: string,
    reason: string,
    readonly code: IngestRejectCode,
  ) {
    super(reason);
  }

  toReject(): IngestReject {
    return { resource: this.resource, field: this.field, reason: this.message, code: this.code };
  }
}

/** A NUL byte anywhere in a resource: PostgreSQL text cannot hold it, so the reject names where it is. */
const nulReject = (resource: unknown, name: string): IngestReject => ({
  resource: name,
  field: nulPath(resource) ?? 'resource',
  reason: 'contains a NUL character',
  code: IngestRejectCode.CONTROL_CHARACTER,
});

const OMB_RACE: Record<string, string> = {
  '2106-3': 'white',
  '2054-5': 'black-or-african-american',
  '2028-9': 'asian',
  '1002-5': 'american-indian-or-alaska-native',
  '2076-8': 'native-hawaiian-or-other-pacific-islander',
  '2131-1': 'other',
};

/**
 * FHIR dateTime → ISO instant. A date without a time is taken as midnight UTC; a time always carries
 * its zone in valid FHIR. A year or year-month alone is its first day. Checked strictly
 * (domain/clinical-time.ts): a calendar date, 1900 to now (plus clock skew).
 */
export function toInstant(value: string | undefined, name: string, field: string): string | null {
  if (value === undefined) return null;
  const normalised = /^\d{4}$/.test(value) ? `${value}-01-01` : /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  const checked = clinicalInstant(normalised);
  if ('problem' in checked) throw new Reject(name, field, checked.problem, IngestRejectCode.INVALID_DATE);
  return checked.instant.toISOString();
}

/** The coding to keep: the first from a preferred system, else the first with a system and code. */
function pickCoding(concept: CodeableConcept | undefined, preferred: readonly string[]): Coding | undefined {
  const codings = (concept?.coding ?? []).filter((c) => c.system && c.code);
  for (const system of preferred) {
    const hit = codings.find((c) => c.system === system);
    if (hit) return hit;
  }
  return codings[0];
}

function requireCoding(concept: CodeableConcept | undefined, preferred: readonly string[], name: string, field: string): Coding {
  const coding = pickCoding(concept, preferred);
  if (!coding?.system || !coding.code) throw new Reject(name, field, 'no coding with a system and a code', IngestRejectCode.MISSING_ELEMENT);
  return coding;
}

const statusCode = (concept: CodeableConcept | undefined) => concept?.coding?.[0]?.code ?? null;
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function humanName(patient: Patient): string {
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return '';
  return collapse(name.text ?? [...(name.given ?? []), name.family ?? ''].join(' '));
}

function raceOf(patient: Patient): string | null {
  const race = patient.extension?.find((e) => e.url === SYSTEMS.usCoreRace);
  const omb = race?.extension?.find((e) => e.url === 'ombCategory')?.valueCoding?.code;
  return omb ? (OMB_RACE[omb] ?? 'other') : null;
}

export interface DeviceObservations {
  rows: ObservationRow[];
  rejects: IngestReject[];
  warnings: IngestWarning[];
  skipped: number;
}

/**
 * Maps a stream of device Observations (NDJSON from wearables) for one known patient. Unlike a
 * bundle, each reading stands alone: a bad one is rejected and counted, the others are kept. The
 * full StructureDefinition validation is left out on this path (it costs ~0.1 ms a resource, the
 * whole budget at 10,000 readings/s); every element the hub stores is still checked here.
 */
export function parseDeviceObservations(resources: unknown[], sourcePatient: string): DeviceObservations {
  const result: DeviceObservations = { rows: [], rejects: [], warnings: [], skipped: 0 };
  const seen = new Set<string>();
  resources.forEach((input, index) => {
    const resource = input as Observation;
    const name = `Observation/${resource?.id ?? `line-${index + 1}`}`;
    if (!resource || typeof resource !== 'object' || resource.resourceType !== 'Observation') {
      result.rejects.push({
        resource: `line ${index + 1}`,
        field: 'resourceType',
        reason: `expected an Observation, got ${String(resource?.resourceType ?? typeof input)}`,
        code: IngestRejectCode.WRONG_RESOURCE_TYPE,
      });
      return;
    }
    if (!resource.id) {
      result.rejects.push({ resource: name, field: 'id', reason: 'a device reading needs an id, the key that makes re-sending it harmless', code: IngestRejectCode.MISSING_ELEMENT });
      return;
    }
    // As in a bundle: PostgreSQL text cannot hold NUL, so name where it is instead of failing internally.
    if (JSON.stringify(resource).includes('\\u0000')) {
      result.rejects.push(nulReject(resource, name));
      return;
    }
    if (resource.status === 'entered-in-error' || seen.has(name)) {
      result.skipped += 1;
      return;
    }
    seen.add(name);
    try {
      const warnings: IngestWarning[] = [];
      result.rows.push(...observationRows(resource, name, { patientRef: sourcePatient, sourcePatient }, warnings));
      result.warnings.push(...warnings);
    } catch (error) {
      if (error instanceof Reject) result.rejects.push(error.toReject());
      else throw error;
    }
  });
  return result;
}

/** How rejects name a resource: `Type/id`, else by its fullUrl or entry position. */
export const resourceName = (resource: Resource, fullUrl: string | undefined, index: number): string =>
  `${resource.resourceType}/${resource.id ?? fullUrl ?? `entry-${index}`}`;

/** Maps one bundle to rows. Validation and every reject happen here, before anything is written. */
export function parseBundle(input: unknown, validate: ResourceValidator): ParsedBundle {
  const parsed: ParsedBundle = {
    patients: [],
    observations: [],
    conditions: [],
    procedures: [],
    medications: [],
    allergies: [],
    notes: [],
    imagingStudies: [],
    rejects: [],
    warnings: [],
    skippedTypes: {},
    skipped: 0,
  };
  if (!input || typeof input !== 'object' || (input as Resource).resourceType !== 'Bundle') {
    const got = input && typeof input === 'object' ? String((input as Resource).resourceType) : typeof input;
    parsed.rejects.push({ resource: 'Bundle', field: 'resourceType', reason: `expected a FHIR Bundle, got ${got}`, code: IngestRejectCode.INVALID_BUNDLE });
    return parsed;
  }
  const bundle = input as Bundle;
  if (bundle.type !== 'transaction' && bundle.type !== 'collection' && bundle.type !== 'batch' && bundle.type !== 'searchset') {
    parsed.rejects.push({
      resource: 'Bundle',
      field: 'type',
      reason: `"${bundle.type}" bundles are not ingested (transaction, batch, collection or searchset)`,
      code: IngestRejectCode.INVALID_BUNDLE,
    });
    return parsed;
  }

  // Index every resource by the references that may point at it: its fullUrl and Type/id.
  const byRef = new Map<string, Resource>();
  const seen = new Map<string, string>();
  const resources: { resource: Resource; name: string }[] = [];
  (bundle.entry ?? []).forEach((entry, index) => {
    const resource = entry.resource;
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
      parsed.rejects.push({ resource: `Bundle.entry[${index}]`, field: 'resource', reason: 'entry has no resource', code: IngestRejectCode.INVALID_BUNDLE });
      return;
    }
    const name = resourceName(resource, entry.fullUrl, index);
    const json = JSON.stringify(resource);
    // PostgreSQL text cannot hold NUL: name where it is rather than fail the bundle as an internal error.
    if (json.includes('\\u0000')) {
      parsed.rejects.push(nulReject(resource, name));
      return;
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      if (previous === json) parsed.skipped += 1;
      else parsed.rejects.push({ resource: name, field: 'id', reason: 'appears twice in the bundle with different content', code: IngestRejectCode.DUPLICATE_RESOURCE });
      return;
    }
    seen.set(name, json);
    if (entry.fullUrl && byRef.has(entry.fullUrl)) {
      // Two resources behind one fullUrl: references to it would land on whichever came last.
      parsed.rejects.push({ resource: name, field: 'fullUrl', reason: `"${entry.fullUrl}" is the fullUrl of another entry too`, code: IngestRejectCode.DUPLICATE_FULL_URL });
      return;
    }
    if (entry.fullUrl) byRef.set(entry.fullUrl, resource);
    if (resource.id) byRef.set(`${resource.resourceType}/${resource.id}`, resource);
    resources.push({ resource, name });
  });

  const patientRefs = new Map<Resource, string>();
  for (const [ref, resource] of byRef) if (resource.resourceType === 'Patient' && !patientRefs.has(resource)) patientRefs.set(resource, ref);

  const patientNames = new Map(resources.filter((r) => r.resource.resourceType === 'Patient').map((r) => [r.resource, r.name]));
  const subjectOf = (reference: Reference | undefined, name: string, field: string): Subject => {
    const target = reference?.reference ? byRef.get(reference.reference) : undefined;
    if (!reference?.reference) throw new Reject(name, field, 'no patient reference', IngestRejectCode.MISSING_ELEMENT);
    if (!target) throw new Reject(name, field, `reference "${reference.reference}" does not resolve in the bundle`, IngestRejectCode.UNRESOLVED_REFERENCE);
    if (target.resourceType !== 'Patient') {
      throw new Reject(name, field, `reference "${reference.reference}" is a ${target.resourceType}, not a Patient`, IngestRejectCode.UNRESOLVED_REFERENCE);
    }
    return { patientRef: patientRefs.get(target)!, sourcePatient: patientNames.get(target)! };
  };

  for (const { resource, name } of resources) {
    if (!INGESTED_TYPES.has(resource.resourceType)) {
      parsed.skippedTypes[resource.resourceType] = (parsed.skippedTypes[resource.resourceType] ?? 0) + 1;
      continue;
    }
    const problems = validate(resource, name);
    if (problems.length) {
      parsed.rejects.push(...problems);
      continue;
    }
    try {
      mapResource(resource, name, parsed, { subjectOf, byRef, patientRef: patientRefs.get(resource) });
    } catch (error) {
      if (error instanceof Reject) parsed.rejects.push(error.toReject());
      else throw error;
    }
  }
  return parsed;
}

interface Subject {
  patientRef: string;
  sourcePatient: string;
}

interface MappingContext {
  subjectOf(reference: Reference | undefined, name: string, field: string): Subject;
  byRef: Map<string, Resource>;
  patientRef: string | undefined;
}

function mapResource(resource: Resource, name: string, parsed: ParsedBundle, ctx: MappingContext): void {
  const status = (resource as { status?: string }).status;
  if (status === 'entered-in-error') {
    parsed.skipped += 1;
    return;
  }
  switch (resource.resourceType) {
    case 'Patient':
      parsed.patients.push(mapPatient(resource, name, ctx.patientRef!));
      return;
    case 'Observation':
      parsed.observations.push(...mapObservation(resource, name, ctx, parsed.warnings));
      return;
    case 'Condition':
      parsed.conditions.push(mapCondition(resource, name, ctx));
      return;
    case 'Procedure':
      parsed.procedures.push(mapProcedure(resource, name, ctx));
      return;
    case 'MedicationRequest':
    case 'MedicationStatement':
      parsed.medications.push(mapMedication(resource, name, ctx));
      return;
    case 'Medication':
      return; // read through the references of MedicationRequest/MedicationStatement
    case 'AllergyIntolerance':
      parsed.allergies.push(mapAllergy(resource, name, ctx));
      return;
    case 'ImagingStudy':
      parsed.imagingStudies.push(mapImagingStudy(resource, name, ctx));
      return;
    case 'DocumentReference':
    case 'DiagnosticReport': {
      const note = mapNote(resource, name, ctx);
      if (note) parsed.notes.push(note);
      else parsed.skipped += 1;
      return;
    }
  }
}

/** FHIR administrative-gender, a required binding the structural validator does not check. */
const ADMINISTRATIVE_GENDER = new Set(['male', 'female', 'other', 'unknown']);

function mapPatient(patient: Patient, name: string, ref: string): PatientData {
  if (patient.gender !== undefined && !ADMINISTRATIVE_GENDER.has(patient.gender)) {
    throw new Reject(name, 'gender', `"${patient.gender}" is not an administrative-gender code (male, female, other, unknown)`, IngestRejectCode.INVALID_CODE);
  }
  const displayName = humanName(patient);
  if (!displayName) throw new Reject(name, 'name', 'no name', IngestRejectCode.MISSING_ELEMENT);
  const nameProblem = textCheck(displayName, MAX_NAME_LENGTH);
  if (nameProblem) throw new Reject(name, 'name', nameProblem.problem, nameProblem.kind);
  const birthDate = patient.birthDate ? toInstant(patient.birthDate, name, 'birthDate')!.slice(0, 10) : null;
  const identifiers = (patient.identifier ?? [])
    .filter((i) => i.value && i.value.trim())
    .map((i) => ({ system: i.system?.trim() || 'urn:precision-hub:unspecified-system', value: i.value!.trim(), type: recordedIdentifierType(i.type) }));
  if (!identifiers.length) throw new Reject(name, 'identifier', 'no identifier: re-ingest could not find this patient again', IngestRejectCode.MISSING_ELEMENT);
  identifiers.forEach((identifier, index) => {
    const problem = textCheck(identifier.system, MAX_IDENTIFIER_LENGTH) ?? textCheck(identifier.value, MAX_IDENTIFIER_LENGTH);
    if (problem) throw new Reject(name, `identifier[${index}]`, problem.problem, problem.kind);
  });
  const address = patient.address?.[0];
  const phone = patient.telecom?.find((t) => t.system === 'phone' && t.value)?.value ?? null;
  return {
    ref,
    sourceKey: name,
    name: displayName,
    birthDate,
    sex: patient.gender ?? null,
    race: raceOf(patient),
    address: address
      ? { line: address.line ?? [], city: address.city ?? null, state: address.state ?? null, postalCode: address.postalCode ?? null, country: address.country ?? null }
      : null,
    phone: phone ? phone.replace(/[^\d+]/g, '') : null,
    organization: organisationOf(patient.managingOrganization),
    identifiers,
  };
}

/** `Organization/<id>` → id; else the reference's identifier value or display. */
function organisationOf(reference: Patient['managingOrganization']): string | null {
  const id = reference?.reference?.match(/(?:^|\/)Organization\/([^/]+)$/)?.[1];
  return id ?? (reference?.identifier?.value?.trim() || reference?.display?.trim() || null);
}

function effectiveOf(o: Observation, name: string): string {
  const value = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued;
  const instant = toInstant(value, name, 'effective[x]');
  if (!instant) throw new Reject(name, 'effective[x]', 'no effective time', IngestRejectCode.MISSING_ELEMENT);
  return instant;
}

/**
 * A valueQuantity → a row. A known LOINC code is converted to its canonical unit by UCUM rules
 * (domain/loinc.ts) and judged against the catalogue's limits: impossible values are rejected; a unit
 * that does not convert is stored as sent, flagged and warned about (one lab must not lose the
 * patient's record); implausible values are stored, flagged and warned about; an annotation the sent
 * unit lacks (eGFR in mL/min) is accepted with a warning.
 */
function quantityRow(quantity: Quantity, coding: Coding, base: ObservationBase, name: string, field: string, warnings: IngestWarning[]): ObservationRow {
  if (typeof quantity.value !== 'number') throw new Reject(name, `${field}.value`, 'no numeric value', IngestRejectCode.MISSING_ELEMENT);
  const unit = (quantity.system === SYSTEMS.ucum && quantity.code) || quantity.unit || quantity.code;
  if (!unit) throw new Reject(name, `${field}.unit`, `value ${quantity.value} has no unit`, IngestRejectCode.MISSING_ELEMENT);
  const empty = { valueCodeSystem: null, valueCode: null, valueDisplay: null, valueText: null };
  const known = coding.system === SYSTEMS.loinc ? LOINC_CATALOGUE.get(coding.code!) : undefined;
  if (!known) return { ...base, ...empty, value: quantity.value, unit, originalValue: quantity.value, originalUnit: unit, normalised: false, flag: null, flagReason: null };
  // The display unit and the UCUM code must not name different quantities (unit "mmol/L", code "mg/dL"):
  // which one the sender meant cannot be known, so neither is stored.
  const display = quantity.unit?.trim();
  const code = quantity.code?.trim();
  const asDisplay = display ? unitConversion(known, display) : undefined;
  const asCode = code ? unitConversion(known, code) : undefined;
  if (asDisplay?.convertible && asCode?.convertible && asDisplay.convert(1) !== asCode.convert(1)) {
    throw new Reject(name, `${field}.unit`, `unit "${display}" and code "${code}" name different units for LOINC ${known.code}`, IngestRejectCode.UNIT_CONFLICT);
  }
  let q;
  try {
    q = normaliseQuantity(known.code, quantity.value, unit, name, { keepUnconvertible: true });
  } catch (error) {
    if (error instanceof HubError && error.details.field === 'value') {
      const code = error.code === ErrorCode.IMPOSSIBLE_VALUE ? IngestRejectCode.IMPOSSIBLE_VALUE : IngestRejectCode.NON_FINITE_VALUE;
      throw new Reject(name, `${field}.value`, error.message.replace(`${name} value: `, ''), code);
    }
    throw error;
  }
  if (q.flag === ObservationFlag.UNIT_NOT_CONVERTIBLE) {
    warnings.push({ resource: name, field: `${field}.unit`, reason: `stored as sent and left out of calculations: ${q.flagReason}`, code: IngestWarningCode.UNIT_NOT_CONVERTIBLE });
  } else if (q.flag === ObservationFlag.IMPLAUSIBLE) {
    warnings.push({ resource: name, field: `${field}.value`, reason: `stored and left out of calculations: ${q.flagReason}`, code: IngestWarningCode.IMPLAUSIBLE_VALUE });
  }
  if (q.warning) warnings.push({ resource: name, field: `${field}.unit`, reason: q.warning, code: IngestWarningCode.UNIT_ANNOTATION_ASSUMED });
  return { ...base, ...empty, value: q.value, unit: q.unit, originalValue: q.originalValue, originalUnit: q.originalUnit, normalised: q.normalised, flag: q.flag, flagReason: q.flagReason };
}

type ObservationBase = Omit<ObservationRow, 'value' | 'unit' | 'originalValue' | 'originalUnit' | 'normalised' | 'valueCodeSystem' | 'valueCode' | 'valueDisplay' | 'valueText' | 'flag' | 'flagReason'>;

function mapObservation(o: Observation, name: string, ctx: MappingContext, warnings: IngestWarning[]): ObservationRow[] {
  return observationRows(o, name, ctx.subjectOf(o.subject, name, 'subject'), warnings);
}

/**
 * FHIR R4 Observation.value[x] types (http://hl7.org/fhir/R4/observation.html) the hub does not store:
 * none is a quantity with a unit or a code, so no calculation could use one. Each is left out with an
 * UNSUPPORTED_VALUE_TYPE warning; the rest of the record is stored. A value type FHIR allows never
 * refuses a bundle (issue 16).
 */
export const UNSTORED_VALUE_TYPES = ['valueBoolean', 'valueInteger', 'valueRange', 'valueRatio', 'valueSampledData', 'valueTime', 'valueDateTime', 'valuePeriod'] as const;

/** The row for the value of an Observation or of one component, or null when it has none the hub stores. */
function valueRow(holder: Observation | ObservationComponent, coding: Coding, base: ObservationBase, name: string, prefix: string, warnings: IngestWarning[]): ObservationRow | null {
  if (holder.valueQuantity) return quantityRow(holder.valueQuantity, coding, base, name, `${prefix}valueQuantity`, warnings);
  if (holder.valueCodeableConcept) return codedRow(holder.valueCodeableConcept, base, name, `${prefix}valueCodeableConcept`);
  if (holder.valueString !== undefined) return textRow(holder.valueString, base, name, `${prefix}valueString`);
  const unstored = UNSTORED_VALUE_TYPES.find((type) => holder[type] !== undefined);
  if (unstored) {
    warnings.push({
      resource: name,
      field: `${prefix}${unstored}`,
      reason: `a ${unstored.slice('value'.length)} value is not stored (the hub stores quantities, codes and text): left out, the rest of the record is stored`,
      code: IngestWarningCode.UNSUPPORTED_VALUE_TYPE,
    });
  }
  return null;
}

/**
 * One Observation → one row per value (itself and each component), a quantity in the canonical unit.
 * Throws a reject for a missing code or time, an Observation without any value (itself or in a
 * component), a quantity without a unit or in a unit that does not fit the code, or text over its limits.
 * An Observation whose only values are of a type the hub does not store gives no row and a warning.
 */
function observationRows(o: Observation, name: string, subject: Subject, warnings: IngestWarning[]): ObservationRow[] {
  const coding = requireCoding(o.code, [SYSTEMS.loinc], name, 'code');
  const effectiveAt = effectiveOf(o, name);
  const base = (c: Coding, sourceKey: string) => ({
    ...subject,
    sourceKey,
    codeSystem: c.system!,
    code: c.code!,
    display: c.display ?? LOINC_CATALOGUE.get(c.code!)?.display ?? null,
    effectiveAt,
  });
  const warned = warnings.length;
  const rows: ObservationRow[] = [];
  const own = valueRow(o, coding, base(coding, name), name, '', warnings);
  if (own) rows.push(own);
  (o.component ?? []).forEach((component: ObservationComponent, index) => {
    const field = `component[${index}]`;
    const componentCoding = requireCoding(component.code, [SYSTEMS.loinc], name, `${field}.code`);
    const row = valueRow(component, componentCoding, base(componentCoding, `${name}#component-${index}`), name, `${field}.`, warnings);
    if (row) rows.push(row);
  });
  const unsupported = warnings.slice(warned).some((w) => w.code === IngestWarningCode.UNSUPPORTED_VALUE_TYPE);
  if (!rows.length && !unsupported) throw new Reject(name, 'value[x]', 'no quantity, coded or text value (itself or in a component)', IngestRejectCode.MISSING_ELEMENT);
  return rows;
}

/** Observation.valueString: stored as sent, as text; value stays null, so no calculation reads it. */
function textRow(text: string, base: ObservationBase, name: string, field: string): ObservationRow {
  if (!text.trim()) throw new Reject(name, field, 'empty text', IngestRejectCode.MISSING_ELEMENT);
  const problem = noteTextCheck(text, MAX_OBSERVATION_TEXT_LENGTH);
  if (problem) throw new Reject(name, field, problem.problem, problem.kind);
  return {
    ...base,
    value: null,
    unit: null,
    originalValue: null,
    originalUnit: null,
    valueCodeSystem: null,
    valueCode: null,
    valueDisplay: null,
    valueText: text,
    normalised: true,
    flag: null,
    flagReason: null,
  };
}

function codedRow(concept: CodeableConcept, base: ObservationBase, name: string, field: string): ObservationRow {
  const value = requireCoding(concept, [SYSTEMS.snomed, SYSTEMS.loinc], name, field);
  return {
    ...base,
    value: null,
    unit: null,
    originalValue: null,
    originalUnit: null,
    valueCodeSystem: value.system!,
    valueCode: value.code!,
    valueDisplay: value.display ?? concept.text ?? null,
    valueText: null,
    normalised: true,
    flag: null,
    flagReason: null,
  };
}

function mapCondition(c: Condition, name: string, ctx: MappingContext): ConditionRow {
  const coding = requireCoding(c.code, [SYSTEMS.snomed, SYSTEMS.icd10cm, SYSTEMS.icd10], name, 'code');
  return {
    ...ctx.subjectOf(c.subject, name, 'subject'),
    sourceKey: name,
    codeSystem: coding.system!,
    code: coding.code!,
    display: coding.display ?? c.code?.text ?? null,
    clinicalStatus: statusCode(c.clinicalStatus),
    verificationStatus: statusCode(c.verificationStatus),
    onsetAt: toInstant(c.onsetDateTime ?? c.onsetPeriod?.start, name, 'onset[x]'),
    abatementAt: toInstant(c.abatementDateTime ?? c.abatementPeriod?.start, name, 'abatement[x]'),
    recordedAt: toInstant(c.recordedDate, name, 'recordedDate'),
  };
}

/** FHIR R4 event-status (http://hl7.org/fhir/R4/valueset-event-status.html), a required binding of Procedure.status. */
const EVENT_STATUS = new Set(['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown']);
/** Longer than any SNOMED CT description term (at most 255 characters): a longer display is not a code's display. */
export const MAX_CODE_DISPLAY_LENGTH = 500;

/**
 * A Procedure: its code (SNOMED CT first: Synthea's and most EHRs' procedure system), status and when it was
 * performed. Status is required and must be an event-status code; a performed date is checked as every
 * clinical date is (a calendar date, not in the future); the display is text a person may have typed.
 */
function mapProcedure(p: Procedure, name: string, ctx: MappingContext): ProcedureRow {
  if (!p.status) throw new Reject(name, 'status', 'no status (FHIR requires one: completed, not-done, ...)', IngestRejectCode.MISSING_ELEMENT);
  if (!EVENT_STATUS.has(p.status)) throw new Reject(name, 'status', `"${p.status}" is not an event-status code (${[...EVENT_STATUS].join(', ')})`, IngestRejectCode.INVALID_CODE);
  const coding = requireCoding(p.code, [SYSTEMS.snomed], name, 'code');
  const codeProblem = textCheck(coding.system!, MAX_IDENTIFIER_LENGTH) ?? textCheck(coding.code!, MAX_IDENTIFIER_LENGTH);
  if (codeProblem) throw new Reject(name, 'code', codeProblem.problem, codeProblem.kind);
  const display = coding.display ?? p.code?.text ?? null;
  const displayProblem = display === null ? null : textCheck(display, MAX_CODE_DISPLAY_LENGTH);
  if (displayProblem) throw new Reject(name, coding.display !== undefined ? 'code.coding.display' : 'code.text', displayProblem.problem, displayProblem.kind);
  return {
    ...ctx.subjectOf(p.subject, name, 'subject'),
    sourceKey: name,
    codeSystem: coding.system!,
    code: coding.code!,
    display,
    status: p.status,
    performedAt: toInstant(p.performedDateTime ?? p.performedPeriod?.start, name, 'performed[x]'),
  };
}

function mapMedication(m: MedicationRequest | MedicationStatement, name: string, ctx: MappingContext): MedicationRow {
  let concept = m.medicationCodeableConcept;
  if (!concept && m.medicationReference?.reference) {
    const medication = ctx.byRef.get(m.medicationReference.reference) as Medication | undefined;
    if (!medication) {
      throw new Reject(name, 'medicationReference', `reference "${m.medicationReference.reference}" does not resolve in the bundle`, IngestRejectCode.UNRESOLVED_REFERENCE);
    }
    concept = medication.code;
  }
  const coding = requireCoding(concept, [SYSTEMS.rxnorm], name, 'medication[x]');
  const isRequest = m.resourceType === 'MedicationRequest';
  const authored = isRequest ? m.authoredOn : (m.effectiveDateTime ?? m.effectivePeriod?.start ?? m.dateAsserted);
  const dosage = isRequest ? m.dosageInstruction?.[0]?.text : m.dosage?.[0]?.text;
  return {
    ...ctx.subjectOf(m.subject, name, 'subject'),
    sourceKey: name,
    kind: m.resourceType,
    codeSystem: coding.system!,
    code: coding.code!,
    display: coding.display ?? concept?.text ?? null,
    status: m.status ?? null,
    authoredAt: toInstant(authored, name, isRequest ? 'authoredOn' : 'effective[x]'),
    dosage: dosage ?? null,
  };
}

function mapAllergy(a: AllergyIntolerance, name: string, ctx: MappingContext): AllergyRow {
  const coding = requireCoding(a.code, [SYSTEMS.snomed, SYSTEMS.rxnorm], name, 'code');
  return {
    ...ctx.subjectOf(a.patient, name, 'patient'),
    sourceKey: name,
    codeSystem: coding.system!,
    code: coding.code!,
    display: coding.display ?? a.code?.text ?? null,
    clinicalStatus: statusCode(a.clinicalStatus),
    criticality: a.criticality ?? null,
    categories: a.category ?? [],
    recordedAt: toInstant(a.recordedDate, name, 'recordedDate'),
  };
}

/** The report text for an imaging study: DiagnosticReports in the bundle that reference it. */
function reportsFor(study: ImagingStudy, byRef: Map<string, Resource>): string | null {
  const texts: string[] = [];
  for (const resource of new Set(byRef.values())) {
    if (resource.resourceType !== 'DiagnosticReport') continue;
    const report = resource as DiagnosticReport;
    const cites = (report.imagingStudy ?? []).some((r) => r.reference && byRef.get(r.reference) === study);
    if (!cites) continue;
    for (const form of report.presentedForm ?? []) {
      if (!form.data || !form.contentType?.startsWith('text/')) continue;
      const text = Buffer.from(form.data, 'base64').toString('utf8');
      if (!text.includes('\u0000')) texts.push(text); // NUL bytes: binary content, not report text
    }
    if (report.conclusion) texts.push(report.conclusion);
  }
  return texts.length ? texts.join('\n\n') : null;
}

function mapImagingStudy(study: ImagingStudy, name: string, ctx: MappingContext): ImagingStudyRow {
  const uid = study.identifier?.find((i) => i.system === 'urn:dicom:uid')?.value ?? null;
  const series = study.series ?? [];
  const modalities = [...new Set([...(study.modality ?? []), ...series.map((s) => s.modality)].map((m) => m?.code).filter((c): c is string => !!c))];
  const bodySites = [...new Set(series.map((s) => s.bodySite?.display ?? s.bodySite?.code).filter((c): c is string => !!c))];
  return {
    ...ctx.subjectOf(study.subject, name, 'subject'),
    sourceKey: name,
    studyUid: uid ? uid.replace(/^urn:oid:/, '') : null,
    status: study.status ?? null,
    modalities,
    bodySites,
    seriesCount: study.numberOfSeries ?? (series.length || null),
    instanceCount: study.numberOfInstances ?? (series.reduce((n, s) => n + (s.numberOfInstances ?? s.instance?.length ?? 0), 0) || null),
    startedAt: toInstant(study.started, name, 'started'),
    description: study.description ?? study.procedureCode?.[0]?.text ?? study.procedureCode?.[0]?.coding?.[0]?.display ?? null,
    reportText: reportsFor(study, ctx.byRef),
  };
}

/** Clinical notes: text/* attachments, base64-decoded; other content types are not notes. */
function mapNote(r: DocumentReference | DiagnosticReport, name: string, ctx: MappingContext): NoteRow | null {
  const attachments = r.resourceType === 'DocumentReference' ? (r.content ?? []).map((c) => c.attachment) : (r.presentedForm ?? []);
  const texts: string[] = [];
  let contentType = 'text/plain';
  attachments.forEach((attachment, index) => {
    if (!attachment?.data || !attachment.contentType?.startsWith('text/')) return;
    const text = Buffer.from(attachment.data, 'base64').toString('utf8');
    if (text.includes('\uFFFD')) throw new Reject(name, `attachment[${index}].data`, 'is not base64 text in UTF-8', IngestRejectCode.INVALID_ENCODING);
    // PostgreSQL text cannot hold NUL, and text with NUL bytes is binary content labelled as text.
    if (text.includes('\u0000')) throw new Reject(name, `attachment[${index}].data`, 'holds NUL bytes: binary content, not text', IngestRejectCode.INVALID_ENCODING);
    const problem = noteTextCheck(text);
    if (problem) throw new Reject(name, `attachment[${index}].data`, problem.problem, problem.kind);
    contentType = attachment.contentType.split(';')[0]!;
    texts.push(text);
  });
  if (r.resourceType === 'DiagnosticReport' && r.conclusion) {
    const problem = noteTextCheck(r.conclusion);
    if (problem) throw new Reject(name, 'conclusion', problem.problem, problem.kind);
    texts.push(r.conclusion);
  }
  if (!texts.length) return null;
  const text = texts.join('\n\n');
  const tooLong = noteTextCheck(text);
  if (tooLong) throw new Reject(name, r.resourceType === 'DocumentReference' ? 'content' : 'presentedForm', `all its text together: ${tooLong.problem}`, tooLong.kind);
  const title =
    r.resourceType === 'DocumentReference'
      ? (r.description ?? r.type?.text ?? r.type?.coding?.[0]?.display ?? null)
      : (r.code?.text ?? r.code?.coding?.[0]?.display ?? null);
  const titleField = r.resourceType === 'DiagnosticReport' ? 'code' : r.description ? 'description' : 'type';
  const titleProblem = title === null ? null : noteTextCheck(title, MAX_NOTE_TITLE_LENGTH);
  if (titleProblem) throw new Reject(name, titleField, titleProblem.problem, titleProblem.kind);
  const when = r.resourceType === 'DocumentReference' ? r.date : (r.effectiveDateTime ?? r.issued);
  return {
    ...ctx.subjectOf(r.subject, name, 'subject'),
    sourceKey: name,
    kind: r.resourceType,
    title,
    contentType,
    text,
    authoredAt: toInstant(when, name, r.resourceType === 'DocumentReference' ? 'date' : 'effective[x]'),
  };
}
