import { nulPath, textProblem } from './text-limits';

describe('textProblem', () => {
  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(201), '201 characters, more than 200'],
    ['Ada\u0000', 'contains a control character'],
    ['Ada\tLovelace', 'contains a control character'],
  ])('refuses %j', (value, problem) => {
    expect(textProblem(value, 200)).toBe(problem);
  });

  it('accepts names in any script', () => {
    expect(textProblem('Zoë Ó Briain 李小龍', 200)).toBeNull();
  });
});

describe('nulPath', () => {
  it('names the first string holding a NUL byte', () => {
    expect(nulPath({ code: { coding: [{ code: '1' }, { display: 'a\u0000b' }] } })).toBe('code.coding[1].display');
    expect(nulPath({ code: { text: 'fine' } })).toBeNull();
  });
});
