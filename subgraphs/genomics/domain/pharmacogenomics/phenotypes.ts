import type { AlleleFunction, DiplotypePhenotype, NamedAllele } from './types';

/*
 * Diplotype → phenotype rules, written as CPIC states them in its diplotype-phenotype tables. Each
 * rule was checked, pair by pair for the alleles we call, against the CPIC table that PharmCAT
 * v3.1.1 ships (src/main/resources/org/pharmgkb/pharmcat/phenotype/<GENE>.json, data version
 * 2025-11-05-00-25); phenotypes.test.ts keeps that check.
 */

export const INDETERMINATE = 'Indeterminate';

const functions = (a: NamedAllele, b: NamedAllele): AlleleFunction[] => [a.function, b.function];
const count = (values: AlleleFunction[], wanted: AlleleFunction): number => values.filter((v) => v === wanted).length;
const result = (phenotype: string, activityScore: number | null = null): DiplotypePhenotype => ({ phenotype, activityScore });

/** CPIC CYP2C19 (clopidogrel 2022, PMID 35034351) for normal, increased and no-function alleles. */
export function cyp2c19Phenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype {
  const f = functions(a, b);
  const normal = count(f, 'Normal function');
  const increased = count(f, 'Increased function');
  const none = count(f, 'No function');
  if (none === 2) return result('Poor Metabolizer');
  if (none === 1 && normal + increased === 1) return result('Intermediate Metabolizer');
  if (increased === 2) return result('Ultrarapid Metabolizer');
  if (increased === 1 && normal === 1) return result('Rapid Metabolizer');
  if (normal === 2) return result('Normal Metabolizer');
  // Decreased/uncertain-function alleles are outside the tested set; never guess for them.
  return result(INDETERMINATE);
}

/** The CPIC activity-score bands shared by CYP2C9 and DPYD: 2 normal, 1–1.5 intermediate, 0–0.5 poor. */
export function activityScorePhenotype(score: number): string {
  if (score >= 2) return 'Normal Metabolizer';
  if (score >= 1) return 'Intermediate Metabolizer';
  return 'Poor Metabolizer';
}

/** CPIC CYP2C9 activity score (phenytoin 2020, PMID 32779747; NSAIDs, PMID 32189324). */
export function cyp2c9Phenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype {
  if (a.activityValue === undefined || b.activityValue === undefined) return result(INDETERMINATE);
  const score = a.activityValue + b.activityValue;
  return result(activityScorePhenotype(score), score);
}

/** CPIC SLCO1B1 (statins 2022, PMID 35152405): transporter function terms, capitalised as CPIC does. */
export function slco1b1Phenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype {
  const f = functions(a, b);
  const uncertain = count(f, 'Uncertain function');
  const none = count(f, 'No function');
  const increased = count(f, 'Increased function');
  if (uncertain > 0) return result(uncertain === 1 && none === 1 ? 'Possible Decreased Function' : INDETERMINATE);
  if (none === 2) return result('Poor Function');
  if (none === 1) return result('Decreased Function');
  if (increased === 2) return result('Increased Function');
  return result('Normal Function');
}

/** CPIC TPMT and NUDT15 (thiopurines 2018 update, PMID 30447069). */
export function thiopurinePhenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype {
  const f = functions(a, b);
  const uncertain = count(f, 'Uncertain function');
  const none = count(f, 'No function');
  if (uncertain > 0) return result(uncertain === 1 && none === 1 ? 'Possible Intermediate Metabolizer' : INDETERMINATE);
  if (none === 2) return result('Poor Metabolizer');
  if (none === 1) return result('Intermediate Metabolizer');
  return result('Normal Metabolizer');
}

/**
 * CPIC names the VKORC1 "phenotype" by the c.-1639 genotype itself (warfarin 2017, PMID 28198005):
 * "-1639 GG", "-1639 AG", "-1639 AA"; the A allele's CPIC function is "Higher coumarin sensitivity".
 */
export function vkorc1Phenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype {
  const higher = count(functions(a, b), 'Higher coumarin sensitivity');
  return result(['-1639 GG', '-1639 AG', '-1639 AA'][higher] ?? INDETERMINATE);
}
