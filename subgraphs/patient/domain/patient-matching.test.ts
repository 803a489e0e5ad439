import { matchPatients, normaliseName, type Demographics } from './patient-matching';

const base: Demographics = {
  name: 'Katherine Johnson',
  birthDate: '1958-08-26',
  sex: 'female',
  phone: '+1 (555) 010-7788',
  address: { line: ['12 Orbit Road'], postalCode: '23666', city: 'Hampton' },
};

describe('matchPatients', () => {
  it('links spelling variants with the same birth date, sex and phone', () => {
    expect(matchPatients(base, { ...base, name: 'Catherine Jonson', phone: '555-010-7788', address: null })).toEqual({
      score: expect.any(Number),
      rule: 'name+birthDate+sex+phone',
    });
  });

  it('links on address when the phone differs, and ignores Synthea number suffixes and case', () => {
    const match = matchPatients(base, { ...base, name: 'KATHERINE123 Johnson456', phone: '555-999-0000', address: { line: ['12  orbit road'], postalCode: '23666-1234' } });
    expect(match?.rule).toBe('name+birthDate+sex+address');
    expect(match!.score).toBeGreaterThanOrEqual(0.85);
  });

  it('scores full agreement at 1', () => {
    expect(matchPatients(base, base)).toEqual({ score: 1, rule: 'name+birthDate+sex+phone+address' });
  });

  it('does not link without agreement on birth date, sex, name or any contact field', () => {
    expect(matchPatients(base, { ...base, birthDate: '1958-08-27' })).toBeNull();
    expect(matchPatients(base, { ...base, sex: 'male' })).toBeNull();
    expect(matchPatients(base, { ...base, name: 'Dorothy Johnson' })).toBeNull();
    expect(matchPatients(base, { ...base, phone: null, address: null })).toBeNull();
  });

  it('does not take different house numbers on the same street for the same address', () => {
    expect(matchPatients(base, { ...base, phone: null, address: { line: ['14 Orbit Road'], postalCode: '23666' } })).toBeNull();
  });

  it('accepts an initial for the given name', () => {
    expect(matchPatients(base, { ...base, name: 'K. Johnson' })?.rule).toBe('name+birthDate+sex+phone+address');
  });
});

describe('normaliseName', () => {
  it('strips diacritics, digits and punctuation', () => {
    expect(normaliseName("José  O'Brien-Smith42")).toEqual(['jose', 'obriensmith']);
  });
});
