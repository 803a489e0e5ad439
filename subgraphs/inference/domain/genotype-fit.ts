/**
 * Whether a patient's calls in a disease gene fit the disease's mode of inheritance: the genotype half of a
 * rare-disease ranking (rare-disease-ranking.ts). One heterozygous variant in the gene of an autosomal-recessive
 * disease is carrier state, about 1 person in 50–100 for a common recessive gene, not evidence of the disease;
 * LIRICAL (Robinson et al., AJHG 2020, PMID:32755546) likewise weighs a gene down when the patient has fewer
 * pathogenic alleles than the disease's mode of inheritance needs (two for autosomal recessive, one for
 * dominant and for X-linked recessive in a male).
 *
 * Modes of inheritance are HPO terms under HP:0000005 (HPOA aspect I rows). Only the two recessive modes ask
 * for two alleles; every other mode (dominant, X-linked unspecified or dominant, mitochondrial, somatic,
 * semidominant, …) asks for one, and a disease with several modes fits when any of them does. A disease
 * without a stated mode, or calls whose zygosity is unknown, cannot be judged: the gene counts, and the note says so.
 *
 * Alleles per gene: a homozygous-alternate call is two, a hemizygous call is the only copy (it fits any mode),
 * a heterozygous call is one; two heterozygous calls in one gene are taken as compound heterozygous (in trans)
 * because stored calls carry no phase set: the note says so, since two variants in cis are one allele.
 * Pathogenicity is not weighed: the hub holds no ClinVar or population frequencies (README, rare-disease section).
 */

export type CarriedZygosity = 'HETEROZYGOUS' | 'HOMOZYGOUS_ALTERNATE' | 'HEMIZYGOUS';

/** The patient's carried calls in one gene; `calls` empty when the zygosity is not known. */
export interface GeneGenotype {
  gene: string;
  calls: readonly CarriedZygosity[];
}

export type GenotypeSex = 'female' | 'male' | null;

/** HPO HP:0000007 Autosomal recessive inheritance. */
export const AUTOSOMAL_RECESSIVE = 'HP:0000007';
/** HPO HP:0001419 X-linked recessive inheritance. */
export const X_LINKED_RECESSIVE = 'HP:0001419';

export interface GenotypeFit {
  gene: string;
  /** The gene counts for the disease: the calls give the alleles one of its modes needs (or it cannot be judged). */
  fits: boolean;
  /** Why, in a sentence a clinician reads beside the ranking. */
  note: string;
}

const MODE_NAMES: Record<string, string> = { [AUTOSOMAL_RECESSIVE]: 'autosomal recessive', [X_LINKED_RECESSIVE]: 'X-linked recessive' };

/** Alleles the calls carry (hemizygous: the only copy, as good as two). */
function alleles(calls: readonly CarriedZygosity[]): number {
  return calls.reduce((sum, zygosity) => sum + (zygosity === 'HETEROZYGOUS' ? 1 : 2), 0);
}

/** Alleles a recessive mode needs: two, but one for X-linked recessive in a male. */
function allelesNeeded(mode: string, sex: GenotypeSex): number {
  return mode === X_LINKED_RECESSIVE && sex === 'male' ? 1 : 2;
}

function describeCalls(calls: readonly CarriedZygosity[]): string {
  const count = (zygosity: CarriedZygosity) => calls.filter((c) => c === zygosity).length;
  const parts: string[] = [];
  const het = count('HETEROZYGOUS');
  const hom = count('HOMOZYGOUS_ALTERNATE');
  const hemi = count('HEMIZYGOUS');
  if (hom) parts.push(`${hom === 1 ? 'one' : hom} homozygous`);
  if (hemi) parts.push(`${hemi === 1 ? 'one' : hemi} hemizygous`);
  if (het) parts.push(`${het === 1 ? 'one' : het} heterozygous`);
  return `${parts.join(', ')} variant${calls.length === 1 ? '' : 's'}`;
}

/** Does `genotype` fit a disease with these modes of inheritance (HPO ids)? Pure; the note explains the answer. */
export function genotypeFit(genotype: GeneGenotype, inheritance: readonly string[], sex: GenotypeSex): GenotypeFit {
  const { gene, calls } = genotype;
  if (calls.length === 0) return { gene, fits: true, note: `${gene}: a variant of unknown zygosity; counted without checking the mode of inheritance` };
  const carried = `${gene}: ${describeCalls(calls)}`;
  if (inheritance.length === 0) return { gene, fits: true, note: `${carried}; the disease states no mode of inheritance, so counted` };
  const recessiveOnly = inheritance.every((mode) => mode in MODE_NAMES);
  const have = alleles(calls);
  if (!recessiveOnly) return { gene, fits: true, note: `${carried}; fits a mode of inheritance the disease states (${inheritance.join(', ')})` };
  const fitting = inheritance.find((mode) => have >= allelesNeeded(mode, sex));
  const modes = inheritance.map((mode) => `${MODE_NAMES[mode]} (${mode})`).join(' or ');
  if (fitting) {
    const inTrans = calls.every((c) => c === 'HETEROZYGOUS') ? ', taken as compound heterozygous (phase not stored)' : '';
    return { gene, fits: true, note: `${carried}${inTrans}; fits ${modes}` };
  }
  const why = inheritance.includes(X_LINKED_RECESSIVE) && sex !== 'male' ? `${sex === 'female' ? 'a female patient' : 'a patient of unrecorded sex'}: ` : '';
  return { gene, fits: false, note: `${carried}; the disease is ${modes}: ${why}carrier state, not counted` };
}
