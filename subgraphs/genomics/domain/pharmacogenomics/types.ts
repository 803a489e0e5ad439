/** One variant call of the patient on GRCh38, as stored by the genomics subgraph (biallelic, VCF GT). */
export interface GenotypeCall {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  /** VCF GT for this ALT: `0/1`, `1|1`, `0/0`, `./.` */
  genotype: string;
}

/**
 * CALLED: a diplotype (or DPYD variant pair) and its phenotype; INDETERMINATE: the patient was
 * genotyped at the gene but the calls allow no single phenotype (reason in notes); NOT_GENOTYPED:
 * no call at any of the gene's defining positions — no test result exists.
 */
export type PgxStatus = 'CALLED' | 'INDETERMINATE' | 'NOT_GENOTYPED';

export interface PgxResult {
  /** HGNC symbol */
  gene: string;
  status: PgxStatus;
  /** e.g. "*2/*17"; null when not callable */
  diplotype: string | null;
  /** CPIC term, e.g. "Intermediate Metabolizer"; "Indeterminate" when not callable; "Not genotyped" without calls */
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
  /** defining position → the allele tokens (REFERENCE or `REF>ALT`) this allele may carry there; more than one for IUPAC codes; absent = reference */
  tokens: Map<number, string[]>;
  /** positions the definition names a base for (PharmCAT's score; the reference allele names all) */
  named: Set<number>;
  /** the allele the reference genome carries */
  reference: boolean;
  /** in the AMP PGx Working Group tier-1 set (PharmCAT exemptions.json "amp1Alleles"): a result must test it */
  tier1: boolean;
}

export interface DiplotypePhenotype {
  phenotype: string;
  activityScore: number | null;
}

/** A gene called by star-allele matching (all genes here except DPYD, which CPIC scores variant by variant). */
export interface StarAlleleGene {
  gene: string;
  chrom: string;
  /** every defining position, ascending */
  sites: { pos: number; rsid: string }[];
  /** every defining ALT, normalised as the hub stores calls */
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
