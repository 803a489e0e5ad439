import { ErrorCode, HubError } from '../../../lib/errors';

/** Only GRCh38 is stored; GRCh37 input is refused until a liftover exists (architecture note). */
export const GENOME_BUILD = 'GRCh38';

const CHROMOSOMES = new Set([...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT']);
const BASES = /^[ACGTN]+$/;

/**
 * GRCh38 primary-assembly sequence lengths, chr1-22, X, Y and MT (chrM), from the NCBI GRCh38.p14
 * assembly report (GCF_000001405.40, `Sequence-Length` of the assembled-molecule rows; patches do not
 * change them). A position beyond its chromosome's end is refused unless the caller passes lengths
 * of its own (a VCF's `##contig` header lines).
 */
export const GRCH38_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['1', 248956422], ['2', 242193529], ['3', 198295559], ['4', 190214555], ['5', 181538259], ['6', 170805979],
  ['7', 159345973], ['8', 145138636], ['9', 138394717], ['10', 133797422], ['11', 135086622], ['12', 133275309],
  ['13', 114364328], ['14', 107043718], ['15', 101991189], ['16', 90338345], ['17', 83257441], ['18', 80373285],
  ['19', 58617616], ['20', 64444167], ['21', 46709983], ['22', 50818468], ['X', 156040895], ['Y', 57227415],
  ['MT', 16569],
]);

/**
 * Longest REF or ALT accepted, in bases. The variant id holds both alleles and is a key of btree
 * indexes (variant_calls' primary key and variant index), whose entries PostgreSQL caps at about a
 * third of an 8 kB page (~2,700 bytes): two alleles of 1,000 bases keep an id near 2,030 bytes, under
 * it; 10,000 would not (a 1 MB REF failed in the index as "index row requires ... bytes"). Longer
 * events are structural variants, which VCF writes as symbolic ALTs (<DEL>), skipped by ingestion.
 */
export const MAX_ALLELE_LENGTH = 1000;

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
export function normaliseVariant(input: VariantKey, where = 'variant', contigLengths?: ReadonlyMap<string, number>): NormalisedVariant {
  const chrom = normaliseChromosome(input.chrom, where);
  if (!Number.isInteger(input.pos) || input.pos < 1) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} pos: ${input.pos} is not a 1-based position`, { field: 'pos' });
  }
  const declared = contigLengths?.get(chrom);
  const length = declared ?? GRCH38_LENGTHS.get(chrom)!;
  if (input.pos > length) {
    throw new HubError(ErrorCode.INVALID_VARIANT, `${where} pos: ${input.pos} is beyond the end of chromosome ${chrom} (${lengthSource(length, declared)})`, {
      field: 'pos',
    });
  }
  // Two plain checks, no per-call allocation: this runs for every VCF record.
  if (input.ref.length > MAX_ALLELE_LENGTH) throw tooLong(where, 'ref', input.ref.length);
  if (input.alt.length > MAX_ALLELE_LENGTH) throw tooLong(where, 'alt', input.alt.length);
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
  if (input.pos + ref.length - 1 > length) {
    throw new HubError(
      ErrorCode.INVALID_VARIANT,
      `${where} ref: ${ref.length} bases from ${input.pos} run past the end of chromosome ${chrom} (${lengthSource(length, declared)})`,
      { field: 'ref' },
    );
  }
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

const tooLong = (where: string, field: 'ref' | 'alt', bases: number) =>
  new HubError(ErrorCode.INVALID_VARIANT, `${where} ${field}: ${bases} bases exceed the limit of ${MAX_ALLELE_LENGTH} per allele`, { field });

const lengthSource = (length: number, declared: number | undefined) =>
  `${length} bases ${declared === undefined ? 'in GRCh38' : 'in the ##contig header'}`;

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
