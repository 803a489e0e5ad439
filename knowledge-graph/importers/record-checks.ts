/**
 * The checks every knowledge-base record passes before it is written (issue 16: one validation layer at
 * every entry, importers included). Pure functions: each answers null, or a Skip with a code and a
 * reason naming the field, which the importer reports (ImportReport.skip, with the line or file) and
 * goes on with the next record. Input that cannot be read as its format at all (a missing column, an
 * empty file, an is_a cycle) is not a record problem: it refuses the import before anything is written
 * (ImportInputError).
 *
 * No importer reads genomic coordinates today (CIViC's evidence summaries name variants by gene and
 * protein change; trials by text mentions), so the contig-length check of VCF ingestion
 * (subgraphs/genomics/domain/variant.ts GRCH38_LENGTHS) has nothing to check here yet.
 */

/** Why a record was not imported; the code in ImportRun.counts and the CLI's summary. */
export const ImportRejectCode = {
  /** The file or record is not JSON (trials, CPIC). */
  INVALID_JSON: 'INVALID_JSON',
  /** A field the graph needs is absent or empty. */
  MISSING_FIELD: 'MISSING_FIELD',
  /** Not an HGNC gene symbol (Bruford EA et al., Guidelines for human gene nomenclature, Nat Genet 2020;52:754-8). */
  INVALID_GENE_SYMBOL: 'INVALID_GENE_SYMBOL',
  /** Not an HPO term id, HP: and seven digits (hpo.jax.org, "HPO identifiers"). */
  INVALID_HPO_ID: 'INVALID_HPO_ID',
  /** Not a ClinicalTrials.gov identifier, NCT and eight digits (clinicaltrials.gov, "NCT Number"). */
  INVALID_NCT_ID: 'INVALID_NCT_ID',
  /** Another identifier out of shape: a CIViC evidence id, a DOID, an RxNorm CUI, a CPIC recommendation id, a disease id. */
  INVALID_IDENTIFIER: 'INVALID_IDENTIFIER',
  /** A number that is not finite (CIViC's rating "NaN", "Infinity"). */
  NON_FINITE_NUMBER: 'NON_FINITE_NUMBER',
  /** Text longer than its limit (MAX_FIELD_TEXT, MAX_LONG_TEXT). */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** A NUL byte or another control character in text (tab, line feed and carriage return allowed in long text). */
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  /** Well formed, but outside what the hub imports (evidence not accepted, a complex molecular profile, an aspect other than P, NOT-qualified, obsolete). */
  NOT_IMPORTED: 'NOT_IMPORTED',
  /** Refers to a term or disease the graph does not hold. */
  NOT_IN_GRAPH: 'NOT_IN_GRAPH',
} as const;
export type ImportRejectCode = (typeof ImportRejectCode)[keyof typeof ImportRejectCode];

export interface Skip {
  skip: string;
  code: ImportRejectCode;
}

export const skipRecord = (code: ImportRejectCode, reason: string): Skip => ({ skip: reason, code });

/**
 * Names, titles, labels, ids: longer than any real one (ClinicalTrials.gov caps an official title at
 * 600 characters, HPO term names stay under 200), short enough for every screen that shows them.
 */
export const MAX_FIELD_TEXT = 2_000;
/**
 * Statements, eligibility criteria, recommendations, comments: ClinicalTrials.gov caps eligibility
 * criteria at 20,000 characters (PRS data element definitions); five times that is no real record.
 */
export const MAX_LONG_TEXT = 100_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_LONG_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * HGNC symbols: upper-case Latin letters and Arabic numerals, starting with a letter, hyphens only
 * between parts (HLA-A, NKX2-1, MT-ND1); the open-reading-frame symbols are the one lower-case form
 * (C1orf112, CXorf38) (Bruford et al. 2020, above: Latin letters and Arabic numerals, no punctuation
 * other than the hyphen). HGNC's longest approved symbols are under 25 characters.
 */
const HGNC_SYMBOL = /^(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*|C(?:[1-9]|1[0-9]|2[0-2]|X|Y)orf[0-9]+)$/;
const MAX_SYMBOL = 30;
const HPO_ID = /^HP:\d{7}$/;
const NCT_ID = /^NCT\d{8}$/;

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);

export function geneSymbolProblem(field: string, symbol: string): Skip | null {
  if (!symbol) return skipRecord(ImportRejectCode.MISSING_FIELD, `${field} is empty`);
  if (symbol.length > MAX_SYMBOL || !HGNC_SYMBOL.test(symbol)) return skipRecord(ImportRejectCode.INVALID_GENE_SYMBOL, `${field} ${shown(symbol)} is not an HGNC gene symbol`);
  return null;
}

export function hpoIdProblem(field: string, id: string): Skip | null {
  if (!id) return skipRecord(ImportRejectCode.MISSING_FIELD, `${field} is empty`);
  return HPO_ID.test(id) ? null : skipRecord(ImportRejectCode.INVALID_HPO_ID, `${field} ${shown(id)} is not an HPO id (HP: and 7 digits)`);
}

export function nctIdProblem(field: string, id: string): Skip | null {
  if (!id) return skipRecord(ImportRejectCode.MISSING_FIELD, `${field} is empty`);
  return NCT_ID.test(id) ? null : skipRecord(ImportRejectCode.INVALID_NCT_ID, `${field} ${shown(id)} is not NCT followed by 8 digits`);
}

/** `text` as written in a file: a number only when it reads as a finite one. */
export function finiteNumberProblem(field: string, text: string): Skip | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? null : skipRecord(ImportRejectCode.NON_FINITE_NUMBER, `${field} ${shown(text)} is not a finite number`);
}

export type TextFields = Record<string, string | null | undefined | readonly string[]>;

/**
 * The first text problem in `fields` (name → value or list of values): control characters, and length
 * over MAX_FIELD_TEXT, or MAX_LONG_TEXT for the fields named in `long` (which may hold line breaks and tabs).
 */
export function textProblem(fields: TextFields, long: readonly string[] = []): Skip | null {
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    const isLong = long.includes(name);
    const values = typeof value === 'string' ? [value] : value;
    for (const [index, text] of values.entries()) {
      const where = typeof value === 'string' ? name : `${name}[${index}]`;
      const max = isLong ? MAX_LONG_TEXT : MAX_FIELD_TEXT;
      if (text.length > max) return skipRecord(ImportRejectCode.TEXT_TOO_LONG, `${where}: ${text.length} characters, more than ${max}`);
      if ((isLong ? CONTROL_IN_LONG_TEXT : CONTROL).test(text)) return skipRecord(ImportRejectCode.CONTROL_CHARACTER, `${where} contains a control character`);
    }
  }
  return null;
}

/** The first problem of several checks, in the order given. */
export const firstProblem = (...problems: (Skip | null)[]): Skip | null => problems.find((p) => p !== null) ?? null;
