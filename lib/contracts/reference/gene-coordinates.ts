/**
 * GRCh38 gene spans for the genes the knowledge graph knows, and a position → gene lookup used to
 * annotate VCF records at ingest time.
 *
 * Coordinates are 1-based and inclusive, on the GRCh38 primary assembly, chromosome names without "chr".
 * A span is the Ensembl gene (first base of its first transcript to last base of its last transcript),
 * so it is wider than the MANE transcript alone. Where Ensembl/GENCODE and NCBI gene models differ the
 * table keeps Ensembl (the per-row comments give the NCBI span for comparison).
 *
 * Sources (public files read at the commit named; none of these facts is from memory):
 *  - Spans: Ensembl release 110 (= GENCODE 44) GFF3 gene records, as cached by Ideogram.js in
 *    github.com/eweitz/ideogram dist/data/cache/genes/homo-sapiens-genes.tsv.gz @ a06d4732d3297393ca318fb41705ca9ccda7df9e
 *    (header: "Derived from https://ftp.ensembl.org/pub/release-110/gff3/homo_sapiens/Homo_sapiens.GRCh38.110.gff3.gz").
 *    That file stores the GFF start and length = end − start (scripts/python/cache/gene_cache.py), so end = start + length.
 *  - HGNC id, Ensembl gene id and strand: NCBI/EMBL-EBI MANE Select v1.4 summary, as committed in
 *    github.com/j-jamshidi/bed_annot MANE.GRCh38.v1.4.summary.txt @ 33cb6d10fa87c2cb51b0d24774c1d4ac8c3926ea.
 *
 * Cross-checks:
 *  - A second Ensembl/GENCODE gene table, github.com/iawade/common_condition data/all_genes.tsv.gz
 *    @ d71bb54faf607de886b1561250bd6300f5f70544 (a later release; the file does not record which), agrees base for
 *    base on all 68 genes except TP53, which ends at 7687546 there (and in Ensembl 115, see the TP53 row), HFE and VHL
 *    (see their rows).
 *  - Strand agrees for all 68 genes between MANE, the Ensembl 102 canonical transcripts cached in
 *    github.com/eweitz/ideogram dist/data/cache/gene-structures/homo-sapiens-gene-structures.tsv.gz
 *    @ 0b6003c4e45e9b4c41961a3594bf2f18e7e40ccf, and NCBI (below). Every MANE Select transcript lies inside its span.
 *  - Ensembl gene ids of the Ensembl 110 file and of MANE agree for every row, as do chromosomes with NCBI.
 *  - NCBI gene spans: MAGMA's NCBI build 38 gene locations, github.com/neurogenomics/MAGMA_Celltyping
 *    data/NCBI38.gene.loc @ 5c93c9fc3e71052965c2bb9cbaf03ac8972e239a (an older NCBI annotation; quoted per row).
 *  - Pharmacogene ids: CPIC's gene table (github.com/cpicpgx/cpic-data
 *    src/main/resources/db/migration/V2__initial_data.sql @ c4d51f4979ba54ac7e6ccd400ab8562873268a01) has the same
 *    HGNC and Ensembl ids except DPYD, where it says HGNC:1806 (that is DPYD's NCBI Gene id; MANE says HGNC:3012).
 *  - The pharmacogene check positions (rs4244285, rs1799853, rs1142345, rs116855232, rs4149056, rs3918290,
 *    rs9923231) are as in PharmCAT's github.com/PharmGKB/PharmCAT pharmcat_positions.vcf
 *    @ 8c85b474cf0f1a6ae94e6eab09f2dc83716e4f08, and each falls inside its gene here, except VKORC1 rs9923231.
 *
 * The rare-disease genes (CURATED_DISEASE_GENES) are here so that a patient variant in them gets its gene at ingest.
 * Seven are on chrX (DMD, FMR1, MECP2, GLA, F8, COL4A5, ATP7A), where 46,XY patients are hemizygous. GBA1 was GBA
 * until HGNC renamed it; the Ensembl 102 and NCBI files above still call it GBA. SMN1 sits in a segmental duplication
 * with SMN2, so its annotations are unreliable from short reads (see its row).
 *
 * VKORC1 rs9923231 (16:31096368, the -1639G>A promoter variant) is NOT inside the Ensembl VKORC1 gene: VKORC1 is on
 * the minus strand and ends (its 5′ end) at 31095980, so the variant sits 388 bp upstream. It is also outside the
 * NCBI span (ends 31096337). Pass a flank (e.g. PROMOTER_FLANK_BP) to genesAt to annotate such promoter variants.
 */

export interface GeneCoordinates {
  symbol: string;
  hgncId: string;
  ensemblId: string;
  chrom: string;
  start: number;
  end: number;
  strand: '+' | '-';
  source: string;
}

export const GENE_COORDINATES_BUILD = 'GRCh38';

/** A flank, in bp upstream of the gene's 5′ end, that reaches the usual promoter variants (VKORC1 rs9923231 is 388 bp out). */
export const PROMOTER_FLANK_BP = 2000;

const SOURCE =
  'span: Ensembl 110 GFF3 gene via github.com/eweitz/ideogram dist/data/cache/genes/homo-sapiens-genes.tsv.gz@a06d4732d3297393ca318fb41705ca9ccda7df9e; ' +
  'HGNC id, Ensembl id, strand: MANE v1.4 summary via github.com/j-jamshidi/bed_annot MANE.GRCh38.v1.4.summary.txt@33cb6d10fa87c2cb51b0d24774c1d4ac8c3926ea';

function gene(symbol: string, hgncId: string, ensemblId: string, chrom: string, start: number, end: number, strand: '+' | '-'): GeneCoordinates {
  return Object.freeze({ symbol, hgncId, ensemblId, chrom, start, end, strand, source: SOURCE });
}

/** Frozen: the same objects are handed out by genesAt. */
export const GENE_COORDINATES: readonly GeneCoordinates[] = Object.freeze([
  // Oncology
  // NCBI 7:140715951-140924764. Ensembl 115 ends at 140924976 (gene-normalization fixture ensembl_GRCh38_115.gff).
  gene('BRAF', 'HGNC:1097', 'ENSG00000157764', '7', 140719327, 140924929, '-'),
  // NCBI 7:55019032-55207338.
  gene('EGFR', 'HGNC:3236', 'ENSG00000146648', '7', 55019017, 55211628, '+'),
  // NCBI 12:25204789-25250931.
  gene('KRAS', 'HGNC:6407', 'ENSG00000133703', '12', 25205246, 25250936, '-'),
  // NCBI 1:114704464-114716894.
  gene('NRAS', 'HGNC:7989', 'ENSG00000213281', '1', 114704469, 114716771, '-'),
  // NCBI 3:179148114-179240084.
  gene('PIK3CA', 'HGNC:8975', 'ENSG00000121879', '3', 179148114, 179240093, '+'),
  // NCBI 2:29192774-29921611.
  gene('ALK', 'HGNC:427', 'ENSG00000171094', '2', 29192774, 29921586, '-'),
  // NCBI 6:117287918-117425922.
  gene('ROS1', 'HGNC:10261', 'ENSG00000047936', '6', 117287353, 117425942, '-'),
  // NCBI 10:43077027-43130351.
  gene('RET', 'HGNC:9967', 'ENSG00000165731', '10', 43077064, 43130351, '+'),
  // NCBI 7:116672405-116798386.
  gene('MET', 'HGNC:7029', 'ENSG00000105976', '7', 116672196, 116798377, '+'),
  // NCBI 17:39688084-39728662.
  gene('ERBB2', 'HGNC:3430', 'ENSG00000141736', '17', 39687914, 39730426, '+'),
  // NCBI 17:43044295-43125483 (Ensembl's span includes a long 5′ transcript; MANE ends at 43125364).
  gene('BRCA1', 'HGNC:1100', 'ENSG00000012048', '17', 43044295, 43170245, '-'),
  // NCBI 13:32314862-32399850.
  gene('BRCA2', 'HGNC:1101', 'ENSG00000139618', '13', 32315086, 32400268, '+'),
  // NCBI 2:208236227-208255143.
  gene('IDH1', 'HGNC:5382', 'ENSG00000138413', '2', 208236229, 208266074, '-'),
  // NCBI 15:90083978-90102554.
  gene('IDH2', 'HGNC:5383', 'ENSG00000182054', '15', 90083045, 90102477, '-'),
  // NCBI 1:156815750-156881850.
  gene('NTRK1', 'HGNC:8031', 'ENSG00000198400', '1', 156815636, 156881850, '+'),
  // NCBI 9:84668458-85027070.
  gene('NTRK2', 'HGNC:8032', 'ENSG00000148053', '9', 84668375, 85095751, '+'),
  // NCBI 15:87874999-88256796.
  gene('NTRK3', 'HGNC:8033', 'ENSG00000140538', '15', 87859751, 88256791, '-'),
  // NCBI 10:121478330-121598656.
  gene('FGFR2', 'HGNC:3689', 'ENSG00000066468', '10', 121478332, 121598458, '-'),
  // NCBI 4:1793299-1808872.
  gene('FGFR3', 'HGNC:3690', 'ENSG00000068078', '4', 1793293, 1808872, '+'),
  // NCBI 4:54657928-54740715.
  gene('KIT', 'HGNC:6342', 'ENSG00000157404', '4', 54657267, 54740783, '+'),
  // NCBI 4:54229097-54298245.
  gene('PDGFRA', 'HGNC:8803', 'ENSG00000134853', '4', 54229280, 54298245, '+'),
  // NCBI 17:7668402-7687550. Later Ensembl releases end at 7687546 (iawade/common_condition table; Ensembl 115).
  gene('TP53', 'HGNC:11998', 'ENSG00000141510', '17', 7661779, 7687538, '-'),

  // Pharmacogenes
  // NCBI 10:94762681-94853205.
  gene('CYP2C19', 'HGNC:2621', 'ENSG00000165841', '10', 94762681, 94855547, '+'),
  // NCBI 10:94938658-94989391.
  gene('CYP2C9', 'HGNC:2623', 'ENSG00000138109', '10', 94938658, 94990091, '+'),
  // NCBI 22:42125656-42135378.
  gene('CYP2D6', 'HGNC:2625', 'ENSG00000100197', '22', 42126499, 42130865, '-'),
  // NCBI 16:31090854-31096337. rs9923231 (16:31096368) is 388 bp upstream of this span: see the file header.
  gene('VKORC1', 'HGNC:23663', 'ENSG00000167397', '16', 31090842, 31095980, '-'),
  // NCBI 12:21131194-21239796 (identical).
  gene('SLCO1B1', 'HGNC:10959', 'ENSG00000134538', '12', 21131194, 21239796, '+'),
  // NCBI 1:97077743-97921059. CPIC's gene table gives HGNC:1806 for DPYD; HGNC:3012 is MANE's (1806 is the NCBI Gene id).
  gene('DPYD', 'HGNC:3012', 'ENSG00000188641', '1', 97077743, 97995000, '-'),
  // NCBI 6:18128311-18155165.
  gene('TPMT', 'HGNC:12014', 'ENSG00000137364', '6', 18128311, 18155077, '-'),
  // NCBI 13:48037567-48047222.
  gene('NUDT15', 'HGNC:23063', 'ENSG00000136159', '13', 48037726, 48047221, '+'),
  // NCBI 2:233760273-233773299. The UGT1A1 gene record (UGT1A1-specific exon 1 plus the shared exons 2-5).
  gene('UGT1A1', 'HGNC:12530', 'ENSG00000241635', '2', 233760270, 233773300, '+'),
  // NCBI 6:31353868-31357212. Primary-assembly gene only (alt MHC haplotypes carry other Ensembl ids); Ensembl's span
  // reaches 31367067 through a long 5′ transcript, MANE ends at 31357179.
  gene('HLA-B', 'HGNC:4932', 'ENSG00000234745', '6', 31353872, 31367067, '-'),

  // Rare-disease genes: every gene of CURATED_DISEASE_GENES (curated/disease-genes.ts) not listed above (FGFR3 and TP53
  // are), in that file's order. Spans, ids and strand from the same two files as the rows above; genes on chrX are
  // marked "chrX" (one copy in 46,XY patients).
  // NCBI 15:48408306-48645788.
  gene('FBN1', 'HGNC:3603', 'ENSG00000166147', '15', 48408313, 48645721, '-'),
  // NCBI 7:117478340-117668665. Ensembl's span takes in transcripts far outside MANE (117480025-117668665).
  gene('CFTR', 'HGNC:1884', 'ENSG00000001626', '7', 117287120, 117715971, '+'),
  // NCBI 12:102838321-102917603. Ensembl's span reaches 102958410 on the 5′ side; MANE ends at 102917244.
  gene('PAH', 'HGNC:8582', 'ENSG00000171759', '12', 102836889, 102958410, '-'),
  // NCBI 4:3074510-3243960. Ensembl's span starts upstream of MANE (3074681).
  gene('HTT', 'HGNC:4851', 'ENSG00000197386', '4', 3041363, 3243957, '+'),
  // chrX. NCBI X:31119219-33339609. MANE (NM_004006.3) is 31119222-33211549.
  gene('DMD', 'HGNC:2928', 'ENSG00000198947', 'X', 31097677, 33339609, '-'),
  // chrX. NCBI X:147911951-147951127.
  gene('FMR1', 'HGNC:3775', 'ENSG00000102081', 'X', 147911919, 147951125, '+'),
  // chrX. NCBI X:154021813-154097731. Ensembl's span reaches 154137103 on the 5′ side; MANE ends at
  // 154097717.
  gene('MECP2', 'HGNC:6990', 'ENSG00000169057', 'X', 154021573, 154137103, '-'),
  // NCBI 17:31007873-31377677 (the older NCBI model starts 87 kb upstream).
  gene('NF1', 'HGNC:7765', 'ENSG00000196712', '17', 31094927, 31382116, '+'),
  // NCBI 9:132891348-132945370.
  gene('TSC1', 'HGNC:12362', 'ENSG00000165699', '9', 132891348, 132946874, '-'),
  // Formerly GBA: the NCBI file (and Ensembl 102) still name it GBA, NCBI Gene 2629, 1:155234448-155244862. Its
  // pseudogene GBAP1 (1:155213821-155227574 in the Ensembl 110 file) lies 7 kb away and is not in this table.
  gene('GBA1', 'HGNC:4177', 'ENSG00000177628', '1', 155234452, 155244699, '-'),
  // chrX. NCBI X:101397791-101408013.
  gene('GLA', 'HGNC:4296', 'ENSG00000102393', 'X', 101393273, 101408012, '-'),
  // NCBI 17:80101531-80119881.
  gene('GAA', 'HGNC:4065', 'ENSG00000171298', '17', 80101533, 80119881, '+'),
  // NCBI 15:25337234-25439043.
  gene('UBE3A', 'HGNC:12496', 'ENSG00000114062', '15', 25333728, 25439051, '-'),
  // NCBI 12:112418732-112509918.
  gene('PTPN11', 'HGNC:9644', 'ENSG00000179295', '12', 112418351, 112509918, '+'),
  // NCBI 5:70924941-70953015. SMN1 lies in a segmental duplication with the near-identical SMN2
  // (ENSG00000205571, 5:70049638-70078522 in the Ensembl 110 file, not in this table): short reads from one copy can
  // align to the other, so a variant annotated SMN1 may come from SMN2 and vice versa, and the usual cause of SMA (loss
  // of both SMN1 copies) is a copy-number change that small-variant VCF records do not show.
  gene('SMN1', 'HGNC:11117', 'ENSG00000172062', '5', 70925030, 70953942, '+'),
  // chrX. NCBI X:154835788-155026934.
  gene('F8', 'HGNC:3546', 'ENSG00000185010', 'X', 154835788, 155026940, '-'),
  // NCBI 11:5225466-5227071. Ensembl's span reaches 5229395; MANE ends at 5227071.
  gene('HBB', 'HGNC:4827', 'ENSG00000244734', '11', 5225464, 5229395, '-'),
  // NCBI 13:51891086-52012099 (the older NCBI model starts 39 kb further out).
  gene('ATP7B', 'HGNC:870', 'ENSG00000123191', '13', 51930436, 52012125, '-'),
  // NCBI 6:26087281-26096117. The later iawade/common_condition table starts at 26087226.
  gene('HFE', 'HGNC:4886', 'ENSG00000010704', '6', 26087281, 26098343, '+'),
  // NCBI 15:72343437-72376179.
  gene('HEXA', 'HGNC:4878', 'ENSG00000213614', '15', 72340924, 72376420, '-'),
  // chrX. NCBI X:108439736-108697545.
  gene('COL4A5', 'HGNC:2207', 'ENSG00000188153', 'X', 108439838, 108697545, '+'),
  // NCBI 17:50184096-50201648.
  gene('COL1A1', 'HGNC:2197', 'ENSG00000108821', '17', 50184101, 50201632, '-'),
  // NCBI 5:36876759-37065819.
  gene('NIPBL', 'HGNC:28862', 'ENSG00000164190', '5', 36876769, 37066413, '+'),
  // NCBI 11:71434411-71448431. Ensembl's span is wider on both sides than MANE (71434411-71448393).
  gene('DHCR7', 'HGNC:2860', 'ENSG00000172893', '11', 71428193, 71452868, '-'),
  // NCBI 9:69035563-69100178.
  gene('FXN', 'HGNC:3951', 'ENSG00000165060', '9', 69035751, 69079076, '+'),
  // NCBI 19:45769709-45782557.
  gene('DMPK', 'HGNC:2933', 'ENSG00000104936', '19', 45769709, 45782552, '-'),
  // NCBI 4:986997-1004557.
  gene('IDUA', 'HGNC:5391', 'ENSG00000127415', '4', 986997, 1004564, '+'),
  // NCBI 18:23506184-23586617. MANE starts at 23531442.
  gene('NPC1', 'HGNC:7897', 'ENSG00000141458', '18', 23506184, 23586506, '-'),
  // chrX. NCBI X:77910656-78050395.
  gene('ATP7A', 'HGNC:869', 'ENSG00000165240', 'X', 77910690, 78050395, '+'),
  // NCBI 12:47972965-48025286.
  gene('COL2A1', 'HGNC:2200', 'ENSG00000139219', '12', 47972967, 48004554, '-'),
  // NCBI 3:10141635-10153670. The later iawade/common_condition table ends at 10153676.
  gene('VHL', 'HGNC:12687', 'ENSG00000134086', '3', 10141778, 10153667, '+'),
  // NCBI 5:112707505-112846239. MANE starts at 112737885, 30 kb into the Ensembl and NCBI spans.
  gene('APC', 'HGNC:583', 'ENSG00000134982', '5', 112707518, 112846239, '+'),
  // NCBI 8:60678762-60868028.
  gene('CHD7', 'HGNC:20626', 'ENSG00000171316', '8', 60678740, 60868028, '+'),
  // NCBI 12:49018975-49061895.
  gene('KMT2D', 'HGNC:7133', 'ENSG00000167548', '12', 49018975, 49060794, '-'),
  // NCBI 9:99104038-99154192 (identical).
  gene('TGFBR1', 'HGNC:11772', 'ENSG00000106799', '9', 99104038, 99154192, '+'),
  // NCBI 11:66510648-66533613.
  gene('BBS1', 'HGNC:966', 'ENSG00000174483', '11', 66510606, 66533613, '+'),
]);

/** The GRCh38 primary-assembly chromosomes, by their bare names. */
const CHROMOSOMES: readonly string[] = [...Array.from({ length: 22 }, (_, i) => String(i + 1)), 'X', 'Y', 'MT'];

/** Per-chromosome interval list, sorted by start; maxEnd[i] is the largest end among entries 0..i. */
interface ChromosomeIndex {
  starts: Int32Array;
  ends: Int32Array;
  maxEnd: Int32Array;
  plusStrand: Uint8Array;
  genes: readonly GeneCoordinates[];
}

export type GeneLocator = (chrom: string, pos: number, flankBp?: number) => GeneCoordinates[];

/** Bare GRCh38 name for `chr7`/`7`/`chrM`/`M`/`MT`, or the input trimmed and upper-cased when it names no primary chromosome. */
function canonicalChromosome(chrom: string): string {
  const name = chrom.trim().replace(/^chr/i, '').toUpperCase();
  return name === 'M' ? 'MT' : name;
}

/** Spellings registered up front so that the usual VCF contig names resolve with one Map lookup and no string work. */
function spellings(chrom: string): string[] {
  const bare = chrom === 'MT' ? ['MT', 'M'] : [chrom];
  return bare.flatMap((b) => [b, `chr${b}`, `CHR${b}`, `Chr${b}`]);
}

const MAX_EXTRA_CONTIG_NAMES = 1024;

/**
 * Builds a lookup over `genes` (which may overlap): per chromosome, arrays sorted by start with a running maximum of
 * the ends, so a query is one binary search plus a backward scan over the genes that can still reach the position.
 */
export function createGeneLocator(genes: readonly GeneCoordinates[]): GeneLocator {
  const byChromosome = new Map<string, GeneCoordinates[]>();
  for (const g of genes) {
    if (!CHROMOSOMES.includes(g.chrom)) throw new Error(`${g.symbol}: chromosome "${g.chrom}" is not a bare GRCh38 name (1-22, X, Y, MT)`);
    if (!Number.isInteger(g.start) || !Number.isInteger(g.end) || g.start < 1 || g.end < g.start || g.end > 0x7fffffff) {
      throw new Error(`${g.symbol}: span ${g.start}-${g.end} is not a 1-based inclusive interval`);
    }
    if (g.strand !== '+' && g.strand !== '-') throw new Error(`${g.symbol}: strand "${String(g.strand)}" is not + or -`);
    const list = byChromosome.get(g.chrom) ?? [];
    list.push(g);
    byChromosome.set(g.chrom, list);
  }

  // Every spelling of every primary chromosome resolves to its index (null when no gene is on it).
  const indexByName = new Map<string, ChromosomeIndex | null>();
  for (const chrom of CHROMOSOMES) {
    const list = byChromosome.get(chrom);
    const index = list ? buildIndex(list) : null;
    for (const name of spellings(chrom)) indexByName.set(name, index);
  }
  let extraNames = 0;

  function resolve(chrom: string): ChromosomeIndex | null {
    const hit = indexByName.get(chrom);
    if (hit !== undefined) return hit;
    const index = indexByName.get(canonicalChromosome(chrom)) ?? null;
    // Remember other spellings (" chr7", "chrx", unplaced contigs) so a VCF's contigs pay for the string work once.
    if (extraNames < MAX_EXTRA_CONTIG_NAMES) {
      indexByName.set(chrom, index);
      extraNames++;
    }
    return index;
  }

  return function locate(chrom: string, pos: number, flankBp = 0): GeneCoordinates[] {
    if (!Number.isInteger(flankBp) || flankBp < 0) throw new RangeError(`flankBp must be a non-negative integer, got ${flankBp}`);
    const result: GeneCoordinates[] = [];
    const index = resolve(chrom);
    if (index === null) return result;
    const { starts, ends, maxEnd, plusStrand, genes: list } = index;

    // Last entry whose start can still reach pos (a + strand gene's flank lowers its start by flankBp).
    const reach = pos + flankBp;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= reach) lo = mid + 1;
      else hi = mid;
    }
    // Scan back while some earlier gene (its end raised by flankBp at most) can still reach pos.
    for (let i = lo - 1; i >= 0 && maxEnd[i]! + flankBp >= pos; i--) {
      const plus = plusStrand[i] === 1;
      const from = plus ? starts[i]! - flankBp : starts[i]!;
      const to = plus ? ends[i]! : ends[i]! + flankBp;
      if (from <= pos && pos <= to) result.push(list[i]!);
    }
    return result.length > 1 ? result.reverse() : result;
  };
}

function buildIndex(genes: readonly GeneCoordinates[]): ChromosomeIndex {
  const sorted = [...genes].sort((a, b) => a.start - b.start || a.end - b.end || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const n = sorted.length;
  const index: ChromosomeIndex = {
    starts: new Int32Array(n),
    ends: new Int32Array(n),
    maxEnd: new Int32Array(n),
    plusStrand: new Uint8Array(n),
    genes: sorted,
  };
  let runningMax = 0;
  sorted.forEach((g, i) => {
    index.starts[i] = g.start;
    index.ends[i] = g.end;
    runningMax = Math.max(runningMax, g.end);
    index.maxEnd[i] = runningMax;
    index.plusStrand[i] = g.strand === '+' ? 1 : 0;
  });
  return index;
}

const LOCATE = createGeneLocator(GENE_COORDINATES);

/**
 * Genes whose span (plus flank upstream of the gene, strand-aware) contains chrom:pos; [] when none.
 * chrom with or without "chr", "M"→"MT".
 *
 * `pos` is a 1-based GRCh38 position (a VCF POS). `flankBp` (default 0) widens each gene on its 5′ side only: below
 * `start` for a + strand gene, above `end` for a − strand gene, so promoter variants can be annotated (e.g.
 * PROMOTER_FLANK_BP = 2000 catches VKORC1 rs9923231). Genes come back in order of start. Contigs that are not
 * primary chromosomes (e.g. "chrUn_KI270742v1") give []. Throws a RangeError for a negative or fractional flankBp.
 *
 * Built for one call per VCF record: the usual contig spellings resolve with one Map lookup, then a binary search;
 * the only allocation is the returned array, which the caller owns (the gene objects in it are shared and frozen).
 */
export function genesAt(chrom: string, pos: number, flankBp?: number): GeneCoordinates[] {
  return LOCATE(chrom, pos, flankBp);
}

/**
 * The HGNC symbol of the gene a GRCh38 position falls in, promoter flank included (PROMOTER_FLANK_BP), or
 * null: how genomics annotates a call at ingest and how inference names the gene of a finding, so both
 * sides give a position the same gene.
 */
export function geneAt(chrom: string, pos: number): string | null {
  return genesAt(chrom, pos, PROMOTER_FLANK_BP)[0]?.symbol ?? null;
}
