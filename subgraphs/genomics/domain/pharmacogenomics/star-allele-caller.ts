import { REFERENCE, alleleToken, type PositionObservation, type SampleGenotypes } from './observations';
import { INDETERMINATE, NOT_GENOTYPED } from './phenotypes';
import type { DiplotypePhenotype, NamedAllele, PgxResult, StarAlleleGene } from './types';

/*
 * Star-allele matching in the manner of PharmCAT's Named Allele Matcher (docs/methods/
 * NamedAlleleMatcher-101.md in PharmGKB/PharmCAT): every pair of defined haplotypes whose alleles
 * agree with the patient's genotype at every called position is a candidate; an uncalled position
 * constrains nothing. Among candidates that imply the same genotype everywhere (they differ only in
 * phase) the highest score wins — a haplotype scores one per called position its definition names,
 * the reference allele naming all — which is how CPIC's preferred TPMT *1/*3A beats *3B/*3C.
 *
 * Candidates that differ at uncalled positions are the ones a missing position could hide. Our rule
 * (conservative): if they all give the same phenotype, report the best-scoring diplotype and list
 * the others in a note; if their phenotypes differ, report no diplotype and "Indeterminate". The
 * same holds when unphased data leave equally scored diplotypes of different phenotype. Data that
 * fit no pair of tested alleles (novel combination, untested ALT at a tested position) are
 * "Indeterminate" too: unlike PharmCAT for TPMT/NUDT15, an untested ALT is never read as reference.
 *
 * As PharmCAT does, an allele none of whose positions is in the data at all (not covered) is left out
 * — it cannot be tested — and named in a note, its positions in missingPositions. Two exceptions keep
 * it a candidate, so that a phenotype it could change makes the result indeterminate: an AMP tier-1
 * allele (Pratt et al., J Mol Diagn; the minimum a clinical PGx test must cover), and a position the
 * data name but leave unusable (./., conflicting or overlapping calls). An allele with some of its
 * positions called always stays a candidate. A gene with no call at any position is NOT_GENOTYPED.
 */

interface Haplotype {
  allele: NamedAllele;
  order: number;
  /** position → allele token this haplotype carries there (absent = reference) */
  carried: Map<number, string>;
}

interface Candidate {
  name: string;
  order: [number, number];
  score: number;
  /** the genotype this diplotype implies at every position, called or not */
  genotype: string;
  call: DiplotypePhenotype;
}

interface Site {
  pos: number;
  rsid: string;
  observation: PositionObservation;
}

const MAX_LISTED = 8;

/** One haplotype per choice at the allele's IUPAC positions (the allele may carry either base there). */
function haplotypes(gene: StarAlleleGene): Haplotype[] {
  return gene.alleles.flatMap((allele, order) => {
    let choices: Map<number, string>[] = [new Map()];
    for (const [pos, options] of allele.tokens) {
      choices = choices.flatMap((chosen) => options.map((token) => new Map([...chosen, [pos, token]])));
    }
    return choices.map((carried) => ({ allele, order, carried: new Map([...carried].filter(([, token]) => token !== REFERENCE)) }));
  });
}

const alleleAt = (h: Haplotype, pos: number): string => h.carried.get(pos) ?? REFERENCE;
const sameAlleles = (a: [string, string], b: [string, string]): boolean => (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);

/** Both copies must fit at every called position; phased heterozygous sites must also agree on one orientation. */
function fits(first: Haplotype, second: Haplotype, sites: Site[]): boolean {
  let asIs = true;
  let swapped = true;
  for (const { pos, observation } of sites) {
    if (!observation.called) continue;
    const pair: [string, string] = [alleleAt(first, pos), alleleAt(second, pos)];
    const [copy0, copy1] = observation.alleles;
    if (observation.phased && copy0 !== copy1) {
      asIs &&= pair[0] === copy0 && pair[1] === copy1;
      swapped &&= pair[1] === copy0 && pair[0] === copy1;
    } else if (!sameAlleles(pair, observation.alleles)) {
      return false;
    }
  }
  return asIs || swapped;
}

function score(h: Haplotype, called: Site[]): number {
  return called.filter((s) => h.allele.named.has(s.pos)).length;
}


/** Star-allele names in numeric order (*2 before *17, *3A before *3B), as CPIC and PharmCAT write diplotypes. */
function byName(x: string, y: string): number {
  return x.localeCompare(y, 'en', { numeric: true });
}

function candidates(gene: StarAlleleGene, sites: Site[], untested: Set<NamedAllele>): Candidate[] {
  const haps = haplotypes(gene).filter((h) => !untested.has(h.allele));
  const called = sites.filter((s) => s.observation.called);
  const found = new Map<string, Candidate>();
  haps.forEach((h1, i) => {
    for (const h2 of haps.slice(i)) {
      if (!fits(h1, h2, sites)) continue;
      const [a, b] = byName(h1.allele.name, h2.allele.name) <= 0 ? [h1, h2] : [h2, h1];
      const genotype = sites.map(({ pos }) => [alleleAt(a, pos), alleleAt(b, pos)].sort().join('/')).join(';');
      const candidate: Candidate = {
        name: `${a.allele.name}/${b.allele.name}`,
        order: [Math.min(a.order, b.order), Math.max(a.order, b.order)],
        score: score(a, called) + score(b, called),
        genotype,
        call: gene.phenotype(a.allele, b.allele),
      };
      const key = `${candidate.name}|${genotype}`;
      const existing = found.get(key);
      if (!existing || existing.score < candidate.score) found.set(key, candidate);
    }
  });
  return [...found.values()].sort((x, y) => y.score - x.score || x.order[0] - y.order[0] || x.order[1] - y.order[1]);
}

const describe = (c: Candidate): string => `${c.name} (${c.call.phenotype}${c.call.activityScore === null ? '' : `, activity score ${c.call.activityScore}`})`;

function listed(items: Candidate[]): string {
  const names = [...new Map(items.map((c) => [c.name, describe(c)])).values()];
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}

export const positionLabel = (chrom: string, pos: number, rsid: string): string => `GRCh38:${chrom}:${pos} (${rsid})`;

/** One note for all uncalled positions, with the reason where it is more than "no call, not covered". */
export function missingNote(chrom: string, missing: { pos: number; rsid: string; observation: PositionObservation }[]): string {
  const listed = missing.map(({ pos, rsid, observation }) => {
    const reason = observation.called || observation.reason === 'not covered' ? '' : ` [${observation.reason}]`;
    return `${positionLabel(chrom, pos, rsid)}${reason}`;
  });
  return `Not called, so alleles defined there could not be tested (never assumed reference): ${listed.join(', ')}.`;
}

export function callStarAlleleGene(gene: StarAlleleGene, sample: SampleGenotypes): PgxResult {
  const sites: Site[] = gene.sites.map(({ pos, rsid }) => ({ pos, rsid, observation: sample.at(gene.chrom, pos) }));
  const missing = sites.filter((s) => !s.observation.called);
  const missingPositions = missing.map((s) => positionLabel(gene.chrom, s.pos, s.rsid));
  const notes: string[] = [gene.scopeNote];
  const base = { gene: gene.gene, missingPositions, source: gene.source };
  const indeterminate = (reason: string): PgxResult => ({
    ...base,
    status: 'INDETERMINATE',
    diplotype: null,
    phenotype: INDETERMINATE,
    activityScore: null,
    notes: [...notes, reason],
  });
  if (sites.every((s) => !s.observation.called && s.observation.reason === 'not covered')) {
    return {
      ...base,
      status: 'NOT_GENOTYPED',
      diplotype: null,
      phenotype: NOT_GENOTYPED,
      activityScore: null,
      notes: [`No call at any ${gene.gene} defining position: the patient has not been genotyped for ${gene.gene} (no result, not an indeterminate one).`],
    };
  }

  if (missing.length) notes.push(missingNote(gene.chrom, missing));
  const absent = new Set(sites.filter((s) => !s.observation.called && s.observation.reason === 'not covered').map((s) => s.pos));
  const untested = new Set(gene.alleles.filter((a) => !a.reference && !a.tier1 && a.tokens.size && [...a.tokens.keys()].every((pos) => absent.has(pos))));
  if (untested.size) {
    notes.push(`Not tested, their defining positions being uncalled: ${[...untested].map((a) => a.name).join(', ')} (as PharmCAT, they are left out of the match).`);
  }
  const known = new Set(gene.variants.map((v) => `${v.pos}|${alleleToken(v.ref, v.alt)}`));
  for (const s of sites) {
    if (!s.observation.called) continue;
    for (const token of new Set(s.observation.alleles)) {
      if (token !== REFERENCE && !known.has(`${s.pos}|${token}`)) {
        notes.push(`${positionLabel(gene.chrom, s.pos, s.rsid)} carries ${token}, which defines none of the tested alleles.`);
      }
    }
  }
  const phasedHets = sites.filter((s) => s.observation.called && s.observation.phased && s.observation.alleles[0] !== s.observation.alleles[1]);
  if (phasedHets.length > 1) {
    notes.push('Phase was taken from the "|" genotypes; the calls carry no phase set, so they are assumed to lie in one phase block.');
  }

  const all = candidates(gene, sites, untested);
  if (!all.length) {
    return indeterminate(
      'The genotypes fit no pair of tested alleles: a novel combination, an allele outside the tested set, or a genotyping error. Review the calls; no phenotype is inferred.',
    );
  }

  // Group by implied genotype: within a group only phase differs; between groups, uncalled positions.
  const byGenotype = new Map<string, Candidate[]>();
  for (const c of all) byGenotype.set(c.genotype, [...(byGenotype.get(c.genotype) ?? []), c]);
  const groups = [...byGenotype.values()];
  const picks = groups.map((group) => {
    const best = group[0]!;
    const tied = group.filter((c) => c.score === best.score && c.call.phenotype !== best.call.phenotype);
    return { best, group, tied };
  });
  const phenotypes = new Set(picks.map((p) => p.best.call.phenotype));
  if (picks.length > 1 && (phenotypes.size > 1 || picks.some((p) => p.tied.length))) {
    return indeterminate(`Depending on the positions not called, the diplotype could be ${listed(all)}.`);
  }
  if (picks[0]!.tied.length) {
    return indeterminate(`Unphased genotypes fit equally well ${listed([picks[0]!.best, ...picks[0]!.tied])}; phased data are needed.`);
  }

  const chosen = picks[0]!.best;
  const phaseAlternatives = picks[0]!.group.filter((c) => c.name !== chosen.name);
  if (phaseAlternatives.length) {
    notes.push(
      `Unphased genotypes also fit ${listed(phaseAlternatives)}; ${chosen.name} is reported by PharmCAT's rule (the diplotype whose alleles name the most called positions). Phased data would settle it.`,
    );
    if (gene.unphasedNote) notes.push(gene.unphasedNote);
  }
  const hidden = picks.slice(1).map((p) => p.best).filter((c) => c.name !== chosen.name);
  if (hidden.length) {
    notes.push(`The positions not called also allow ${listed(hidden)}; the phenotype is the same.`);
  }
  const scores = new Set(picks.map((p) => p.best.call.activityScore));
  if (scores.size > 1) notes.push(`The activity score depends on the positions not called (${[...scores].join(' or ')}); it is left empty.`);
  const definite = chosen.call.phenotype !== INDETERMINATE;
  return {
    ...base,
    status: definite ? 'CALLED' : 'INDETERMINATE',
    diplotype: chosen.name,
    phenotype: chosen.call.phenotype,
    activityScore: scores.size > 1 ? null : chosen.call.activityScore,
    notes,
  };
}
