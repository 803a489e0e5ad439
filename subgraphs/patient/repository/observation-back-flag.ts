import { HubError } from '../../../lib/errors';
import { judgeValue, LOINC_CATALOGUE, ObservationFlag } from '../../../lib/contracts/reference/loinc-catalogue';
import { normaliseQuantity } from '../domain/loinc';

/**
 * Observations stored before issue 16's flags (migration 1733420000000) were never judged: a negative
 * cholesterol, an SBP of 1200, a value that overflowed to Infinity, a lab of a code the catalogue gained
 * later (glucose 2339-0, creatinine) stored in the unit as sent. This judges each such row by the rules
 * ingestion applies now (domain/loinc.ts normaliseQuantity, lib/contracts/reference/loinc-catalogue.ts judgeValue), so that
 * cohort statistics and filters (`flag IS NULL`) and risk leave the same values out whenever they were
 * stored:
 *  - a row of a catalogue code not in its canonical unit whose unit now converts is normalised (the
 *    value as sent stays in original_value/original_unit), then judged;
 *  - a unit that still does not convert is flagged unit-not-convertible;
 *  - an implausible value is flagged implausible; a value ingestion now refuses (impossible, not
 *    finite) cannot be refused after the fact: it is flagged implausible too, with the refusal's reason.
 * Rows already flagged, coded rows and codes outside the catalogue are left alone, so a second run
 * changes nothing. Used by migration 1733520000000 (and its test).
 */

/** What the back-flag needs of a database connection: node-pg-migrate's `pgm.db` and a pg client both fit. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface BackFlagCounts {
  examined: number;
  normalised: number;
  flagged: number;
}

interface StoredRow {
  id: string;
  code: string;
  value: number | null;
  unit: string | null;
  original_value: number | null;
  original_unit: string | null;
  normalised: boolean;
}

interface Judged {
  id: string;
  value: number;
  unit: string;
  normalised: boolean;
  flag: ObservationFlag | null;
  flagReason: string | null;
}

/** Rows judged per round trip: keyset pages, so memory stays flat whatever the table's size. */
export const BACK_FLAG_BATCH = 5000;

// ::text: float8 'Infinity' and 'NaN' reach JavaScript as numbers either way, but the text keeps -0 and
// full precision out of the question.
const SELECT_UNJUDGED = `
  SELECT id, code, value::text AS value, unit, original_value::text AS original_value, original_unit, normalised
  FROM patient.observations
  WHERE code_system = 'http://loinc.org' AND code = ANY($1::text[]) AND flag IS NULL AND value IS NOT NULL AND id > $2::uuid
  ORDER BY id LIMIT $3`;
const UPDATE_JUDGED = `
  UPDATE patient.observations o SET value = j.value, unit = j.unit, normalised = j.normalised, flag = j.flag, flag_reason = j.flag_reason
  FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::boolean[], $5::text[], $6::text[]) AS j(id, value, unit, normalised, flag, flag_reason)
  WHERE o.id = j.id`;

const MIN_UUID = '00000000-0000-0000-0000-000000000000';
const number = (text: unknown): number | null => (text === null || text === undefined ? null : Number(text));

/** Judges one stored row as ingestion would now; null when it is usable as it stands. */
export function judgeStoredObservation(row: StoredRow): Judged | null {
  const known = LOINC_CATALOGUE.get(row.code)!;
  const value = number(row.value)!;
  const inCanonicalUnit = row.normalised && row.unit === known.unit;
  const sentValue = inCanonicalUnit ? value : (number(row.original_value) ?? value);
  const sentUnit = inCanonicalUnit ? known.unit : (row.original_unit ?? row.unit ?? '');
  try {
    if (inCanonicalUnit) {
      const judged = judgeValue(known.code, value);
      if (judged.verdict === 'usable') return null;
      return { id: row.id, value, unit: known.unit, normalised: true, flag: ObservationFlag.IMPLAUSIBLE, flagReason: judged.reason };
    }
    const q = normaliseQuantity(known.code, sentValue, sentUnit, `Observation/${row.id}`, { keepUnconvertible: true });
    return { id: row.id, value: q.value, unit: q.unit, normalised: q.normalised, flag: q.flag, flagReason: q.flagReason };
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    // Refused on the way in today (impossible, not finite): already stored, so kept out of every calculation.
    const reason = error.message.replace(`Observation/${row.id} value: `, '');
    return { id: row.id, value, unit: row.unit ?? sentUnit, normalised: row.normalised, flag: ObservationFlag.IMPLAUSIBLE, flagReason: reason };
  }
}

/** Judges every unflagged numeric row of a catalogue code, in keyset batches; idempotent. */
export async function backFlagObservations(db: Queryable, batch = BACK_FLAG_BATCH): Promise<BackFlagCounts> {
  const codes = [...LOINC_CATALOGUE.keys()];
  const counts: BackFlagCounts = { examined: 0, normalised: 0, flagged: 0 };
  for (let after = MIN_UUID; ; ) {
    const { rows } = (await db.query(SELECT_UNJUDGED, [codes, after, batch])) as { rows: StoredRow[] };
    if (!rows.length) return counts;
    counts.examined += rows.length;
    after = rows[rows.length - 1]!.id;
    const changed = rows.map(judgeStoredObservation).filter((j): j is Judged => j !== null);
    if (!changed.length) continue;
    for (const j of changed) {
      if (j.flag) counts.flagged += 1;
      else counts.normalised += 1;
    }
    await db.query(UPDATE_JUDGED, [
      changed.map((j) => j.id),
      changed.map((j) => j.value),
      changed.map((j) => j.unit),
      changed.map((j) => j.normalised),
      changed.map((j) => j.flag),
      changed.map((j) => j.flagReason),
    ]);
  }
}
