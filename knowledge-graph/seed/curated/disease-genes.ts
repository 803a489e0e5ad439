/**
 * Causal genes of the curated rare diseases (RARE_DISEASES in hpo-rare-diseases.ts), loaded as
 * (:Disease)-[:ASSOCIATED_GENE {source, reference}]->(:Gene) so phenotype ranking can favour a disease whose
 * gene carries a patient variant.
 *
 * Sources (public files read at the commit named; none of these associations is from memory):
 *  - OMIM gene map, genemap2.txt "Generated: 2021-08-31", as committed in github.com/snijesh/omim
 *    @ 5bb055017922cc21b2484cd9564161cd3071fba6. A gene is listed for a disease when the gene's row names the disease's
 *    MIM number in its Phenotypes column with mapping key (3) (molecular basis known). `reference` is that gene row's
 *    own OMIM entry (column "MIM Number").
 *  - Cross-check: NCBI mim2gene_medgen (the file HPO's genes_to_disease.txt is built from), as committed in
 *    github.com/gen-era/canvas-pipeline @ 07889e0156b26dd637b6b8cbd24cf3d151720865 (a later release than the gene map:
 *    MIM numbers up to 621534). Every association kept here is also a "GeneMap" phenotype row there, with the NCBI
 *    Gene id of the gene map's "Entrez Gene ID" column.
 *  - Symbols: current HGNC symbols as in NCBI/EMBL-EBI MANE Select v1.4 (github.com/j-jamshidi/bed_annot
 *    MANE.GRCh38.v1.4.summary.txt @ 33cb6d10fa87c2cb51b0d24774c1d4ac8c3926ea), matched on the NCBI Gene id.
 *    All agree with the gene map except GBA, since renamed GBA1 (see its row).
 * Licence: OMIM files are © Johns Hopkins University, used under https://omim.org/help/agreement (only the
 *   gene–disease facts and MIM numbers are kept, with citation); mim2gene_medgen and MANE are NCBI / EMBL-EBI
 *   public data (https://www.ncbi.nlm.nih.gov/home/about/policies/).
 * Processing: gene-map entries in braces (modifier or susceptibility, "{...}"), square brackets (non-disease, "[...]")
 *   or marked "?" (provisional) are not causal genes and are left out; each row's note names what was left out.
 * Not linked (no gene for that MIM number in the sources):
 *  - OMIM:194050 Williams-Beuren syndrome: gene map mapping key (4), a contiguous-gene deletion at 7q11.23, no gene
 *    symbol; mim2gene_medgen lists only GeneReviews genes for it (ELN, MLXIPL), which are chapter-level, not causal.
 *  - OMIM:176270 Prader-Willi syndrome: the 2021 gene map lists NDN and SNRPN with key (3), but the later
 *    mim2gene_medgen has no GeneMap gene for it (only ten GeneReviews genes of 15q11-q13). An imprinting disorder of
 *    the paternal 15q11.2-q13 region; left out until the sources agree.
 */

export interface CuratedDiseaseGenes {
  /** OMIM:<mim>, an id of RARE_DISEASES. */
  diseaseId: string;
  /** HGNC symbols of the causal genes the source gives for this MIM number. */
  genes: string[];
  /** Per gene: the gene's OMIM entry (OMIM:<gene mim>) in the gene map row that names the disease. */
  geneEntries: Record<string, string>;
  /** File @ commit the association was read from. */
  source: string;
  note?: string;
}

export const DISEASE_GENES_SOURCE = {
  geneMap: {
    repository: 'https://github.com/snijesh/omim',
    path: 'genemap2.txt',
    commit: '5bb055017922cc21b2484cd9564161cd3071fba6',
    generated: '2021-08-31',
  },
  mim2geneMedgen: {
    repository: 'https://github.com/gen-era/canvas-pipeline',
    path: 'mim2gene_medgen',
    commit: '07889e0156b26dd637b6b8cbd24cf3d151720865',
  },
  symbols: {
    repository: 'https://github.com/j-jamshidi/bed_annot',
    path: 'MANE.GRCh38.v1.4.summary.txt',
    commit: '33cb6d10fa87c2cb51b0d24774c1d4ac8c3926ea',
  },
  licence: 'OMIM: https://omim.org/help/agreement; NCBI: https://www.ncbi.nlm.nih.gov/home/about/policies/',
} as const;

const GENE_MAP = `OMIM genemap2.txt (generated 2021-08-31) @ github.com/snijesh/omim ${DISEASE_GENES_SOURCE.geneMap.commit}`;

export const CURATED_DISEASE_GENES: CuratedDiseaseGenes[] = [
  { diseaseId: 'OMIM:154700', genes: ['FBN1'], geneEntries: { FBN1: 'OMIM:134797' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:219700',
    genes: ['CFTR'],
    geneEntries: { CFTR: 'OMIM:602421' },
    source: GENE_MAP,
    note: 'FCGR2A (susceptibility to Pseudomonas infection in CF) and TGFB1 (CF lung disease modifier) are listed in braces, left out',
  },
  {
    diseaseId: 'OMIM:261600',
    genes: ['PAH'],
    geneEntries: { PAH: 'OMIM:612349' },
    source: GENE_MAP,
    note: 'PAH also carries the bracketed "[Hyperphenylalaninemia, non-PKU mild]" under this MIM number',
  },
  { diseaseId: 'OMIM:143100', genes: ['HTT'], geneEntries: { HTT: 'OMIM:613004' }, source: GENE_MAP },
  { diseaseId: 'OMIM:310200', genes: ['DMD'], geneEntries: { DMD: 'OMIM:300377' }, source: GENE_MAP },
  { diseaseId: 'OMIM:300624', genes: ['FMR1'], geneEntries: { FMR1: 'OMIM:309550' }, source: GENE_MAP },
  { diseaseId: 'OMIM:312750', genes: ['MECP2'], geneEntries: { MECP2: 'OMIM:300005' }, source: GENE_MAP },
  { diseaseId: 'OMIM:162200', genes: ['NF1'], geneEntries: { NF1: 'OMIM:613113' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:191100',
    genes: ['TSC1'],
    geneEntries: { TSC1: 'OMIM:605284' },
    source: GENE_MAP,
    note: 'OMIM:191100 is tuberous sclerosis-1 (TSC1); TSC2 causes tuberous sclerosis-2, a separate MIM number (613254) not in RARE_DISEASES',
  },
  {
    diseaseId: 'OMIM:230800',
    genes: ['GBA1'],
    geneEntries: { GBA1: 'OMIM:606463' },
    source: GENE_MAP,
    note: 'The 2021 gene map names the gene GBA (NCBI Gene 2629); its current HGNC symbol is GBA1 (HGNC:4177, NCBI Gene 2629 in MANE v1.4)',
  },
  { diseaseId: 'OMIM:301500', genes: ['GLA'], geneEntries: { GLA: 'OMIM:300644' }, source: GENE_MAP },
  { diseaseId: 'OMIM:232300', genes: ['GAA'], geneEntries: { GAA: 'OMIM:606800' }, source: GENE_MAP },
  { diseaseId: 'OMIM:100800', genes: ['FGFR3'], geneEntries: { FGFR3: 'OMIM:134934' }, source: GENE_MAP },
  { diseaseId: 'OMIM:105830', genes: ['UBE3A'], geneEntries: { UBE3A: 'OMIM:601623' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:163950',
    genes: ['PTPN11'],
    geneEntries: { PTPN11: 'OMIM:176876' },
    source: GENE_MAP,
    note: 'Noonan syndrome 1 only; mim2gene_medgen adds BRAF and MAP2K1 from the GeneReviews chapter covering all Noonan types',
  },
  { diseaseId: 'OMIM:253300', genes: ['SMN1'], geneEntries: { SMN1: 'OMIM:600354' }, source: GENE_MAP },
  { diseaseId: 'OMIM:306700', genes: ['F8'], geneEntries: { F8: 'OMIM:300841' }, source: GENE_MAP },
  { diseaseId: 'OMIM:603903', genes: ['HBB'], geneEntries: { HBB: 'OMIM:141900' }, source: GENE_MAP },
  { diseaseId: 'OMIM:277900', genes: ['ATP7B'], geneEntries: { ATP7B: 'OMIM:606882' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:235200',
    genes: ['HFE'],
    geneEntries: { HFE: 'OMIM:613609' },
    source: GENE_MAP,
    note: 'BMP2 ("HFE hemochromatosis, modifier of") is listed in braces, left out',
  },
  {
    diseaseId: 'OMIM:272800',
    genes: ['HEXA'],
    geneEntries: { HEXA: 'OMIM:606869' },
    source: GENE_MAP,
    note: 'HEXA also carries the bracketed "[Hex A pseudodeficiency]" under this MIM number',
  },
  {
    diseaseId: 'OMIM:301050',
    genes: ['COL4A5'],
    geneEntries: { COL4A5: 'OMIM:303630' },
    source: GENE_MAP,
    note: 'X-linked Alport syndrome only; mim2gene_medgen adds COL4A3 and COL4A4 from the GeneReviews chapter covering all Alport forms',
  },
  { diseaseId: 'OMIM:166200', genes: ['COL1A1'], geneEntries: { COL1A1: 'OMIM:120150' }, source: GENE_MAP },
  { diseaseId: 'OMIM:122470', genes: ['NIPBL'], geneEntries: { NIPBL: 'OMIM:608667' }, source: GENE_MAP },
  { diseaseId: 'OMIM:270400', genes: ['DHCR7'], geneEntries: { DHCR7: 'OMIM:602858' }, source: GENE_MAP },
  { diseaseId: 'OMIM:229300', genes: ['FXN'], geneEntries: { FXN: 'OMIM:606829' }, source: GENE_MAP },
  { diseaseId: 'OMIM:160900', genes: ['DMPK'], geneEntries: { DMPK: 'OMIM:605377' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:607014',
    genes: ['IDUA'],
    geneEntries: { IDUA: 'OMIM:252800' },
    source: GENE_MAP,
    note: 'Gene map phenotype "Mucopolysaccharidosis Ih, 607014"',
  },
  { diseaseId: 'OMIM:257220', genes: ['NPC1'], geneEntries: { NPC1: 'OMIM:607623' }, source: GENE_MAP },
  { diseaseId: 'OMIM:309400', genes: ['ATP7A'], geneEntries: { ATP7A: 'OMIM:300011' }, source: GENE_MAP },
  { diseaseId: 'OMIM:108300', genes: ['COL2A1'], geneEntries: { COL2A1: 'OMIM:120140' }, source: GENE_MAP },
  { diseaseId: 'OMIM:151623', genes: ['TP53'], geneEntries: { TP53: 'OMIM:191170' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:193300',
    genes: ['VHL'],
    geneEntries: { VHL: 'OMIM:608537' },
    source: GENE_MAP,
    note: 'CCND1 ("von Hippel-Lindau syndrome, modifier of") is listed in braces, left out',
  },
  { diseaseId: 'OMIM:175100', genes: ['APC'], geneEntries: { APC: 'OMIM:611731' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:214800',
    genes: ['CHD7'],
    geneEntries: { CHD7: 'OMIM:608892' },
    source: GENE_MAP,
    note: 'SEMA3E is listed as "?CHARGE syndrome" (provisional) and is not in mim2gene_medgen, left out',
  },
  {
    diseaseId: 'OMIM:147920',
    genes: ['KMT2D'],
    geneEntries: { KMT2D: 'OMIM:602113' },
    source: GENE_MAP,
    note: 'Kabuki syndrome 1 only; KDM6A (in mim2gene_medgen from the GeneReviews chapter) causes Kabuki syndrome 2, a separate MIM number',
  },
  { diseaseId: 'OMIM:609192', genes: ['TGFBR1'], geneEntries: { TGFBR1: 'OMIM:190181' }, source: GENE_MAP },
  {
    diseaseId: 'OMIM:209900',
    genes: ['BBS1'],
    geneEntries: { BBS1: 'OMIM:209901' },
    source: GENE_MAP,
    note: 'CCDC28B and ARL6 ("Bardet-Biedl syndrome 1, modifier of") are listed in braces, left out',
  },
];
