import { MAX_NOTE_LENGTH, noteTextProblem, nulPath, textProblem } from './text-limits';

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

describe('noteTextProblem', () => {
  it('accepts a multi-line note with tabs and Windows line ends, up to the length the notes NLP reads', () => {
    expect(noteTextProblem('Assessment:\r\n\t1. Essential hypertension, controlled.\nPlan: continue HCTZ 25 mg.')).toBeNull();
    expect(noteTextProblem('x'.repeat(MAX_NOTE_LENGTH))).toBeNull();
  });

  it.each([
    ['x'.repeat(MAX_NOTE_LENGTH + 1), `${MAX_NOTE_LENGTH + 1} characters, more than ${MAX_NOTE_LENGTH}`],
    ['cleared \u001b[2J screen', 'contains a control character (only tab, line feed and carriage return belong in note text)'],
    ['bell \u0007', 'contains a control character (only tab, line feed and carriage return belong in note text)'],
    ['page\fbreak', 'contains a control character (only tab, line feed and carriage return belong in note text)'],
    ['delete \u007f', 'contains a control character (only tab, line feed and carriage return belong in note text)'],
  ])('refuses %#', (text, problem) => {
    expect(noteTextProblem(text)).toBe(problem);
  });

  it('takes a smaller limit for titles', () => {
    expect(noteTextProblem('History and physical', 10)).toBe('20 characters, more than 10');
  });
});
