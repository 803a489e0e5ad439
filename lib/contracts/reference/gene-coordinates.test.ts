import {
  createGeneLocator,
  GENE_COORDINATES,
  GENE_COORDINATES_BUILD,
  genesAt,
  PROMOTER_FLANK_BP,
  type GeneCoordinates,
} from './gene-coordinates';
import { CURATED_DISEASE_GENES } from '../../../knowledge-graph/seed/curated/disease-genes';
import { GENES as SEED_GENES } from '../../../knowledge-graph/seed/skeleton-seed';

const symbols = (genes: GeneCoordinates[]): string[] => genes.map((g) => g.symbol);

/** Published GRCh38 positions (ClinVar/COSMIC hotspots; pharmacogene SNVs as in PharmCAT's pharmcat_positions.vcf). */
const SANITY_POSITIONS: [string, string, number, string][] = [
  ['BRAF V600E', '7', 140753336, 'BRAF'],
  ['EGFR L858R', '7', 55191822, 'EGFR'],
  ['EGFR T790M', '7', 55181378, 'EGFR'],
  ['KRAS G12C', '12', 25245351, 'KRAS'],
  ['PIK3CA H1047R', '3', 179234297, 'PIK3CA'],
  ['IDH1 R132H', '2', 208248388, 'IDH1'],
  ['CYP2C19 rs4244285', '10', 94781859, 'CYP2C19'],
  ['CYP2C9 rs1799853', '10', 94942290, 'CYP2C9'],
  ['TPMT rs1142345', '6', 18130687, 'TPMT'],
  ['NUDT15 rs116855232', '13', 48045719, 'NUDT15'],
  ['SLCO1B1 rs4149056', '12', 21178615, 'SLCO1B1'],
  ['DPYD rs3918290', '1', 97450058, 'DPYD'],
];

const VKORC1_RS9923231 = { chrom: '16', pos: 31096368 };

describe('gene coordinate table', () => {
  it('is GRCh38 and covers the 68 genes the knowledge graph knows', () => {
    expect(GENE_COORDINATES_BUILD).toBe('GRCh38');
    expect(symbols([...GENE_COORDINATES]).sort()).toEqual(
      [
        'BRAF', 'EGFR', 'KRAS', 'NRAS', 'PIK3CA', 'ALK', 'ROS1', 'RET', 'MET', 'ERBB2', 'BRCA1', 'BRCA2', 'IDH1', 'IDH2',
        'NTRK1', 'NTRK2', 'NTRK3', 'FGFR2', 'FGFR3', 'KIT', 'PDGFRA', 'TP53', 'CYP2C19', 'CYP2C9', 'CYP2D6', 'VKORC1',
        'SLCO1B1', 'DPYD', 'TPMT', 'NUDT15', 'UGT1A1', 'HLA-B',
        // Rare-disease genes (FGFR3 and TP53 are above).
        'FBN1', 'CFTR', 'PAH', 'HTT', 'DMD', 'FMR1', 'MECP2', 'NF1', 'TSC1', 'GBA1', 'GLA', 'GAA', 'UBE3A', 'PTPN11',
        'SMN1', 'F8', 'HBB', 'ATP7B', 'HFE', 'HEXA', 'COL4A5', 'COL1A1', 'NIPBL', 'DHCR7', 'FXN', 'DMPK', 'IDUA', 'NPC1',
        'ATP7A', 'COL2A1', 'VHL', 'APC', 'CHD7', 'KMT2D', 'TGFBR1', 'BBS1',
      ].sort(),
    );
  });

  it('has a span for every gene of the curated rare diseases, so their variants get a gene at ingest', () => {
    const inTable = new Set(symbols([...GENE_COORDINATES]));
    const diseaseGenes = [...new Set(CURATED_DISEASE_GENES.flatMap((d) => d.genes))];
    expect(diseaseGenes.length).toBeGreaterThan(0);
    expect(diseaseGenes.filter((symbol) => !inTable.has(symbol))).toEqual([]);
  });

  // Values as read: the Ensembl 110 file's chr, start and length (end = start + length); MANE v1.4's HGNC id, Ensembl id,
  // strand and MANE Select transcript span.
  it.each([
    [
      'FBN1',
      { hgncId: 'HGNC:3603', ensemblId: 'ENSG00000166147', chrom: '15', start: 48408313, end: 48408313 + 237408, strand: '-' },
      [48408313, 48645709],
    ],
    [
      'CFTR',
      { hgncId: 'HGNC:1884', ensemblId: 'ENSG00000001626', chrom: '7', start: 117287120, end: 117287120 + 428851, strand: '+' },
      [117480025, 117668665],
    ],
    [
      'DMD',
      { hgncId: 'HGNC:2928', ensemblId: 'ENSG00000198947', chrom: 'X', start: 31097677, end: 31097677 + 2241932, strand: '-' },
      [31119222, 33211549],
    ],
  ] as const)('has %s as in the Ensembl 110 gene file, enclosing its MANE Select transcript', (symbol, expected, [maneStart, maneEnd]) => {
    const row = GENE_COORDINATES.find((g) => g.symbol === symbol)!;
    expect(row).toEqual({ symbol, ...expected, source: row.source });
    expect(row.start <= maneStart && maneEnd <= row.end).toBe(true);
    expect(symbols(genesAt(`chr${expected.chrom}`, maneStart))).toEqual([symbol]);
  });

  it('puts the X-linked rare-disease genes on chrX and uses the current symbol GBA1, not GBA', () => {
    const onX = GENE_COORDINATES.filter((g) => g.chrom === 'X').map((g) => g.symbol);
    expect(onX.sort()).toEqual(['ATP7A', 'COL4A5', 'DMD', 'F8', 'FMR1', 'GLA', 'MECP2']);
    expect(symbols([...GENE_COORDINATES])).toContain('GBA1');
    expect(symbols([...GENE_COORDINATES])).not.toContain('GBA');
  });

  it('annotates SMN1 but not its paralogue SMN2, which is not in the table', () => {
    const smn1 = GENE_COORDINATES.find((g) => g.symbol === 'SMN1')!;
    expect([smn1.chrom, smn1.start, smn1.end]).toEqual(['5', 70925030, 70953942]);
    expect(genesAt('5', 70060000, PROMOTER_FLANK_BP)).toEqual([]); // inside SMN2, 5:70049638-70078522 in Ensembl 110
  });

  it('has well-formed ids, bare chromosome names, 1-based spans and a cited source on every row', () => {
    for (const g of GENE_COORDINATES) {
      expect(g.hgncId).toMatch(/^HGNC:\d+$/);
      expect(g.ensemblId).toMatch(/^ENSG\d{11}$/);
      expect(g.chrom).toMatch(/^(\d{1,2}|X|Y|MT)$/);
      expect(Number.isInteger(g.start) && g.start >= 1 && g.end >= g.start).toBe(true);
      expect(['+', '-']).toContain(g.strand);
      expect(g.source).toMatch(/Ensembl 110.*eweitz\/ideogram.*@[0-9a-f]{40}.*MANE v1\.4.*@[0-9a-f]{40}/);
    }
    expect(new Set(GENE_COORDINATES.map((g) => g.hgncId)).size).toBe(GENE_COORDINATES.length);
    expect(new Set(GENE_COORDINATES.map((g) => g.ensemblId)).size).toBe(GENE_COORDINATES.length);
  });

  it('agrees with the HGNC ids of the curated seed genes', () => {
    for (const seed of SEED_GENES) {
      expect(GENE_COORDINATES.find((g) => g.symbol === seed.symbol)?.hgncId).toBe(seed.hgncId);
    }
  });

  it('is frozen, so a caller cannot corrupt the shared table', () => {
    expect(Object.isFrozen(GENE_COORDINATES)).toBe(true);
    expect(GENE_COORDINATES.every((g) => Object.isFrozen(g))).toBe(true);
  });
});

describe('genesAt', () => {
  it.each(SANITY_POSITIONS)('maps %s at %s:%d to %s', (_label, chrom, pos, expected) => {
    expect(symbols(genesAt(chrom, pos))).toEqual([expected]);
  });

  it('maps the first and last base of a gene to it, and the bases just outside to nothing', () => {
    const egfr = GENE_COORDINATES.find((g) => g.symbol === 'EGFR')!;
    expect(symbols(genesAt('7', egfr.start))).toEqual(['EGFR']);
    expect(symbols(genesAt('7', egfr.end))).toEqual(['EGFR']);
    expect(genesAt('7', egfr.start - 1)).toEqual([]);
    expect(genesAt('7', egfr.end + 1)).toEqual([]);
  });

  it('maps a position between genes to nothing', () => {
    expect(genesAt('10', 94900000)).toEqual([]); // between CYP2C19 (ends 94855547) and CYP2C9 (starts 94938658)
    expect(genesAt('10', 94900000, PROMOTER_FLANK_BP)).toEqual([]);
    expect(genesAt('4', 54500000)).toEqual([]); // between PDGFRA and KIT
    expect(genesAt('1', 1)).toEqual([]);
    expect(genesAt('21', 1295228)).toEqual([]); // a chromosome with no gene in the table
  });

  it('accepts chr7 and 7 alike, and the other usual contig spellings', () => {
    for (const chrom of ['7', 'chr7', 'CHR7', 'Chr7', ' chr7 ']) {
      expect(symbols(genesAt(chrom, 140753336))).toEqual(['BRAF']);
    }
    const tp53 = GENE_COORDINATES.find((g) => g.symbol === 'TP53')!;
    expect(symbols(genesAt('chr17', tp53.start + 1000))).toEqual(['TP53']);
  });

  it('reads M and chrM as MT, and gives nothing for contigs that are not primary chromosomes', () => {
    for (const chrom of ['M', 'chrM', 'MT', 'chrMT']) expect(genesAt(chrom, 3243)).toEqual([]);
    for (const chrom of ['chrUn_KI270742v1', 'GL000220.1', '', 'chr']) expect(genesAt(chrom, 1000)).toEqual([]);
  });

  it('leaves VKORC1 rs9923231 unannotated without a flank: it lies 388 bp upstream of the Ensembl gene', () => {
    const vkorc1 = GENE_COORDINATES.find((g) => g.symbol === 'VKORC1')!;
    expect(vkorc1.strand).toBe('-');
    expect(VKORC1_RS9923231.pos - vkorc1.end).toBe(388);
    expect(genesAt(VKORC1_RS9923231.chrom, VKORC1_RS9923231.pos)).toEqual([]);
  });

  it('annotates VKORC1 rs9923231 as VKORC1 with the 2,000 bp promoter flank', () => {
    expect(PROMOTER_FLANK_BP).toBe(2000);
    expect(symbols(genesAt('chr16', VKORC1_RS9923231.pos, PROMOTER_FLANK_BP))).toEqual(['VKORC1']);
    expect(genesAt('chr16', VKORC1_RS9923231.pos, 387)).toEqual([]);
    expect(symbols(genesAt('chr16', VKORC1_RS9923231.pos, 388))).toEqual(['VKORC1']);
  });

  it('adds the flank on the 5′ side only: below start on the + strand, above end on the − strand', () => {
    const egfr = GENE_COORDINATES.find((g) => g.symbol === 'EGFR')!; // + strand
    expect(symbols(genesAt('7', egfr.start - 1000, 2000))).toEqual(['EGFR']);
    expect(genesAt('7', egfr.end + 1000, 2000)).toEqual([]);
    const vkorc1 = GENE_COORDINATES.find((g) => g.symbol === 'VKORC1')!; // − strand
    expect(symbols(genesAt('16', vkorc1.end + 1000, 2000))).toEqual(['VKORC1']);
    expect(genesAt('16', vkorc1.start - 1000, 2000)).toEqual([]);
  });

  it('rejects a negative or fractional flank', () => {
    expect(() => genesAt('7', 140753336, -1)).toThrow(RangeError);
    expect(() => genesAt('7', 140753336, 1.5)).toThrow(RangeError);
  });

  it('hands each caller its own result array', () => {
    const first = genesAt('7', 140753336);
    first.push(GENE_COORDINATES[0]!);
    expect(symbols(genesAt('7', 140753336))).toEqual(['BRAF']);
  });

  it('answers a million lookups exactly as a linear scan of the table does', () => {
    // genesAt is called once per VCF record; this checks it at that scale against the obvious implementation.
    let seed = 0x2545f491;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const linear = (chrom: string, pos: number, flank: number): string[] =>
      GENE_COORDINATES.filter((g) => {
        if (g.chrom !== chrom) return false;
        const from = g.strand === '+' ? g.start - flank : g.start;
        const to = g.strand === '-' ? g.end + flank : g.end;
        return from <= pos && pos <= to;
      })
        .sort((a, b) => a.start - b.start || a.end - b.end)
        .map((g) => g.symbol);

    let hits = 0;
    let mismatches = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const g = GENE_COORDINATES[random(GENE_COORDINATES.length)]!;
      const width = g.end - g.start + 1;
      const pos = g.start - 5000 + random(width + 10000); // the gene plus 5 kb either side
      const flank = random(2) === 0 ? 0 : PROMOTER_FLANK_BP;
      const chrom = random(2) === 0 ? g.chrom : `chr${g.chrom}`;
      const got = symbols(genesAt(chrom, pos, flank));
      const want = linear(g.chrom, pos, flank);
      if (got.length > 0) hits++;
      if (got.join() !== want.join()) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(hits).toBeGreaterThan(500_000);
  });
});

describe('createGeneLocator', () => {
  const make = (symbol: string, start: number, end: number, strand: '+' | '-' = '+'): GeneCoordinates => ({
    symbol,
    hgncId: 'HGNC:0',
    ensemblId: 'ENSG00000000000',
    chrom: '1',
    start,
    end,
    strand,
    source: 'test',
  });

  it('returns every overlapping gene, in order of start', () => {
    const locate = createGeneLocator([make('C', 150, 400), make('A', 100, 200), make('B', 120, 300)]);
    expect(symbols(locate('chr1', 160))).toEqual(['A', 'B', 'C']);
    expect(symbols(locate('1', 250))).toEqual(['B', 'C']);
    expect(symbols(locate('1', 350))).toEqual(['C']);
    expect(locate('1', 401)).toEqual([]);
  });

  it('finds a long gene that encloses shorter genes ending before the position', () => {
    const locate = createGeneLocator([make('LONG', 100, 10000), make('S1', 200, 300), make('S2', 400, 500), make('S3', 600, 700)]);
    expect(symbols(locate('1', 800))).toEqual(['LONG']);
    expect(symbols(locate('1', 450))).toEqual(['LONG', 'S2']);
    expect(locate('1', 10001)).toEqual([]);
  });

  it('widens minus-strand genes above their end and plus-strand genes below their start', () => {
    const locate = createGeneLocator([make('PLUS', 1000, 2000, '+'), make('MINUS', 5000, 6000, '-')]);
    expect(symbols(locate('1', 900, 100))).toEqual(['PLUS']);
    expect(locate('1', 2050, 100)).toEqual([]);
    expect(symbols(locate('1', 6100, 100))).toEqual(['MINUS']);
    expect(locate('1', 4950, 100)).toEqual([]);
  });

  it('rejects a table row that is not a 1-based span on a bare GRCh38 chromosome', () => {
    expect(() => createGeneLocator([{ ...make('X1', 10, 20), chrom: 'chr1' }])).toThrow('chromosome "chr1"');
    expect(() => createGeneLocator([make('X2', 0, 20)])).toThrow('X2: span 0-20');
    expect(() => createGeneLocator([make('X3', 30, 20)])).toThrow('X3: span 30-20');
  });
});
