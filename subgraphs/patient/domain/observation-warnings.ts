import { LOINC_CATALOGUE, ObservationFlag } from '../../../lib/contracts/reference/loinc-catalogue';
import { unitConversion } from './loinc';
import { IngestWarningCode, type IngestWarning } from '../ingest/fhir-records';

/** What observationWarnings reads from a stored observation. */
export interface StoredQuantity {
  id: string;
  code: string;
  normalised: boolean;
  originalUnit: string | null;
  flag: ObservationFlag | null;
  excludedReason: string | null;
}

/**
 * The caveats a stored observation carries, with the codes a bundle's IngestReport uses
 * (IngestWarningCode): worked out from the stored row, so `addObservation` answers with them, and every
 * later read (and a row stored before they were reported) says the same. An implausible value and a
 * unit that does not convert come from the row's flag; an annotation taken as the code's (eGFR in
 * mL/min) from the unit as sent, by the same UCUM rule ingestion applies (domain/loinc.ts).
 */
export function observationWarnings(o: StoredQuantity): IngestWarning[] {
  const resource = `Observation/${o.id}`;
  const warnings: IngestWarning[] = [];
  if (o.flag === ObservationFlag.UNIT_NOT_CONVERTIBLE) {
    warnings.push({ resource, field: 'unit', reason: `stored as sent and left out of calculations: ${o.excludedReason ?? 'the unit does not convert'}`, code: IngestWarningCode.UNIT_NOT_CONVERTIBLE });
  } else if (o.flag === ObservationFlag.IMPLAUSIBLE) {
    warnings.push({ resource, field: 'value', reason: `stored and left out of calculations: ${o.excludedReason ?? 'outside the plausible range'}`, code: IngestWarningCode.IMPLAUSIBLE_VALUE });
  }
  const known = LOINC_CATALOGUE.get(o.code);
  if (known && o.normalised && o.originalUnit) {
    const conversion = unitConversion(known, o.originalUnit);
    if (conversion.convertible && conversion.annotationWarning) {
      warnings.push({ resource, field: 'unit', reason: conversion.annotationWarning, code: IngestWarningCode.UNIT_ANNOTATION_ASSUMED });
    }
  }
  return warnings;
}
