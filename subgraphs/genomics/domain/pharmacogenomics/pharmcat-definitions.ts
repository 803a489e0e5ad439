import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { normaliseVariant } from '../variant';
import { REFERENCE, alleleToken } from './observations';
import { INDETERMINATE } from './phenotypes';
import type { DefiningVariant, DiplotypePhenotype, NamedAllele, StarAlleleGene } from './types';

/*
 * Allele definitions and CPIC diplotype → phenotype tables read at start-up from PharmCAT's own data
 * files, vendored unchanged (gzip) in data/pharmcat/ — see data/pharmcat/SOURCE.md for origin,
 * version and licences (ClinPGx/PharmGKB data CC BY-SA 4.0; PharmCAT MPL-2.0). Reading them rather
 * than generating TypeScript keeps one source of truth: a data update is a file swap, checked by the
 * PharmCAT acceptance test, with no generated code to drift from it.
 *
 * Format (PharmCAT definition formatVersion 2): `variants[i]` is a position with VCF REF and ALTs;
 * `namedAlleles[j].alleles[i]` is the base the allele carries there — null for "not part of the
 * definition" (reference), an IUPAC ambiguity code (e.g. CYP2C19*4 "Y" at rs12248560) for "either".
 */

const DATA_DIR = path.join(__dirname, 'data', 'pharmcat');

interface TranslationVariant {
  position: number;
  rsid: string | null;
  chromosomeHgvsName: string;
  ref: string;
  alts: string[];
}
interface TranslationAllele {
  name: string;
  alleles: (string | null)[];
  reference: boolean;
}
interface Translation {
  gene: string;
  chromosome: string;
  genomeBuild: string;
  version: string;
  source: string;
  variants: TranslationVariant[];
  namedAlleles: TranslationAllele[];
}
interface PhenotypeFile {
  version: string;
  diplotypes: { diplotypekey: Record<string, number>; generesult: string; activityScore: string | null }[];
}

const IUPAC: Record<string, string[]> = {
  R: ['A', 'G'], Y: ['C', 'T'], S: ['C', 'G'], W: ['A', 'T'], K: ['G', 'T'], M: ['A', 'C'],
  B: ['C', 'G', 'T'], D: ['A', 'G', 'T'], H: ['A', 'C', 'T'], V: ['A', 'C', 'G'], N: ['A', 'C', 'G', 'T'],
};

export function readPharmcatFile<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(path.join(DATA_DIR, name))).toString('utf8')) as T;
}

/** The allele tokens a definition's entry allows at one position (a null entry: the reference). */
function tokensAt(gene: string, allele: string, v: TranslationVariant, chrom: string, base: string | null, variants: Map<string, DefiningVariant>): string[] {
  if (base === null || base === v.ref) return [REFERENCE];
  const bases = v.alts.includes(base) || base.length > 1 ? [base] : (IUPAC[base] ?? []);
  if (!bases.length) throw new Error(`${gene} ${allele}: "${base}" at ${v.position} is neither REF, an ALT nor an IUPAC code`);
  return bases.map((b) => {
    if (b === v.ref) return REFERENCE;
    if (!v.alts.includes(b)) throw new Error(`${gene} ${allele}: ${b} at ${v.position} is not among the ALTs ${v.alts.join(',')}`);
    // The hub stores and matches minimal, left-aligned variants: the same trimming applies here.
    const n = normaliseVariant({ chrom, pos: v.position, ref: v.ref, alt: b });
    // Sites are looked up at the definition's position: a definition that trims to another one would be missed.
    if (n.pos !== v.position) throw new Error(`${gene} ${allele}: ${v.ref}>${b} at ${v.position} normalises to position ${n.pos}`);
    const token = alleleToken(n.ref, n.alt);
    variants.set(`${n.pos}|${token}`, { id: `${v.chromosomeHgvsName}${v.alts.length > 1 ? ` (${b})` : ''}`, rsid: v.rsid ?? v.chromosomeHgvsName, pos: n.pos, ref: n.ref, alt: n.alt });
    return token;
  });
}

/** CPIC's diplotype table: unordered pair of allele names → phenotype (and activity score). */
function phenotypeTable(file: PhenotypeFile): (a: NamedAllele, b: NamedAllele) => DiplotypePhenotype {
  const key = (names: string[]) => [...names].sort().join('\u0000');
  const table = new Map<string, DiplotypePhenotype>();
  for (const d of file.diplotypes) {
    const names = Object.entries(d.diplotypekey).flatMap(([name, count]) => Array<string>(count).fill(name));
    const score = d.activityScore === null ? null : Number(d.activityScore);
    table.set(key(names), { phenotype: d.generesult, activityScore: score !== null && Number.isFinite(score) ? score : null });
  }
  // A pair CPIC does not list (e.g. alleles of unknown function) is not guessed.
  return (a, b) => table.get(key([a.name, b.name])) ?? { phenotype: INDETERMINATE, activityScore: null };
}

export interface GeneText {
  source: string;
  /** added to the scope note (e.g. how VKORC1's alleles read in gene orientation) */
  note?: string;
  unphasedNote?: string;
}

/** AMP PGx Working Group tier-1 alleles per gene, as PharmCAT lists them (exemptions.json "amp1Alleles"). */
const TIER1 = new Map(Object.entries(readPharmcatFile<Record<string, { amp1Alleles?: string[] }>>('exemptions.json.gz')).map(([gene, e]) => [gene, new Set(e.amp1Alleles ?? [])]));

/** One gene's definitions and phenotype table, as the star-allele caller uses them. */
export function loadPharmcatGene(symbol: string, text: GeneText): StarAlleleGene {
  const translation = readPharmcatFile<Translation>(`${symbol}_translation.json.gz`);
  const phenotypes = readPharmcatFile<PhenotypeFile>(`${symbol}_phenotype.json.gz`);
  const chrom = translation.chromosome.replace(/^chr/, '');
  const variants = new Map<string, DefiningVariant>();
  const sites = translation.variants.map((v) => ({ pos: v.position, rsid: v.rsid ?? v.chromosomeHgvsName }));
  const alleles: NamedAllele[] = translation.namedAlleles.map((a) => {
    const tokens = new Map<number, string[]>();
    const named = new Set<number>();
    translation.variants.forEach((v, i) => {
      const base = a.alleles[i] ?? null;
      if (base !== null) named.add(v.position);
      const options = tokensAt(symbol, a.name, v, chrom, base, variants);
      if (options.length > 1 || options[0] !== REFERENCE) tokens.set(v.position, options);
    });
    return { name: a.name, tokens, named, reference: a.reference, tier1: TIER1.get(symbol)?.has(a.name) ?? false };
  });
  const names = alleles.map((a) => a.name);
  return {
    gene: translation.gene,
    chrom,
    sites,
    variants: [...variants.values()],
    alleles,
    phenotype: phenotypeTable(phenotypes),
    source: `PharmCAT allele definitions (github PharmGKB/PharmCAT 5431bf1, ${translation.source} data ${translation.version}, ${translation.genomeBuild}): ${symbol}_translation.json; CPIC diplotype-phenotype table ${symbol}.json (${phenotypes.version}); ${text.source}`,
    scopeNote: `Tested ${symbol} alleles: all ${names.length} in the CPIC/ClinPGx definitions (${names.join(', ')}), at ${sites.length} positions. Structural variants (deletions, duplications, hybrids) are not detected from these calls.${text.note ? ` ${text.note}` : ''}`,
    ...(text.unphasedNote ? { unphasedNote: text.unphasedNote } : {}),
  };
}
