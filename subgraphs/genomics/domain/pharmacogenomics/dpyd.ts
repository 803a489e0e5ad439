import { REFERENCE, alleleToken, type PositionObservation, type SampleGenotypes } from './observations';
import { INDETERMINATE, NOT_GENOTYPED, activityScorePhenotype } from './phenotypes';
import { missingNote, positionLabel } from './star-allele-caller';
import { readPharmcatFile } from './pharmcat-definitions';
import type { DefiningVariant, PgxResult } from './types';

/*
 * DPYD is called variant by variant, as CPIC does (fluoropyrimidines 2017 update, PMID 29152729,
 * and the January 2024 HapB3 update on cpicpgx.org): the activity score is the sum of the two lowest
 * variant activity values — per gene copy when phase is known — and two different decreased/no-
 * function variants in unphased data are presumed to be on different copies. Names, positions and
 * activity values: PharmCAT v3.1.1 DPYD_translation.json and phenotype/DPYD.json (ClinPGx/CPIC data
 * 2025-11-05, GRCh38.p14); every defined variant is read, the AMP tier-1 ones (exemptions.json
 * "amp1Alleles") are required.
 */

interface DpydVariant extends DefiningVariant {
  name: string;
  activityValue: number;
}

interface Translation {
  chromosome: string;
  variants: { position: number; rsid: string | null; ref: string; alts: string[] }[];
  namedAlleles: { name: string; alleles: (string | null)[] }[];
}

const CHROM = '1';
const HAPB3 = 'c.1129-5923C>G, c.1236G>A (HapB3)';
const ACTIVITY = readPharmcatFile<{ activityValues: Record<string, string> }>('DPYD_phenotype.json.gz').activityValues;
/** PharmCAT's AMP tier-1 DPYD alleles (exemptions.json): the positions a DPYD call needs. */
const TIER1 = new Set(readPharmcatFile<Record<string, { amp1Alleles: string[] }>>('exemptions.json.gz').DPYD!.amp1Alleles);

/** HapB3: the intronic c.1129-5923C>G is the likely causal variant; the exonic c.1236G>A (synonymous) only tags it. */
const HAPB3_INTRONIC: DefiningVariant = { id: 'c.1129-5923C>G', rsid: 'rs75017182', pos: 97579893, ref: 'G', alt: 'C' };
const HAPB3_EXONIC: DefiningVariant = { id: 'c.1236G>A', rsid: 'rs56038477', pos: 97573863, ref: 'C', alt: 'T' };

/**
 * Every single-variant DPYD allele PharmCAT defines (DPYD_translation.json), with its CPIC activity
 * value (phenotype/DPYD.json). All are recognised when called: a carrier of c.1156G>T (*12), a
 * no-function allele outside the tier-1 list, was called Reference/Reference (Normal Metabolizer)
 * while only the tier-1 variants were read. Only the tier-1 positions are required (see callDpyd).
 */
const VARIANTS: (DpydVariant & { tier1: boolean })[] = (() => {
  const translation = readPharmcatFile<Translation>('DPYD_translation.json.gz');
  return translation.namedAlleles.flatMap((allele) => {
    const defined = allele.alleles.flatMap((base, i) => (base === null ? [] : [{ base, v: translation.variants[i]! }]));
    // HapB3 (and c.1129-5923C>G, its causal variant alone) are read by hapB3Findings.
    if (allele.name === 'Reference' || defined.some(({ v }) => v.position === HAPB3_INTRONIC.pos || v.position === HAPB3_EXONIC.pos)) return [];
    if (defined.length !== 1) throw new Error(`DPYD_translation.json: ${allele.name} is defined at ${defined.length} positions; only HapB3 may span several`);
    const { base, v } = defined[0]!;
    const activityValue = Number(ACTIVITY[allele.name]);
    if (!Number.isFinite(activityValue)) throw new Error(`phenotype/DPYD.json: no activity value for ${allele.name}`);
    return [{ id: allele.name.replace(/ \(.*\)$/, ''), name: allele.name, rsid: v.rsid ?? `${translation.chromosome}:${v.position}`, pos: v.position, ref: v.ref, alt: base, activityValue, tier1: TIER1.has(allele.name) }];
  });
})();
const HAPB3_VALUE = Number(ACTIVITY[HAPB3]);
/** The GRCh38 positions the DPYD call reads (chromosome 1), and those it needs (AMP tier 1). */
export const DPYD_REQUIRED_POSITIONS: { chrom: string; pos: number }[] = [...VARIANTS.filter((v) => v.tier1), HAPB3_INTRONIC, HAPB3_EXONIC].map((v) => ({ chrom: CHROM, pos: v.pos }));
export const DPYD_POSITIONS: { chrom: string; pos: number }[] = [...VARIANTS, HAPB3_INTRONIC, HAPB3_EXONIC].map((v) => ({ chrom: CHROM, pos: v.pos }));

const SOURCE =
  'PharmCAT v3.1.1 allele definitions (ClinPGx/CPIC data 2025-11-05, GRCh38.p14): DPYD_translation.json, phenotype/DPYD.json; CPIC Guideline for Dihydropyrimidine Dehydrogenase Genotype and Fluoropyrimidine Dosing: 2017 Update (PMID 29152729) with the January 2024 HapB3 update';
const SCOPE =
  `Every DPYD variant PharmCAT defines (${VARIANTS.length + 2}) is recognised when called; the call needs c.1905+1G>A (*2A), c.1679T>G (*13), c.2846A>T, c.1129-5923C>G / c.1236G>A (HapB3), c.557A>G, c.868A>G and c.2279C>T (AMP tier 1). "Reference" means none was found; other DPYD variants not in the file are not excluded.`;

/** One variant on one gene copy; `value` null = a variant we do not know (counted as 0 to 1). */
interface Finding {
  name: string;
  value: number | null;
  copy: 0 | 1;
}

const label = (v: DefiningVariant) => positionLabel(CHROM, v.pos, v.rsid);

function findingsAt(v: DefiningVariant, observation: PositionObservation, name: string, value: number, notes: string[]): Finding[] {
  if (!observation.called) return [];
  const token = alleleToken(v.ref, v.alt);
  return ([0, 1] as const).flatMap((copy): Finding[] => {
    const allele = observation.alleles[copy];
    if (allele === REFERENCE) return [];
    if (allele === token) return [{ name, value, copy }];
    notes.push(`${label(v)} carries ${allele}, not a tested DPYD variant; its function is unknown (counted as anywhere from no to normal function).`);
    return [{ name: `${allele} at ${v.rsid}`, value: null, copy }];
  });
}

function hapB3Findings(sample: SampleGenotypes, notes: string[]): { findings: Finding[]; hidden: boolean } {
  const intronic = sample.at(CHROM, HAPB3_INTRONIC.pos);
  const exonic = sample.at(CHROM, HAPB3_EXONIC.pos);
  const count = (o: PositionObservation, v: DefiningVariant) => (o.called ? o.alleles.filter((a) => a === alleleToken(v.ref, v.alt)).length : 0);
  if (intronic.called) {
    const found = findingsAt(HAPB3_INTRONIC, intronic, HAPB3_INTRONIC.id, HAPB3_VALUE, notes);
    // Name the full haplotype where the tag was seen too, as CPIC and PharmCAT name them.
    const withTag = exonic.called ? count(exonic, HAPB3_EXONIC) : 0;
    found.filter((f) => f.value !== null).slice(0, withTag).forEach((f) => (f.name = HAPB3));
    if (exonic.called && count(exonic, HAPB3_EXONIC) !== count(intronic, HAPB3_INTRONIC)) {
      notes.push(
        'HapB3: c.1236G>A and c.1129-5923C>G disagree; the intronic c.1129-5923C>G, the likely causal variant (CPIC 2024), decides.',
      );
    }
    return { findings: found, hidden: false };
  }
  if (exonic.called) {
    notes.push(
      'HapB3 was inferred from the exonic tag c.1236G>A because c.1129-5923C>G is not called: in rare cases the causal c.1129-5923C>G is absent despite the tag, or present without it (CPIC 2024). Genotype c.1129-5923C>G to confirm.',
    );
    return { findings: findingsAt(HAPB3_EXONIC, exonic, HAPB3, HAPB3_VALUE, notes), hidden: false };
  }
  return { findings: [], hidden: true };
}

/** The cDNA position an allele is named by (`c.1905+1G>A` → 1905); an unnamed variant sorts last. */
const cdnaPosition = (name: string) => Number(/^c\.(\d+)/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER);

/** The two findings that set the score: lowest per copy when phase is known, else the two lowest overall. */
function scoringPair(findings: Finding[], phased: boolean, unknownAs: number): [Finding | null, Finding | null] {
  const value = (f: Finding | null) => (f === null ? 1 : (f.value ?? unknownAs));
  // Equal values: the allele first in cDNA order, as PharmCAT names them (DpydTest.testDpydPhasedMultiTrans);
  // a copy whose variants are all normal function is named by its variant, not "Reference" (testDpydPhased).
  const order = (a: Finding, b: Finding) => value(a) - value(b) || cdnaPosition(a.name) - cdnaPosition(b.name);
  const lowest = (list: Finding[]) => [...list].sort(order)[0] ?? null;
  if (phased) return [lowest(findings.filter((f) => f.copy === 0)), lowest(findings.filter((f) => f.copy === 1))];
  const sorted = [...findings].sort(order);
  return [sorted[0] ?? null, sorted[1] ?? null];
}

export function callDpyd(sample: SampleGenotypes): PgxResult {
  const notes: string[] = [SCOPE];
  const loci = VARIANTS.map((v) => ({ v, observation: sample.at(CHROM, v.pos) }));
  const hap = hapB3Findings(sample, notes);
  const findings = [...loci.flatMap(({ v, observation }) => findingsAt(v, observation, v.name, v.activityValue, notes)), ...hap.findings];

  // The required positions (AMP tier 1): these decide "not genotyped", "missing" and hidden values.
  const sites = [...loci.filter(({ v }) => v.tier1), { v: HAPB3_EXONIC, observation: sample.at(CHROM, HAPB3_EXONIC.pos) }, { v: HAPB3_INTRONIC, observation: sample.at(CHROM, HAPB3_INTRONIC.pos) }].sort(
    (a, b) => a.v.pos - b.v.pos,
  );
  const missing = sites.filter((s) => !s.observation.called);
  if (!findings.length && sites.every((s) => !s.observation.called && s.observation.reason === 'not covered')) {
    return {
      gene: 'DPYD',
      status: 'NOT_GENOTYPED',
      diplotype: null,
      phenotype: NOT_GENOTYPED,
      activityScore: null,
      missingPositions: missing.map(({ v }) => label(v)),
      notes: ['No call at any DPYD position tested: the patient has not been genotyped for DPYD (no result, not an indeterminate one).'],
      source: SOURCE,
    };
  }
  if (missing.length) notes.push(missingNote(CHROM, missing.map(({ v, observation }) => ({ pos: v.pos, rsid: `${v.rsid}, ${v.id}`, observation }))));
  // A missing HapB3 tag is fine when the causal SNP is called; any other missing variant could hide a lower value.
  const hiddenValues = [...missing.flatMap(({ v }) => VARIANTS.filter((x) => x.pos === v.pos).map((x) => x.activityValue)), ...(hap.hidden ? [HAPB3_VALUE] : [])];

  // Effectively phased (PharmCAT): all heterozygous sites phased, or at most one heterozygous site.
  const read = [...loci, ...sites.filter(({ v }) => v === HAPB3_EXONIC || v === HAPB3_INTRONIC)];
  const hets = read.filter((s) => s.observation.called && s.observation.alleles[0] !== s.observation.alleles[1]);
  const phased = hets.length <= 1 || hets.every((s) => s.observation.called && s.observation.phased);
  const variantCopies = findings.length;
  if (!phased && new Set(findings.map((f) => f.name)).size > 1) {
    notes.push('Unphased: different decreased/no-function variants are presumed to be on different gene copies (CPIC), the lower-scoring case.');
  }
  if (variantCopies > 2) notes.push(`${variantCopies} variant copies found (${findings.map((f) => f.name).join(', ')}); the two lowest activity values set the score (CPIC).`);

  const [a, b] = scoringPair(findings, phased, 1);
  const value = (f: Finding | null, unknownAs: number) => (f === null ? 1 : (f.value ?? unknownAs));
  const high = value(a, 1) + value(b, 1);
  const [la, lb] = scoringPair(findings, phased, 0);
  const worstHidden = Math.min(1, ...hiddenValues);
  // Hidden variants could sit on either copy, in either number: each scoring copy can fall to the worst one.
  const low = Math.min(value(la, 0), worstHidden) + Math.min(value(lb, 0), worstHidden);

  const base = { gene: 'DPYD', missingPositions: missing.map(({ v }) => label(v)), source: SOURCE };
  if (activityScorePhenotype(low) !== activityScorePhenotype(high)) {
    notes.push(`Depending on the positions not called or the unrecognised variants, the activity score lies between ${low} and ${high}; no phenotype is inferred.`);
    return { ...base, status: 'INDETERMINATE', diplotype: null, phenotype: INDETERMINATE, activityScore: null, notes };
  }
  if (low !== high) notes.push(`The activity score lies between ${low} and ${high} depending on the positions not called or the unrecognised variants; it is left empty.`);
  const diplotype = [a?.name ?? 'Reference', b?.name ?? 'Reference'].sort().join('/');
  return { ...base, status: 'CALLED', diplotype, phenotype: activityScorePhenotype(high), activityScore: low === high ? high : null, notes };
}
