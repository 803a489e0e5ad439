/**
 * IWPC warfarin dosing algorithms: the pharmacogenetic algorithm and the clinical (non-genetic) one.
 * International Warfarin Pharmacogenetics Consortium (Klein TE et al.). Estimation of the warfarin dose
 * with clinical and pharmacogenetic data. N Engl J Med 2009;360:753-764, PMID:19228618; supplementary
 * appendix S1e (pharmacogenetic) and S1f (clinical). Both predict the square root of the stable weekly
 * dose (target INR 2–3). CPIC names the IWPC algorithm as one it recommends (Johnson JA et al., Clin
 * Pharmacol Ther 2017;102:397-404, PMID:28198005).
 *
 * Coefficients were checked against independent transcriptions of the appendix, which agree to the
 * fourth decimal:
 *   pharmacogenetic: jjzhuwu/Warfarin-dosing@08649bf56987e70cb96f8c56a4899cb6c24ecbfc/baseline.py,
 *     mrlsdvd/warfarin-dose-estimation@00db0ab746a09b76191fa55bb2e7253d69a53bbd/src/models.py,
 *     junjiedong/warfarin-bandit@15ce7f5a403709ef580ae4075034d53ba1892584/src/baselines.py ("Appx S1e"),
 *     pzweuj/Warfarin-Dosage-Calculator@0fab75c5fa6768840b6c497fdae4d9a9ab04f872/components/models/iwpc-calculator.tsx
 *     (same coefficients, but it exponentiates instead of squaring and uses age/10: not followed);
 *   clinical: the same three Python files, N-Demir/WarfarinDose@327a2848cfda791b8f8b5698a10ae23e50a022f7/baselines.py
 *     and varun-tandon/WarfarinDosing@244129c61c7dd0fac35c5c5c14a2d2527e4b97f2/constants.py ("S1f"); one
 *     further copy (wbakst/WarfarinBandits, src/baseline_linear_regression.py) has intercept 4.0375, a
 *     lone outlier against 4.0376 everywhere else.
 * Most of these are independent student transcriptions of the one appendix; none is the paper itself.
 *
 * "Age in decades" is the decade number of the IWPC data set's age bands ("50 - 59" → 5, top band
 * "90+" → 9): the transcriptions take the band's first digit (jjzhuwu load_data.py; junjiedong
 * data_proc.py) and document it as an integer in [0, 9] (mrlsdvd models.py).
 */
import { ErrorCode, HubError } from '../../../lib/errors';

export type WarfarinRace = 'ASIAN' | 'BLACK' | 'WHITE' | 'OTHER' | 'MIXED_OR_MISSING';
/** VKORC1 −1639 G>A (rs9923231) genotype. */
export type Vkorc1Genotype = 'GG' | 'AG' | 'AA';

export interface WarfarinInput {
  age: number | null;
  heightCm: number | null;
  weightKg: number | null;
  race: WarfarinRace | null;
  vkorc1Rs9923231: Vkorc1Genotype | null;
  /** CYP2C9 star-allele diplotype, e.g. '*1/*3'. */
  cyp2c9Diplotype: string | null;
  /** Carbamazepine, phenytoin, rifampin/rifampicin (IWPC "enzyme inducer status"). */
  enzymeInducer: boolean | null;
  amiodarone: boolean | null;
}

export type WarfarinAlgorithm = 'IWPC pharmacogenetic' | 'IWPC clinical';

export interface WarfarinDose {
  /** mg/week, one decimal; null when a required input is missing or the estimate is out of range. */
  weeklyDoseMg: number | null;
  /** mg/day (unrounded weekly dose / 7), one decimal. */
  dailyDoseMg: number | null;
  algorithm: WarfarinAlgorithm;
  missing: string[];
  notes: string[];
  source: string;
}

export type WarfarinField = 'age' | 'heightCm' | 'weightKg' | 'cyp2c9Diplotype';

export class WarfarinInputError extends HubError {
  override name = 'WarfarinInputError';
  constructor(
    message: string,
    readonly field: WarfarinField,
  ) {
    super(ErrorCode.INVALID_RISK_INPUT, message, { field });
  }
}

/**
 * Not the algorithm's derivation ranges (the paper does not state validity limits): bounds that catch a
 * typing or unit error before it becomes a dose. Adults only; the IWPC cohort was adult.
 */
export const WARFARIN_PLAUSIBLE_RANGES = {
  age: { min: 18, max: 100, unit: 'years' },
  heightCm: { min: 120, max: 220, unit: 'cm' },
  weightKg: { min: 30, max: 250, unit: 'kg' },
} as const;

type Cyp2c9Modelled = '*1/*1' | '*1/*2' | '*1/*3' | '*2/*2' | '*2/*3' | '*3/*3';

/** IWPC 2009 appendix S1e: Σ = square root of weekly dose (mg). Reference: VKORC1 G/G, CYP2C9 *1/*1, white. */
export const IWPC_PHARMACOGENETIC = {
  intercept: 5.6044,
  ageDecades: -0.2614,
  heightCm: 0.0087,
  weightKg: 0.0128,
  vkorc1: { GG: 0, AG: -0.8677, AA: -1.6974, unknown: -0.4854 },
  cyp2c9: { '*1/*1': 0, '*1/*2': -0.5211, '*1/*3': -0.9357, '*2/*2': -1.0616, '*2/*3': -1.9206, '*3/*3': -2.3312, unknown: -0.2188 },
  race: { WHITE: 0, ASIAN: -0.1092, BLACK: -0.276, MIXED_OR_MISSING: -0.1032 },
  enzymeInducer: 1.1816,
  amiodarone: -0.5503,
} as const;

/** IWPC 2009 appendix S1f: Σ = square root of weekly dose (mg). Reference: white. */
export const IWPC_CLINICAL = {
  intercept: 4.0376,
  ageDecades: -0.2546,
  heightCm: 0.0118,
  weightKg: 0.0134,
  race: { WHITE: 0, ASIAN: -0.6752, BLACK: 0.406, MIXED_OR_MISSING: 0.0443 },
  enzymeInducer: 1.2799,
  amiodarone: -0.5695,
} as const;

const SOURCE =
  'IWPC 2009: Klein TE et al., N Engl J Med 2009;360:753-764 (PMID:19228618), appendix S1e/S1f; ' +
  'CPIC warfarin guideline 2017: Johnson JA et al., Clin Pharmacol Ther 2017;102:397-404 (PMID:28198005)';

const MODELLED_DIPLOTYPES: readonly Cyp2c9Modelled[] = ['*1/*1', '*1/*2', '*1/*3', '*2/*2', '*2/*3', '*3/*3'];
/** CPIC 2017: alleles of importance in African ancestry that the IWPC algorithm does not include. */
const AFRICAN_ANCESTRY_ALLELES = new Set(['*5', '*6', '*8', '*11']);
const DIPLOTYPE = /^(\*\d+[A-Z]?)\s*\/\s*(\*\d+[A-Z]?)$/;

const round1 = (x: number) => Math.round(x * 10) / 10;
const alleleNumber = (allele: string) => Number.parseInt(allele.slice(1), 10);

function checkPlausible(field: keyof typeof WARFARIN_PLAUSIBLE_RANGES, value: number): void {
  const range = WARFARIN_PLAUSIBLE_RANGES[field];
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new WarfarinInputError(
      `${field} ${value} is implausible (outside ${range.min}–${range.max} ${range.unit})`,
      field,
    );
  }
}

interface Cyp2c9Reading {
  modelled: Cyp2c9Modelled | null;
  alleles: [string, string] | null;
}

/** Orders the alleles (*3/*1 → *1/*3) and says whether the diplotype is one of the six modelled. */
function readCyp2c9(diplotype: string | null): Cyp2c9Reading {
  if (diplotype === null) return { modelled: null, alleles: null };
  const match = DIPLOTYPE.exec(diplotype.trim());
  if (!match) {
    throw new WarfarinInputError(`cyp2c9Diplotype '${diplotype}' is not a star-allele diplotype such as *1/*3`, 'cyp2c9Diplotype');
  }
  const alleles = [match[1]!, match[2]!].sort((a, b) => alleleNumber(a) - alleleNumber(b) || a.localeCompare(b)) as [string, string];
  const normalised = `${alleles[0]}/${alleles[1]}`;
  const modelled = MODELLED_DIPLOTYPES.find((d) => d === normalised) ?? null;
  return { modelled, alleles };
}

/** Decade number of the IWPC age bands: 50–59 → 5; the data set's top band is "90+" → 9. */
export function iwpcAgeDecades(age: number): number {
  return Math.min(Math.floor(age / 10), 9);
}

/**
 * Estimated stable weekly warfarin dose (target INR 2–3) by the IWPC pharmacogenetic algorithm, or by the
 * IWPC clinical algorithm when neither VKORC1 nor a modelled CYP2C9 genotype is known. Age, height and
 * weight are required; none is ever defaulted. Throws WarfarinInputError for an implausible value.
 */
export function iwpcWarfarinDose(input: WarfarinInput): WarfarinDose {
  if (input.age !== null) checkPlausible('age', input.age);
  if (input.heightCm !== null) checkPlausible('heightCm', input.heightCm);
  if (input.weightKg !== null) checkPlausible('weightKg', input.weightKg);
  const cyp2c9 = readCyp2c9(input.cyp2c9Diplotype);

  const notes: string[] = [];
  const algorithm: WarfarinAlgorithm =
    input.vkorc1Rs9923231 === null && cyp2c9.modelled === null ? 'IWPC clinical' : 'IWPC pharmacogenetic';

  if (cyp2c9.alleles !== null && cyp2c9.modelled === null) {
    const unmodelled = cyp2c9.alleles.filter((a) => !['*1', '*2', '*3'].includes(a));
    notes.push(
      `CYP2C9 ${cyp2c9.alleles.join('/')}: the IWPC algorithm models only *1, *2 and *3; ` +
        `${unmodelled.join(' and ')} is not modelled, so the genotype is treated as unknown.`,
    );
    // CPIC 2017 Figure 2 (read at pmc.ncbi.nlm.nih.gov/articles/PMC5546947/figure/F2, note g for homozygotes);
    // the 15–30% figure as summarised in Frontiers in Pharmacology 2022;13:866058, Table 3 (PMC9014219).
    if (input.race === 'BLACK' && unmodelled.some((a) => AFRICAN_ANCESTRY_ALLELES.has(a))) {
      notes.push(
        'CPIC 2017 recommends, for carriers of CYP2C9*5, *6, *8 or *11 of African ancestry, decreasing the ' +
          'algorithm-calculated dose by 15–30% (larger reductions, 20–40%, may be needed in variant homozygotes); ' +
          'that reduction is not applied here.',
      );
    }
  }
  if (algorithm === 'IWPC clinical') {
    notes.push('No VKORC1 or modelled CYP2C9 genotype: the IWPC clinical (non-genetic) algorithm was used.');
  } else {
    if (input.vkorc1Rs9923231 === null) {
      notes.push('VKORC1 rs9923231 genotype unknown: the algorithm\'s "VKORC1 genotype unknown" term was used.');
    }
    if (cyp2c9.modelled === null) {
      notes.push('CYP2C9 genotype unknown: the algorithm\'s "CYP2C9 genotype unknown" term was used.');
    }
  }

  let race: keyof typeof IWPC_CLINICAL.race;
  if (input.race === null) {
    race = 'MIXED_OR_MISSING';
    notes.push('Race not recorded: the algorithm\'s "missing or mixed race" term was used.');
  } else if (input.race === 'OTHER') {
    // IWPC grouped race as white, Asian, Black or African American, and missing or mixed; it has no
    // term for other groups, so they take the residual category rather than the white reference.
    race = 'MIXED_OR_MISSING';
    notes.push('The IWPC algorithm has no term for this race: the "missing or mixed race" term was used.');
  } else {
    race = input.race;
  }
  if (input.race === 'BLACK') {
    // CPIC 2017, Figure 2 note c; the IWPC algorithm over-dosed African American carriers of these
    // CYP2C9 variants (Drozda K et al., Pharmacogenet Genomics 2015;25:73-81, PMID:25461246).
    notes.push(
      'CPIC 2017: 45–50% of individuals with self-reported African ancestry carry CYP2C9*5, *6, *8, *11 or ' +
        'rs12777823, which the IWPC algorithm does not include, so it may overestimate the dose; if CYP2C9*5, ' +
        '*6, *8 and *11 were not tested, CPIC recommends dosing warfarin clinically.',
    );
  }
  if (input.enzymeInducer === null) {
    notes.push('Enzyme-inducer use (carbamazepine, phenytoin, rifampin) not recorded: assumed absent.');
  }
  if (input.amiodarone === null) notes.push('Amiodarone use not recorded: assumed absent.');

  const missing = (['age', 'heightCm', 'weightKg'] as const).filter((field) => input[field] === null);
  if (input.age === null || input.heightCm === null || input.weightKg === null) {
    return { weeklyDoseMg: null, dailyDoseMg: null, algorithm, missing, notes, source: SOURCE };
  }

  const decades = iwpcAgeDecades(input.age);
  const inducer = input.enzymeInducer === true ? 1 : 0;
  const amiodarone = input.amiodarone === true ? 1 : 0;
  let sqrtWeekly: number;
  if (algorithm === 'IWPC clinical') {
    const c = IWPC_CLINICAL;
    sqrtWeekly =
      c.intercept + c.ageDecades * decades + c.heightCm * input.heightCm + c.weightKg * input.weightKg +
      c.race[race] + c.enzymeInducer * inducer + c.amiodarone * amiodarone;
  } else {
    const c = IWPC_PHARMACOGENETIC;
    sqrtWeekly =
      c.intercept + c.ageDecades * decades + c.heightCm * input.heightCm + c.weightKg * input.weightKg +
      c.vkorc1[input.vkorc1Rs9923231 ?? 'unknown'] + c.cyp2c9[cyp2c9.modelled ?? 'unknown'] +
      c.race[race] + c.enzymeInducer * inducer + c.amiodarone * amiodarone;
  }

  // Squaring a negative prediction would turn it into a spurious positive dose.
  if (sqrtWeekly <= 0) {
    notes.push('The combination of inputs lies outside the range the algorithm can estimate (predicted square root ≤ 0).');
    return { weeklyDoseMg: null, dailyDoseMg: null, algorithm, missing, notes, source: SOURCE };
  }
  const weekly = sqrtWeekly ** 2;
  return { weeklyDoseMg: round1(weekly), dailyDoseMg: round1(weekly / 7), algorithm, missing, notes, source: SOURCE };
}
