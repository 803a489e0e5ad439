import { ErrorCode, HubError } from '../../../lib/errors';

/**
 * The LOINC codes the hub accepts, each with ONE canonical UCUM unit and the units it converts from.
 * Codes and displays: LOINC (loinc.org). Units: UCUM (unitsofmeasure.org); UCUM defines both `L` and
 * `l` for litre, so both spellings are accepted.
 * Conversion factors: cholesterol 1 mmol/L = 38.67 mg/dL (molar mass 386.65 g/mol); triglycerides
 * 1 mmol/L = 88.57 mg/dL (as triolein, 885.7 g/mol); glucose 1 mmol/L = 18.016 mg/dL (180.16 g/mol);
 * creatinine 1 mg/dL = 88.42 umol/L (113.12 g/mol); HbA1c IFCC mmol/mol → NGSP % by the IFCC–NGSP
 * master equation NGSP = 0.09148 × IFCC + 2.152 (Hoelzel et al., Clin Chem 2004;50:166-74);
 * 1 [lb_av] = 0.45359237 kg and 1 [in_i] = 2.54 cm (exact, international yard and pound, 1959);
 * 1 kPa = 7.50062 mm[Hg].
 */
export interface LoincEntry {
  code: string;
  display: string;
  unit: string;
  /** Accepted unit → conversion into the canonical unit. */
  from: Record<string, (value: number) => number>;
}

const identity = (v: number) => v;
const times = (factor: number) => (v: number) => v * factor;
const per = (divisor: number) => (v: number) => v / divisor;
const litreSpellings = (unit: string) => [unit, unit.replace(/L$/, 'l')];

function entry(code: string, display: string, unit: string, conversions: Record<string, (v: number) => number> = {}): LoincEntry {
  const from: Record<string, (value: number) => number> = {};
  for (const spelling of litreSpellings(unit)) from[spelling] = identity;
  for (const [other, convert] of Object.entries(conversions)) {
    for (const spelling of litreSpellings(other)) from[spelling] = convert;
  }
  return { code, display, unit, from };
}

const CHOLESTEROL = { 'mmol/L': times(38.67) };

export const LOINC_CATALOGUE: ReadonlyMap<string, LoincEntry> = new Map(
  [
    entry('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', CHOLESTEROL),
    entry('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', CHOLESTEROL),
    entry('13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'mg/dL', CHOLESTEROL),
    entry('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'mg/dL', CHOLESTEROL),
    entry('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', { 'mmol/L': times(88.57) }),
    entry('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', { 'mmol/L': times(18.016) }),
    entry('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', { 'umol/L': per(88.42) }),
    entry('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', { 'mmol/mol': (v) => 0.09148 * v + 2.152 }),
    entry('8480-6', 'Systolic blood pressure', 'mm[Hg]', { kPa: times(7.50062) }),
    entry('8462-4', 'Diastolic blood pressure', 'mm[Hg]', { kPa: times(7.50062) }),
    entry('8867-4', 'Heart rate', '/min', { '{beats}/min': identity }),
    entry('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2'),
    entry('29463-7', 'Body weight', 'kg', { '[lb_av]': times(0.45359237), g: per(1000) }),
    entry('8302-2', 'Body height', 'cm', { '[in_i]': times(2.54), m: times(100) }),
    entry('33914-3', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)', 'mL/min/{1.73_m2}'),
    entry('62238-1', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (CKD-EPI)', 'mL/min/{1.73_m2}'),
    entry('98979-8', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)', 'mL/min/{1.73_m2}'),
  ].map((e) => [e.code, e] as const),
);

export interface NormalisedQuantity {
  code: string;
  display: string;
  value: number;
  unit: string;
  originalValue: number;
  originalUnit: string;
}

/** Converts a measured quantity to the canonical unit of its LOINC code; refuses unknown codes and units. */
export function normaliseQuantity(code: string, value: number, unit: string, where = 'Observation'): NormalisedQuantity {
  const known = LOINC_CATALOGUE.get(code.trim());
  if (!known) {
    throw new HubError(ErrorCode.UNKNOWN_LOINC_CODE, `${where} code: LOINC "${code}" is not one the hub accepts`, {
      field: 'code',
    });
  }
  if (!Number.isFinite(value)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${where} value: ${value} is not a finite number`, { field: 'value' });
  }
  const convert = known.from[unit.trim()];
  if (!convert) {
    const accepted = Object.keys(known.from).join(', ');
    throw new HubError(
      ErrorCode.UNIT_NOT_ALLOWED,
      `${where} unit: "${unit}" unknown for LOINC ${known.code} (${known.display}); accepted: ${accepted}`,
      { field: 'unit' },
    );
  }
  const converted = Math.round(convert(value) * 1e4) / 1e4;
  // A finite value can still overflow in conversion (1e308 mmol/L is Infinity mg/dL): never store one.
  if (!Number.isFinite(converted)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `${where} value: ${value} ${unit.trim()} is out of range once converted to ${known.unit}`, { field: 'value' });
  }
  return {
    code: known.code,
    display: known.display,
    value: converted,
    unit: known.unit,
    originalValue: value,
    originalUnit: unit.trim(),
  };
}
