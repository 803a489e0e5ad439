/**
 * Types for the curated seed (issue 6 item 2): records the project writes itself from published facts.
 * Every record names its source; the data modules beside this file say which file, commit or page and under
 * which licence. The shapes are compatible with skeleton-seed.ts (same level / type / direction / response
 * vocabulary) but keep what the sources say instead of inventing ids: no GRCh38 variant id and no RxNorm CUI
 * is given unless it was read in a source.
 */
import type { SeedEvidence } from '../skeleton-seed';

export type EvidenceLevel = SeedEvidence['level'];

export interface CuratedDrug {
  name: string;
  /** RxNorm ingredient CUI, only when a source gave it. */
  rxnormCui?: string;
}

export interface CuratedDiseaseRef {
  /** Disease Ontology id, e.g. DOID:1909. */
  id: string;
  name: string;
}

/** Coordinates exactly as the CIViC export gives them (its representative variant; GRCh37 in the 2021 export). */
export interface CivicCoordinates {
  build: string;
  chromosome: string;
  start: number;
  stop: number;
  referenceBases?: string;
  variantBases?: string;
}

export interface CuratedEvidence {
  /** civic:EID<n>. */
  id: string;
  gene: string;
  /** CIViC variant name, e.g. 'V600E', 'EXON 19 DELETION', 'ALK FUSIONS', 'AMPLIFICATION'. */
  variantName: string;
  civicVariantId: number;
  /** GRCh38 id (chrom:pos:ref:alt), only when verified in a source; none of the CIViC records carries one. */
  variantId?: string;
  civicCoordinates?: CivicCoordinates;
  /** One drug, or several with drugInteractionType (CIViC: COMBINATION, SUBSTITUTES, SEQUENTIAL). */
  drugs: CuratedDrug[];
  drugInteractionType?: 'COMBINATION' | 'SUBSTITUTES' | 'SEQUENTIAL';
  disease: CuratedDiseaseRef;
  level: EvidenceLevel;
  type: SeedEvidence['type'];
  direction: SeedEvidence['direction'];
  response: SeedEvidence['response'];
  variantOrigin: string;
  /** CIViC trust rating 1-5. */
  rating?: number;
  source: 'CIViC';
  /** EID<n>. */
  sourceRecordId: string;
  sourceUrl: string;
  /** "Author et al., year, journal. PMID:n" (or an ASCO abstract). */
  citation: string;
  pmid?: string;
  nctIds?: string[];
  /** YYYY-MM-DD, CIViC last_review_date. */
  lastReviewed?: string;
}

export interface GuidelineCitation {
  pmid: string;
  title: string;
  year: number;
}

export interface CuratedGuideline {
  /** cpic:<drug>:<GENE=lookup>[-<GENE=lookup>]:<population>. */
  id: string;
  guidelineName: string;
  guidelineUrl: string;
  drug: CuratedDrug;
  genes: string[];
  citations: GuidelineCitation[];
  /** CPIC population, e.g. 'general', 'CVI ACS PCI', 'NVI'. */
  population: string;
  /** Gene -> phenotype, e.g. { CYP2C19: 'Poor Metabolizer' }. */
  phenotypes: Record<string, string>;
  /** Gene -> the key CPIC looks the recommendation up by (phenotype, or activity score for DPYD). */
  lookupKey: Record<string, string>;
  activityScore?: Record<string, string>;
  recommendation: string;
  /** CPIC classification of the recommendation as the export words it, e.g. Strong, Moderate, No Recommendation. */
  classification: string;
  implications: Record<string, string>;
  comments?: string;
  source: 'CPIC';
  sourceVersion: string;
}

/** A guideline the source has no phenotype table for (warfarin: CPIC gives a dosing algorithm). */
export interface CuratedGuidelineNote {
  guidelineName: string;
  guidelineUrl: string;
  drug: CuratedDrug;
  genes: string[];
  citations: GuidelineCitation[];
  note: string;
}

export interface GenomicCriterion {
  /** HGNC symbol, or 'MSI' / 'TMB' for a genomic signature that is not one gene. */
  gene: string;
  variant: string;
}

export interface CuratedTrial {
  nctId: string;
  /**
   * registry-brief / registry-official: the registry's brief or official title (ClinicalTrials.gov, or a registry
   * page copying it); sponsor-page: the sponsor's trial page; publication: no registry title was read, the title is
   * that of the publication reporting the trial (which names the NCT id, or is linked to it by CIViC).
   */
  title: string;
  titleKind: 'registry-brief' | 'registry-official' | 'sponsor-page' | 'publication';
  /** ClinicalTrials.gov style: PHASE1, PHASE2, PHASE3 ... */
  phase: string;
  /** As the source words them. */
  conditions: string[];
  genomicCriteria: GenomicCriterion[];
  /** URLs (or CIViC EIDs) of the pages the facts were read in. */
  sources: string[];
  /** CIViC evidence items (2021 export) whose nct_ids name this trial; see civic-evidence.ts. */
  civicEvidenceIds?: string[];
  note?: string;
}

export interface CuratedPhenotype {
  hpoId: string;
  /** The id the annotation file used, when it was an alt_id of hpoId in the HPO release used. */
  sourceHpoId?: string;
  /** Term name in the HPO release used (see hpo-rare-diseases.ts). */
  name: string;
  /** As the annotation file gives it (free text like 'typical', or a percentage). */
  frequency?: string;
  /** HPO evidence code: IEA, PCS, TAS, ICE. */
  evidence: string;
  /** Pub column of the annotation file, or the disease's OMIM id when that column is empty. */
  reference: string;
  /** The annotation file's own label for the term, when it differs from the ontology name. */
  sourceLabel?: string;
}

export interface CuratedDisease {
  /** OMIM:<mim>. */
  id: string;
  name: string;
  /** Annotation file the phenotypes come from. */
  source: string;
  phenotypes: CuratedPhenotype[];
}

export interface HpoTerm {
  id: string;
  name: string;
  isA: string[];
}
