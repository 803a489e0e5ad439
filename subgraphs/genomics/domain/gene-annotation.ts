import { genesAt } from '../../../knowledge-graph/seed/gene-coordinates';

/**
 * Upstream flank counted as the gene's: promoter variants used clinically (VKORC1 c.-1639G>A,
 * rs9923231, lies ~1 kb upstream of the transcript) belong to their gene.
 */
export const PROMOTER_FLANK_BP = 2000;

/** The HGNC symbol of the gene a GRCh38 position falls in (with its promoter flank), or null. */
export function geneAt(chrom: string, pos: number): string | null {
  return genesAt(chrom, pos, PROMOTER_FLANK_BP)[0]?.symbol ?? null;
}
