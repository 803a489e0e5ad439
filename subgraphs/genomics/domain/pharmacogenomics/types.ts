/** One variant call of the patient on GRCh38, as stored by the genomics subgraph (biallelic, VCF GT). */
export interface GenotypeCall {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** VCF GT for this ALT: `0/1`, `1|1`, `0/0`, `./.` */
  genotype: string;
}

export interface PgxResult {
  /** HGNC symbol */
  gene: string;
  /** e.g. "*2/*17"; null when not callable */
  diplotype: string | null;
  /** CPIC term, e.g. "Intermediate Metabolizer"; "Indeterminate" when not callable */
  phenotype: string;
  /** CPIC activity score for the genes CPIC scores (CYP2C9, DPYD), else null; null too when the data allow more than one score */
  activityScore: number | null;
  /** defining positions without a usable call, e.g. "GRCh38:10:94781859 (rs4244285)" */
  missingPositions: string[];
  /** ambiguity (unphased), novel combinations, assumptions made */
  notes: string[];
  /** allele-definition source + version and CPIC guideline citation */
  source: string;
}

/** CPIC allele function terms (and the two CPIC VKORC1 allele terms). */
export type AlleleFunction =
  | 'Normal function'
  | 'Increased function'
  | 'Decreased function'
  | 'No function'
  | 'Uncertain function'
  | 'Normal coumarin sensitivity'
  | 'Higher coumarin sensitivity';

/** One allele-defining variant, in the VCF-style minimal representation the hub stores (GRCh38). */
export interface DefiningVariant {
  /** gene-level HGVS name, unique within the gene, e.g. "c.681G>A" */
  id: string;
  rsid: string;
  pos: number;
  ref: string;
  alt: string;
}

export interface NamedAllele {
  name: string;
  function: AlleleFunction;
  /** CPIC activity value, for the genes CPIC scores */
  activityValue?: number;
  /** ids of the defining variants this haplotype carries; every other defining position is reference */
  carries: string[];
  /** variants the allele may or may not carry (IUPAC ambiguity codes in the CPIC definition, e.g. CYP2C19*4 rs12248560 "Y") */
  optional?: string[];
  /** the definition names a base at every position (reference allele; CYP2C19*1) — PharmCAT scoring */
  specifiesAllPositions?: boolean;
}

export interface DiplotypePhenotype {
  phenotype: string;
  activityScore: number | null;
}

/** A gene called by star-allele matching (all genes here except DPYD, which CPIC scores variant by variant). */
export interface StarAlleleGene {
  gene: string;
  chrom: string;
  variants: DefiningVariant[];
  /** in report order; the order breaks ties between equally scored diplotypes */
  alleles: NamedAllele[];
  phenotype(a: NamedAllele, b: NamedAllele): DiplotypePhenotype;
  source: string;
  /** what the tested set can and cannot detect, repeated in every result */
  scopeNote: string;
  /** added when unphased data leave more than one diplotype */
  unphasedNote?: string;
}
