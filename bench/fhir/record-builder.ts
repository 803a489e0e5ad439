import type { BundleEntry, CodeableConcept, Encounter, Observation, Patient, Quantity, Reference, Resource } from '@medplum/fhirtypes';
import { LOINC, OBSERVATION_CATEGORY, PLACES, UCUM, type Code, type SMOKING, type Unit } from './clinical-codes';
import type { Random } from '../../lib/seeded-random';
import { YEAR, fhirDateTime } from './synthetic-time';

export type Place = (typeof PLACES)[number];

/** Who the synthetic patient is; drawn first, then every resource in the bundle follows from it. */
export interface SyntheticPerson {
  /** Birth instant (epoch ms); ages 30–85 on AS_OF. */
  birth: number;
  gender: 'female' | 'male';
  given: string;
  family: string;
  race: Code;
  place: Place;
  smoking: keyof typeof SMOKING;
  diabetes: boolean;
  hypertension: boolean;
  hyperlipidemia: boolean;
  pharyngitis: boolean;
  /** EGFR L858R-positive non-small cell lung cancer: the note and a genetic report mention the variant. */
  lungCancer: boolean;
  siLipids: boolean;
  weighsInPounds: boolean;
  heightCm: number;
  bmi: number;
}

export interface Visit {
  start: number;
  end: number;
  type: Code;
  reference: Reference<Encounter>;
}

/** Collects a bundle's entries and hands out the `urn:uuid:` reference to each resource it adds. */
export class RecordBuilder {
  readonly entries: BundleEntry[] = [];
  patient: Reference<Patient> = {};

  constructor(
    readonly rng: Random,
    readonly person: SyntheticPerson,
  ) {}

  add<T extends Resource>(resource: T & { id: string }): Reference<T> {
    const fullUrl = `urn:uuid:${resource.id}`;
    this.entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    return { reference: fullUrl };
  }

  /** A FHIR dateTime on the patient's clock. */
  at(epochMs: number): string {
    return fhirDateTime(epochMs, this.person.place.utcOffsetMinutes);
  }

  ageAt(epochMs: number): number {
    return Math.floor((epochMs - this.person.birth) / YEAR);
  }
}

export interface LipidPanel {
  visit: Visit;
  results: Reference<Observation>[];
  /** The values as reported, for a DiagnosticReport's presented form. */
  summary: string;
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
export const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

export function concept(system: string, code: Code): CodeableConcept {
  return { coding: [{ system, code: code.code, display: code.display }], text: code.display };
}

export function quantity(value: number, unit: Unit): Quantity {
  return { value, unit: unit.unit, system: UCUM, code: unit.code };
}

export type ObservationCategory = 'vital-signs' | 'laboratory' | 'social-history';
const CATEGORY_DISPLAY: Record<ObservationCategory, string> = {
  'vital-signs': 'Vital signs',
  laboratory: 'Laboratory',
  'social-history': 'Social History',
};

export type ObservationValue = Pick<Observation, 'valueQuantity' | 'valueCodeableConcept' | 'component'>;

export function addObservation(
  record: RecordBuilder,
  visit: Visit,
  category: ObservationCategory,
  code: Code,
  value: ObservationValue,
  takenAt: number,
  issuedAt = takenAt,
): Reference<Observation> {
  return record.add<Observation>({
    resourceType: 'Observation',
    id: record.rng.uuid(),
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: category, display: CATEGORY_DISPLAY[category] }] }],
    code: concept(LOINC, code),
    subject: record.patient,
    encounter: visit.reference,
    effectiveDateTime: record.at(takenAt),
    issued: record.at(issuedAt),
    ...value,
  });
}
