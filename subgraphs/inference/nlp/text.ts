/**
 * Clinical-note text handling before any model sees it: input checks (`normaliseNote`) and a
 * sentence splitter (`splitSentences`) that knows clinical habits — abbreviations that end in a
 * period, decimals, numbered lists, bullets, section headers — and caps every sentence's length so
 * a downstream model never gets over-long input. Pure functions, no I/O.
 */
import { ErrorCode, HubError } from '../../../lib/errors';

/** Longest note accepted, in UTF-16 code units after CRLF normalisation (~40 pages of text). */
export const MAX_NOTE_CHARS = 200_000;
/** Longest sentence handed downstream; longer run-on text is cut at a word boundary. */
export const MAX_SENTENCE_CHARS = 512;
/**
 * A note whose control/replacement characters exceed this fraction (and this count) is treated as
 * binary or mis-decoded (a PDF or Word file read as text), not as a note.
 */
const MAX_SUSPICIOUS_FRACTION = 0.02;
const MIN_SUSPICIOUS_COUNT = 4;

export interface Sentence {
  text: string;
  /** Offset of the first character in the note. */
  start: number;
  /** Offset one past the last character (exclusive). */
  end: number;
  /**
   * The section header this sentence sits under, lower-cased ("family history", "assessment"), or
   * null. Headers are boundaries, not sentences; callers use this to read e.g. everything under
   * "Family history:" as the family's, which sentence-level ConText cannot see.
   */
  section: string | null;
}

export type NormalisedNote = { text: string } | { error: HubError };

const noteError = (reason: string, message: string, details: Record<string, unknown> = {}) => ({
  error: new HubError(ErrorCode.BAD_USER_INPUT, message, { reason, ...details }),
});

/** Control characters other than tab, LF, FF and CR, plus U+FFFD (what a decoder leaves for invalid bytes). */
function countSuspicious(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f || c === 0xfffd) n++;
  }
  return n;
}

/**
 * Checks and normalises a raw note: CRLF/CR → LF, Unicode NFC (so "é" typed two ways compares
 * equal). Rejects non-strings, empty or whitespace-only notes, binary content, and notes over
 * MAX_NOTE_CHARS — rejected rather than chunked, so a caller never gets a silently partial reading.
 * Error messages give sizes and reasons, never note content.
 */
export function normaliseNote(raw: unknown): NormalisedNote {
  if (typeof raw !== 'string') return noteError('NOTE_NOT_TEXT', `Note must be a string, got ${raw === null ? 'null' : typeof raw}`);
  const text = raw.replace(/\r\n?/g, '\n');
  if (text.length > MAX_NOTE_CHARS) {
    return noteError(
      'NOTE_TOO_LONG',
      `Note is ${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_NOTE_CHARS.toLocaleString('en-US')} characters`,
      { chars: text.length, limit: MAX_NOTE_CHARS },
    );
  }
  if (text.includes('\u0000')) return noteError('NOTE_BINARY', 'Note contains NUL bytes; it looks like a binary file, not text');
  const suspicious = countSuspicious(text);
  if (suspicious >= MIN_SUSPICIOUS_COUNT && suspicious / text.length > MAX_SUSPICIOUS_FRACTION) {
    return noteError(
      'NOTE_BINARY',
      `Note has ${suspicious} control or replacement characters in ${text.length}; it looks binary or wrongly decoded`,
      { suspicious, chars: text.length },
    );
  }
  if (text.trim() === '') return noteError('NOTE_EMPTY', 'Note is empty');
  return { text: text.normalize('NFC') };
}

/**
 * Tokens ending in "." that never end a sentence: titles before a name and Latin/English connectives
 * ("Dr. Smith", "vs. placebo", "e.g. NSAIDs"). Lower-cased, without the final period.
 */
const NEVER_FINAL = new Set([
  'dr', 'drs', 'mr', 'mrs', 'ms', 'pt', 'pts', 'prof', 'st', 'sr', 'jr', 'vs', 'v', 'e.g', 'i.e', 'eg', 'ie',
  'cf', 'approx', 'incl', 'fig', 'no', 'nos', 'ca', 'viz', 'al', 'et', 'resp', 'dept', 'hosp',
]);
/**
 * Dosing and unit abbreviations that often end a sentence too ("Started clopidogrel 75 mg q.d. Follow
 * up in 2 weeks."): they end one only when the next word is capitalised.
 */
const FINAL_BEFORE_CAPITAL = new Set([
  'mg', 'mcg', 'g', 'kg', 'ml', 'l', 'mmol', 'meq', 'u', 'iu', 'cm', 'mm', 'hr', 'hrs', 'min', 'mins', 'wk', 'wks', 'yr', 'yrs',
  'q.d', 'qd', 'b.i.d', 'bid', 't.i.d', 'tid', 'q.i.d', 'qid', 'q.h.s', 'qhs', 'p.o', 'po', 'p.r.n', 'prn', 'q.o.d', 'qod',
  'a.m', 'p.m', 'i.v', 'iv', 's.c', 'sc', 'i.m', 'im', 'etc', 'u.s',
]);

/**
 * Section headers recognised in any case, at the start of a line or sentence, when followed by ":".
 * Common headings of H&P, progress, discharge and molecular-pathology notes. Upper-case multi-word
 * phrases without digits ("PAST SURGICAL HISTORY:") are headers too; single upper-case words are
 * not, since "EGFR: L858R" must keep its gene.
 */
const SECTION_HEADERS = new Set([
  'assessment', 'plan', 'assessment and plan', 'assessment/plan', 'a/p', 'impression', 'diagnosis', 'diagnoses',
  'history of present illness', 'hpi', 'chief complaint', 'cc', 'past medical history', 'pmh', 'past surgical history',
  'psh', 'medications', 'meds', 'current medications', 'discharge medications', 'allergies', 'family history', 'fh', 'fhx',
  'social history', 'sh', 'review of systems', 'ros', 'physical exam', 'physical examination', 'exam', 'labs',
  'laboratory', 'results', 'findings', 'recommendations', 'genomic findings', 'molecular findings', 'hospital course',
  'indication', 'interpretation', 'comment', 'comments', 'summary', 'problem list', 'subjective', 'objective',
]);

const BULLET = /^(?:[-*•·◦▪‣–—]|\d{1,3}[.)]|[a-z][)])(?=\s)/;
const HEADER = /^([A-Za-z][A-Za-z /&'-]{0,48}?)\s*:(?=\s|$)/;

interface Range { start: number; end: number }

function headerAt(text: string): { length: number; name: string } | null {
  const m = HEADER.exec(text);
  if (!m) return null;
  const label = m[1]!;
  const name = label.toLowerCase().replace(/\s+/g, ' ');
  const upperPhrase = /\s/.test(label.trim()) && label === label.toUpperCase();
  return SECTION_HEADERS.has(name) || upperPhrase ? { length: m[0].length, name } : null;
}

/** Whether the "." that ends `token` (the text from the last space up to and including it) ends a sentence. */
function periodEnds(token: string, next: string): boolean {
  const word = token.replace(/^[("'[]+/, '').slice(0, -1).toLowerCase();
  if (word === '') return false;
  if (NEVER_FINAL.has(word)) return false;
  // A single letter with a period is an initial ("J. Smith") or a list letter.
  if (/^[a-z]$/i.test(word)) return false;
  if (FINAL_BEFORE_CAPITAL.has(word)) return /^[A-Z]/.test(next);
  return true;
}

/** Cuts [start, end) into pieces of at most `max` characters, at whitespace where there is some. */
function capLength(text: string, range: Range, max: number): Range[] {
  const pieces: Range[] = [];
  let { start } = range;
  while (range.end - start > max) {
    let cut = start + max;
    while (cut > start && !/\s/.test(text[cut]!)) cut--;
    if (cut === start) cut = start + max; // one unbroken token longer than max: hard cut
    pieces.push({ start, end: cut });
    start = cut;
    while (start < range.end && /\s/.test(text[start]!)) start++;
  }
  if (start < range.end) pieces.push({ start, end: range.end });
  return pieces;
}

function trimRange(text: string, r: Range): Range {
  let { start, end } = r;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

/**
 * Splits a note into sentences with offsets into `note` (end exclusive). Boundaries: line breaks,
 * "." / "!" / "?" followed by whitespace (except after abbreviations, initials, decimals), bullets
 * and numbered-list markers (dropped from the sentence), and section headers (dropped, carried in
 * `section`). Sentences longer than `maxChars` are cut at the last word boundary before the limit.
 */
export function splitSentences(note: string, maxChars: number = MAX_SENTENCE_CHARS): Sentence[] {
  const sentences: Sentence[] = [];
  let section: string | null = null;
  const emit = (r: Range) => {
    const t = trimRange(note, r);
    if (t.end <= t.start) return;
    for (const piece of capLength(note, t, maxChars)) {
      const p = trimRange(note, piece);
      if (p.end > p.start) sentences.push({ text: note.slice(p.start, p.end), start: p.start, end: p.end, section });
    }
  };

  const lineBreaks = /\r\n|\r|\n/g;
  let lineStart = 0;
  for (;;) {
    const br = lineBreaks.exec(note);
    const lineEnd = br ? br.index : note.length;
    let pos = lineStart;
    let sentenceStart = -1;
    while (pos < lineEnd) {
      if (sentenceStart < 0) {
        // At a sentence start: skip spaces, list markers and section headers.
        while (pos < lineEnd && /\s/.test(note[pos]!)) pos++;
        if (pos >= lineEnd) break;
        const rest = note.slice(pos, lineEnd);
        const bullet = BULLET.exec(rest);
        if (bullet) { pos += bullet[0].length; continue; }
        const header = headerAt(rest);
        if (header) { section = header.name; pos += header.length; continue; }
        sentenceStart = pos;
      }
      const ch = note[pos]!;
      if ((ch === '.' || ch === '!' || ch === '?') && (pos + 1 >= lineEnd || /\s/.test(note[pos + 1]!))) {
        let after = pos + 1;
        while (after < lineEnd && /\s/.test(note[after]!)) after++;
        const next = note.slice(after, Math.min(after + 1, lineEnd));
        let ends = true;
        if (ch === '.') {
          let tokenStart = pos;
          while (tokenStart > sentenceStart && !/\s/.test(note[tokenStart - 1]!)) tokenStart--;
          ends = next === '' || periodEnds(note.slice(tokenStart, pos + 1), next);
        } else if (ch === '?' && (pos === sentenceStart || /\s/.test(note[pos - 1]!))) {
          ends = false; // a leading "?" is a hedge ("? pneumonia"), not a question mark
        }
        if (ends) {
          emit({ start: sentenceStart, end: pos + 1 });
          sentenceStart = -1;
        }
      }
      pos++;
    }
    if (sentenceStart >= 0) emit({ start: sentenceStart, end: lineEnd });
    if (!br) break;
    lineStart = br.index + br[0].length;
  }
  return sentences;
}
