/**
 * Which CPIC version answers when the graph holds several of one gene–drug pair (the curated seed, CPIC API
 * snapshots, PharmGKB's guideline files; issue 18): the newest, decided by dates the data states, never by the
 * order the releases were imported in.
 *
 * A Guideline carries `releasedOn` (YYYY-MM-DD: the date of the CPIC data release it was read from) and
 * `publishedYear` (the year of the guideline's latest publication among its citations). The newest version of a
 * pair is the greatest (releasedOn, publishedYear, sourceVersion):
 *   - the release date first: a CPIC release is CPIC's database as of that date, so it holds each guideline's
 *     latest publication and the changes CPIC made since (CPIC versions its guidelines and recommendations and
 *     "iterates on modification", cpicpgx/cpic-data db/guideline.sql; CPIC asks users to check cpicpgx.org for
 *     updates, https://cpicpgx.org/guidelines/);
 *   - the publication year next, for releases of the same date or both undated;
 *   - the release's name last, only so that the choice is the same on every read.
 * An undated release (a CPIC API snapshot imported without a dated --version) ranks below every dated one.
 */

/** The date a release names ("pharmgkb-2024-03-25-16-13", "v1.20.0 (2022-09-15)" → YYYY-MM-DD), or null. */
export function releaseDateOf(version: string | null | undefined): string | null {
  const match = /(?:^|\D)(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(version ?? '');
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  // A real calendar date only (2024-02-30 is not one).
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === `${y}-${m}-${d}` ? `${y}-${m}-${d}` : null;
}

/** The latest of the citations' publication years, or null when none gives one. */
export function latestYear(years: readonly (number | null | undefined)[]): number | null {
  const known = years.filter((y): y is number => typeof y === 'number' && Number.isInteger(y) && y > 0);
  return known.length ? Math.max(...known) : null;
}

/**
 * A Cypher expression ordering CPIC versions as strings: `YYYY-MM-DD YYYY sourceVersion`, undated parts as
 * zeros (fixed widths, so string order is (releasedOn, publishedYear, sourceVersion) order). Arguments are
 * Cypher expressions for the three values.
 */
export function cpicVersionKey(releasedOn: string, publishedYear: string, sourceVersion: string): string {
  return `(coalesce(${releasedOn}, '0000-00-00') + ' ' + right('0000' + toString(coalesce(${publishedYear}, 0)), 4) + ' ' + coalesce(${sourceVersion}, ''))`;
}

/** The key of a stored Guideline node bound to `node`. */
export const guidelineVersionKey = (node: string): string => cpicVersionKey(`${node}.releasedOn`, `${node}.publishedYear`, `${node}.sourceVersion`);
