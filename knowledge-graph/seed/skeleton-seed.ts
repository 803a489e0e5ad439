/**
 * A small curated seed written by the project from published facts; each record cites its source.
 * Variant coordinates are GRCh38 (ClinVar / Ensembl), gene symbols HGNC, drug ids RxNorm ingredient
 * CUIs, disease ids Disease Ontology. Evidence levels follow CIViC (A: validated, e.g. FDA approval
 * or phase III trial; B: clinical evidence; C: case study; D: preclinical; E: inferential).
 */
export interface SeedGene {
  symbol: string;
  name: string;
  hgncId: string;
}

export interface SeedVariant {
  id: string;
  gene: string;
  proteinChange: string;
  hgvsC: string;
}

export interface SeedDrug {
  id: string;
  name: string;
}

export interface SeedDisease {
  id: string;
  name: string;
}

export interface SeedEvidence {
  id: string;
  variantId: string;
  drugId: string;
  diseaseId: string;
  level: 'A' | 'B' | 'C' | 'D' | 'E';
  type: 'PREDICTIVE';
  direction: 'SUPPORTS';
  response: 'SENSITIVITY' | 'RESISTANCE';
  source: string;
  citation: string;
}

export interface SeedTrial {
  nctId: string;
  title: string;
  phase: string;
  requiresVariants: string[];
  drugs: string[];
  conditions: string[];
}

export const SEED_SOURCE = 'Precision Hub curated seed';
/** Bumped whenever a record below changes, so answers can say which seed they came from. */
export const SEED_VERSION = 'skeleton seed 2026-11-29';

export const GENES: SeedGene[] = [
  { symbol: 'BRAF', name: 'B-Raf proto-oncogene, serine/threonine kinase', hgncId: 'HGNC:1097' },
  { symbol: 'EGFR', name: 'epidermal growth factor receptor', hgncId: 'HGNC:3236' },
  { symbol: 'KRAS', name: 'KRAS proto-oncogene, GTPase', hgncId: 'HGNC:6407' },
  { symbol: 'CYP2C19', name: 'cytochrome P450 family 2 subfamily C member 19', hgncId: 'HGNC:2621' },
];

export const VARIANTS: SeedVariant[] = [
  // NM_004333.6:c.1799T>A (BRAF is on the minus strand, hence A>T on the genome).
  { id: 'GRCh38:7:140753336:A:T', gene: 'BRAF', proteinChange: 'p.V600E', hgvsC: 'NM_004333.6:c.1799T>A' },
  { id: 'GRCh38:7:55191822:T:G', gene: 'EGFR', proteinChange: 'p.L858R', hgvsC: 'NM_005228.5:c.2573T>G' },
  { id: 'GRCh38:7:55181378:C:T', gene: 'EGFR', proteinChange: 'p.T790M', hgvsC: 'NM_005228.5:c.2369C>T' },
  // NM_004985.5:c.34G>T (KRAS is on the minus strand).
  { id: 'GRCh38:12:25245351:C:A', gene: 'KRAS', proteinChange: 'p.G12C', hgvsC: 'NM_004985.5:c.34G>T' },
];

export const DRUGS: SeedDrug[] = [
  { id: '1147220', name: 'vemurafenib' },
  { id: '1424911', name: 'dabrafenib' },
  { id: '1721560', name: 'osimertinib' },
  { id: '337525', name: 'erlotinib' },
  { id: '328134', name: 'gefitinib' },
  { id: '2550714', name: 'sotorasib' },
];

export const DISEASES: SeedDisease[] = [
  { id: 'DOID:1909', name: 'melanoma' },
  { id: 'DOID:3908', name: 'non-small cell lung carcinoma' },
];

export const EVIDENCE: SeedEvidence[] = [
  {
    id: 'seed:braf-v600e-vemurafenib-melanoma',
    variantId: 'GRCh38:7:140753336:A:T',
    drugId: '1147220',
    diseaseId: 'DOID:1909',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Chapman PB et al. N Engl J Med 2011;364:2507-16 (BRIM-3). PMID:21639808',
  },
  {
    id: 'seed:braf-v600e-dabrafenib-melanoma',
    variantId: 'GRCh38:7:140753336:A:T',
    drugId: '1424911',
    diseaseId: 'DOID:1909',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Hauschild A et al. Lancet 2012;380:358-65 (BREAK-3). PMID:22735384',
  },
  {
    id: 'seed:egfr-l858r-osimertinib-nsclc',
    variantId: 'GRCh38:7:55191822:T:G',
    drugId: '1721560',
    diseaseId: 'DOID:3908',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Soria JC et al. N Engl J Med 2018;378:113-125 (FLAURA). PMID:29151359',
  },
  {
    id: 'seed:egfr-l858r-erlotinib-nsclc',
    variantId: 'GRCh38:7:55191822:T:G',
    drugId: '337525',
    diseaseId: 'DOID:3908',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Rosell R et al. Lancet Oncol 2012;13:239-46 (EURTAC). PMID:22285168',
  },
  {
    id: 'seed:egfr-t790m-osimertinib-nsclc',
    variantId: 'GRCh38:7:55181378:C:T',
    drugId: '1721560',
    diseaseId: 'DOID:3908',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Mok TS et al. N Engl J Med 2017;376:629-640 (AURA3). PMID:27959700',
  },
  {
    id: 'seed:egfr-t790m-gefitinib-nsclc',
    variantId: 'GRCh38:7:55181378:C:T',
    drugId: '328134',
    diseaseId: 'DOID:3908',
    level: 'B',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'RESISTANCE',
    source: SEED_SOURCE,
    citation: 'Kobayashi S et al. N Engl J Med 2005;352:786-92. PMID:15728811',
  },
  {
    id: 'seed:kras-g12c-sotorasib-nsclc',
    variantId: 'GRCh38:12:25245351:C:A',
    drugId: '2550714',
    diseaseId: 'DOID:3908',
    level: 'A',
    type: 'PREDICTIVE',
    direction: 'SUPPORTS',
    response: 'SENSITIVITY',
    source: SEED_SOURCE,
    citation: 'Skoulidis F et al. N Engl J Med 2021;384:2371-2381 (CodeBreaK 100). PMID:34096690',
  },
];

export const TRIALS: SeedTrial[] = [
  {
    nctId: 'NCT02296125',
    title: 'FLAURA: osimertinib (AZD9291) versus gefitinib or erlotinib in EGFR-mutation-positive advanced NSCLC',
    phase: 'PHASE3',
    requiresVariants: ['GRCh38:7:55191822:T:G'],
    drugs: ['1721560'],
    conditions: ['DOID:3908'],
  },
  {
    nctId: 'NCT03600883',
    title: 'CodeBreaK 100: sotorasib (AMG 510) in solid tumours with KRAS p.G12C',
    phase: 'PHASE1/PHASE2',
    requiresVariants: ['GRCh38:12:25245351:C:A'],
    drugs: ['2550714'],
    conditions: ['DOID:3908'],
  },
];
