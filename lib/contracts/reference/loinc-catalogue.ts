/**
 * The LOINC codes the hub calculates with: one canonical UCUM unit each, the analyte's molar mass where
 * a mol ↔ mass conversion needs one, and the limits a value is judged by. Shared by the patient
 * subgraph (which normalises, refuses and flags on the way in) and inference (which never computes with
 * a flagged value): one table, so the two cannot disagree.
 *
 * Codes and displays: LOINC (loinc.org, Regenstrief Institute). Units: UCUM (ucum.org), c/s codes;
 * curly-brace annotations such as {1.73_m2} are the unity 1 for conversion (UCUM §12, curly braces).
 * Molar masses: PubChem computed molecular weights (IUPAC 2013 atomic weights): glucose C6H12O6
 * 180.156 g/mol (CID 5793), cholesterol C27H46O 386.65 g/mol (CID 5997), creatinine C4H7N3O
 * 113.12 g/mol (CID 588). Triglycerides are measured as glycerol and reported as triolein by
 * convention: 885.7 g/mol, the molar mass behind the usual factor 1 mmol/L = 88.57 mg/dL.
 *
 * Two kinds of limit, decided per code (table below):
 *  - `refuseAtOrBelow` / `refuseBelow` / `refuseAbove`: physically impossible (a negative concentration,
 *    a blood pressure, weight or height of zero or less, more than 100 % of haemoglobin glycated). Such
 *    a value is refused with a coded error naming resource, field and reason: it is a broken record.
 *  - `plausible`: outside it the value is possible but not one to act on (mostly unit mix-ups: cholesterol
 *    in mmol/L sent as mg/dL, SBP 1200). It is stored as sent, flagged `implausible`, reported as a
 *    warning and left out of every calculation. The bounds are deliberately wide: a value inside may
 *    still be wrong, one outside is not a measurement to compute a risk with.
 *
 * | code(s)                    | quantity          | refused            | plausible        | source of the plausible range |
 * | 2093-3                     | total cholesterol | < 0                | 40–1000 mg/dL    | untreated homozygous FH reaches ~1000 (Cuchel M et al., EAS consensus, Eur Heart J 2014;35:2146-57); below 40 only in abetalipoproteinaemia |
 * | 2085-9                     | HDL cholesterol   | < 0                | 5–250 mg/dL      | Tangier disease < 5; CETP deficiency up to ~250 (Inazu A et al., N Engl J Med 1990;323:1234-8) |
 * | 13457-7, 18262-6           | LDL cholesterol   | < 0                | 1–1000 mg/dL     | untreated homozygous FH LDL-C > 500 (Cuchel 2014); a negative Friedewald LDL is refused |
 * | 2571-8                     | triglycerides     | < 0                | 10–20000 mg/dL   | familial chylomicronaemia exceeds 10,000 (Brahm AJ, Hegele RA, Nat Rev Endocrinol 2015;11:352-62) |
 * | 2345-7, 2339-0             | glucose           | < 0                | 10–2700 mg/dL    | highest survived 2656 mg/dL (147.6 mmol/L; Guinness World Records, 2008); < 10 is at the assays' floor |
 * | 2160-0, 38483-4            | creatinine        | < 0                | 0.1–40 mg/dL     | reference 0.5–1.2 (adults), 0.2–1.0 (children) (Tietz Textbook of Clinical Chemistry, 6th ed., 2018); dialysis patients rarely exceed 20 |
 * | 4548-4, 17856-6            | HbA1c             | < 0 or > 100 %     | 3–20 %           | reportable ranges of NGSP-certified methods end near 18–20 % (ngsp.org); < 3 only with haemolysis or transfusion |
 * | 8480-6                     | systolic BP       | ≤ 0                | 50–300 mm[Hg]    | > 300 measured only in extreme exertion (480/350, MacDougall JD et al., J Appl Physiol 1985;58:785-90); < 50 is shock |
 * | 8462-4                     | diastolic BP      | ≤ 0                | 20–200 mm[Hg]    | as systolic (MacDougall 1985) |
 * | 8867-4                     | heart rate        | < 0 (0: asystole)  | 20–300 /min      | pre-excited atrial fibrillation reaches ~300 (Page RL et al., 2015 ACC/AHA/HRS SVT guideline, Circulation 2016;133:e506-74) |
 * | 39156-5                    | BMI               | ≤ 0                | 10–100 kg/m2     | < 10 only in extreme anorexia nervosa; > 100 only in the heaviest recorded humans (Guinness World Records) |
 * | 29463-7                    | body weight       | ≤ 0                | 0.2–650 kg       | heaviest recorded 635 kg (J. B. Minnoch, Guinness World Records); smallest surviving newborns ~0.25 kg |
 * | 8302-2                     | body height       | ≤ 0                | 20–275 cm        | tallest recorded 272 cm (R. Wadlow, Guinness World Records); extremely preterm newborns ~25 cm |
 * | 33914-3, 62238-1, 98979-8, 48642-3, 48643-1 | eGFR | < 0          | 1–200 mL/min/{1.73_m2} | CKD-EPI 2021 (Inker LA et al., N Engl J Med 2021;385:1737-49) exceeds 150 only with very low creatinine; > 200 is a creatinine unit error |
 */
export interface PlausibleRange {
  min: number;
  max: number;
  source: string;
}

export interface LoincDefinition {
  code: string;
  display: string;
  /** Canonical UCUM unit (c/s code): what the hub stores and computes in. */
  unit: string;
  /** What messages call the measurement, e.g. "systolic blood pressure". */
  label: string;
  /** g/mol, for mol ↔ mass conversions (UCUM §4.3, mol is a base-unit multiple of Avogadro's number). */
  molarMass?: number;
  /** Physically impossible at or below this (canonical unit). */
  refuseAtOrBelow?: number;
  /** Physically impossible below this. */
  refuseBelow?: number;
  /** Physically impossible above this. */
  refuseAbove?: number;
  plausible: PlausibleRange;
}

const GLUCOSE_G_PER_MOL = 180.156;
const CHOLESTEROL_G_PER_MOL = 386.65;
const TRIOLEIN_G_PER_MOL = 885.7;
const CREATININE_G_PER_MOL = 113.12;

const FH = 'Cuchel M et al., Eur Heart J 2014;35:2146-57';
const GLUCOSE: PlausibleRange = { min: 10, max: 2700, source: 'Guinness World Records 2008 (2656 mg/dL survived)' };
const CREATININE: PlausibleRange = { min: 0.1, max: 40, source: 'Tietz Textbook of Clinical Chemistry, 6th ed., 2018' };
const HBA1C: PlausibleRange = { min: 3, max: 20, source: 'NGSP-certified method reportable ranges (ngsp.org)' };
const EGFR: PlausibleRange = { min: 1, max: 200, source: 'Inker LA et al., N Engl J Med 2021;385:1737-49' };
const BP_SOURCE = 'MacDougall JD et al., J Appl Physiol 1985;58:785-90';

const eGfr = (code: string, display: string): LoincDefinition => ({ code, display, unit: 'mL/min/{1.73_m2}', label: 'eGFR', refuseBelow: 0, plausible: EGFR });

const DEFINITIONS: LoincDefinition[] = [
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', label: 'total cholesterol', molarMass: CHOLESTEROL_G_PER_MOL, refuseBelow: 0, plausible: { min: 40, max: 1000, source: FH } },
  { code: '2085-9', display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', unit: 'mg/dL', label: 'HDL cholesterol', molarMass: CHOLESTEROL_G_PER_MOL, refuseBelow: 0, plausible: { min: 5, max: 250, source: 'Inazu A et al., N Engl J Med 1990;323:1234-8' } },
  { code: '13457-7', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', unit: 'mg/dL', label: 'LDL cholesterol', molarMass: CHOLESTEROL_G_PER_MOL, refuseBelow: 0, plausible: { min: 1, max: 1000, source: FH } },
  { code: '18262-6', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', unit: 'mg/dL', label: 'LDL cholesterol', molarMass: CHOLESTEROL_G_PER_MOL, refuseBelow: 0, plausible: { min: 1, max: 1000, source: FH } },
  { code: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma', unit: 'mg/dL', label: 'triglycerides', molarMass: TRIOLEIN_G_PER_MOL, refuseBelow: 0, plausible: { min: 10, max: 20000, source: 'Brahm AJ, Hegele RA, Nat Rev Endocrinol 2015;11:352-62' } },
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', label: 'glucose', molarMass: GLUCOSE_G_PER_MOL, refuseBelow: 0, plausible: GLUCOSE },
  { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', label: 'glucose', molarMass: GLUCOSE_G_PER_MOL, refuseBelow: 0, plausible: GLUCOSE },
  { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', label: 'creatinine', molarMass: CREATININE_G_PER_MOL, refuseBelow: 0, plausible: CREATININE },
  { code: '38483-4', display: 'Creatinine [Mass/volume] in Blood', unit: 'mg/dL', label: 'creatinine', molarMass: CREATININE_G_PER_MOL, refuseBelow: 0, plausible: CREATININE },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', label: 'HbA1c', refuseBelow: 0, refuseAbove: 100, plausible: HBA1C },
  { code: '17856-6', display: 'Hemoglobin A1c/Hemoglobin.total in Blood by HPLC', unit: '%', label: 'HbA1c', refuseBelow: 0, refuseAbove: 100, plausible: HBA1C },
  { code: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', label: 'systolic blood pressure', refuseAtOrBelow: 0, plausible: { min: 50, max: 300, source: BP_SOURCE } },
  { code: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', label: 'diastolic blood pressure', refuseAtOrBelow: 0, plausible: { min: 20, max: 200, source: BP_SOURCE } },
  { code: '8867-4', display: 'Heart rate', unit: '/min', label: 'heart rate', refuseBelow: 0, plausible: { min: 20, max: 300, source: 'Page RL et al., Circulation 2016;133:e506-74' } },
  { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', label: 'BMI', refuseAtOrBelow: 0, plausible: { min: 10, max: 100, source: 'Guinness World Records (heaviest recorded humans)' } },
  { code: '29463-7', display: 'Body weight', unit: 'kg', label: 'body weight', refuseAtOrBelow: 0, plausible: { min: 0.2, max: 650, source: 'Guinness World Records (635 kg)' } },
  { code: '8302-2', display: 'Body height', unit: 'cm', label: 'body height', refuseAtOrBelow: 0, plausible: { min: 20, max: 275, source: 'Guinness World Records (272 cm)' } },
  eGfr('33914-3', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)'),
  eGfr('62238-1', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (CKD-EPI)'),
  eGfr('98979-8', 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)'),
  eGfr('48642-3', 'GFR/1.73 sq M.predicted among non-blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)'),
  eGfr('48643-1', 'GFR/1.73 sq M.predicted among blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)'),
];

export const LOINC_CATALOGUE: ReadonlyMap<string, LoincDefinition> = new Map(DEFINITIONS.map((d) => [d.code, d]));

/** Why a stored value is kept out of every calculation (patient.observations.flag). */
export const ObservationFlag = {
  /** Possible but outside the code's plausible range. */
  IMPLAUSIBLE: 'implausible',
  /** A known code in a unit that does not convert to its canonical one: stored as sent. */
  UNIT_NOT_CONVERTIBLE: 'unit-not-convertible',
} as const;
export type ObservationFlag = (typeof ObservationFlag)[keyof typeof ObservationFlag];

export type ValueJudgement = { verdict: 'usable' } | { verdict: 'impossible'; reason: string } | { verdict: 'implausible'; reason: string };

/** Judges a value in the code's canonical unit against its limits; unknown codes are `usable`. */
export function judgeValue(code: string, value: number): ValueJudgement {
  const known = LOINC_CATALOGUE.get(code);
  if (!known) return { verdict: 'usable' };
  const { label, unit, plausible } = known;
  if (!Number.isFinite(value)) return { verdict: 'impossible', reason: `${label} ${value} is not a number` };
  if (known.refuseAtOrBelow !== undefined && value <= known.refuseAtOrBelow) {
    return { verdict: 'impossible', reason: `${label} ${value} ${unit} is impossible (must be above ${known.refuseAtOrBelow})` };
  }
  if (known.refuseBelow !== undefined && value < known.refuseBelow) {
    return { verdict: 'impossible', reason: `${label} ${value} ${unit} is impossible (must not be below ${known.refuseBelow})` };
  }
  if (known.refuseAbove !== undefined && value > known.refuseAbove) {
    return { verdict: 'impossible', reason: `${label} ${value} ${unit} is impossible (must not be above ${known.refuseAbove})` };
  }
  if (value < plausible.min || value > plausible.max) {
    return { verdict: 'implausible', reason: `${label} ${value} ${unit} is implausible (outside ${plausible.min}–${plausible.max} ${unit})` };
  }
  return { verdict: 'usable' };
}
