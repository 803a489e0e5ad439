import { ErrorCode, HubError } from '../../../lib/errors';
import { isHubId } from '../../../lib/ids';

/**
 * Query.patients' search arguments (issue 21), checked before anything reaches PostgreSQL: a name of
 * at most MAX_NAME_LENGTH characters in at most MAX_NAME_WORDS words, a birth date that is a real
 * calendar day. Each refusal is BAD_USER_INPUT naming the filter field.
 */
export const MAX_NAME_LENGTH = 100;
export const MAX_NAME_WORDS = 5;

const badFilter = (field: string, message: string) =>
  new HubError(ErrorCode.BAD_USER_INPUT, `filter.${field}: ${message}`, { field: `filter.${field}` });

/** The words of a name query as typed (split where names split into parts: spaces and hyphens). */
export function nameQueryWords(name: string): string[] {
  const trimmed = name.trim();
  if (!trimmed) throw badFilter('name', 'must not be empty');
  if (trimmed.length > MAX_NAME_LENGTH) throw badFilter('name', `is ${trimmed.length} characters long; at most ${MAX_NAME_LENGTH}`);
  if (trimmed.includes('\u0000')) throw badFilter('name', 'contains a NUL character');
  const words = trimmed.split(/[\s-]+/u).filter(Boolean);
  if (words.length > MAX_NAME_WORDS) throw badFilter('name', `has ${words.length} words; at most ${MAX_NAME_WORDS}`);
  return words;
}

/**
 * The folded words as search prefixes, the longest first: it is usually the most selective, so it
 * drives the index (and orders the results). Words that folded to nothing (punctuation) are dropped;
 * a query of nothing else is refused rather than answered with every patient.
 */
export function searchPrefixes(name: string, folded: readonly string[]): string[] {
  const prefixes = [...new Set(folded.filter(Boolean))];
  if (!prefixes.length) throw badFilter('name', `"${name}" has no letter or digit to search for`);
  // A word that starts another word is implied by it ("an anna" is "anna").
  const needed = prefixes.filter((p) => !prefixes.some((q) => q !== p && q.startsWith(p)));
  return needed.sort((a, b) => b.length - a.length);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A birth date filter: YYYY-MM-DD and a day that exists (no 2023-02-30). */
export function birthDateArg(value: string): string {
  const match = ISO_DATE.exec(value.trim());
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw badFilter('birthDate', `"${value}" is not a date YYYY-MM-DD`);
  }
  return value.trim();
}

/**
 * A name search's cursor: the matched (folded) name part and the hub id, base64url so that clients
 * treat it as opaque. Query.patients' other cursors (`patient:<id>`) do not fit a name search's order
 * and are refused by it, as its are by the others.
 */
const NAME_CURSOR = 'patient-name:';

export const encodeNameCursor = (token: string, id: string): string => Buffer.from(`${NAME_CURSOR}${JSON.stringify([token, id])}`).toString('base64url');

export function isNameCursor(cursor: string): boolean {
  return Buffer.from(cursor, 'base64url').toString('utf8').startsWith(NAME_CURSOR);
}

export function decodeNameCursor(cursor: string): { token: string; id: string } {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  let pair: unknown;
  try {
    pair = decoded.startsWith(NAME_CURSOR) ? JSON.parse(decoded.slice(NAME_CURSOR.length)) : null;
  } catch {
    pair = null;
  }
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string' || !isHubId(pair[1])) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, `after: "${cursor}" is not a cursor returned by a name search of patients`, { field: 'after' });
  }
  return { token: pair[0], id: pair[1] };
}
