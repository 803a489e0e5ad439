import { UcumLhcUtils } from '@lhncbc/ucum-lhc';
import { ErrorCode, HubError } from '../../../lib/errors';
import { judgeValue, LOINC_CATALOGUE, ObservationFlag, type LoincDefinition } from '../../../lib/contracts/reference/loinc-catalogue';

export { LOINC_CATALOGUE } from '../../../lib/contracts/reference/loinc-catalogue';

/**
 * Unit conversion by UCUM rules, done by the NLM's UCUM library (@lhncbc/ucum-lhc): prefixes, the
 * litre's two spellings, annotations as unity (UCUM §12), mol ↔ mass through the analyte's molar
 * mass from the catalogue (lib/contracts/reference/loinc-catalogue.ts). One exception, not a unit conversion: HbA1c IFCC
 * mmol/mol → NGSP %, the IFCC–NGSP master equation NGSP = 0.09148 × IFCC + 2.152 (Hoelzel W et al.,
 * Clin Chem 2004;50:166-74). UCUM alone would make 48 mmol/mol 4.8 % (both are ratios of 1).
 *
 * The library parses a unit string in ~3–8 µs; ingestion calls this per observation, so the
 * conversion is worked out once per (code, unit) and kept (every catalogue unit is a ratio unit, so a
 * conversion is one factor).
 */
const ucum = UcumLhcUtils.getInstance();

const IFCC_HBA1C_CODES = new Set(['4548-4', '17856-6']);
const ifccToNgsp = (mmolPerMol: number) => 0.09148 * mmolPerMol + 2.152;

export type UnitConversion =
  | {
      convertible: true;
      convert: (value: number) => number;
      /** Set when the sent unit lacks an annotation the canonical unit carries (mL/min for mL/min/{1.73_m2}). */
      annotationWarning: string | null;
    }
  | { convertible: false; reason: string };

/** Conversions by `code \u0000 unit`; units are the sender's text, so the map is bounded. */
const conversions = new Map<string, UnitConversion>();
export const MAX_CACHED_CONVERSIONS = 10_000;

const annotationsOf = (unit: string): string[] => unit.match(/\{[^}]*\}/g) ?? [];

function workOutConversion(known: LoincDefinition, unit: string): UnitConversion {
  if (IFCC_HBA1C_CODES.has(known.code) && unit === 'mmol/mol') return { convertible: true, convert: ifccToNgsp, annotationWarning: null };
  const result = ucum.convertUnitTo(unit, 1, known.unit, known.molarMass ? { molecularWeight: known.molarMass } : {});
  if (result.status !== 'succeeded' || result.toVal === null || !Number.isFinite(result.toVal)) {
    const why = result.msg.find((m) => /not a valid UCUM code|cannot be converted|moles/i.test(m));
    return { convertible: false, reason: `"${unit}" unknown for LOINC ${known.code} (${known.display}): it does not convert to ${known.unit}${why ? ` (${why.trim()})` : ''}` };
  }
  if (result.fromUnit?.isSpecial_ || result.fromUnit?.isArbitrary_) {
    return { convertible: false, reason: `"${unit}" is not a ratio unit; LOINC ${known.code} is stored in ${known.unit}` };
  }
  const factor = result.toVal;
  const sent = annotationsOf(unit);
  const missing = annotationsOf(known.unit).filter((a) => !sent.includes(a));
  const annotationWarning = missing.length
    ? `"${unit}" taken as ${known.unit}: the annotation ${missing.join(', ')} is unity in UCUM (§12), so the sender's unit did not state it`
    : null;
  return { convertible: true, convert: (value) => value * factor, annotationWarning };
}

/** How `unit` converts to the canonical unit of `known`, worked out once per (code, unit). */
export function unitConversion(known: LoincDefinition, unit: string): UnitConversion {
  const key = `${known.code}\u0000${unit}`;
  const cached = conversions.get(key);
  if (cached) return cached;
  const conversion = workOutConversion(known, unit);
  if (conversions.size >= MAX_CACHED_CONVERSIONS) conversions.delete(conversions.keys().next().value!);
  conversions.set(key, conversion);
  return conversion;
}

export interface NormalisedQuantity {
  code: string;
  display: string;
  /** In `unit`: the canonical unit when normalised, else as sent. */
  value: number;
  unit: string;
  originalValue: number;
  originalUnit: string;
  normalised: boolean;
  /** Why the value is kept out of calculations; null when usable. */
  flag: ObservationFlag | null;
  flagReason: string | null;
  /** Accepted with a caveat (an annotation the sent unit lacked). */
  warning: string | null;
}

export interface NormaliseOptions {
  /**
   * A unit that does not convert: true stores the value as sent, flagged (a bundle keeps the rest of
   * the patient's record); false refuses it with UNIT_NOT_ALLOWED (addObservation: the caller is there
   * to fix it).
   */
  keepUnconvertible?: boolean;
}

const refuse = (where: string, reason: string) => new HubError(ErrorCode.IMPOSSIBLE_VALUE, `${where} value: ${reason}`, { field: 'value' });

/**
 * Converts a measured quantity to the canonical unit of its LOINC code and judges it (lib/contracts/reference/loinc-catalogue.ts):
 * refuses unknown codes, non-finite and physically impossible values; flags implausible ones.
 */
export function normaliseQuantity(code: string, value: number, unit: string, where = 'Observation', options: NormaliseOptions = {}): NormalisedQuantity {
  const known = LOINC_CATALOGUE.get(code.trim());
  if (!known) {
    throw new HubError(ErrorCode.UNKNOWN_LOINC_CODE, `${where} code: LOINC "${code}" is not one the hub accepts`, {
      field: 'code',
    });
  }
  if (!Number.isFinite(value)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${where} value: ${value} is not a finite number`, { field: 'value' });
  }
  const sentUnit = unit.trim();
  const conversion = unitConversion(known, sentUnit);
  if (!conversion.convertible) {
    if (!options.keepUnconvertible) {
      throw new HubError(ErrorCode.UNIT_NOT_ALLOWED, `${where} unit: ${conversion.reason}`, { field: 'unit' });
    }
    // Every catalogue quantity is non-negative in any unit: the sign is judged even when the unit is not.
    if (value < 0 || (known.refuseAtOrBelow !== undefined && value <= 0)) throw refuse(where, `${known.label} ${value} ${sentUnit} is impossible (must be above 0)`);
    return quantity(known, value, sentUnit, value, sentUnit, false, ObservationFlag.UNIT_NOT_CONVERTIBLE, conversion.reason, null);
  }
  const converted = Math.round(conversion.convert(value) * 1e4) / 1e4;
  // A finite value can still overflow in conversion (1e308 mmol/L is Infinity mg/dL): never store one.
  if (!Number.isFinite(converted)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${where} value: ${value} ${sentUnit} is out of range once converted to ${known.unit}`, { field: 'value' });
  }
  // The sign as sent too: a negative IFCC HbA1c is positive after the master equation.
  if (value < 0) throw refuse(where, `${known.label} ${value} ${sentUnit} is impossible (must not be below 0)`);
  const judged = judgeValue(known.code, converted);
  if (judged.verdict === 'impossible') throw refuse(where, judged.reason);
  const implausible = judged.verdict === 'implausible';
  return quantity(known, converted, known.unit, value, sentUnit, true, implausible ? ObservationFlag.IMPLAUSIBLE : null, implausible ? judged.reason : null, conversion.annotationWarning);
}

/**
 * The result built field by field: V8 turned `{ ...base, value, ... }` here into a slow dictionary-mode
 * object, 20–50× the cost of the whole old conversion (measured with node --cpu-prof).
 */
function quantity(
  known: LoincDefinition,
  value: number,
  unit: string,
  originalValue: number,
  originalUnit: string,
  normalised: boolean,
  flag: ObservationFlag | null,
  flagReason: string | null,
  warning: string | null,
): NormalisedQuantity {
  return { code: known.code, display: known.display, value, unit, originalValue, originalUnit, normalised, flag, flagReason, warning };
}
