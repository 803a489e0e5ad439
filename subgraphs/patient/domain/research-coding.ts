import { SYSTEMS } from '../ingest/fhir-records';
import type { CodingRecord, ConditionRecord, ObservationRecord } from '../repository/patient-repository';
import type { ProcedureRecord } from '../repository/procedure-repository';
import { LOINC_CATALOGUE } from './loinc';

/**
 * What research rows say about a patient's conditions and observations: codes, never text a person
 * typed. A FHIR resource's `display` and `text` are whatever the sending system or its user wrote
 * (an outside test got a name and an MRN back from a Condition's display), so research never shows
 * them: a coding is its system, its code, and the code system's own display where the hub holds an
 * authoritative one (the LOINC catalogue, domain/loinc.ts); for SNOMED CT and ICD-10 the hub holds
 * none, so display is null. Codes are shown only in a system the hub knows and only when well formed
 * for it (shape and check digit), so a code field cannot carry free text either. Quantities are shown
 * only in the catalogue's canonical UCUM unit (a unit outside the catalogue is as typed), statuses only
 * as FHIR code values.
 */
export interface ResearchCodingView {
  system: string;
  code: string;
  display: string | null;
}

export interface ResearchConditionView {
  code: ResearchCodingView;
  clinicalStatus: string | null;
  verificationStatus: string | null;
}

export interface ResearchProcedureView {
  code: ResearchCodingView;
  status: string;
}

export interface ResearchObservationView {
  code: string;
  system: string;
  display: string | null;
  value: number | null;
  unit: string | null;
  valueCode: ResearchCodingView | null;
}

/** FHIR R4 ValueSet condition-clinical (http://hl7.org/fhir/R4/valueset-condition-clinical.html). */
export const CONDITION_CLINICAL_STATUSES: readonly string[] = ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'];

/** FHIR R4 ValueSet condition-ver-status (http://hl7.org/fhir/R4/valueset-condition-ver-status.html). */
export const CONDITION_VERIFICATION_STATUSES: readonly string[] = ['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error'];
/** FHIR R4 ValueSet event-status (http://hl7.org/fhir/R4/valueset-event-status.html); ingest refuses any other Procedure.status. */
const EVENT_STATUSES: readonly string[] = ['preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'];

const CONDITION_SYSTEMS: readonly string[] = [SYSTEMS.snomed, SYSTEMS.icd10cm, SYSTEMS.icd10];
/** Observation.valueCodeableConcept systems the hub ingests (ingest/fhir-mapping.ts codedRow). */
const VALUE_CODE_SYSTEMS: readonly string[] = [SYSTEMS.snomed, SYSTEMS.loinc];

/** LOINC codes: up to 7 digits, a hyphen and a mod-10 check digit (LOINC Users' Guide, "Calculating Mod 10 check digits"). */
const LOINC_CODE = /^([1-9][0-9]{0,6})-([0-9])$/;
/** LOINC answer codes (LA…); their check digit follows another scheme, so only the shape is checked. */
const LOINC_ANSWER_CODE = /^LA[1-9][0-9]{0,6}-[0-9]$/;
/** SNOMED CT identifiers: 6 to 18 digits, no leading zero (SNOMED CT Technical Implementation Guide, SCTID). */
const SCTID = /^[1-9][0-9]{5,17}$/;
/** The SCTID partition of a concept: 00 (short format) or 10 (long format, an extension's concept). */
const CONCEPT_PARTITIONS = ['00', '10'];
/** ICD-10 and ICD-10-CM: a letter, two characters of which the first a digit, then up to four after a dot. */
const ICD10_CODE = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** Whether `code` is a well-formed code of `system`; false for every system research does not show. */
export function isWellFormedCode(system: string, code: string): boolean {
  switch (system) {
    case SYSTEMS.loinc: {
      if (LOINC_ANSWER_CODE.test(code)) return true;
      const match = LOINC_CODE.exec(code);
      return match !== null && luhnCheckDigit(match[1]!) === Number(match[2]);
    }
    case SYSTEMS.snomed:
      return SCTID.test(code) && CONCEPT_PARTITIONS.includes(code.slice(-3, -1)) && verhoeffValid(code);
    case SYSTEMS.icd10cm:
    case SYSTEMS.icd10:
      return ICD10_CODE.test(code);
    default:
      return false;
  }
}

/** The status if it is a FHIR condition-clinical code, otherwise null. */
export function researchClinicalStatus(status: string | null): string | null {
  return status !== null && CONDITION_CLINICAL_STATUSES.includes(status) ? status : null;
}

/** A condition as research sees it, or null (left out) when its coding is not a well-formed SNOMED CT or ICD-10 code. */
export function researchCondition(condition: ConditionRecord): ResearchConditionView | null {
  const code = researchCoding(condition.code, CONDITION_SYSTEMS);
  const verification = condition.verificationStatus;
  return code && {
    code,
    clinicalStatus: researchClinicalStatus(condition.clinicalStatus),
    verificationStatus: verification !== null && CONDITION_VERIFICATION_STATUSES.includes(verification) ? verification : null,
  };
}

/** A procedure as research sees it, or null (left out) when its coding is not a well-formed SNOMED CT code or its status not an event-status code. */
export function researchProcedure(procedure: ProcedureRecord): ResearchProcedureView | null {
  const code = researchCoding(procedure.code, [SYSTEMS.snomed]);
  return code && EVENT_STATUSES.includes(procedure.status) ? { code, status: procedure.status } : null;
}

/**
 * An observation as research sees it, or null (left out): a quantity of a catalogue LOINC code in its
 * canonical unit, or a coded value (SNOMED CT or a LOINC answer) of a well-formed LOINC code.
 */
export function researchObservation(observation: ObservationRecord): ResearchObservationView | null {
  if (observation.codeSystem !== SYSTEMS.loinc || !isWellFormedCode(SYSTEMS.loinc, observation.code)) return null;
  const catalogued = LOINC_CATALOGUE.get(observation.code);
  const coded = { code: observation.code, system: SYSTEMS.loinc, display: catalogued?.display ?? null };
  if (observation.value !== null) {
    if (!catalogued || observation.unit !== catalogued.unit) return null;
    return { ...coded, value: observation.value, unit: catalogued.unit, valueCode: null };
  }
  const valueCode = observation.valueCode && researchCoding(observation.valueCode, VALUE_CODE_SYSTEMS);
  return valueCode ? { ...coded, value: null, unit: null, valueCode } : null;
}

function researchCoding(coding: CodingRecord, systems: readonly string[]): ResearchCodingView | null {
  if (!systems.includes(coding.system) || !isWellFormedCode(coding.system, coding.code)) return null;
  // The hub holds no SNOMED CT, ICD-10 or LOINC answer texts: no display rather than the one sent.
  return { system: coding.system, code: coding.code, display: null };
}

/** The Luhn (mod 10) check digit of a digit string, as LOINC computes its codes' check digits. */
function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const digit = Number(digits[digits.length - 1 - i]);
    const weighted = i % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10;
}

// Verhoeff's dihedral-group check (J. Verhoeff, Error Detecting Decimal Codes, 1969), as SNOMED CT
// specifies for the last digit of every SCTID.
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

function verhoeffValid(digits: string): boolean {
  let check = 0;
  for (let i = 0; i < digits.length; i += 1) {
    check = VERHOEFF_D[check]![VERHOEFF_P[i % 8]![Number(digits[digits.length - 1 - i])]!]!;
  }
  return check === 0;
}
