/**
 * Structured criteria from ClinicalTrials.gov API v2 eligibility data (pure; no I/O):
 *   - `parseCtgovAge`: `eligibilityModule.minimumAge` / `maximumAge` ("18 Years", "6 Months") → years;
 *   - `extractLabCriteria`: common laboratory thresholds in the free-text criteria → LOINC + canonical UCUM;
 *   - `extractExcludedVariants`: genomic mentions in the exclusion part of the criteria.
 *
 * Sections: the text is split at the first "Exclusion Criteria" (case-insensitive), the same rule as
 * `inclusionText` in variants.ts, so the trial importer's inclusion mentions and these agree. API v2
 * returns the criteria as Markdown, with `>`, `<`, `^` and `*` often backslash-escaped ("\>= 1.5");
 * the escapes are removed before matching.
 *
 * A lab threshold is `<analyte name> … <comparator> <number> <unit>` within one line or clause (no
 * newline or ";" between name and comparator). Deliberately skipped, never guessed:
 *   - thresholds relative to the upper limit of normal ("bilirubin ≤ 1.5 x ULN"): they need the
 *     patient's laboratory's reference range, which a lab result does not carry here;
 *   - a unit that is absent, or not in the analyte's table below (e.g. "eGFR ≥ 60 mL/min": a GFR
 *     not indexed to 1.73 m² is not the quantity LOINC 98979-8 measures; "hemoglobin ≥ 5.6 mmol/L");
 *   - ranges ("between 9 and 12"), European decimal commas ("1,5 x 10^9/L"), LVEF (not a laboratory test).
 */
import type { EligibilitySection, LabComparator } from '../../lib/contracts/reference/trial-criteria';
import { extractGenomicMentions, type GenomicMention } from './variants';

export interface LabCriterion {
  /** LOINC code of the analyte. */
  loinc: string;
  /** Short analyte name, for people. */
  name: string;
  comparator: LabComparator;
  /** Threshold in `unit`. */
  value: number;
  /** Canonical UCUM unit of the LOINC code, as the patient subgraph stores results (subgraphs/patient/domain/loinc.ts). */
  unit: string;
  /** The phrase the criterion was read from. */
  text: string;
  section: EligibilitySection;
}

// ---- ages ---------------------------------------------------------------------------------------

/** 365.25 days (Julian year) and 52.1775 weeks (365.2425 / 7, Gregorian year) per year. */
const DAYS_PER_YEAR = 365.25;
const YEARS_PER_UNIT: Record<string, number> = {
  year: 1,
  month: 1 / 12,
  week: 1 / 52.1775,
  day: 1 / DAYS_PER_YEAR,
  hour: 1 / (DAYS_PER_YEAR * 24),
  minute: 1 / (DAYS_PER_YEAR * 24 * 60),
};
const CTGOV_AGE = /^(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?$/i;

/**
 * An API v2 age ("18 Years", "6 Months", "2 Weeks", "30 Days"; the API's units are Years, Months,
 * Weeks, Days, Hours, Minutes) in years. Null for a missing age, "N/A" and text that is not an age:
 * the caller decides whether that is worth reporting.
 */
export function parseCtgovAge(text: string | undefined): number | null {
  const m = CTGOV_AGE.exec(text?.trim() ?? '');
  if (!m) return null;
  return Number(m[1]) * YEARS_PER_UNIT[m[2]!.toLowerCase()]!;
}

// ---- sections -----------------------------------------------------------------------------------

/** Removes Markdown backslash escapes ("\>=", "10\^9", "\*") that API v2 puts into criteria text. */
const unescapeMarkdown = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!<>=^~|])/g, '$1');

export function eligibilitySections(eligibilityText: string): Record<EligibilitySection, string> {
  const text = unescapeMarkdown(eligibilityText);
  const at = text.search(/exclusion criteria/i);
  return at < 0 ? { inclusion: text, exclusion: '' } : { inclusion: text.slice(0, at), exclusion: text.slice(at) };
}

/** Genomic mentions (see GENOMIC_MENTION in variants.ts) in the exclusion section only. */
export function extractExcludedVariants(eligibilityText: string): GenomicMention[] {
  return extractGenomicMentions(eligibilitySections(eligibilityText).exclusion);
}

// ---- lab thresholds -----------------------------------------------------------------------------

type Convert = (value: number) => number;
const identity: Convert = (v) => v;
const per = (divisor: number): Convert => (v) => v / divisor;

/**
 * Comparators in words and symbols, longest first so "not less than" wins over "less than" and
 * "greater than or equal to" over "greater than". "=>", "=<", "> or =" are common typing variants.
 */
const COMPARATORS: [string, LabComparator][] = [
  ['greater than or equal to|more than or equal to|equal to or greater than|equal to or more than|not less than|no less than|at least|minimum of|> ?or ?=|>=|=>|≥|⩾|≧', '>='],
  ['less than or equal to|equal to or less than|not more than|not greater than|no more than|no greater than|at most|maximum of|up to|< ?or ?=|<=|=<|≤|⩽|≦', '<='],
  ['greater than|more than|higher than|above|exceeding|over|>', '>'],
  ['less than|lower than|below|under|<', '<'],
];
/** Word comparators start at a word boundary ("recovered" does not hold "over"). */
const COMPARATOR = COMPARATORS.map(([alternatives]) => `(${alternatives.split('|').map((a) => (/^[a-z]/.test(a) ? `\\b${a}` : a)).join('|')})`).join('|');
const comparatorOf = (groups: (string | undefined)[]): LabComparator => COMPARATORS[groups.findIndex((g) => g !== undefined)]![1];

/** 1,500 / 1500 / 1.5 / .5 — a decimal comma ("1,5") is not read (the match then fails on its unit). */
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)`;

// Unit spellings (matched case-insensitively, right after the number).
const TIMES_TEN_TO = (power: string) => String.raw`[x×*]\s*10\s*(?:\^|\*\*|e)?\s*${power}`;
const PER = String.raw`(?:cells\s*)?(?:\/|per\s+)\s*`;
const MICROLITRE = String.raw`(?:mm\s*\^?\s*[3³]|cu\.?\s*mm|cubic\s+millimet(?:er|re)|mcl|[uµμ]l|microlit(?:er|re))\b`;
/** Cell counts, canonical 10*3/uL (= 10^9/L): "1500/mm3", "1.5 x 10^9/L", "1.5 x 109/L" (superscript lost), "1.5 G/L", "1.5 K/uL". */
const CELL_COUNT: [string, Convert][] = [
  [PER + MICROLITRE, per(1000)],
  [TIMES_TEN_TO('[9⁹]') + String.raw`\s*${PER}l(?:it(?:er|re))?\b`, identity],
  [String.raw`(?:${TIMES_TEN_TO('[3³]')}|k)\s*${PER}${MICROLITRE}`, identity],
  [String.raw`g\s*\/\s*l\b`, identity],
];
const ML_PER_MIN = String.raw`(?:ml|cc)\s*\/\s*min(?:ute)?`;

interface LabPattern {
  loinc: string;
  name: string;
  unit: string;
  /** Regular-expression source for the analyte's names. */
  names: string;
  /** Unit spellings → conversion into `unit`. */
  units: [string, Convert][];
}

/**
 * The analytes read. LOINC codes (loinc.org) and canonical units as in the patient subgraph's LOINC
 * catalogue. Conversions: hemoglobin 10 g/L = 1 g/dL; bilirubin 1 mg/dL = 17.104 umol/L (molar mass
 * 584.66 g/mol); HbA1c IFCC mmol/mol → NGSP % by the IFCC–NGSP master equation NGSP = 0.09148 × IFCC
 * + 2.152 (Hoelzel et al., Clin Chem 2004;50:166-74).
 */
const LAB_PATTERNS: LabPattern[] = [
  {
    // 98979-8 eGFR by creatinine, CKD-EPI 2021: the equation laboratories report now (NKF-ASN 2021);
    // trials rarely name the equation. The evaluator accepts 62238-1 (CKD-EPI 2009) and 33914-3 (MDRD) too.
    loinc: '98979-8',
    name: 'eGFR',
    unit: 'mL/min/{1.73_m2}',
    names: String.raw`\beGFR\b|(?:estimated\s+)?glomerular\s+filtration\s+rate|\bGFR\b`,
    units: [[String.raw`${ML_PER_MIN}\s*(?:\/|per)\s*1[.,]73\s*(?:m\s*(?:\^?\s*2|²)|sq\.?\s*m)`, identity]],
  },
  {
    // 2164-2 Creatinine renal clearance (mL/min); "mL/min/1.73 m2" is refused by the lookahead.
    loinc: '2164-2',
    name: 'Creatinine clearance',
    unit: 'mL/min',
    names: String.raw`creatinine\s+clearance|\bCrCl\b|\bCLcr\b`,
    units: [[String.raw`${ML_PER_MIN}(?!\s*(?:\/|per)\s*1[.,]73)`, identity]],
  },
  // 751-8 Neutrophils [#/volume] in Blood by Automated count (10*3/uL)
  { loinc: '751-8', name: 'Neutrophils', unit: '10*3/uL', names: String.raw`absolute\s+neutrophil\s+count|\bANC\b|neutrophils?(?:\s+counts?)?`, units: CELL_COUNT },
  // 777-3 Platelets [#/volume] in Blood by Automated count (10*3/uL)
  { loinc: '777-3', name: 'Platelets', unit: '10*3/uL', names: String.raw`platelets?(?:\s+counts?)?|\bPLT\b|thrombocytes?`, units: CELL_COUNT },
  {
    // 718-7 Hemoglobin [Mass/volume] in Blood (g/dL); not HbA1c / glycated hemoglobin.
    loinc: '718-7',
    name: 'Hemoglobin',
    unit: 'g/dL',
    names: String.raw`(?<!glyc(?:at|osylat)ed\s+)ha?emoglobin(?!\s*a\s*1\s*c)|\bHgb\b|\bHb\b(?!\s*a1c)`,
    units: [
      [String.raw`g(?:m|rams?)?\s*(?:\/\s*dl\b|\/\s*100\s*ml\b|per\s+decilit(?:er|re))`, identity],
      [String.raw`g(?:rams?)?\s*(?:\/|per\s+)\s*l(?:it(?:er|re))?\b`, per(10)],
    ],
  },
  {
    // 1975-2 Bilirubin.total [Mass/volume] in Serum or Plasma (mg/dL); not direct/conjugated bilirubin.
    loinc: '1975-2',
    name: 'Total bilirubin',
    unit: 'mg/dL',
    names: String.raw`total\s+bilirubin|(?<!(?:direct|conjugated)\s+)bilirubin(?:\s+total)?|\bT\.?\s?bili\b`,
    units: [
      [String.raw`mg\s*(?:\/\s*dl\b|per\s+decilit(?:er|re))`, identity],
      [String.raw`[uµμ]mol\s*\/\s*l\b`, per(17.104)],
    ],
  },
  {
    // 4548-4 Hemoglobin A1c/Hemoglobin.total in Blood (%, NGSP/DCCT).
    loinc: '4548-4',
    name: 'HbA1c',
    unit: '%',
    names: String.raw`\bHbA\s*1c\b|ha?emoglobin\s*A\s*1\s*c|glyc(?:at|osylat)ed\s+ha?emoglobin|\bA1c\b`,
    units: [
      ['%', identity],
      [String.raw`mmol\s*\/\s*mol\b`, (v) => 0.09148 * v + 2.152],
    ],
  },
];

interface CompiledPattern extends LabPattern {
  phrase: RegExp;
  unitRegexes: [RegExp, Convert][];
}

/** Name, then up to 60 characters without a newline or ";", then the first comparator and a number. */
const COMPILED: CompiledPattern[] = LAB_PATTERNS.map((p) => ({
  ...p,
  phrase: new RegExp(String.raw`(?:${p.names})[^\n;]{0,60}?(?:${COMPARATOR})\s*${NUMBER}`, 'gi'),
  unitRegexes: p.units.map(([source, convert]) => [new RegExp(String.raw`\s*(?:${source})`, 'iy'), convert]),
}));

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function labCriteriaIn(text: string, section: EligibilitySection): { at: number; criterion: LabCriterion }[] {
  const found: { at: number; criterion: LabCriterion }[] = [];
  for (const pattern of COMPILED) {
    for (const m of text.matchAll(pattern.phrase)) {
      const groups = m.slice(1, 1 + COMPARATORS.length);
      const raw = Number(m[1 + COMPARATORS.length]!.replace(/,/g, ''));
      const end = m.index + m[0].length;
      for (const [unitRegex, convert] of pattern.unitRegexes) {
        unitRegex.lastIndex = end;
        const unit = unitRegex.exec(text);
        if (!unit) continue;
        const criterion: LabCriterion = {
          loinc: pattern.loinc,
          name: pattern.name,
          comparator: comparatorOf(groups),
          value: round4(convert(raw)),
          unit: pattern.unit,
          text: text.slice(m.index, end + unit[0].length).replace(/\s+/g, ' '),
          section,
        };
        found.push({ at: m.index, criterion });
        break;
      }
    }
  }
  return found;
}

/**
 * Laboratory thresholds in both sections, in text order (inclusion first), one per (LOINC,
 * comparator, value, section): "ANC ≥ 1.5 x 10^9/L (≥ 1,500/mm3)" gives one criterion.
 */
export function extractLabCriteria(eligibilityText: string): LabCriterion[] {
  const sections = eligibilitySections(eligibilityText);
  const seen = new Set<string>();
  const out: LabCriterion[] = [];
  for (const section of ['inclusion', 'exclusion'] as const) {
    for (const { criterion } of labCriteriaIn(sections[section], section).sort((a, b) => a.at - b.at)) {
      const key = `${criterion.loinc}|${criterion.comparator}|${criterion.value}|${section}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(criterion);
    }
  }
  return out;
}
