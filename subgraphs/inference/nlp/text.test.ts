import { HubError } from '../../../lib/errors';
import { MAX_NOTE_CHARS, MAX_SENTENCE_CHARS, normaliseNote, splitSentences } from './text';

const errorOf = (raw: unknown) => {
  const result = normaliseNote(raw);
  if (!('error' in result)) throw new Error('expected an error');
  return { code: result.error.code, message: result.error.message, details: result.error.details };
};

describe('normaliseNote', () => {
  it('normalises CRLF and lone CR line endings and composes Unicode to NFC', () => {
    expect(normaliseNote('Cafe\u0301 au lait spots.\r\nNo fever.\rStable.')).toEqual({ text: 'Caf\u00e9 au lait spots.\nNo fever.\nStable.' });
  });

  it('rejects an empty or whitespace-only note', () => {
    expect(errorOf('')).toEqual({ code: 'BAD_USER_INPUT', message: 'Note is empty', details: { reason: 'NOTE_EMPTY' } });
    expect(errorOf(' \r\n\t ')).toEqual({ code: 'BAD_USER_INPUT', message: 'Note is empty', details: { reason: 'NOTE_EMPTY' } });
  });

  it('rejects a value that is not a string', () => {
    expect(errorOf(null)).toEqual({ code: 'BAD_USER_INPUT', message: 'Note must be a string, got null', details: { reason: 'NOTE_NOT_TEXT' } });
    expect(errorOf(Buffer.from('x'))).toEqual({ code: 'BAD_USER_INPUT', message: 'Note must be a string, got object', details: { reason: 'NOTE_NOT_TEXT' } });
  });

  it('rejects a note containing NUL bytes as binary', () => {
    expect(errorOf('%PDF-1.7\u0000\u0000stream')).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'Note contains NUL bytes; it looks like a binary file, not text',
      details: { reason: 'NOTE_BINARY' },
    });
  });

  it('rejects a note with a high proportion of control or replacement characters', () => {
    const garbled = 'PK\u0003\u0004\u0014\u0006\ufffd\ufffd\ufffdword/document.xml\ufffd\u0001';
    expect(errorOf(garbled)).toEqual({
      code: 'BAD_USER_INPUT',
      message: `Note has 9 control or replacement characters in ${garbled.length}; it looks binary or wrongly decoded`,
      details: { reason: 'NOTE_BINARY', suspicious: 9, chars: garbled.length },
    });
  });

  it('accepts a long note with a few stray replacement characters', () => {
    const note = `${'Temp 38\ufffdC, afebrile since. '.repeat(3)}${'Stable on current regimen. '.repeat(20)}`;
    expect(normaliseNote(note)).toEqual({ text: note });
  });

  it('rejects a 1 MB note, naming its size and the limit', () => {
    const error = normaliseNote('a'.repeat(1_048_576));
    expect(error).toEqual({ error: expect.any(HubError) });
    expect(errorOf('a'.repeat(1_048_576))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'Note is 1,048,576 characters; the limit is 200,000 characters',
      details: { reason: 'NOTE_TOO_LONG', chars: 1_048_576, limit: MAX_NOTE_CHARS },
    });
  });

  it('measures the limit after CRLF normalisation, so a note at the limit with Windows line endings passes', () => {
    const lines = 'x'.repeat(99_999);
    const result = normaliseNote(`${lines}\r\n${lines}\r\n`);
    expect('text' in result && result.text.length).toBe(MAX_NOTE_CHARS);
  });
});

describe('splitSentences', () => {
  it('splits a note into sentences with offsets into the original text', () => {
    const note = 'Pt denies chest pain. No evidence of metastatic disease. EGFR L858R detected; T790M negative. Possible early osteoarthritis. Mother has breast cancer. Started clopidogrel 75 mg q.d.';
    const sentences = splitSentences(note);
    expect(sentences).toEqual([
      { text: 'Pt denies chest pain.', start: 0, end: 21, section: null },
      { text: 'No evidence of metastatic disease.', start: 22, end: 56, section: null },
      { text: 'EGFR L858R detected; T790M negative.', start: 57, end: 93, section: null },
      { text: 'Possible early osteoarthritis.', start: 94, end: 124, section: null },
      { text: 'Mother has breast cancer.', start: 125, end: 150, section: null },
      { text: 'Started clopidogrel 75 mg q.d.', start: 151, end: 181, section: null },
    ]);
    for (const s of sentences) expect(note.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not split at titles, Latin abbreviations, dosing abbreviations before lower case, decimals or initials', () => {
    const note = 'Seen by Dr. Patel and J. Smith today. Pt. tolerating metoprolol 12.5 mg b.i.d. with meals, e.g. breakfast, i.e. twice daily, vs. once daily.';
    expect(splitSentences(note).map((s) => s.text)).toEqual([
      'Seen by Dr. Patel and J. Smith today.',
      'Pt. tolerating metoprolol 12.5 mg b.i.d. with meals, e.g. breakfast, i.e. twice daily, vs. once daily.',
    ]);
  });

  it('ends a sentence at a dosing abbreviation followed by a capitalised word', () => {
    expect(splitSentences('Warfarin 5 mg q.d. Recheck INR in 1 wk.').map((s) => s.text)).toEqual(['Warfarin 5 mg q.d.', 'Recheck INR in 1 wk.']);
  });

  it('splits lower-case notes at full stops and question marks, but keeps a leading "?" as a hedge', () => {
    expect(splitSentences('no fever. ? pneumonia on cxr. any cough? none.').map((s) => s.text)).toEqual([
      'no fever.', '? pneumonia on cxr.', 'any cough?', 'none.',
    ]);
  });

  it('treats lines, bullets and numbered items as boundaries and drops the markers', () => {
    const note = 'Plan:\n1. Start osimertinib 80 mg daily.\n2. Repeat CT in 8 weeks\n- smoking cessation\n• ECG\n   \n';
    expect(splitSentences(note)).toEqual([
      { text: 'Start osimertinib 80 mg daily.', start: 9, end: 39, section: 'plan' },
      { text: 'Repeat CT in 8 weeks', start: 43, end: 63, section: 'plan' },
      { text: 'smoking cessation', start: 66, end: 83, section: 'plan' },
      { text: 'ECG', start: 86, end: 89, section: 'plan' },
    ]);
  });

  it('drops section headers, carrying them as the section of what follows, also mid-line', () => {
    const note = 'ASSESSMENT: Stage IV lung adenocarcinoma. PLAN: osimertinib.\nFAMILY HISTORY:\nMother with breast cancer.\nEGFR: L858R detected.';
    expect(splitSentences(note)).toEqual([
      { text: 'Stage IV lung adenocarcinoma.', start: 12, end: 41, section: 'assessment' },
      { text: 'osimertinib.', start: 48, end: 60, section: 'plan' },
      { text: 'Mother with breast cancer.', start: 77, end: 103, section: 'family history' },
      { text: 'EGFR: L858R detected.', start: 104, end: 125, section: 'family history' },
    ]);
  });

  it('cuts run-on text at a word boundary so no sentence exceeds the maximum length', () => {
    const note = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const sentences = splitSentences(note);
    expect(sentences.length).toBe(5);
    for (const s of sentences) {
      expect(s.text.length).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      expect(note.slice(s.start, s.end)).toBe(s.text);
      expect(s.text).toMatch(/^word\d+( word\d+)*$/);
    }
    expect(sentences.map((s) => s.text).join(' ')).toBe(note);
  });

  it('hard-cuts a single token longer than the maximum', () => {
    const token = 'A'.repeat(1100);
    expect(splitSentences(`x ${token}`).map((s) => [s.start, s.end])).toEqual([[0, 1], [2, 514], [514, 1026], [1026, 1102]]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('\n  \n\t')).toEqual([]);
  });
});
