import { CYP2C19, CYP2C9, NUDT15, SLCO1B1, TPMT, VKORC1 } from './allele-definitions';
import { callDpyd } from './dpyd';
import { SampleGenotypes } from './observations';
import { callStarAlleleGene } from './star-allele-caller';
import type { GenotypeCall, PgxResult } from './types';

export type { GenotypeCall, PgxResult } from './types';

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
