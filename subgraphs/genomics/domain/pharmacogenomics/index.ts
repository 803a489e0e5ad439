import { CYP2C19, CYP2C9, NUDT15, SLCO1B1, STAR_ALLELE_GENES, TPMT, VKORC1 } from './allele-definitions';
import { MAX_ALLELE_LENGTH } from '../variant';
import { DPYD_POSITIONS, callDpyd } from './dpyd';
import { SampleGenotypes, chromosomeName, positionKey } from './observations';
import { callStarAlleleGene } from './star-allele-caller';
import type { GenotypeCall, PgxResult } from './types';

export type { GenotypeCall, PgxResult, PgxStatus } from './types';

const DEFINING_POSITIONS = new Set([
  ...STAR_ALLELE_GENES.flatMap((g) => g.sites.map((s) => positionKey(g.chrom, s.pos))),
  ...DPYD_POSITIONS.map((p) => positionKey(p.chrom, p.pos)),
]);

/**
 * Does a reference call (`ALT=.`, hom-ref GT) over `ref` at chrom:pos cover a position the calling
 * reads? Only those are kept from VCFs: a gVCF's millions of reference records are not stored.
 */
export function coversPgxPosition(chrom: string, pos: number, ref: string): boolean {
  const name = chromosomeName(chrom);
  for (let offset = 0; offset < Math.max(1, ref.length); offset += 1) if (DEFINING_POSITIONS.has(positionKey(name, pos + offset))) return true;
  return false;
}

/** Where a stored call must start to say anything at a defining position (both ends included). */
export interface PgxCallWindow {
  chrom: string;
  from: number;
  to: number;
}

/**
 * The windows a patient's calls are read from for the calling (issue 19: reading every call of a
 * whole-genome patient, millions of rows, to use a few hundred took tens of seconds on a cold cache).
 * A call bears on a defining position when it starts there, or starts before it and its REF reaches
 * it (a reference call covering it, or a deletion/MNV making it unreadable: SampleGenotypes). Stored
 * alleles are at most MAX_ALLELE_LENGTH bases (variant.ts refuses longer), so every such call starts
 * within MAX_ALLELE_LENGTH - 1 bases before the position: these windows miss none of them.
 */
export function pgxCallWindows(): PgxCallWindow[] {
  const starts = new Map<string, number[]>();
  for (const key of DEFINING_POSITIONS) {
    const [chrom = '', pos = ''] = key.split(':');
    starts.set(chrom, [...(starts.get(chrom) ?? []), Number(pos)]);
  }
  const windows: PgxCallWindow[] = [];
  for (const [chrom, positions] of [...starts].sort(([a], [b]) => a.localeCompare(b))) {
    positions.sort((a, b) => a - b);
    let current: PgxCallWindow | undefined;
    for (const pos of positions) {
      const from = Math.max(1, pos - (MAX_ALLELE_LENGTH - 1));
      if (current && from <= current.to + 1) current.to = pos;
      else windows.push((current = { chrom, from, to: pos }));
    }
  }
  return windows;
}

/** The defining positions by chromosome, ascending: what a gVCF reference block is searched for. */
let positionsByChrom: Map<string, number[]> | undefined;

/**
 * The positions the calling reads that lie in [start, end] on `chrom` (a gVCF reference block's
 * span): the block is kept as a reference call at each of them, and nowhere else.
 */
export function pgxPositionsIn(chrom: string, start: number, end: number): number[] {
  if (!positionsByChrom) {
    positionsByChrom = new Map();
    for (const key of DEFINING_POSITIONS) {
      const [name = '', pos = ''] = key.split(':');
      const list = positionsByChrom.get(name) ?? [];
      list.push(Number(pos));
      positionsByChrom.set(name, list);
    }
    for (const list of positionsByChrom.values()) list.sort((a, b) => a - b);
  }
  const positions = positionsByChrom.get(chromosomeName(chrom));
  if (!positions) return [];
  // First position >= start (binary search), then every one up to end.
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (positions[mid]! < start) low = mid + 1;
    else high = mid;
  }
  const found: number[] = [];
  for (let i = low; i < positions.length && positions[i]! <= end; i += 1) found.push(positions[i]!);
  return found;
}

/**
 * Pharmacogenomic genotype → diplotype → CPIC phenotype for CYP2C19, CYP2C9, DPYD, NUDT15,
 * SLCO1B1, TPMT and VKORC1 (GRCh38). Clinical decision support: every result names what was not
 * called, what was assumed, and its sources.
 *
 * @param calls the patient's variant calls on GRCh38 (ALT-carrying calls and any explicit reference calls)
 * @param coveredPositions "chrom:pos" keys known to be reference when no call is present (e.g. gVCF
 *   reference blocks). A defining position neither called nor covered is listed in `missingPositions`
 *   and never assumed reference; a no-call GT (`./.`) is not covered, whatever `coveredPositions` says.
 * @returns one result per gene, in alphabetical order of gene symbol
 */
export function callPharmacogenomics(calls: GenotypeCall[], coveredPositions?: Set<string>): PgxResult[] {
  const sample = new SampleGenotypes(calls, coveredPositions);
  return [
    callStarAlleleGene(CYP2C19, sample),
    callStarAlleleGene(CYP2C9, sample),
    callDpyd(sample),
    callStarAlleleGene(NUDT15, sample),
    callStarAlleleGene(SLCO1B1, sample),
    callStarAlleleGene(TPMT, sample),
    callStarAlleleGene(VKORC1, sample),
  ];
}
