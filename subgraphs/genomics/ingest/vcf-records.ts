import VCF from '@gmod/vcf';
import { HubError, ErrorCode } from '../../../lib/errors';
import { GRCH38_LENGTHS, normaliseVariant, parseGenotype, type ParsedGenotype, type Zygosity } from '../domain/variant';
import { FormatLayouts, SampleFields, type ItemVisitor } from './vcf-sample-fields';
import { geneAt } from '../../../lib/contracts/reference/gene-coordinates';
import { chromosomeName } from '../domain/pharmacogenomics/observations';

/** Why a VCF file was refused: VcfReject.code, for clients to branch on (the reason says where and what). */
export const VcfRejectCode = {
  /** Not a VCF: no ##fileformat line, no #CHROM line, an empty file. */
  NOT_VCF: 'NOT_VCF',
  /** The #CHROM header line is not the VCF columns separated by tabs. */
  INVALID_HEADER: 'INVALID_HEADER',
  /** GRCh37, two builds named, or none (the hub stores GRCh38). */
  UNSUPPORTED_BUILD: 'UNSUPPORTED_BUILD',
  /** No sample column, the sample asked for is not there, or several and none named. */
  SAMPLE_NOT_CHOSEN: 'SAMPLE_NOT_CHOSEN',
  /** A data line with another number of columns than the header. */
  COLUMN_COUNT: 'COLUMN_COUNT',
  /** CHROM is not a GRCh38 chromosome. */
  INVALID_CHROMOSOME: 'INVALID_CHROMOSOME',
  /** POS is not a 1-based position. */
  INVALID_POSITION: 'INVALID_POSITION',
  /** POS (or INFO END) beyond the chromosome's length (##contig or GRCh38's). */
  POSITION_BEYOND_CONTIG: 'POSITION_BEYOND_CONTIG',
  /** REF or ALT empty, not bases, equal, or longer than stored. */
  INVALID_ALLELE: 'INVALID_ALLELE',
  /** QUAL not finite (NaN, Inf) or beyond float4. */
  INVALID_QUALITY: 'INVALID_QUALITY',
  /** INFO empty, or END not a position at or after POS. */
  INVALID_INFO: 'INVALID_INFO',
  /** GT not a VCF genotype, or naming an allele the record does not have. */
  INVALID_GENOTYPE: 'INVALID_GENOTYPE',
  /** DP, GQ or AD not a non-negative integer. */
  INVALID_COUNT: 'INVALID_COUNT',
  /** A NUL byte in the header or a record. */
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  /** The same variant twice in one file. */
  DUPLICATE_RECORD: 'DUPLICATE_RECORD',
  /** gzip data truncated or corrupt. */
  CORRUPT_COMPRESSION: 'CORRUPT_COMPRESSION',
} as const;
export type VcfRejectCode = (typeof VcfRejectCode)[keyof typeof VcfRejectCode];

/** A VCF problem located in the file: `VCF line 1043: REF: is empty` (`VCF line N: <field>: <reason>`). */
export class VcfError extends Error {
  override name = 'VcfError';
  constructor(
    readonly line: number,
    readonly field: string,
    reason: string,
    readonly code: VcfRejectCode,
  ) {
    super(`VCF line ${line}: ${field ? `${field}: ` : ''}${reason}`);
  }
}

export type GenomeBuild = 'GRCh38' | 'GRCh37';

/** chr1/chr2/chrX lengths tell the builds apart (GRC assembly reports, GCA_000001405.15 and .1). */
const CONTIG_LENGTHS: Record<GenomeBuild, Record<string, number>> = {
  GRCh38: { '1': 248956422, '2': 242193529, X: 156040895 },
  GRCh37: { '1': 249250621, '2': 243199373, X: 155270560 },
};
const REFERENCE_NAMES: [RegExp, GenomeBuild][] = [
  [/grch38|hg38|hs38|gca_000001405\.15|b38/i, 'GRCh38'],
  [/grch37|hg19|hs37|b37|human_g1k_v37|gca_000001405\.1\b/i, 'GRCh37'],
];

export interface VcfHeader {
  parser: VCF;
  samples: string[];
  build: GenomeBuild | null;
  /** How the build was read: `##reference=...` or `##contig lengths`. */
  buildEvidence: string | null;
  /** Lines of the header that name different builds; the file is refused. */
  buildConflict: string | null;
  /** `##contig=<ID=..,length=..>` lengths by GRC name (`chr7` → `7`); positions are checked against them, else GRCh38's. */
  contigLengths: ReadonlyMap<string, number>;
}

/** The lengths the header's `##contig` lines declare, keyed as variant ids name chromosomes. */
export function contigLengths(headerLines: string[]): Map<string, number> {
  const lengths = new Map<string, number>();
  for (const line of headerLines) {
    if (!line.startsWith('##contig=<')) continue;
    const id = /[<,]ID=([^,>]+)/.exec(line)?.[1];
    const length = /[<,]length=(\d+)/.exec(line)?.[1];
    if (!id || !length) continue;
    let name = id.trim().replace(/^chr/i, '').toUpperCase();
    if (name === 'M') name = 'MT';
    lengths.set(name, Number(length));
  }
  return lengths;
}

/**
 * Reads the genome build from `##reference`, a `##contig` `assembly=` (`assembly=GRCh38.p14`, as
 * PharmCAT's and GATK's files declare it) or `##contig` lengths; null when the header says none.
 * Every line is heard: a header whose lines name different builds (contigs saying hg38 with chr1 at
 * GRCh37's length) is a `conflict`, never settled by which line came first.
 */
export function detectBuild(headerLines: string[]): { build: GenomeBuild | null; evidence: string | null; conflict: string | null } {
  const found: { build: GenomeBuild; evidence: string }[] = [];
  for (const line of headerLines) {
    if (line.startsWith('##reference=') || line.startsWith('##assembly=')) {
      const named = REFERENCE_NAMES.find(([pattern]) => pattern.test(line));
      if (named) found.push({ build: named[1], evidence: line.slice(0, 120) });
      continue;
    }
    if (!line.startsWith('##contig=<')) continue;
    const assembly = /[<,]assembly="?([^,>"]+)/.exec(line)?.[1];
    const named = assembly ? REFERENCE_NAMES.find(([pattern]) => pattern.test(assembly)) : undefined;
    if (named) found.push({ build: named[1], evidence: `##contig assembly=${assembly!.slice(0, 60)}` });
    const match = /^##contig=<.*\bID=(?:chr)?([0-9XY]+)\b.*\blength=(\d+)/i.exec(line) ?? /^##contig=<.*\blength=(\d+).*\bID=(?:chr)?([0-9XY]+)\b/i.exec(line);
    if (!match) continue;
    const [contig, length] = line.indexOf('ID=') < line.indexOf('length=') ? [match[1]!, Number(match[2])] : [match[2]!, Number(match[1])];
    for (const build of ['GRCh38', 'GRCh37'] as const) {
      if (CONTIG_LENGTHS[build][contig.toUpperCase()] === length) found.push({ build, evidence: `##contig ${contig} length ${length}` });
    }
  }
  const first = found[0];
  if (!first) return { build: null, evidence: null, conflict: null };
  const other = found.find((f) => f.build !== first.build);
  if (other) return { build: null, evidence: null, conflict: `${first.evidence} says ${first.build}, ${other.evidence} says ${other.build}` };
  return { build: first.build, evidence: first.evidence, conflict: null };
}

export function parseHeader(headerLines: string[]): VcfHeader {
  if (!headerLines[0]?.startsWith('##fileformat=VCF')) {
    throw new VcfError(1, '', 'missing ##fileformat=VCFv4.x header: not a VCF file', VcfRejectCode.NOT_VCF);
  }
  // Sample names are stored (a call's source): PostgreSQL text, and COPY, cannot hold NUL.
  const nulLine = headerLines.findIndex((line) => line.includes('\u0000'));
  if (nulLine !== -1) throw new VcfError(nulLine + 1, '', 'contains a NUL byte: a VCF header is text', VcfRejectCode.CONTROL_CHARACTER);
  const columns = headerLines.at(-1);
  if (!columns?.startsWith('#CHROM')) {
    throw new VcfError(headerLines.length + 1, '', 'missing the #CHROM column header line', VcfRejectCode.NOT_VCF);
  }
  const names = columns.split('\t');
  const expected = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];
  if (expected.some((name, i) => names[i] !== name)) {
    throw new VcfError(headerLines.length, '#CHROM', `header must start with ${expected.join(' ')} separated by tabs`, VcfRejectCode.INVALID_HEADER);
  }
  const parser = new VCF({ header: headerLines.join('\n') });
  const { build, evidence, conflict } = detectBuild(headerLines);
  return { parser, samples: parser.samples, build, buildEvidence: evidence, buildConflict: conflict, contigLengths: contigLengths(headerLines) };
}

/** A record with no ALT (`ALT=.`) whose sample genotype is homozygous reference: every REF base was read as reference. */
export interface ReferenceCall {
  chrom: string;
  pos: number;
  ref: string;
  genotype: string;
}

/**
 * A gVCF reference block (ALT `<NON_REF>` as GATK writes it, or `<*>` as bcftools and DRAGEN do) whose
 * GT is homozygous reference: every base from `start` to `end` (INFO END; without END, the REF's
 * bases, VCF 4.3 §1.6.1) was read and is reference. `ref` is the REF column: the base(s) at `start`.
 */
export interface ReferenceBlock {
  chrom: string;
  start: number;
  end: number;
  ref: string;
  genotype: string;
}

const REFERENCE_BLOCK_ALT = /^<(NON_REF|\*)>$/;

/** `0/0`, `0|0`, `0`: called, and reference on every copy. */
const HOM_REF = /^0([/|]0)*$/;

export interface VcfCall {
  variantId: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  genotype: string;
  phased: boolean;
  zygosity: Zygosity;
  depth: number | null;
  genotypeQuality: number | null;
  alleleFraction: number | null;
  filter: string | null;
  quality: number | null;
  /** HGNC symbol from the shipped GRCh38 gene-coordinate table; null outside the hub's genes. */
  gene: string | null;
}

const SYMBOLIC = /^<.*>$|^\*$|[[\]]/;
const FIXED_COLUMNS = ['CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT'];
/** The column name (or `sample`) of the character at `offset` of a data line. */
const columnAt = (line: string, offset: number) => FIXED_COLUMNS[line.slice(0, offset).split('\t').length - 1] ?? 'sample';
/** DP, GQ and AD are stored in PostgreSQL `integer` columns (or feed allele fractions). */
const MAX_COUNT = 2_147_483_647;
/** QUAL is stored as PostgreSQL `real` (float4): finite values beyond this do not fit. */
const MAX_REAL = 3.4028234663852886e38;

/** The code of a variant refused by domain/variant.ts (normaliseVariant, parseGenotype), by the field it names. */
function variantRejectCode(error: HubError): VcfRejectCode {
  switch (error.details.field) {
    case 'chrom':
      return VcfRejectCode.INVALID_CHROMOSOME;
    case 'pos':
      return /beyond the end/.test(error.message) ? VcfRejectCode.POSITION_BEYOND_CONTIG : VcfRejectCode.INVALID_POSITION;
    case 'genotype':
      return VcfRejectCode.INVALID_GENOTYPE;
    default:
      return VcfRejectCode.INVALID_ALLELE;
  }
}

/** A FORMAT count (DP, GQ, AD): missing (`.`) or a non-negative integer; a numeric type gives NaN for text. */
function checkCount(value: unknown, line: number, field: string): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT) return;
  throw new VcfError(line, field, `${String(value)} is not a non-negative integer (up to ${MAX_COUNT}) or "."`, VcfRejectCode.INVALID_COUNT);
}

/** Checks every item of DP, GQ or AD; keeps AD's items (allele fractions are read from them). */
class CountCheck implements ItemVisitor {
  line = 0;
  field = '';
  /** AD items of the current record: a number, or NaN for `.` (a NaN count never passes the check). */
  readonly allelic: number[] = [];
  item(value: number | string | undefined, index: number): void {
    checkCount(value, this.line, this.field);
    if (this.field === 'AD') this.allelic[index] = typeof value === 'number' ? value : NaN;
  }
}

/** Per-file scratch for recordCalls: the located FORMAT fields and the count checker. */
const scratch = new WeakMap<VcfHeader, { fields: SampleFields; counts: CountCheck }>();
function scratchOf(header: VcfHeader) {
  let found = scratch.get(header);
  if (!found) {
    const formats = header.parser.getMetadata('FORMAT') as Record<string, { Type?: unknown } | undefined> | undefined;
    found = { fields: new SampleFields(new FormatLayouts((key) => formats?.[key]?.Type)), counts: new CountCheck() };
    scratch.set(header, found);
  }
  return found;
}

/** Parsed genotypes by GT text: a file has a handful of distinct GT strings and ParsedGenotype is read-only. */
const genotypes = new Map<string, ParsedGenotype>();
function genotypeOf(gt: string, lineNumber: number): ParsedGenotype {
  const known = genotypes.get(gt);
  if (known) return known;
  const parsed = parseGenotype(gt, `VCF line ${lineNumber} GT`);
  if (genotypes.size < 1024) genotypes.set(gt, parsed);
  return parsed;
}

/**
 * One data line → one call per ALT allele (multi-allelic records are split, as `bcftools norm -m-`
 * does: in each split record the other ALT alleles of the genotype become 0). Symbolic and
 * breakend ALTs are skipped and counted; anything malformed is a VcfError naming the line.
 *
 * Columns are found with indexOf and only the stored ones are read (see vcf-sample-fields.ts): the
 * values, checks and their order are those of the @gmod/vcf `parseLine`/`SAMPLES()` reading this
 * replaced, so a file is refused for the same reason at the same line.
 */
export function recordCalls(
  header: VcfHeader,
  line: string,
  lineNumber: number,
  sample: string,
): { calls: VcfCall[]; skipped: number; reference?: ReferenceCall; referenceBlock?: ReferenceBlock } {
  const nul = line.indexOf('\u0000');
  if (nul !== -1) throw new VcfError(lineNumber, columnAt(line, nul), 'contains a NUL byte: VCF records are text', VcfRejectCode.CONTROL_CHARACTER);
  const sampleCount = header.samples.length;
  const expectedColumns = sampleCount ? 9 + sampleCount : 8;
  // Tab offsets of the fixed columns (CHROM..FORMAT end at tabs[0..8]); then the rest are counted.
  const tabs = columnTabs;
  let count = 0;
  for (let i = line.indexOf('\t'); i !== -1; i = line.indexOf('\t', i + 1)) {
    if (count < 9) tabs[count] = i;
    count += 1;
  }
  if (count + 1 !== expectedColumns) {
    throw new VcfError(lineNumber, '', `has ${count + 1} tab-separated columns, the header declares ${expectedColumns}`, VcfRejectCode.COLUMN_COUNT);
  }
  // A trailing line terminator is not part of the last column.
  let lineEnd = line.length;
  while (lineEnd > 0 && (line.charCodeAt(lineEnd - 1) === 10 || line.charCodeAt(lineEnd - 1) === 13)) lineEnd -= 1;
  const pos = line.slice(tabs[0]! + 1, tabs[1]!);
  if (!/^\d+$/.test(pos)) throw new VcfError(lineNumber, 'POS', `"${pos}" is not a position`, VcfRejectCode.INVALID_POSITION);
  // @gmod/vcf (strict, as parseHeader built it) refused an empty INFO with an uncoded error; now coded.
  if ((count > 7 ? tabs[7]! : lineEnd) === tabs[6]! + 1) throw new VcfError(lineNumber, 'INFO', 'is empty: write "." for a record without INFO', VcfRejectCode.INVALID_INFO);
  const chrom = line.slice(0, tabs[0]!);
  const position = +pos;
  const ref = line.slice(tabs[2]! + 1, tabs[3]!);
  if (!ref) throw new VcfError(lineNumber, 'REF', 'is empty', VcfRejectCode.INVALID_ALLELE);
  const qualText = line.slice(tabs[4]! + 1, tabs[5]!);
  let quality: number | null = null;
  if (qualText !== '.') {
    const qual = +qualText;
    if (!Number.isFinite(qual)) throw new VcfError(lineNumber, 'QUAL', `${String(qual)} is not a finite number or "."`, VcfRejectCode.INVALID_QUALITY);
    if (Math.abs(qual) > MAX_REAL) throw new VcfError(lineNumber, 'QUAL', `${qual} is beyond the range stored (±${MAX_REAL})`, VcfRejectCode.INVALID_QUALITY);
    quality = qual;
  }
  const { fields, counts } = scratchOf(header);
  // The chosen sample's column; a name given twice reads its last column, as SAMPLES() did.
  const sampleIndex = sampleCount ? header.samples.lastIndexOf(sample) : -1;
  if (sampleIndex === -1) fields.clear();
  else {
    let from = tabs[8]! + 1;
    for (let i = 0; i < sampleIndex; i++) from = line.indexOf('\t', from) + 1;
    let to = line.indexOf('\t', from);
    if (to === -1 || to > lineEnd) to = lineEnd;
    fields.locate(line, line.slice(tabs[7]! + 1, tabs[8]!), from, to);
  }
  const altText = line.slice(tabs[3]! + 1, tabs[4]!);
  if (altText === '.') {
    // Not stored as a variant, but a hom-ref genotype here is a reference call (PharmCAT reads it so).
    const gt = fields.firstText('GT');
    if (!gt || !HOM_REF.test(gt.trim()) || !/^[ACGTN]+$/i.test(ref)) return { calls: [], skipped: 1 };
    return { calls: [], skipped: 1, reference: { chrom: chromosomeName(chrom), pos: position, ref: ref.toUpperCase(), genotype: gt.trim() } };
  }
  counts.line = lineNumber;
  counts.field = 'DP';
  fields.forEachItem('DP', counts);
  counts.field = 'GQ';
  fields.forEachItem('GQ', counts);
  counts.field = 'AD';
  const adCount = fields.forEachItem('AD', counts);
  const ad = counts.allelic;
  let adTotal = 0;
  for (let i = 0; i < adCount; i++) if (!Number.isNaN(ad[i])) adTotal += ad[i]!;
  const gt = fields.firstText('GT') ?? './.';
  const filterText = line.slice(tabs[5]! + 1, tabs[6]!);
  const filter = filterText === '.' ? null : filterText;
  const depth = fields.firstNumber('DP');
  const genotypeQuality = fields.firstNumber('GQ');
  const alts = altText.indexOf(',') === -1 ? [altText] : altText.split(',');
  const calls: VcfCall[] = [];
  let skipped = 0;
  for (let index = 0; index < alts.length; index++) {
    const alt = alts[index]!;
    if (SYMBOLIC.test(alt)) {
      skipped += 1;
      continue;
    }
    let variant;
    let genotype;
    try {
      variant = normaliseVariant({ chrom, pos: position, ref, alt }, `VCF line ${lineNumber}`, header.contigLengths);
      const allele = String(index + 1);
      // Only a multi-allelic record needs its genotype rewritten for the split allele.
      const split = alts.length === 1 ? gt : gt.replace(/[0-9]+/g, (a) => (a === '0' ? '0' : a === allele ? '1' : '0'));
      genotype = genotypeOf(split, lineNumber);
    } catch (error) {
      if (error instanceof HubError && error.code === ErrorCode.INVALID_VARIANT) {
        throw new VcfError(lineNumber, '', error.message.replace(`VCF line ${lineNumber} `, '').replace(`VCF line ${lineNumber}`, ''), variantRejectCode(error));
      }
      throw error;
    }
    const alleleDepth = index + 1 < adCount ? ad[index + 1]! : NaN;
    calls.push({
      variantId: variant.id,
      chrom: variant.chrom,
      pos: variant.pos,
      ref: variant.ref,
      alt: variant.alt,
      genotype: genotype.genotype,
      phased: genotype.phased,
      zygosity: genotype.zygosity,
      depth,
      genotypeQuality,
      alleleFraction: !Number.isNaN(alleleDepth) && adTotal > 0 ? Math.round((alleleDepth / adTotal) * 1e4) / 1e4 : fields.firstNumber('AF'),
      filter,
      quality,
      gene: geneAt(variant.chrom, variant.pos),
    });
  }
  if (!calls.length && alts.every((alt) => REFERENCE_BLOCK_ALT.test(alt))) {
    const blockGt = fields.firstText('GT');
    if (blockGt && HOM_REF.test(blockGt.trim()) && /^[ACGTN]+$/i.test(ref)) {
      const info = line.slice(tabs[6]! + 1, count > 7 ? tabs[7]! : lineEnd);
      const end = blockEnd(info, chrom, position, ref.length, lineNumber, header.contigLengths);
      return { calls, skipped, referenceBlock: { chrom: chromosomeName(chrom), start: position, end, ref: ref.toUpperCase(), genotype: blockGt.trim() } };
    }
  }
  return { calls, skipped };
}

/**
 * The last base of a reference block: INFO END, or POS + len(REF) - 1 without one. An END before POS,
 * not a number, or past the chromosome's end is refused: the block would claim bases it cannot cover.
 */
function blockEnd(info: string, chrom: string, pos: number, refLength: number, lineNumber: number, contigLengths: ReadonlyMap<string, number>): number {
  const entry = info === '.' ? undefined : info.split(';').find((item) => item.startsWith('END='));
  if (entry === undefined) return pos + refLength - 1;
  const text = entry.slice(4);
  const end = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(end >= pos)) throw new VcfError(lineNumber, 'INFO', `END=${text} is not a position at or after POS ${pos}`, VcfRejectCode.INVALID_INFO);
  const name = chromosomeName(chrom);
  const length = contigLengths.get(name) ?? GRCH38_LENGTHS.get(name);
  if (length !== undefined && end > length) throw new VcfError(lineNumber, 'INFO', `END=${end} is beyond the end of chromosome ${name} (${length} bases)`, VcfRejectCode.POSITION_BEYOND_CONTIG);
  return end;
}

/** Scratch for the offsets of a line's first nine tabs (recordCalls is synchronous). */
const columnTabs = new Int32Array(9);
