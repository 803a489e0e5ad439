/*
 * Star-allele genes take their phenotype from CPIC's diplotype table as PharmCAT ships it
 * (pharmcat-definitions.ts). DPYD is scored variant by variant (dpyd.ts) with CPIC's activity bands.
 */

export const INDETERMINATE = 'Indeterminate';
/** No call at any of the gene's defining positions: the patient was not genotyped there (not a test result). */
export const NOT_GENOTYPED = 'Not genotyped';

/** The CPIC activity-score bands shared by CYP2C9 and DPYD: 2 normal, 1–1.5 intermediate, 0–0.5 poor. */
export function activityScorePhenotype(score: number): string {
  if (score >= 2) return 'Normal Metabolizer';
  if (score >= 1) return 'Intermediate Metabolizer';
  return 'Poor Metabolizer';
}
