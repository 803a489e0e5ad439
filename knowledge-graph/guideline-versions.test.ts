import { latestYear, releaseDateOf } from './guideline-versions';

describe('releaseDateOf', () => {
  it('reads the date a release names, in the forms the CPIC sources give', () => {
    expect(releaseDateOf('pharmgkb-2024-03-25-16-13')).toBe('2024-03-25');
    expect(releaseDateOf('2024-05-01')).toBe('2024-05-01');
    expect(releaseDateOf('v1.30.0 (2024-05-01)')).toBe('2024-05-01');
  });

  it('gives no date for a release without one, or with an impossible one', () => {
    expect(releaseDateOf('v1.20.0')).toBeNull();
    expect(releaseDateOf(undefined)).toBeNull();
    expect(releaseDateOf('2024-02-30')).toBeNull();
    expect(releaseDateOf('12024-05-01')).toBeNull();
  });
});

describe('latestYear', () => {
  it('takes the latest publication year and ignores missing ones', () => {
    expect(latestYear([2011, 2018, null, 2013])).toBe(2018);
    expect(latestYear([Number.NaN, undefined])).toBeNull();
  });
});
