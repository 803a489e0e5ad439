/**
 * Text a person typed into a record (names, identifiers): bounded, and free of control characters.
 * A NUL byte cannot be stored in PostgreSQL text at all (it failed as an internal error), and a
 * megabyte-long name is an attack on every screen and log that shows it, not a name.
 */
/** Longer than any real display name (HL7 v2 XPN components together stay well under it). */
export const MAX_NAME_LENGTH = 200;
/** Identifier systems are URIs and values MRNs, SSNs or UUIDs: 256 leaves room for long OIDs. */
export const MAX_IDENTIFIER_LENGTH = 256;
/** Where a consent decision came from (`portal`, `paper form 2026-03`): a label, like an identifier system. */
export const MAX_CONSENT_SOURCE_LENGTH = 256;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** What is wrong with a text, for the ingest reject codes (ingest/fhir-records.ts IngestRejectCode). */
export type TextProblemKind = 'MISSING_ELEMENT' | 'TEXT_TOO_LONG' | 'CONTROL_CHARACTER';

export interface TextProblem {
  kind: TextProblemKind;
  problem: string;
}

/** What is wrong with `value` (already trimmed) as text of at most `max` characters, or null. */
export function textCheck(value: string, max: number): TextProblem | null {
  if (!value) return { kind: 'MISSING_ELEMENT', problem: 'must not be empty' };
  if (value.length > max) return { kind: 'TEXT_TOO_LONG', problem: `${value.length} characters, more than ${max}` };
  if (CONTROL_CHARACTERS.test(value)) return { kind: 'CONTROL_CHARACTER', problem: 'contains a control character' };
  return null;
}

/** Why `value` (already trimmed) is not acceptable text of at most `max` characters, or null. */
export function textProblem(value: string, max: number): string | null {
  return textCheck(value, max)?.problem ?? null;
}

/** The first place in a parsed JSON value where a string holds a NUL byte (`code.coding[0].display`), or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Longest clinical note stored (UTF-16 code units, all of a note's attachments together): the notes
 * NLP (subgraphs/inference/nlp/text.ts, MAX_NOTE_CHARS) reads at most 200,000 (~40 pages) and refuses a
 * longer note whole, so a longer one stored here would never be read for findings. Real notes are far
 * shorter: a discharge summary runs to a few thousand words. A megabyte "note" is a dump or an attack.
 */
export const MAX_NOTE_LENGTH = 200_000;
/** A note's title (DocumentReference.description, a report's code text) is a line, not a document. */
export const MAX_NOTE_TITLE_LENGTH = 1_000;
/**
 * An Observation's text value (valueString) is a result written out ("CABG Grafts: 3", "less than 1.8"
 * in real Synthea 3.3.0 output), not a report: a report belongs in DiagnosticReport.presentedForm or a
 * DocumentReference, stored as a note (MAX_NOTE_LENGTH). Checked as note text (it may hold line breaks).
 */
export const MAX_OBSERVATION_TEXT_LENGTH = 10_000;
// Notes are multi-line: tab, line feed and carriage return are text; every other C0 control and DEL
// is binary content or a terminal escape sequence (ESC [2J clears the screen it is shown on).
// eslint-disable-next-line no-control-regex
const NOTE_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** What is wrong with `text` as note text of at most `max` characters, or null. */
export function noteTextCheck(text: string, max: number = MAX_NOTE_LENGTH): TextProblem | null {
  if (text.length > max) return { kind: 'TEXT_TOO_LONG', problem: `${text.length} characters, more than ${max}` };
  if (NOTE_CONTROL_CHARACTERS.test(text)) {
    return { kind: 'CONTROL_CHARACTER', problem: 'contains a control character (only tab, line feed and carriage return belong in note text)' };
  }
  return null;
}

/** Why `text` is not acceptable note text of at most `max` characters, or null. */
export function noteTextProblem(text: string, max: number = MAX_NOTE_LENGTH): string | null {
  return noteTextCheck(text, max)?.problem ?? null;
}
