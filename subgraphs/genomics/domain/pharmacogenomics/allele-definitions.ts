import { loadPharmcatGene } from './pharmcat-definitions';
import type { StarAlleleGene } from './types';

/*
 * The six genes called by star-allele matching, with every allele CPIC/ClinPGx defines for them,
 * read from PharmCAT's published definition files (see pharmcat-definitions.ts and
 * data/pharmcat/SOURCE.md). What is written here is only what the data files do not say: the CPIC
 * guideline each phenotype follows, and a note on unphased TPMT data.
 */

export const CYP2C19: StarAlleleGene = loadPharmcatGene('CYP2C19', {
  source: 'CPIC Guideline for CYP2C19 Genotype and Clopidogrel Therapy: 2022 Update (PMID 35034351)',
});

export const CYP2C9: StarAlleleGene = loadPharmcatGene('CYP2C9', {
  source:
    'CPIC Guideline for CYP2C9 and HLA-B Genotypes and Phenytoin Dosing: 2020 Update (PMID 32779747); CPIC Guideline for CYP2C9 and NSAIDs (PMID 32189324)',
});

export const SLCO1B1: StarAlleleGene = loadPharmcatGene('SLCO1B1', {
  source: 'CPIC Guideline for SLCO1B1, ABCG2, and CYP2C9 Genotypes and Statin-Associated Musculoskeletal Symptoms (2022, PMID 35152405)',
});

export const TPMT: StarAlleleGene = loadPharmcatGene('TPMT', {
  source: 'CPIC Guideline for Thiopurine Dosing Based on TPMT and NUDT15 Genotypes: 2018 Update (PMID 30447069)',
  // *3A is the commonest TPMT no-function allele in most populations while *3B alone is rare (e.g.
  // ARUP's TPMT genotyping listing: *3A 0.036, *3B 0.0005 in Caucasians), hence *1/*3A.
  unphasedNote:
    'TPMT: with unphased data a c.460G>A (*3B) + c.719A>G (*3C) heterozygote is *1/*3A or *3B/*3C; *3A is common and *3B alone rare, so *1/*3A is far likelier, but *3B/*3C (Poor Metabolizer) is not excluded; TPMT activity or phased data would resolve it.',
});

export const NUDT15: StarAlleleGene = loadPharmcatGene('NUDT15', {
  source: 'CPIC Guideline for Thiopurine Dosing Based on TPMT and NUDT15 Genotypes: 2018 Update (PMID 30447069)',
});

/** VKORC1 c.-1639G>A (rs9923231; C>T on the GRCh38 plus strand): CPIC names the phenotype by this genotype ("-1639 AG"). */
export const VKORC1: StarAlleleGene = loadPharmcatGene('VKORC1', {
  note: 'In gene orientation rs9923231 T is c.-1639A and C is c.-1639G; CPIC allele function: A = Higher coumarin sensitivity, G = Normal coumarin sensitivity; CPIC warfarin dosing uses this genotype together with CYP2C9.',
  source: 'CPIC Guideline for Pharmacogenetics-Guided Warfarin Dosing: 2017 Update (PMID 28198005)',
});

export const STAR_ALLELE_GENES: StarAlleleGene[] = [CYP2C19, CYP2C9, NUDT15, SLCO1B1, TPMT, VKORC1];
