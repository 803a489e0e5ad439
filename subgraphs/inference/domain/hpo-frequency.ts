/**
 * The frequency of a phenotype in a disease, as HPO annotation files (`phenotype.hpoa`, column `frequency`) give
 * it, read as a probability for the rare-disease ranking's likelihood ratios (phenotype-likelihood.ts).
 *
 * The HPOA format (HPO annotation documentation, "Frequency"; Köhler S et al. The Human Phenotype Ontology in
 * 2021. Nucleic Acids Res 2021;49:D1207–D1217, PMID:33264411) allows three forms:
 * - a term of HPO's Frequency sub-ontology (HP:0040279), whose definitions in the ontology give a range:
 *   HP:0040280 Obligate "Always present, i.e. in 100% of the cases"; HP:0040281 Very frequent "Present in 80% to
 *   99% of the cases"; HP:0040282 Frequent "30% to 79%"; HP:0040283 Occasional "5% to 29%"; HP:0040284 Very rare
 *   "1% to 4%"; HP:0040285 Excluded "Present in 0% of the cases" (hp.json 2023-01-27);
 * - n/m, "n of the m patients with the disease had the feature in the study cited";
 * - a percentage, e.g. 17%.
 * A range is read as its midpoint, the point estimate LIRICAL uses through phenol (Robinson PN et al. Am J Hum
 * Genet 2020;107:403–417, PMID:32755546).
 */

export interface HpoFrequency {
  /** Point estimate, 0 to 1. */
  frequency: number;
  /** The published range (equal to `frequency` for n/m and x%). */
  low: number;
  high: number;
}

/** HPO Frequency sub-ontology terms with the ranges their definitions give (percent). */
export const HPO_FREQUENCY_TERMS: Readonly<Record<string, { name: string; lowPercent: number; highPercent: number }>> = {
  'HP:0040280': { name: 'Obligate', lowPercent: 100, highPercent: 100 },
  'HP:0040281': { name: 'Very frequent', lowPercent: 80, highPercent: 99 },
  'HP:0040282': { name: 'Frequent', lowPercent: 30, highPercent: 79 },
  'HP:0040283': { name: 'Occasional', lowPercent: 5, highPercent: 29 },
  'HP:0040284': { name: 'Very rare', lowPercent: 1, highPercent: 4 },
  'HP:0040285': { name: 'Excluded', lowPercent: 0, highPercent: 0 },
};

/**
 * One HPOA frequency value; null when empty or not one of the three forms (n > m, m = 0, a percentage over
 * 100, an unknown term), so that a malformed value counts as "frequency not stated", never as a number.
 */
export function parseHpoFrequency(raw: string | null | undefined): HpoFrequency | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  const term = HPO_FREQUENCY_TERMS[value];
  if (term) {
    const low = term.lowPercent / 100;
    const high = term.highPercent / 100;
    return { frequency: (low + high) / 2, low, high };
  }
  const ratio = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
  if (ratio) {
    const n = Number(ratio[1]);
    const m = Number(ratio[2]);
    if (m === 0 || n > m) return null;
    return point(n / m);
  }
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (percent) {
    const p = Number(percent[1]);
    return p <= 100 ? point(p / 100) : null;
  }
  return null;
}

function point(frequency: number): HpoFrequency {
  return { frequency, low: frequency, high: frequency };
}

/**
 * One frequency for a disease–phenotype pair that HPOA lists once per reference: n/m counts are pooled
 * (Σn / Σm, the cohorts taken together); other forms, and counts beside them, are averaged with equal weight.
 * Null when no reference states one.
 */
export function pooledHpoFrequency(raws: readonly (string | null | undefined)[]): number | null {
  let affected = 0;
  let examined = 0;
  const others: number[] = [];
  for (const raw of raws) {
    const parsed = parseHpoFrequency(raw);
    if (!parsed) continue;
    const ratio = /^(\d+)\s*\/\s*(\d+)$/.exec(raw!.trim());
    if (ratio) {
      affected += Number(ratio[1]);
      examined += Number(ratio[2]);
    } else others.push(parsed.frequency);
  }
  const estimates = examined > 0 ? [affected / examined, ...others] : others;
  if (estimates.length === 0) return null;
  return estimates.reduce((sum, f) => sum + f, 0) / estimates.length;
}
