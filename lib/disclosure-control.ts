import type { Identity } from './identity';
import { MIN_RESEARCH_CELL } from './patient-access';

/**
 * Statistical disclosure control for the aggregates researchers read (Query.cohort, cohortGenes,
 * Gene.variantsInCohort, cohortRiskDistribution): one rule for every subgraph.
 *
 * Primary suppression: a count of 1 to 10 patients (under MIN_RESEARCH_CELL, 11) is not shown.
 * Secondary (complementary) suppression: within one dimension (cells that add up to a total the caller
 * sees, e.g. the sexes of a cohort, its age bands, the risk bins with the patients the equations do
 * not apply to, a gene's carriers and non-carriers), while the suppressed cells together hold fewer
 * than 11 patients, the next smallest shown non-empty cell is suppressed too. A lone suppressed cell is
 * therefore never left (total 12, FEMALE 11 → MALE 1 is no longer a subtraction away) and neither is a
 * group of suppressed cells whose sum would pin them down (two suppressed cells adding up to 2).
 * Empty cells stay shown as 0: zero is not a small cell, and hiding one hides nothing.
 *
 * Sources: CMS Cell Size Suppression Policy (ResDAC, current version 2024-01-26): no cell of 1 to 10
 * may be reported, nor one that lets a value of 1 to 10 "be derived from other reported cells or
 * information", and the rule "also applies to the reporting of excluded cases". Hundepool et al.,
 * Handbook on Statistical Disclosure Control, 2nd ed. (Eurostat Centre of Excellence on SDC, 2024),
 * frequency tables: primary suppression of small counts, then complementary (secondary) suppression
 * so that no suppressed cell can be recalculated from the margins.
 */

/** The smallest count this caller may see in an aggregate: researchers MIN_RESEARCH_CELL, everyone else every count. */
export function minimumCellFor(identity: Pick<Identity, 'role'>): number {
  return identity.role === 'researcher' ? MIN_RESEARCH_CELL : 0;
}

/** A total (a cohort's size) as shown to a caller with this minimum: null when under it, an empty cohort included. */
export function protectTotal(total: number, minCell: number): number | null {
  assertCount(total, 'total');
  return minCell <= 0 || total >= minCell ? total : null;
}

/**
 * The cells of one dimension as shown to a caller with this minimum: each the count, or null when
 * suppressed (primary, then secondary suppression as above; the smallest first, the first of equals).
 * `cells` must partition a total the caller can see. When that total is itself under the minimum
 * every non-empty cell is suppressed; callers hide the total then (protectTotal).
 */
export function protectDimension(cells: readonly number[], minCell: number): (number | null)[] {
  cells.forEach((cell, i) => assertCount(cell, `cell ${i}`));
  if (minCell <= 1) return [...cells];
  const shown: (number | null)[] = cells.map((cell) => (cell > 0 && cell < minCell ? null : cell));
  let hidden = cells.reduce((sum, cell, i) => sum + (shown[i] === null ? cell : 0), 0);
  while (hidden > 0 && hidden < minCell) {
    let next = -1;
    for (let i = 0; i < cells.length; i += 1) {
      if (shown[i] !== null && cells[i]! > 0 && (next < 0 || cells[i]! < cells[next]!)) next = i;
    }
    if (next < 0) break;
    shown[next] = null;
    hidden += cells[next]!;
  }
  return shown;
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what}: ${value} is not a count`);
}
