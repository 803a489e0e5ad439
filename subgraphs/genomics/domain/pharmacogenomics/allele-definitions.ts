import { cyp2c19Phenotype, cyp2c9Phenotype, slco1b1Phenotype, thiopurinePhenotype, vkorc1Phenotype } from './phenotypes';
import type { StarAlleleGene } from './types';

/*
 * A subset of the CPIC allele definitions, in our own compact form. Positions, rsIDs and REF/ALT
 * (GRCh38, plus strand, VCF-style minimal representation) and each allele's defining ALT alleles
 * were read from PharmCAT v3.1.1 (github PharmGKB/PharmCAT, commit 5431bf1), files
 * src/main/resources/org/pharmgkb/pharmcat/definition/alleles/<GENE>_translation.json, data
 * version 2025-11-05-00-25 (source CLINPGX, i.e. the CPIC/ClinPGx allele definition tables,
 * genome build GRCh38.p14). Allele functions and activity values come from the matching
 * .../pharmcat/phenotype/<GENE>.json of the same release.
 *
 * The subset is the AMP tier-1 set where PharmCAT's exemptions.json lists one ("amp1Alleles"),
 * plus the alleles that share its positions, so that a call at a tested position is never read
 * as an allele it is not. A defining variant's `id` is its rsID (NUDT15 has two alleles at one
 * rsID, named apart).
 */

const PHARMCAT = 'PharmCAT v3.1.1 allele definitions (ClinPGx/CPIC data 2025-11-05, GRCh38.p14)';

const scope = (gene: string, tested: string, reference: string): string =>
  `Tested ${gene} alleles: ${tested}. ${reference} means none of their defining variants was found; rarer alleles outside this set are not excluded.`;

export const CYP2C19: StarAlleleGene = {
  gene: 'CYP2C19',
  chrom: '10',
  variants: [
    { id: 'rs12248560', rsid: 'rs12248560', pos: 94761900, ref: 'C', alt: 'T' }, // *17 (and optional on *4)
    { id: 'rs28399504', rsid: 'rs28399504', pos: 94762706, ref: 'A', alt: 'G' }, // *4
    { id: 'rs12769205', rsid: 'rs12769205', pos: 94775367, ref: 'A', alt: 'G' }, // on *2 (AMP tier-1 position)
    { id: 'rs4986893', rsid: 'rs4986893', pos: 94780653, ref: 'G', alt: 'A' }, // *3
    { id: 'rs4244285', rsid: 'rs4244285', pos: 94781859, ref: 'G', alt: 'A' }, // *2
    { id: 'rs3758581', rsid: 'rs3758581', pos: 94842866, ref: 'A', alt: 'G' }, // on every allele except *38
  ],
  // The GRCh38 reference sequence is CYP2C19*38; *1 and the other alleles carry rs3758581 G, so an
  // all-reference sample is *38/*38 (normal function, like *1).
  alleles: [
    { name: '*1', function: 'Normal function', carries: ['rs3758581'], specifiesAllPositions: true },
    { name: '*2', function: 'No function', carries: ['rs12769205', 'rs4244285', 'rs3758581'] },
    { name: '*3', function: 'No function', carries: ['rs4986893', 'rs3758581'] },
    { name: '*4', function: 'No function', carries: ['rs28399504', 'rs3758581'], optional: ['rs12248560'] },
    { name: '*17', function: 'Increased function', carries: ['rs12248560', 'rs3758581'] },
    { name: '*38', function: 'Normal function', carries: [], specifiesAllPositions: true },
  ],
  phenotype: cyp2c19Phenotype,
  source: `${PHARMCAT}: CYP2C19_translation.json, phenotype/CYP2C19.json; CPIC Guideline for CYP2C19 Genotype and Clopidogrel Therapy: 2022 Update (PMID 35034351)`,
  scopeNote: scope('CYP2C19', '*1, *2, *3, *4, *17, *38', '*1 (or *38)'),
};

export const CYP2C9: StarAlleleGene = {
  gene: 'CYP2C9',
  chrom: '10',
  variants: [
    { id: 'rs1799853', rsid: 'rs1799853', pos: 94942290, ref: 'C', alt: 'T' }, // *2
    { id: 'rs7900194', rsid: 'rs7900194', pos: 94942309, ref: 'G', alt: 'A' }, // *8 (G>T there is *27, not tested)
    { id: 'rs9332131', rsid: 'rs9332131', pos: 94949281, ref: 'GA', alt: 'G' }, // *6, 1-bp deletion, left-aligned
    { id: 'rs28371685', rsid: 'rs28371685', pos: 94981224, ref: 'C', alt: 'T' }, // *11
    { id: 'rs1057910', rsid: 'rs1057910', pos: 94981296, ref: 'A', alt: 'C' }, // *3
    { id: 'rs28371686', rsid: 'rs28371686', pos: 94981301, ref: 'C', alt: 'G' }, // *5
  ],
  alleles: [
    { name: '*1', function: 'Normal function', activityValue: 1, carries: [], specifiesAllPositions: true },
    { name: '*2', function: 'Decreased function', activityValue: 0.5, carries: ['rs1799853'] },
    { name: '*3', function: 'No function', activityValue: 0, carries: ['rs1057910'] },
    // CPIC gives *5 0.5 (decreased), not 0 as older tables did (phenotype/CYP2C9.json).
    { name: '*5', function: 'Decreased function', activityValue: 0.5, carries: ['rs28371686'] },
    { name: '*6', function: 'No function', activityValue: 0, carries: ['rs9332131'] },
    { name: '*8', function: 'Decreased function', activityValue: 0.5, carries: ['rs7900194'] },
    { name: '*11', function: 'Decreased function', activityValue: 0.5, carries: ['rs28371685'] },
  ],
  phenotype: cyp2c9Phenotype,
  source: `${PHARMCAT}: CYP2C9_translation.json, phenotype/CYP2C9.json; CPIC Guideline for CYP2C9 and HLA-B Genotypes and Phenytoin Dosing: 2020 Update (PMID 32779747); CPIC Guideline for CYP2C9 and NSAIDs (PMID 32189324)`,
  scopeNote: scope('CYP2C9', '*1, *2, *3, *5, *6, *8, *11', '*1'),
};

export const SLCO1B1: StarAlleleGene = {
  gene: 'SLCO1B1',
  chrom: '12',
  variants: [
    { id: 'rs2306283', rsid: 'rs2306283', pos: 21176804, ref: 'A', alt: 'G' }, // c.388A>G
    { id: 'rs11045819', rsid: 'rs11045819', pos: 21176879, ref: 'C', alt: 'A' }, // c.463C>A
    { id: 'rs4149056', rsid: 'rs4149056', pos: 21178615, ref: 'T', alt: 'C' }, // c.521T>C
  ],
  // PharmVar renamed *1B (c.388A>G alone) to *37; c.521T>C makes *5 (alone) and *15 (with c.388A>G).
  alleles: [
    { name: '*1', function: 'Normal function', carries: [], specifiesAllPositions: true },
    { name: '*4', function: 'Uncertain function', carries: ['rs11045819'] },
    { name: '*5', function: 'No function', carries: ['rs4149056'] },
    { name: '*14', function: 'Increased function', carries: ['rs2306283', 'rs11045819'] },
    { name: '*15', function: 'No function', carries: ['rs2306283', 'rs4149056'] },
    { name: '*37', function: 'Normal function', carries: ['rs2306283'] },
  ],
  phenotype: slco1b1Phenotype,
  source: `${PHARMCAT}: SLCO1B1_translation.json, phenotype/SLCO1B1.json; CPIC Guideline for SLCO1B1, ABCG2, and CYP2C9 Genotypes and Statin-Associated Musculoskeletal Symptoms (2022, PMID 35152405)`,
  scopeNote: scope('SLCO1B1', '*1, *4, *5, *14, *15, *37 (c.388A>G, c.463C>A, c.521T>C)', '*1'),
};

export const TPMT: StarAlleleGene = {
  gene: 'TPMT',
  chrom: '6',
  variants: [
    { id: 'rs1142345', rsid: 'rs1142345', pos: 18130687, ref: 'T', alt: 'C' }, // *3C (T>G there is *41, not tested)
    { id: 'rs1800460', rsid: 'rs1800460', pos: 18138997, ref: 'C', alt: 'T' }, // *3B
    { id: 'rs1800462', rsid: 'rs1800462', pos: 18143724, ref: 'C', alt: 'G' }, // *2
  ],
  alleles: [
    { name: '*1', function: 'Normal function', carries: [], specifiesAllPositions: true },
    { name: '*2', function: 'No function', carries: ['rs1800462'] },
    { name: '*3A', function: 'No function', carries: ['rs1800460', 'rs1142345'] }, // *3B + *3C in cis
    { name: '*3B', function: 'No function', carries: ['rs1800460'] },
    { name: '*3C', function: 'No function', carries: ['rs1142345'] },
  ],
  phenotype: thiopurinePhenotype,
  source: `${PHARMCAT}: TPMT_translation.json, phenotype/TPMT.json; CPIC Guideline for Thiopurine Dosing Based on TPMT and NUDT15 Genotypes: 2018 Update (PMID 30447069)`,
  scopeNote: scope('TPMT', '*1, *2, *3A, *3B, *3C', '*1'),
  // *3A is the commonest TPMT no-function allele in most populations while *3B alone is rare (e.g.
  // ARUP's TPMT genotyping listing: *3A 0.036, *3B 0.0005 in Caucasians), hence *1/*3A.
  unphasedNote:
    'TPMT: with unphased data a c.460G>A (*3B) + c.719A>G (*3C) heterozygote is *1/*3A or *3B/*3C; *3A is common and *3B alone rare, so *1/*3A is far likelier, but *3B/*3C (Poor Metabolizer) is not excluded; TPMT activity or phased data would resolve it.',
};

export const NUDT15: StarAlleleGene = {
  gene: 'NUDT15',
  chrom: '13',
  variants: [
    // rs746071566 is a GAGTCG repeat: one more copy (insertion) is on *2 and *6, one fewer is *9.
    // PharmCAT writes both at 48037782 with REF AGGAGTC; trimmed to the minimal form here.
    { id: 'rs746071566 ins', rsid: 'rs746071566', pos: 48037782, ref: 'A', alt: 'AGGAGTC' },
    { id: 'rs746071566 del', rsid: 'rs746071566', pos: 48037782, ref: 'AGGAGTC', alt: 'A' },
    { id: 'rs116855232', rsid: 'rs116855232', pos: 48045719, ref: 'C', alt: 'T' }, // c.415C>T, *3
  ],
  alleles: [
    { name: '*1', function: 'Normal function', carries: [], specifiesAllPositions: true },
    { name: '*2', function: 'No function', carries: ['rs746071566 ins', 'rs116855232'] },
    { name: '*3', function: 'No function', carries: ['rs116855232'] },
    { name: '*6', function: 'Uncertain function', carries: ['rs746071566 ins'] },
    { name: '*9', function: 'No function', carries: ['rs746071566 del'] },
  ],
  phenotype: thiopurinePhenotype,
  source: `${PHARMCAT}: NUDT15_translation.json, phenotype/NUDT15.json; CPIC Guideline for Thiopurine Dosing Based on TPMT and NUDT15 Genotypes: 2018 Update (PMID 30447069)`,
  scopeNote: scope('NUDT15', '*1, *2, *3, *6, *9', '*1'),
};

export const VKORC1: StarAlleleGene = {
  gene: 'VKORC1',
  chrom: '16',
  // VKORC1 lies on the minus strand: c.-1639G>A is rs9923231 C>T on the GRCh38 plus strand.
  variants: [{ id: 'rs9923231', rsid: 'rs9923231', pos: 31096368, ref: 'C', alt: 'T' }],
  alleles: [
    { name: 'G', function: 'Normal coumarin sensitivity', carries: [], specifiesAllPositions: true },
    { name: 'A', function: 'Higher coumarin sensitivity', carries: ['rs9923231'] },
  ],
  phenotype: vkorc1Phenotype,
  source: `${PHARMCAT}: VKORC1_translation.json, phenotype/VKORC1.json; CPIC Guideline for Pharmacogenetics-Guided Warfarin Dosing: 2017 Update (PMID 28198005)`,
  scopeNote:
    'VKORC1 c.-1639G>A (rs9923231; C>T on the GRCh38 plus strand) genotype, in gene orientation. CPIC allele function: A = Higher coumarin sensitivity, G = Normal coumarin sensitivity; CPIC warfarin dosing uses this genotype together with CYP2C9.',
};

export const STAR_ALLELE_GENES: StarAlleleGene[] = [CYP2C19, CYP2C9, NUDT15, SLCO1B1, TPMT, VKORC1];
