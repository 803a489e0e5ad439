/**
 * How old a recorded value may be before a risk estimate calls it stale. Decision (issue 17): a stale value
 * is *used and flagged*, never silently dropped: the estimate names it, its date and its maximum age in
 * `staleInputs` and a note, so the clinician sees both the figure and what to re-measure. Withholding it
 * would turn the estimate into "missing" and hide the very value that needs repeating; the flag is the
 * same for every input below, so no input is withheld.
 *
 * | input                     | maximum age | why |
 * | total / HDL cholesterol   | 5 years     | the 2013 ACC/AHA risk assessment guideline (Goff DC et al., Circulation 2014;129:S49: "reasonable to assess traditional ASCVD risk factors every 4 to 6 years" in adults 20–79 free of ASCVD) and the 2018 AHA/ACC cholesterol guideline (Grundy SM et al., Circulation 2019;139:e1082) reassess traditional risk factors every 4–6 years; 5 is the middle |
 * | systolic blood pressure   | 1 year      | the 2017 ACC/AHA BP guideline (Whelton PK et al., Hypertension 2018;71:e13) re-evaluates adults with normal BP yearly, elevated or raised BP sooner |
 * | BMI                       | 2 years     | no guideline interval; project choice: weight changes within a few years, and PREVENT's BMI is the current one |
 * | eGFR, creatinine, cystatin C | 1 year   | KDIGO 2012 CKD guideline (Kidney Int Suppl 2013;3:1) assesses GFR at least yearly in CKD; the PREVENT eGFR term needs the current kidney function |
 * | smoking status            | 1 year      | USPSTF 2021 (JAMA 2021;325:265) asks every adult about tobacco at visits; a year is the usual visit cycle (project choice) |
 *
 * Age is not recorded: it is computed at the estimate's time (`asOf`). Problem-list and medication facts
 * (diabetes, treatment, statin) have no maximum age: their status (active, resolved) says whether they hold.
 */
export const DAY_MS = 86_400_000;

export const MAX_AGE_DAYS = {
  totalCholesterol: 5 * 365,
  hdlCholesterol: 5 * 365,
  systolicBp: 365,
  bmi: 2 * 365,
  egfr: 365,
  creatinine: 365,
  cystatinC: 365,
  smoker: 365,
} as const;
export type DatedInputKind = keyof typeof MAX_AGE_DAYS;

/** Whole days from `effectiveAt` to `at` (0 for a value from the future, e.g. a clock skew). */
export function ageInDays(effectiveAt: string, at: Date): number {
  const days = Math.floor((at.getTime() - Date.parse(effectiveAt)) / DAY_MS);
  return days > 0 ? days : 0;
}

export function isStale(kind: DatedInputKind, effectiveAt: string, at: Date): boolean {
  return ageInDays(effectiveAt, at) > MAX_AGE_DAYS[kind];
}

/** "4.2 years" or "200 days": how a note states an age. */
export function describeAge(days: number): string {
  return days >= 365 ? `${(days / 365.25).toFixed(1)} years` : `${days} days`;
}
