import { normaliseVariant } from '../variant';
import type { GenotypeCall } from './types';

/** An allele on one gene copy at one position: the reference, or `REF>ALT` of the (normalised) call. */
export const REFERENCE = 'REF';
export const alleleToken = (ref: string, alt: string): string => `${ref}>${alt}`;

export type PositionObservation =
  | { called: false; reason: string }
  | {
      called: true;
      /** the two gene copies; order is meaningful only when `phased` */
      alleles: [string, string];
      phased: boolean;
    };

interface AltEntry {
  token: string;
  /** per copy: does this copy carry the ALT */
  copies: [boolean, boolean];
  phased: boolean;
}

interface PositionEntries {
  alts: AltEntry[];
  referenceCall: boolean;
  /** why the position cannot be used even though calls mention it */
  unusable?: string;
}

/** Lenient chromosome naming for lookups: `chr10` → `10`, `chrM` → `MT` (as `normaliseChromosome` names them). */
export function chromosomeName(chrom: string): string {
  const name = chrom.trim().replace(/^chr/i, '').toUpperCase();
  return name === 'M' ? 'MT' : name;
}

export const positionKey = (chrom: string, pos: number): string => `${chromosomeName(chrom)}:${pos}`;

type ParsedGt = { kind: 'alleles'; copies: [boolean, boolean]; phased: boolean } | { kind: 'no-call' } | { kind: 'unreadable' };

/**
 * Diploid GT only: these genes are autosomal, so a haploid or polyploid GT is a data problem. Any
 * `.` (also the partial `0/.`, `./1`) makes the position unusable rather than half-known, as
 * PharmCAT treats partial genotypes on diploid chromosomes it cannot fully resolve.
 */
function parseGt(gt: string): ParsedGt {
  const value = gt.trim();
  const tokens = value.split(/[/|]/);
  if (tokens.length !== 2) return { kind: 'unreadable' };
  if (tokens.includes('.')) return { kind: 'no-call' };
  if (tokens.some((t) => t !== '0' && t !== '1')) return { kind: 'unreadable' };
  return { kind: 'alleles', copies: [tokens[0] === '1', tokens[1] === '1'], phased: value.includes('|') };
}

/**
 * The patient's genotype at each position of interest. A position is called when a call mentions it
 * (any genotype, `0/0` included) or it is in `coveredPositions`; an explicit no-call (`./.`) wins over
 * coverage, and nothing uncovered is ever assumed to be reference.
 */
export class SampleGenotypes {
  private readonly entries = new Map<string, PositionEntries>();
  private readonly covered: Set<string>;

  constructor(calls: GenotypeCall[], coveredPositions?: Set<string>) {
    this.covered = new Set([...(coveredPositions ?? [])].map((key) => {
      const [chrom = '', pos = ''] = key.split(':');
      return `${chromosomeName(chrom)}:${pos.trim()}`;
    }));
    for (const call of calls) this.add(call);
  }

  private entry(key: string): PositionEntries {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { alts: [], referenceCall: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private add(call: GenotypeCall): void {
    if (!Number.isInteger(call.pos) || call.pos < 1) return;
    const gt = parseGt(call.genotype);
    const key = positionKey(call.chrom, call.pos);
    if (gt.kind === 'no-call') {
      this.entry(key).unusable = `no call (GT ${call.genotype.trim()})`;
      return;
    }
    if (gt.kind === 'unreadable') {
      this.entry(key).unusable = `unreadable GT "${call.genotype.trim()}"`;
      return;
    }
    if (!gt.copies[0] && !gt.copies[1]) {
      // A reference call: every base of REF is called reference (a gVCF-style record may span several).
      const span = Math.max(1, call.ref.trim().length);
      for (let offset = 0; offset < span; offset += 1) this.entry(positionKey(call.chrom, call.pos + offset)).referenceCall = true;
      return;
    }
    let variant;
    try {
      // The same trimming the hub applies on ingest, so a call matches a definition whatever its padding.
      variant = normaliseVariant({ chrom: call.chrom, pos: call.pos, ref: call.ref, alt: call.alt });
    } catch {
      this.entry(key).unusable = `ALT-carrying call ${call.ref}>${call.alt} could not be normalised`;
      return;
    }
    const at = `${variant.chrom}:${variant.pos}`;
    this.entry(at).alts.push({ token: alleleToken(variant.ref, variant.alt), copies: gt.copies, phased: gt.phased });
    // A deletion or MNV changes the bases after its first one; a definition at those bases cannot be read.
    for (let offset = 1; offset < variant.ref.length; offset += 1) {
      this.entry(`${variant.chrom}:${variant.pos + offset}`).unusable = `overlapped by ${variant.id} (GT ${call.genotype.trim()})`;
    }
  }

  at(chrom: string, pos: number): PositionObservation {
    const key = positionKey(chrom, pos);
    const entry = this.entries.get(key);
    if (entry?.unusable) return { called: false, reason: entry.unusable };
    if (entry?.alts.length) return combine(entry.alts);
    if (entry?.referenceCall || this.covered.has(key)) return { called: true, alleles: [REFERENCE, REFERENCE], phased: false };
    return { called: false, reason: 'not covered' };
  }
}

/**
 * Split multi-allelic records come back as one call per ALT (`1/2` → `1/0` and `0/1`). Phased
 * calls combine copy by copy; unphased ones by count, since their copy order means nothing.
 */
function combine(alts: AltEntry[]): PositionObservation {
  const phased = alts.every((a) => a.phased);
  if (phased) {
    const copies: [string, string] = [REFERENCE, REFERENCE];
    for (const alt of alts) {
      for (const index of [0, 1] as const) {
        if (!alt.copies[index]) continue;
        if (copies[index] !== REFERENCE) return { called: false, reason: 'conflicting calls (more than one ALT on one copy)' };
        copies[index] = alt.token;
      }
    }
    return { called: true, alleles: copies, phased: true };
  }
  const carried = alts.flatMap((a) => a.copies.filter(Boolean).map(() => a.token));
  if (carried.length > 2) return { called: false, reason: 'conflicting calls (more than two alleles)' };
  while (carried.length < 2) carried.push(REFERENCE);
  return { called: true, alleles: [carried[0]!, carried[1]!], phased: false };
}
