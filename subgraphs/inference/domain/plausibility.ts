import { judgeValue, LOINC_CATALOGUE } from '../../../lib/contracts/reference/loinc-catalogue';

/**
 * Physiological plausibility of the measurements risk is computed from, read from the one catalogue the
 * patient subgraph judges values by on the way in (lib/contracts/reference/loinc-catalogue.ts: ranges, their sources and
 * the refuse-or-flag decision per code). These are not the equations' valid ranges (PCE: SBP 90–200,
 * total cholesterol 130–320 ...; those give "not applicable"): they catch values no living adult has, so
 * that such a value is excluded with a reason instead of silently producing a risk. The patient subgraph
 * already flags them (Observation.excludedReason); inference checks again for values stored before the
 * flags existed and for calculator input.
 */
export interface PlausibleRange {
  min: number;
  max: number;
  /** The canonical UCUM unit the patient subgraph stores the measurement in. */
  unit: string;
  label: string;
}

/** The LOINC code whose catalogue entry judges each risk input. */
const FIELD_CODES = {
  totalCholesterol: '2093-3',
  hdlCholesterol: '2085-9',
  systolicBp: '8480-6',
  bmi: '39156-5',
  egfr: '98979-8',
} as const;

function fromCatalogue(code: string): PlausibleRange {
  const known = LOINC_CATALOGUE.get(code)!;
  return { min: known.plausible.min, max: known.plausible.max, unit: known.unit, label: known.label };
}

export const PLAUSIBLE_RANGES = {
  totalCholesterol: fromCatalogue(FIELD_CODES.totalCholesterol),
  hdlCholesterol: fromCatalogue(FIELD_CODES.hdlCholesterol),
  systolicBp: fromCatalogue(FIELD_CODES.systolicBp),
  bmi: fromCatalogue(FIELD_CODES.bmi),
  egfr: fromCatalogue(FIELD_CODES.egfr),
  // Not a measurement: the oldest verified human lived 122 years (J. Calment, Guinness World Records).
  age: { min: 0, max: 120, unit: 'a', label: 'age' },
} as const satisfies Record<string, PlausibleRange>;

export type PlausibilityField = keyof typeof PLAUSIBLE_RANGES;

/** Why a value cannot be used, or null when it is plausible. */
export function implausibility(field: PlausibilityField, value: number, unit?: string | null): string | null {
  const range: PlausibleRange = PLAUSIBLE_RANGES[field];
  if (!Number.isFinite(value)) return `${range.label} ${value} is not a number`;
  if (unit !== undefined && unit !== null && unit !== range.unit) {
    return `${range.label} ${value} ${unit}: expected ${range.unit}`;
  }
  if (field === 'age') {
    return value < range.min || value > range.max ? `${range.label} ${value} ${range.unit} is implausible (outside ${range.min}–${range.max} ${range.unit})` : null;
  }
  const judged = judgeValue(FIELD_CODES[field], value);
  return judged.verdict === 'usable' ? null : judged.reason;
}
