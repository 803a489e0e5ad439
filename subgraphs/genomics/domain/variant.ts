import { ErrorCode, HubError } from '../../../lib/errors';

/** Only GRCh38 is stored; GRCh37 input is refused until a liftover exists (architecture note). */
export const GENOME_BUILD = 'GRCh38';

const CHROMOSOMES = new Set([...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT']);
const BASES = /^[ACGTN]+$/;

export interface VariantKey {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
}

export interface NormalisedVariant extends VariantKey {
  id: string;
  build: string;
}

/** `chr1`/`1` and `chrM`/`M`/`MT` name the same sequence; ids use the bare GRC names. */
export function normaliseChromosome(chrom: string, where: string): string {
  let name = chrom.trim().replace(/^chr/i, '').toUpperCase();
  if (name === 'M') name = 'MT';
  if (!CHROMOSOMES.has(name)) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} chrom: "${chrom}" is not a GRCh38 chromosome (1-22, X, Y, MT)`, {
      field: 'chrom',
    });
  }
  return name;
}

/**
 * Normalises one allele pair without a reference sequence: trims the shared suffix, then the shared
 * prefix, keeping one anchor base as VCF does (Tan, Abecasis & Kang, Bioinformatics 2015;31:2202 —
 * the parsimony half of normalisation; left-shifting through repeats needs the reference and is
 * left to the VCF pipeline).
 */
export function normaliseVariant(input: VariantKey, where = 'variant'): NormalisedVariant {
  const chrom = normaliseChromosome(input.chrom, where);
  if (!Number.isInteger(input.pos) || input.pos < 1) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} pos: ${input.pos} is not a 1-based position`, { field: 'pos' });
  }
  let ref = input.ref.trim().toUpperCase();
  let alt = input.alt.trim().toUpperCase();
  if (!ref) throw new HubError(ErrorCode.INVALID_VARIANT, `${where} ref: REF is empty`, { field: 'ref' });
  if (!BASES.test(ref)) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} ref: "${input.ref}" is not a sequence of A, C, G, T, N`, { field: 'ref' });
  }
  if (!BASES.test(alt)) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} alt: "${input.alt}" is not a sequence of A, C, G, T, N`, { field: 'alt' });
  }
  if (ref === alt) throw new HubError(ErrorCode.INVALID_VARIANT, `${where} alt: ALT equals REF ("${ref}")`, { field: 'alt' });
  let pos = input.pos;
  while (ref.length > 1 && alt.length > 1 && ref.at(-1) === alt.at(-1)) {
    ref = ref.slice(0, -1);
    alt = alt.slice(0, -1);
  }
  while (ref.length > 1 && alt.length > 1 && ref[0] === alt[0]) {
    ref = ref.slice(1);
    alt = alt.slice(1);
    pos += 1;
  }
  return { chrom, pos, ref, alt, build: GENOME_BUILD, id: variantId({ chrom, pos, ref, alt }) };
}

export const variantId = (v: VariantKey): string => `${GENOME_BUILD}:${v.chrom}:${v.pos}:${v.ref}:${v.alt}`;

const VARIANT_ID = /^([^:]+):([^:]+):(\d+):([^:]+):([^:]+)$/;

/** Parses `GRCh38:<chrom>:<pos>:<ref>:<alt>`; anything else is refused with the expected shape. */
export function parseVariantId(id: string): NormalisedVariant {
  const match = VARIANT_ID.exec(id.trim());
  const expected = `expected ${GENOME_BUILD}:<chrom>:<pos>:<ref>:<alt>, e.g. GRCh38:7:140753336:A:T`;
  if (!match) throw new HubError(ErrorCode.INVALID_VARIANT_ID, `variant id "${id}" is malformed: ${expected}`, { field: 'id' });
  const [, build, chrom, pos, ref, alt] = match as unknown as [string, string, string, string, string, string];
  if (build !== GENOME_BUILD) {
    throw new HubError(ErrorCode.INVALID_VARIANT_ID, `variant id "${id}": build ${build} is not supported (${expected})`, {
      field: 'id',
    });
  }
  try {
    const variant = normaliseVariant({ chrom, pos: Number(pos), ref, alt }, `variant id "${id}"`);
    if (variant.id !== id.trim()) {
      throw new HubError(ErrorCode.INVALID_VARIANT_ID, `variant id "${id}" is not normalised; the normalised id is ${variant.id}`, {
        field: 'id',
      });
    }
    return variant;
  } catch (error) {
    if (error instanceof HubError && error.code === ErrorCode.INVALID_VARIANT) {
      throw new HubError(ErrorCode.INVALID_VARIANT_ID, error.message, { field: 'id' });
    }
    throw error;
  }
}

export type Zygosity = 'HOMOZYGOUS_REFERENCE' | 'HETEROZYGOUS' | 'HOMOZYGOUS_ALTERNATE' | 'HEMIZYGOUS' | 'NO_CALL';

export interface ParsedGenotype {
  genotype: string;
  phased: boolean;
  zygosity: Zygosity;
}

/** VCF GT for a biallelic record (allele 1 = ALT): `0/1`, `1|1`, `./.`, haploid `1`. */
export function parseGenotype(gt: string, where = 'genotype'): ParsedGenotype {
  const value = gt.trim();
  if (!/^[0-9.]+([/|][0-9.]+)*$/.test(value)) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where}: "${gt}" is not a VCF GT value such as 0/1 or 1|1`, {
      field: 'genotype',
    });
  }
  const alleles = value.split(/[/|]/);
  const phased = value.includes('|');
  if (alleles.some((a) => a !== '.' && a !== '0' && a !== '1')) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where}: "${gt}" refers to an allele other than REF (0) or ALT (1)`, {
      field: 'genotype',
    });
  }
  let zygosity: Zygosity;
  if (alleles.includes('.')) zygosity = 'NO_CALL';
  else if (alleles.length === 1) zygosity = alleles[0] === '1' ? 'HEMIZYGOUS' : 'HOMOZYGOUS_REFERENCE';
  else if (alleles.every((a) => a === '1')) zygosity = 'HOMOZYGOUS_ALTERNATE';
  else if (alleles.every((a) => a === '0')) zygosity = 'HOMOZYGOUS_REFERENCE';
  else zygosity = 'HETEROZYGOUS';
  return { genotype: value, phased, zygosity };
}
