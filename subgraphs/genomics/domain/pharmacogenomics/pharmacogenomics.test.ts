import { callPharmacogenomics, type GenotypeCall, type PgxResult } from '.';
import { CYP2C19, STAR_ALLELE_GENES } from './allele-definitions';

/*
 * Worked examples. Coordinates are written out here (GRCh38, from PharmCAT v3.1.1
 * *_translation.json) rather than read from the definitions, so a transcription slip in either
 * place fails a test.
 */

const V = {
  // CYP2C19 (chr10)
  rs12248560: ['10', 94761900, 'C', 'T'], // *17
  rs28399504: ['10', 94762706, 'A', 'G'], // *4
  rs12769205: ['10', 94775367, 'A', 'G'], // on *2
  rs4986893: ['10', 94780653, 'G', 'A'], // *3
  rs4244285: ['10', 94781859, 'G', 'A'], // *2
  rs3758581: ['10', 94842866, 'A', 'G'], // on all but *38
  // CYP2C9 (chr10)
  rs1799853: ['10', 94942290, 'C', 'T'], // *2
  rs7900194: ['10', 94942309, 'G', 'A'], // *8
  rs9332131: ['10', 94949281, 'GA', 'G'], // *6
  rs28371685: ['10', 94981224, 'C', 'T'], // *11
  rs1057910: ['10', 94981296, 'A', 'C'], // *3
  rs28371686: ['10', 94981301, 'C', 'G'], // *5
  // DPYD (chr1)
  rs67376798: ['1', 97082391, 'T', 'A'], // c.2846A>T
  rs112766203: ['1', 97305279, 'G', 'A'], // c.2279C>T
  rs3918290: ['1', 97450058, 'C', 'T'], // c.1905+1G>A (*2A)
  rs55886062: ['1', 97515787, 'A', 'C'], // c.1679T>G (*13)
  rs56038477: ['1', 97573863, 'C', 'T'], // c.1236G>A (HapB3 tag)
  rs75017182: ['1', 97579893, 'G', 'C'], // c.1129-5923C>G (HapB3)
  rs146356975: ['1', 97595149, 'T', 'C'], // c.868A>G
  rs115232898: ['1', 97699474, 'T', 'C'], // c.557A>G
  // NUDT15 (chr13)
  rs746071566ins: ['13', 48037782, 'A', 'AGGAGTC'],
  rs116855232: ['13', 48045719, 'C', 'T'], // *3
  // SLCO1B1 (chr12)
  rs2306283: ['12', 21176804, 'A', 'G'], // c.388A>G
  rs11045819: ['12', 21176879, 'C', 'A'], // c.463C>A
  rs4149056: ['12', 21178615, 'T', 'C'], // c.521T>C
  // TPMT (chr6)
  rs1142345: ['6', 18130687, 'T', 'C'], // *3C
  rs1800460: ['6', 18138997, 'C', 'T'], // *3B
  rs1800462: ['6', 18143724, 'C', 'G'], // *2
  // VKORC1 (chr16)
  rs9923231: ['16', 31096368, 'C', 'T'], // c.-1639G>A
} as const satisfies Record<string, readonly [string, number, string, string]>;

type Rs = keyof typeof V;
const call = (rs: Rs, genotype: string): GenotypeCall => {
  const [chrom, pos, ref, alt] = V[rs];
  return { chrom: `chr${chrom}`, pos, ref, alt, genotype };
};
/** Every defining position (all PharmCAT definitions, DPYD's tested ones) is covered, as from a gVCF: anything without a call is reference. */
const ALL_COVERED = new Set([
  ...Object.values(V).map(([chrom, pos]) => `chr${chrom}:${pos}`),
  ...STAR_ALLELE_GENES.flatMap((g) => g.sites.map((s) => `chr${g.chrom}:${s.pos}`)),
]);
const gene = (results: PgxResult[], symbol: string): PgxResult => results.find((r) => r.gene === symbol)!;
/** `covered` null: no coverage information, only the calls. */
const callGene = (symbol: string, calls: GenotypeCall[], covered: Set<string> | null = ALL_COVERED) =>
  gene(callPharmacogenomics(calls, covered ?? undefined), symbol);
/** The usual *1 background: rs3758581 G on both copies. */
const cyp2c19Background = call('rs3758581', '1/1');
const cyp2c19Star2 = (gt: string) => [call('rs4244285', gt), call('rs12769205', gt)];

describe('callPharmacogenomics', () => {
  it('returns one result per gene, alphabetically, each citing its source', () => {
    const results = callPharmacogenomics([], ALL_COVERED);
    expect(results.map((r) => r.gene)).toEqual(['CYP2C19', 'CYP2C9', 'DPYD', 'NUDT15', 'SLCO1B1', 'TPMT', 'VKORC1']);
    for (const r of results) expect(r.source).toMatch(/PharmCAT .*PMID \d+/);
  });

  describe('CYP2C19', () => {
    it('calls *2/*17 an Intermediate Metabolizer (CPIC)', () => {
      const r = callGene('CYP2C19', [cyp2c19Background, ...cyp2c19Star2('0/1'), call('rs12248560', '0/1')]);
      expect(r).toMatchObject({ diplotype: '*2/*17', phenotype: 'Intermediate Metabolizer', activityScore: null, missingPositions: [] });
    });

    it('calls *1/*1 a Normal Metabolizer when all positions are reference except the rs3758581 G every *1 carries', () => {
      const explicit = ['rs12248560', 'rs28399504', 'rs12769205', 'rs4986893', 'rs4244285'] as const;
      const reference = explicit.map((rs) => call(rs, '0/0'));
      // The explicit 0/0 calls, not coverage, make these five positions reference.
      const covered = new Set([...ALL_COVERED].filter((k) => !explicit.some((rs) => k === `chr${V[rs][0]}:${V[rs][1]}`)));
      const r = callGene('CYP2C19', [...reference, cyp2c19Background], covered);
      expect(r).toMatchObject({ diplotype: '*1/*1', phenotype: 'Normal Metabolizer', missingPositions: [] });
    });

    it('calls *38/*38 a Normal Metabolizer when every position, rs3758581 included, matches GRCh38 (the reference is *38)', () => {
      expect(callGene('CYP2C19', [])).toMatchObject({ diplotype: '*38/*38', phenotype: 'Normal Metabolizer' });
    });

    it('calls *2/*2 a Poor Metabolizer', () => {
      expect(callGene('CYP2C19', [cyp2c19Background, ...cyp2c19Star2('1/1')])).toMatchObject({ diplotype: '*2/*2', phenotype: 'Poor Metabolizer' });
    });

    it('calls *17/*17 an Ultrarapid and *1/*17 a Rapid Metabolizer', () => {
      expect(callGene('CYP2C19', [cyp2c19Background, call('rs12248560', '1/1')])).toMatchObject({ diplotype: '*17/*17', phenotype: 'Ultrarapid Metabolizer' });
      expect(callGene('CYP2C19', [cyp2c19Background, call('rs12248560', '0/1')])).toMatchObject({ diplotype: '*1/*17', phenotype: 'Rapid Metabolizer' });
    });

    it('prefers *1/*4 over the equally possible *4/*17 for unphased rs28399504 and rs12248560, noting the alternative', () => {
      const r = callGene('CYP2C19', [cyp2c19Background, call('rs28399504', '0/1'), call('rs12248560', '0/1')]);
      expect(r).toMatchObject({ diplotype: '*1/*4', phenotype: 'Intermediate Metabolizer' });
      expect(r.notes.join(' ')).toContain('*4/*17 (Intermediate Metabolizer)');
    });

    it('lists missing positions and reports Indeterminate when a missing position could change the phenotype', () => {
      const r = callGene('CYP2C19', [cyp2c19Background, call('rs4986893', './.')]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', missingPositions: ['GRCh38:10:94780653 (rs4986893)'] });
      expect(r.notes.join(' ')).toMatch(/\*1\/\*1 \(Normal Metabolizer\), \*1\/\*3 \(Intermediate Metabolizer\), \*3\/\*3 \(Poor Metabolizer\)/);
      expect(r.notes.join(' ')).toContain('no call (GT ./.)');
    });

    it('still calls the diplotype when the missing position cannot change the phenotype, and names the allele left untested', () => {
      const covered = new Set([...ALL_COVERED].filter((k) => k !== 'chr10:94842866'));
      const r = callGene('CYP2C19', [...cyp2c19Star2('0/1')], covered);
      // *38 (the reference allele) names every position, so it scores highest (PharmCAT's rule).
      expect(r).toMatchObject({ diplotype: '*2/*38', phenotype: 'Intermediate Metabolizer', missingPositions: ['GRCh38:10:94842866 (rs3758581)'] });
      // *1 differs from *38 only at rs3758581: it cannot be tested, and says so (same function).
      expect(r.notes.join(' ')).toContain('Not tested, their defining positions being uncalled: *1 ');
    });

    it('never assumes reference: without coverage every uncalled position is missing', () => {
      const r = callGene('CYP2C19', [...cyp2c19Star2('1/1')], null);
      const called: number[] = [V.rs4244285[1], V.rs12769205[1]];
      expect(r.missingPositions).toEqual(CYP2C19.sites.filter((s) => !called.includes(s.pos)).map((s) => `GRCh38:10:${s.pos} (${s.rsid})`));
      // Two *2 copies leave no room for another allele, so the call stands.
      expect(r).toMatchObject({ diplotype: '*2/*2', phenotype: 'Poor Metabolizer' });
    });

    it('reports Indeterminate for a combination no pair of tested alleles explains', () => {
      const r = callGene('CYP2C19', [call('rs3758581', '0/1'), ...cyp2c19Star2('0/1'), call('rs12248560', '0/1')]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate' });
      expect(r.notes.join(' ')).toContain('fit no pair of tested alleles');
    });

    it('uses phase: *2 and *17 in cis match no tested allele', () => {
      const r = callGene('CYP2C19', [cyp2c19Background, call('rs4244285', '1|0'), call('rs12769205', '1|0'), call('rs12248560', '1|0')]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate' });
    });
  });

  describe('CYP2C9', () => {
    it('calls *1/*3 activity score 1, Intermediate Metabolizer', () => {
      expect(callGene('CYP2C9', [call('rs1057910', '0/1')])).toMatchObject({ diplotype: '*1/*3', activityScore: 1, phenotype: 'Intermediate Metabolizer' });
    });

    it('calls *3/*3 activity score 0, Poor Metabolizer', () => {
      expect(callGene('CYP2C9', [call('rs1057910', '1/1')])).toMatchObject({ diplotype: '*3/*3', activityScore: 0, phenotype: 'Poor Metabolizer' });
    });

    it('scores *5 as 0.5, the current CPIC value', () => {
      expect(callGene('CYP2C9', [call('rs28371686', '0/1')])).toMatchObject({ diplotype: '*1/*5', activityScore: 1.5, phenotype: 'Intermediate Metabolizer' });
    });

    it('matches the *6 deletion whatever its padding', () => {
      const padded: GenotypeCall = { chrom: '10', pos: 94949280, ref: 'AGA', alt: 'AG', genotype: '0/1' };
      expect(callGene('CYP2C9', [padded, call('rs1799853', '0/1')])).toMatchObject({ diplotype: '*2/*6', activityScore: 0.5, phenotype: 'Poor Metabolizer' });
    });

    it('calls rs7900194 G>T *27, whose function CPIC has not assigned: *1/*27, Indeterminate', () => {
      const r = callGene('CYP2C9', [{ chrom: '10', pos: 94942309, ref: 'G', alt: 'T', genotype: '0/1' }]);
      expect(r).toMatchObject({ status: 'INDETERMINATE', diplotype: '*1/*27', phenotype: 'Indeterminate', activityScore: null });
    });

    it('reports Indeterminate when a tested position carries an ALT no allele defines', () => {
      const r = callGene('CYP2C9', [{ chrom: '10', pos: 94942309, ref: 'G', alt: 'C', genotype: '0/1' }]);
      expect(r).toMatchObject({ status: 'INDETERMINATE', diplotype: null, phenotype: 'Indeterminate', activityScore: null });
      expect(r.notes.join(' ')).toContain('carries G>C, which defines none of the tested alleles');
    });

    it('reports Indeterminate when a missing *5 position could lower the score', () => {
      const covered = new Set([...ALL_COVERED].filter((k) => k !== 'chr10:94981301'));
      const r = callGene('CYP2C9', [call('rs1057910', '0/1')], covered);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', activityScore: null, missingPositions: ['GRCh38:10:94981301 (rs28371686)'] });
    });
  });

  describe('DPYD', () => {
    it('calls c.1905+1G>A heterozygous activity score 1, Intermediate Metabolizer', () => {
      expect(callGene('DPYD', [call('rs3918290', '0/1')])).toMatchObject({
        diplotype: 'Reference/c.1905+1G>A (*2A)',
        activityScore: 1,
        phenotype: 'Intermediate Metabolizer',
      });
    });

    it('recognises a no-function variant outside AMP tier 1: c.1156G>T (*12) heterozygous is activity 1, not Reference/Reference', () => {
      // PharmCAT DpydTest.testDpydS12het: rs78060119 C>A het → Reference/c.1156G>T (*12); CPIC activity value 0 (phenotype/DPYD.json).
      const r = callGene('DPYD', [{ chrom: '1', pos: 97573943, ref: 'C', alt: 'A', genotype: '0/1' }]);
      expect(r).toMatchObject({ diplotype: 'Reference/c.1156G>T (*12)', activityScore: 1, phenotype: 'Intermediate Metabolizer' });
    });

    it('calls no variant activity score 2, Normal Metabolizer', () => {
      expect(callGene('DPYD', [])).toMatchObject({ diplotype: 'Reference/Reference', activityScore: 2, phenotype: 'Normal Metabolizer' });
    });

    it('presumes two unphased variants in trans, as CPIC does', () => {
      const r = callGene('DPYD', [call('rs3918290', '0/1'), call('rs67376798', '0/1')]);
      expect(r).toMatchObject({ diplotype: 'c.1905+1G>A (*2A)/c.2846A>T', activityScore: 0.5, phenotype: 'Poor Metabolizer' });
      expect(r.notes.join(' ')).toContain('presumed to be on different gene copies');
    });

    it('uses the lowest variant per copy when phased data put two variants in cis', () => {
      const r = callGene('DPYD', [call('rs3918290', '1|0'), call('rs67376798', '1|0')]);
      expect(r).toMatchObject({ diplotype: 'Reference/c.1905+1G>A (*2A)', activityScore: 1, phenotype: 'Intermediate Metabolizer' });
    });

    it('calls HapB3 from the intronic variant and names the haplotype when the tag is present too', () => {
      const r = callGene('DPYD', [call('rs75017182', '0/1'), call('rs56038477', '0/1')]);
      expect(r).toMatchObject({ diplotype: 'Reference/c.1129-5923C>G, c.1236G>A (HapB3)', activityScore: 1.5, phenotype: 'Intermediate Metabolizer' });
    });

    it('infers HapB3 from the exonic tag when the intronic variant is not called, and says so', () => {
      const covered = new Set([...ALL_COVERED].filter((k) => k !== 'chr1:97579893'));
      const r = callGene('DPYD', [call('rs56038477', '1/1')], covered);
      expect(r).toMatchObject({ activityScore: 1, phenotype: 'Intermediate Metabolizer', missingPositions: ['GRCh38:1:97579893 (rs75017182)'] });
      expect(r.notes.join(' ')).toContain('inferred from the exonic tag c.1236G>A');
    });

    it('lets the intronic variant decide when the HapB3 tag disagrees with it', () => {
      const r = callGene('DPYD', [call('rs56038477', '0/1')]);
      expect(r).toMatchObject({ diplotype: 'Reference/Reference', activityScore: 2, phenotype: 'Normal Metabolizer' });
      expect(r.notes.join(' ')).toContain('disagree');
    });

    it('reports Indeterminate when a missing position could lower the phenotype', () => {
      const covered = new Set([...ALL_COVERED].filter((k) => k !== 'chr1:97450058'));
      const r = callGene('DPYD', [], covered);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', activityScore: null, missingPositions: ['GRCh38:1:97450058 (rs3918290)'] });
    });

    it('counts an untested ALT at a tested position as anywhere from no to normal function', () => {
      const r = callGene('DPYD', [{ chrom: '1', pos: 97450058, ref: 'C', alt: 'G', genotype: '0/1' }]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', activityScore: null });
      expect(r.notes.join(' ')).toContain('between 1 and 2');
    });

    it('keeps the phenotype but not the score when missing positions can only move it within one band', () => {
      const covered = new Set([...ALL_COVERED].filter((k) => k !== 'chr1:97579893' && k !== 'chr1:97573863'));
      const r = callGene('DPYD', [call('rs67376798', '0/1')], covered);
      expect(r).toMatchObject({ diplotype: 'Reference/c.2846A>T', activityScore: null, phenotype: 'Intermediate Metabolizer' });
      expect(r.notes.join(' ')).toContain('between 1 and 1.5');
    });

    it('still calls a Poor Metabolizer whom no missing position could make better', () => {
      const r = callGene('DPYD', [call('rs3918290', '1/1')], new Set(['1:97450058']));
      expect(r).toMatchObject({ diplotype: 'c.1905+1G>A (*2A)/c.1905+1G>A (*2A)', activityScore: 0, phenotype: 'Poor Metabolizer' });
      expect(r.missingPositions).toHaveLength(7);
    });
  });

  describe('TPMT', () => {
    it('calls unphased *3B + *3C heterozygotes *1/*3A, Intermediate, and notes the *3B/*3C alternative', () => {
      const r = callGene('TPMT', [call('rs1800460', '0/1'), call('rs1142345', '0/1')]);
      expect(r).toMatchObject({ diplotype: '*1/*3A', phenotype: 'Intermediate Metabolizer' });
      expect(r.notes.join(' ')).toContain('also fit *3B/*3C (Poor Metabolizer)');
    });

    it('calls *3B/*3C a Poor Metabolizer when phased data put the variants in trans', () => {
      expect(callGene('TPMT', [call('rs1800460', '1|0'), call('rs1142345', '0|1')])).toMatchObject({ diplotype: '*3B/*3C', phenotype: 'Poor Metabolizer' });
    });

    it('calls *1/*3A without an ambiguity note when phased data put the variants in cis', () => {
      const r = callGene('TPMT', [call('rs1800460', '0|1'), call('rs1142345', '0|1')]);
      expect(r).toMatchObject({ diplotype: '*1/*3A', phenotype: 'Intermediate Metabolizer' });
      expect(r.notes.join(' ')).not.toContain('also fit');
    });
  });

  describe('NUDT15', () => {
    it('calls *3/*3 a Poor Metabolizer', () => {
      expect(callGene('NUDT15', [call('rs116855232', '1/1')])).toMatchObject({ diplotype: '*3/*3', phenotype: 'Poor Metabolizer' });
    });

    it('calls the unphased GAGTCG insertion with c.415C>T *1/*2, noting *3/*6, and matches a padded insertion', () => {
      const padded: GenotypeCall = { chrom: '13', pos: 48037782, ref: 'AGGAGTC', alt: 'AGGAGTCGGAGTC', genotype: '0/1' };
      const r = callGene('NUDT15', [padded, call('rs116855232', '0/1')]);
      expect(r).toMatchObject({ diplotype: '*1/*2', phenotype: 'Intermediate Metabolizer' });
      expect(r.notes.join(' ')).toContain('*3/*6 (Possible Intermediate Metabolizer)');
    });
  });

  describe('SLCO1B1', () => {
    it('calls c.521T>C heterozygous *1/*5, Decreased Function, and homozygous *5/*5, Poor Function', () => {
      expect(callGene('SLCO1B1', [call('rs4149056', '0/1')])).toMatchObject({ diplotype: '*1/*5', phenotype: 'Decreased Function' });
      expect(callGene('SLCO1B1', [call('rs4149056', '1/1')])).toMatchObject({ diplotype: '*5/*5', phenotype: 'Poor Function' });
    });

    it('calls unphased c.388A>G with c.521T>C *1/*15, noting *5/*37 of the same function', () => {
      const r = callGene('SLCO1B1', [call('rs2306283', '0/1'), call('rs4149056', '0/1')]);
      expect(r).toMatchObject({ diplotype: '*1/*15', phenotype: 'Decreased Function' });
      expect(r.notes.join(' ')).toContain('*5/*37 (Decreased Function)');
    });
  });

  describe('VKORC1', () => {
    it('reports c.-1639 A/A in gene orientation with the CPIC term and allele wording', () => {
      const r = callGene('VKORC1', [call('rs9923231', '1/1')]);
      expect(r).toMatchObject({ diplotype: 'rs9923231 variant (T)/rs9923231 variant (T)', phenotype: '-1639 AA', activityScore: null });
      expect(r.notes.join(' ')).toContain('A = Higher coumarin sensitivity');
      expect(callGene('VKORC1', [call('rs9923231', '0/1')])).toMatchObject({ diplotype: 'rs9923231 reference (C)/rs9923231 variant (T)', phenotype: '-1639 AG' });
      expect(callGene('VKORC1', [])).toMatchObject({ diplotype: 'rs9923231 reference (C)/rs9923231 reference (C)', phenotype: '-1639 GG' });
    });

    it('counts a ./. genotype as not covered, even inside the covered positions', () => {
      const r = callGene('VKORC1', [call('rs9923231', './.')]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', missingPositions: ['GRCh38:16:31096368 (rs9923231)'] });
    });
  });

  describe('genotype input', () => {
    it('accepts chromosome names with or without chr, in calls and in covered positions', () => {
      const covered = new Set([...ALL_COVERED].map((k) => k.replace(/^chr/, '')));
      const bare: GenotypeCall = { ...call('rs1057910', '1/1'), chrom: '10' };
      expect(callGene('CYP2C9', [bare], covered)).toMatchObject({ diplotype: '*3/*3', missingPositions: [] });
    });

    it('reads a reference call as covering every base of its REF', () => {
      const block: GenotypeCall = { chrom: 'chr16', pos: 31096360, ref: 'ACGTACGTAC', alt: '.', genotype: '0/0' };
      expect(callGene('VKORC1', [block], null)).toMatchObject({ diplotype: 'rs9923231 reference (C)/rs9923231 reference (C)', phenotype: '-1639 GG', missingPositions: [] });
    });

    it('combines the calls of a split multi-allelic record and refuses more than two alleles', () => {
      const del: GenotypeCall = { chrom: '13', pos: 48037782, ref: 'AGGAGTC', alt: 'A', genotype: '1/0' };
      const ins: GenotypeCall = { ...call('rs746071566ins', '0/1') };
      expect(callGene('NUDT15', [del, ins])).toMatchObject({ diplotype: '*6/*9', phenotype: 'Possible Intermediate Metabolizer' });
      const r = callGene('NUDT15', [{ ...del, genotype: '1/1' }, ins]);
      expect(r).toMatchObject({ diplotype: null, phenotype: 'Indeterminate', missingPositions: ['GRCh38:13:48037782 (rs746071566)'] });
      expect(r.notes.join(' ')).toContain('conflicting calls');
    });

    it('treats a partial or unreadable GT as not covered', () => {
      expect(callGene('TPMT', [call('rs1800462', '0/.')]).missingPositions).toEqual(['GRCh38:6:18143724 (rs1800462)']);
      expect(callGene('TPMT', [call('rs1800462', '1')]).missingPositions).toEqual(['GRCh38:6:18143724 (rs1800462)']);
    });
  });
});
