/**
 * When a clinical event may have happened, checked the same way on every entry (FHIR bundles, device
 * streams, addObservation, createPatient): a real calendar date (JavaScript's Date, and PostgreSQL's
 * too, roll 2026-02-30 over into March, which would store a date nobody sent), an hour 00-23, not
 * before 1900, and not in the future beyond a small clock skew between the sender's clock and ours.
 */
export const EARLIEST_CLINICAL_INSTANT = Date.UTC(1900, 0, 1);
/** Senders' clocks drift; NTP keeps servers within seconds, so five minutes is generous but not a loophole. */
export const CLOCK_SKEW_MS = 5 * 60_000;

// ISO 8601 / FHIR date or dateTime: a date, optionally a time with optional seconds and fraction, and zone.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Whether year-month-day names a day of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** The instant `value` names (a date alone is midnight UTC), or why it is not acceptable. */
export function clinicalInstant(value: string, now: number = Date.now()): { instant: Date } | { problem: string } {
  const match = DATE_TIME.exec(value);
  if (!match) return { problem: `"${value}" is not an ISO 8601 date or date-time` };
  const [, year, month, day, hour, minute, second] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return { problem: `"${value}": ${year}-${month}-${day} is not a calendar date` };
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) {
    return { problem: `"${value}": ${hour}:${minute}${second === undefined ? '' : `:${second}`} is not a time of day` };
  }
  const instant = new Date(hour === undefined ? `${year}-${month}-${day}T00:00:00Z` : value);
  if (Number.isNaN(instant.getTime())) return { problem: `"${value}" is not an ISO 8601 date or date-time` };
  if (instant.getTime() < EARLIEST_CLINICAL_INSTANT) return { problem: `${value} is out of range (1900 to now): before 1900` };
  if (instant.getTime() > now + CLOCK_SKEW_MS) return { problem: `${value} is out of range (1900 to now): in the future` };
  return { instant };
}
