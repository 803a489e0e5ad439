import { normaliseVariant } from '../variant';
import { CYP2C19, CYP2C9, NUDT15, SLCO1B1, TPMT, VKORC1 } from './allele-definitions';
import { DPYD_POSITIONS, DPYD_REQUIRED_POSITIONS } from './dpyd';
import { readPharmcatFile } from './pharmcat-definitions';
import { activityScorePhenotype } from './phenotypes';
import type { StarAlleleGene } from './types';

/*
 * The CPIC diplotype → phenotype table for every pair of the alleles we call, as shipped in PharmCAT
 * v3.1.1 src/main/resources/org/pharmgkb/pharmcat/phenotype/<GENE>.json (data 2025-11-05-00-25;
 * "generesult" and "activityScore"; VKORC1 alleles renamed from "rs9923231 reference (C)" / "variant
 * (T)" to G / A). Extracted once by script for the alleles the hub called before it read all of
 * PharmCAT's definitions; the table the caller now reads from the vendored file must give the same.
 */
type Row = [string, string, string] | [string, string, string, number];
const CPIC_TABLES: Record<string, Row[]> = {
  CYP2C19: [
    ['*1', '*1', 'Normal Metabolizer'],
    ['*1', '*2', 'Intermediate Metabolizer'],
    ['*1', '*3', 'Intermediate Metabolizer'],
    ['*1', '*4', 'Intermediate Metabolizer'],
    ['*1', '*17', 'Rapid Metabolizer'],
    ['*1', '*38', 'Normal Metabolizer'],
    ['*2', '*2', 'Poor Metabolizer'],
    ['*2', '*3', 'Poor Metabolizer'],
    ['*2', '*4', 'Poor Metabolizer'],
    ['*2', '*17', 'Intermediate Metabolizer'],
    ['*2', '*38', 'Intermediate Metabolizer'],
    ['*3', '*3', 'Poor Metabolizer'],
    ['*3', '*4', 'Poor Metabolizer'],
    ['*3', '*17', 'Intermediate Metabolizer'],
    ['*3', '*38', 'Intermediate Metabolizer'],
    ['*4', '*4', 'Poor Metabolizer'],
    ['*4', '*17', 'Intermediate Metabolizer'],
    ['*4', '*38', 'Intermediate Metabolizer'],
    ['*17', '*17', 'Ultrarapid Metabolizer'],
    ['*17', '*38', 'Rapid Metabolizer'],
    ['*38', '*38', 'Normal Metabolizer'],
  ],
  CYP2C9: [
    ['*1', '*1', 'Normal Metabolizer', 2],
    ['*1', '*2', 'Intermediate Metabolizer', 1.5],
    ['*1', '*3', 'Intermediate Metabolizer', 1],
    ['*1', '*5', 'Intermediate Metabolizer', 1.5],
    ['*1', '*6', 'Intermediate Metabolizer', 1],
    ['*1', '*8', 'Intermediate Metabolizer', 1.5],
    ['*1', '*11', 'Intermediate Metabolizer', 1.5],
    ['*2', '*2', 'Intermediate Metabolizer', 1],
    ['*2', '*3', 'Poor Metabolizer', 0.5],
    ['*2', '*5', 'Intermediate Metabolizer', 1],
    ['*2', '*6', 'Poor Metabolizer', 0.5],
    ['*2', '*8', 'Intermediate Metabolizer', 1],
    ['*2', '*11', 'Intermediate Metabolizer', 1],
    ['*3', '*3', 'Poor Metabolizer', 0],
    ['*3', '*5', 'Poor Metabolizer', 0.5],
    ['*3', '*6', 'Poor Metabolizer', 0],
    ['*3', '*8', 'Poor Metabolizer', 0.5],
    ['*3', '*11', 'Poor Metabolizer', 0.5],
    ['*5', '*5', 'Intermediate Metabolizer', 1],
    ['*5', '*6', 'Poor Metabolizer', 0.5],
    ['*5', '*8', 'Intermediate Metabolizer', 1],
    ['*5', '*11', 'Intermediate Metabolizer', 1],
    ['*6', '*6', 'Poor Metabolizer', 0],
    ['*6', '*8', 'Poor Metabolizer', 0.5],
    ['*6', '*11', 'Poor Metabolizer', 0.5],
    ['*8', '*8', 'Intermediate Metabolizer', 1],
    ['*8', '*11', 'Intermediate Metabolizer', 1],
    ['*11', '*11', 'Intermediate Metabolizer', 1],
  ],
  SLCO1B1: [
    ['*1', '*1', 'Normal Function'],
    ['*1', '*4', 'Indeterminate'],
    ['*1', '*5', 'Decreased Function'],
    ['*1', '*14', 'Normal Function'],
    ['*1', '*15', 'Decreased Function'],
    ['*1', '*37', 'Normal Function'],
    ['*4', '*4', 'Indeterminate'],
    ['*4', '*5', 'Possible Decreased Function'],
    ['*4', '*14', 'Indeterminate'],
    ['*4', '*15', 'Possible Decreased Function'],
    ['*4', '*37', 'Indeterminate'],
    ['*5', '*5', 'Poor Function'],
    ['*5', '*14', 'Decreased Function'],
    ['*5', '*15', 'Poor Function'],
    ['*5', '*37', 'Decreased Function'],
    ['*14', '*14', 'Increased Function'],
    ['*14', '*15', 'Decreased Function'],
    ['*14', '*37', 'Normal Function'],
    ['*15', '*15', 'Poor Function'],
    ['*15', '*37', 'Decreased Function'],
    ['*37', '*37', 'Normal Function'],
  ],
  TPMT: [
    ['*1', '*1', 'Normal Metabolizer'],
    ['*1', '*2', 'Intermediate Metabolizer'],
    ['*1', '*3A', 'Intermediate Metabolizer'],
    ['*1', '*3B', 'Intermediate Metabolizer'],
    ['*1', '*3C', 'Intermediate Metabolizer'],
    ['*2', '*2', 'Poor Metabolizer'],
    ['*2', '*3A', 'Poor Metabolizer'],
    ['*2', '*3B', 'Poor Metabolizer'],
    ['*2', '*3C', 'Poor Metabolizer'],
    ['*3A', '*3A', 'Poor Metabolizer'],
    ['*3A', '*3B', 'Poor Metabolizer'],
    ['*3A', '*3C', 'Poor Metabolizer'],
    ['*3B', '*3B', 'Poor Metabolizer'],
    ['*3B', '*3C', 'Poor Metabolizer'],
    ['*3C', '*3C', 'Poor Metabolizer'],
  ],
  NUDT15: [
    ['*1', '*1', 'Normal Metabolizer'],
    ['*1', '*2', 'Intermediate Metabolizer'],
    ['*1', '*3', 'Intermediate Metabolizer'],
    ['*1', '*6', 'Indeterminate'],
    ['*1', '*9', 'Intermediate Metabolizer'],
    ['*2', '*2', 'Poor Metabolizer'],
    ['*2', '*3', 'Poor Metabolizer'],
    ['*2', '*6', 'Possible Intermediate Metabolizer'],
    ['*2', '*9', 'Poor Metabolizer'],
    ['*3', '*3', 'Poor Metabolizer'],
    ['*3', '*6', 'Possible Intermediate Metabolizer'],
    ['*3', '*9', 'Poor Metabolizer'],
    ['*6', '*6', 'Indeterminate'],
    ['*6', '*9', 'Possible Intermediate Metabolizer'],
    ['*9', '*9', 'Poor Metabolizer'],
  ],
  VKORC1: [
    ['G', 'G', '-1639 GG'],
    ['G', 'A', '-1639 AG'],
    ['A', 'A', '-1639 AA'],
  ],
};

const GENES: StarAlleleGene[] = [CYP2C19, CYP2C9, NUDT15, SLCO1B1, TPMT, VKORC1];

describe('CPIC diplotype to phenotype rules', () => {
  it.each(GENES.map((g) => [g.gene, g] as const))('reproduce the CPIC table for every %s allele pair', (symbol, gene) => {
    const rows = CPIC_TABLES[symbol]!;
    const vkorc1: Record<string, string> = { G: 'rs9923231 reference (C)', A: 'rs9923231 variant (T)' };
    const allele = (name: string) => gene.alleles.find((a) => a.name === (symbol === 'VKORC1' ? vkorc1[name] : name))!;
    for (const [a, b, phenotype, score] of rows) {
      expect({ pair: `${a}/${b}`, ...gene.phenotype(allele(a), allele(b)) }).toEqual({ pair: `${a}/${b}`, phenotype, activityScore: score ?? null });
    }
  });

  it('maps activity scores to the CPIC bands: 2 normal, 1 to 1.5 intermediate, 0 to 0.5 poor', () => {
    expect([2, 1.5, 1, 0.5, 0].map(activityScorePhenotype)).toEqual([
      'Normal Metabolizer',
      'Intermediate Metabolizer',
      'Intermediate Metabolizer',
      'Poor Metabolizer',
      'Poor Metabolizer',
    ]);
  });
});

describe('allele definitions', () => {
  it.each(GENES.map((g) => [g.gene, g] as const))('store %s variants in the hub’s normalised form', (_symbol, gene) => {
    for (const v of gene.variants) {
      expect(normaliseVariant({ chrom: gene.chrom, pos: v.pos, ref: v.ref, alt: v.alt })).toMatchObject({ pos: v.pos, ref: v.ref, alt: v.alt });
    }
  });

  it.each(GENES.map((g) => [g.gene, g] as const))('give every %s allele known variants only, and the reference allele none', (_symbol, gene) => {
    const known = new Set(gene.variants.map((v) => `${v.pos}|${v.ref}>${v.alt}`));
    const positions = new Set(gene.sites.map((s) => s.pos));
    for (const allele of gene.alleles) {
      for (const [pos, tokens] of allele.tokens) {
        expect(positions.has(pos)).toBe(true);
        for (const token of tokens) expect(token === 'REF' || known.has(`${pos}|${token}`)).toBe(true);
      }
      if (allele.reference) expect(allele.tokens.size).toBe(0);
    }
    expect(gene.alleles.filter((a) => a.reference)).toHaveLength(1);
  });

  it('read every CYP2C9 allele PharmCAT defines, *24 among them (GRCh38:10:94981281 G>A, the allele once missed)', () => {
    expect(CYP2C9.alleles).toHaveLength(88);
    const star24 = CYP2C9.alleles.find((a) => a.name === '*24')!;
    expect([...star24.tokens]).toEqual([[94981281, ['G>A']]]);
  });

  it('read every DPYD_translation.json position and require exactly those PharmCAT lists as AMP tier-1', () => {
    const translation = readPharmcatFile<{ variants: { position: number }[] }>('DPYD_translation.json.gz');
    const exemptions = readPharmcatFile<Record<string, { amp1Positions: number[] }>>('exemptions.json.gz');
    const sorted = (positions: { pos: number }[]) => [...new Set(positions.map((p) => p.pos))].sort((a, b) => a - b);
    expect(sorted(DPYD_POSITIONS)).toEqual(sorted(translation.variants.map((v) => ({ pos: v.position }))));
    expect(sorted(DPYD_REQUIRED_POSITIONS)).toEqual([...exemptions.DPYD!.amp1Positions].sort((a, b) => a - b));
  });
});
