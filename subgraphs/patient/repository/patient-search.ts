import type { Pool } from '../../../lib/postgres';
import { patientFilterSql, toPatient, type PatientCriteria, type PatientFilterSql, type PatientRecord, type PatientRow } from './patient-repository';

/**
 * Search by name (migration 1733600000000_patient-search.sql): every part of a patient's name is kept
 * folded (lower case, no accents, no punctuation, German ä/ae both ways) in patient.patient_name_tokens.
 * A query of several words finds the patients each of whose words starts some part of the name; the
 * first word (the caller puts the most selective one there) drives the index and orders the results:
 * by the part of the name it matched, then hub id. Cursors are that pair, so pages are stable under
 * concurrent writes and cost the same deep into the results (keyset pagination, no OFFSET).
 */
export interface NameSearch {
  /** Folded prefixes (foldSearchWords), the driving one first; never empty. */
  prefixes: string[];
  /** Only this organisation's patients (a clinician's view); undefined: every organisation (admins). */
  organisation?: string;
}

/** Where a name search page starts: after this matched name part and hub id. */
export interface NameCursor {
  token: string;
  id: string;
}

export interface NameSearchPage {
  /** Each with the part of its name the driving prefix matched (the cursor's token). */
  patients: { patient: PatientRecord; matched: string }[];
  hasNextPage: boolean;
}

/** The fold the index was built with (patient.search_fold), applied to the caller's words in order. */
const FOLD_WORDS = `SELECT coalesce(array_agg(patient.search_fold(w) ORDER BY n), '{}') AS folded FROM unnest($1::text[]) WITH ORDINALITY AS u(w, n)`;

/**
 * The largest code point: in the tokens' byte order (COLLATE "C") every string starting with p sorts
 * before p || U+10FFFF, so [p, p || U+10FFFF) is the prefix as an index range.
 */
const AFTER_EVERY_CHARACTER = '\u{10FFFF}';
const upperBound = (prefix: string) => prefix + AFTER_EVERY_CHARACTER;

/**
 * The rows of `t` (the driving prefix's matches) that are results: the patient's first matching name
 * part only (so "Maria Martínez" is listed once for "mar"), every other word matching some part.
 * $n and $n+1: the driving prefix's range; $n+2: the other prefixes.
 */
const matches = (n: number) => `
  t.token >= $${n}::text AND t.token < $${n + 1}::text
  AND NOT EXISTS (SELECT 1 FROM patient.patient_name_tokens e
                  WHERE e.patient_id = t.patient_id AND e.token >= $${n}::text AND e.token < t.token)
  AND NOT EXISTS (SELECT 1 FROM unnest($${n + 2}::text[]) AS w(prefix)
                  WHERE NOT EXISTS (SELECT 1 FROM patient.patient_name_tokens o
                                    WHERE o.patient_id = t.patient_id AND o.token >= w.prefix AND o.token < w.prefix || chr(1114111)))`;

/**
 * Parameters: $1 limit, $2 $3 driving range, $4 other prefixes, $5 organisation (when scoped), then
 * $6 $7 the cursor (when paging on), then the filter's. Written out per case (rather than `$5 IS NULL
 * OR ...`) so that each has the plain index condition the planner needs to walk
 * patient_name_tokens_organisation (or _token for admins) in result order and stop at the limit.
 */
function selectNamePage(filter: PatientFilterSql, scoped: boolean, paged: boolean): string {
  return `
  SELECT t.token AS matched, p.id, p.name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.sex, p.race, p.managing_organization
  FROM patient.patient_name_tokens t
  JOIN patient.patients p ON p.id = t.patient_id
  WHERE ${scoped ? 't.organization = $5::text' : '$5::text IS NULL'}
    AND ${paged ? '(t.token, t.patient_id) > ($6::text, $7::uuid)' : '$6::text IS NULL AND $7::uuid IS NULL'}
    AND ${matches(2)}
    AND ${filter.where}
  ORDER BY t.token, t.patient_id
  LIMIT $1`;
}

/** $1 $2 driving range, $3 other prefixes, $4 organisation (when scoped), then the filter's. */
function countNameMatches(filter: PatientFilterSql, scoped: boolean): string {
  return `
  SELECT count(*) AS total
  FROM patient.patient_name_tokens t
  JOIN patient.patients p ON p.id = t.patient_id
  WHERE ${scoped ? 't.organization = $4::text' : '$4::text IS NULL'}
    AND ${matches(1)}
    AND ${filter.where}`;
}

export interface MatchRow extends PatientRow {
  matched: string;
}

/** The criteria other than the name, without the organisation (the token index carries it). */
function otherCriteria(criteria: PatientCriteria, paramOffset: number): PatientFilterSql {
  return patientFilterSql({ ...criteria, organization: null }, paramOffset);
}

/** The statement of one page of a name search (one row more than `first`, to tell whether there are more); benches EXPLAIN it. */
export function nameSearchStatement(search: NameSearch, criteria: PatientCriteria, first: number, after: NameCursor | null): { text: string; values: unknown[] } {
  const [driving, ...others] = search.prefixes as [string, ...string[]];
  const scoped = search.organisation !== undefined;
  const head = [first + 1, driving, upperBound(driving), others, search.organisation ?? null, after?.token ?? null, after?.id ?? null];
  const filter = otherCriteria(criteria, head.length);
  return { text: selectNamePage(filter, scoped, after !== null), values: [...head, ...filter.params] };
}

export class PatientNameSearch {
  constructor(private readonly pool: Pool) {}

  /** The caller's words as the index holds names (patient.search_fold), in the order given; '' for a word of punctuation only. */
  async foldWords(words: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ folded: string[] }>(FOLD_WORDS, [words]);
    return rows[0]?.folded ?? [];
  }

  async page(search: NameSearch, criteria: PatientCriteria, first: number, after: NameCursor | null): Promise<NameSearchPage> {
    const { text, values } = nameSearchStatement(search, criteria, first, after);
    const { rows } = await this.pool.query<MatchRow>(text, values);
    return {
      patients: rows.slice(0, first).map((row) => ({ patient: toPatient(row), matched: row.matched })),
      hasNextPage: rows.length > first,
    };
  }

  async count(search: NameSearch, criteria: PatientCriteria): Promise<number> {
    const [driving, ...others] = search.prefixes as [string, ...string[]];
    const scoped = search.organisation !== undefined;
    const head = [driving, upperBound(driving), others, search.organisation ?? null];
    const filter = otherCriteria(criteria, head.length);
    const { rows } = await this.pool.query<{ total: string }>(countNameMatches(filter, scoped), [...head, ...filter.params]);
    return Number(rows[0]?.total ?? 0);
  }
}
