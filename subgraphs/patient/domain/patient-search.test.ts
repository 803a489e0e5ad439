import { randomUUID } from 'node:crypto';
import { birthDateArg, decodeNameCursor, encodeNameCursor, isNameCursor, nameQueryWords, searchPrefixes } from './patient-search';

describe('patient search arguments', () => {
  it('splits a name query where names split into parts: spaces and hyphens', () => {
    expect(nameQueryWords('  Anna  Müller-Lüdenscheidt ')).toEqual(['Anna', 'Müller', 'Lüdenscheidt']);
  });

  it('drives the search with the longest word and drops words another word implies', () => {
    expect(searchPrefixes('an mül anna', ['an', 'mul', 'anna'])).toEqual(['anna', 'mul']);
    expect(searchPrefixes("o' brien", ['o', 'brien'])).toEqual(['brien', 'o']);
  });

  it('refuses a query of punctuation only instead of listing everyone', () => {
    expect(() => searchPrefixes("' -", ['', ''])).toThrow(`filter.name: "' -" has no letter or digit to search for`);
  });

  it('takes real calendar days only as birth dates', () => {
    expect(birthDateArg('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '1958-13-01', '1958-3-2', '19580302', '']) {
      expect(() => birthDateArg(bad)).toThrow(`filter.birthDate: "${bad}" is not a date YYYY-MM-DD`);
    }
  });

  it('round-trips a name cursor and refuses anything else as one', () => {
    const id = randomUUID();
    const cursor = encodeNameCursor('müller', id);
    expect(isNameCursor(cursor)).toBe(true);
    expect(decodeNameCursor(cursor)).toEqual({ token: 'müller', id });
    const forged = Buffer.from('patient-name:["x","not-a-uuid"]').toString('base64url');
    expect(() => decodeNameCursor(forged)).toThrow(/is not a cursor returned by a name search/);
    expect(() => decodeNameCursor(Buffer.from(`patient:${id}`).toString('base64url'))).toThrow(/is not a cursor returned by a name search/);
  });
});
