/**
 * Physiological plausibility of the measurements risk is computed from. These are not the equations'
 * valid ranges (PCE: SBP 90–200, total cholesterol 130–320 ...; those give "not applicable"): they catch
 * values no living adult has — typing errors (SBP 1200), negative results, a unit mix-up (cholesterol
 * in mmol/L stored as mg/dL) — so that such a value is excluded with a reason instead of silently
 * producing a risk. Bounds are deliberately wide: a value inside them may still be wrong, but one
 * outside them is not a measurement to act on.
 */
export interface PlausibleRange {
  min: number;
  max: number;
  /** The canonical UCUM unit the patient subgraph stores the measurement in. */
  unit: string;
  label: string;
}

export const PLAUSIBLE_RANGES = {
  // Total cholesterol below 40 mg/dL is not seen outside rare lipoprotein disorders; 1000 mg/dL covers
  // familial hypercholesterolaemia (homozygous values reach ~1000). 3–10 "mg/dL" is mmol/L mislabelled.
  totalCholesterol: { min: 40, max: 1000, unit: 'mg/dL', label: 'total cholesterol' },
  hdlCholesterol: { min: 5, max: 250, unit: 'mg/dL', label: 'HDL cholesterol' },
  systolicBp: { min: 50, max: 300, unit: 'mm[Hg]', label: 'systolic blood pressure' },
  bmi: { min: 10, max: 100, unit: 'kg/m2', label: 'BMI' },
  egfr: { min: 1, max: 200, unit: 'mL/min/{1.73_m2}', label: 'eGFR' },
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
  if (value < range.min || value > range.max) {
    return `${range.label} ${value} ${range.unit} is implausible (outside ${range.min}–${range.max} ${range.unit})`;
  }
  return null;
}
