import { CLOCK_SKEW_MS, clinicalInstant, isCalendarDate } from './clinical-time';

const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('clinicalInstant', () => {
  it.each([
    ['2026-02-30', '"2026-02-30": 2026-02-30 is not a calendar date'],
    ['2026-02-29T10:00:00Z', '"2026-02-29T10:00:00Z": 2026-02-29 is not a calendar date'],
    ['2026-04-31T10:00:00-05:00', '"2026-04-31T10:00:00-05:00": 2026-04-31 is not a calendar date'],
    ['2026-13-01', '"2026-13-01": 2026-13-01 is not a calendar date'],
    ['2026-01-01T24:00:00Z', '"2026-01-01T24:00:00Z": 24:00:00 is not a time of day'],
    ['2099-01-01', '2099-01-01 is out of range (1900 to now): in the future'],
    ['0001-01-01', '0001-01-01 is out of range (1900 to now): before 1900'],
    ['yesterday', '"yesterday" is not an ISO 8601 date or date-time'],
    ['2026-01-01T10:00:00Z\u0000', '"2026-01-01T10:00:00Z\u0000" is not an ISO 8601 date or date-time'],
  ])('refuses %s, saying why', (value, problem) => {
    expect(clinicalInstant(value, NOW)).toEqual({ problem });
  });

  it('accepts a leap day, zoned times and a clock a little ahead of ours', () => {
    expect(clinicalInstant('2024-02-29', NOW)).toEqual({ instant: new Date('2024-02-29T00:00:00Z') });
    expect(clinicalInstant('2026-03-01T09:30:00.123-05:00', NOW)).toEqual({ instant: new Date('2026-03-01T14:30:00.123Z') });
    const ahead = new Date(NOW + CLOCK_SKEW_MS - 1000).toISOString();
    expect(clinicalInstant(ahead, NOW)).toEqual({ instant: new Date(ahead) });
  });

  it('knows the length of every month', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => [31, 30, 29, 28].find((d) => isCalendarDate(2023, m, d)))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(isCalendarDate(2000, 2, 29)).toBe(true);
    expect(isCalendarDate(1900, 2, 29)).toBe(false);
  });
});
