/**
 * Time for synthetic records. Everything is measured back from AS_OF rather than the clock, so the
 * same seed writes the same bytes on any day; times carry the patient's UTC offset, as Synthea's do.
 */
export const AS_OF = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function local(epochMs: number, utcOffsetMinutes: number): Date {
  return new Date(epochMs + utcOffsetMinutes * MINUTE);
}

/** FHIR `date`: YYYY-MM-DD on the patient's local calendar. */
export function fhirDate(epochMs: number, utcOffsetMinutes: number): string {
  const d = local(epochMs, utcOffsetMinutes);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** FHIR `dateTime`/`instant` to the second with the offset, e.g. 2023-04-05T09:30:12-05:00. */
export function fhirDateTime(epochMs: number, utcOffsetMinutes: number): string {
  const d = local(epochMs, utcOffsetMinutes);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(utcOffsetMinutes);
  return (
    `${fhirDate(epochMs, utcOffsetMinutes)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/** The UTC instant of local midnight on the day that contains `epochMs`. */
export function localMidnight(epochMs: number, utcOffsetMinutes: number): number {
  const shifted = epochMs + utcOffsetMinutes * MINUTE;
  return shifted - (((shifted % DAY) + DAY) % DAY) - utcOffsetMinutes * MINUTE;
}
