/**
 * The header rows of HPO's annotation files, read and checked before an import writes anything (hpo.ts): a missing
 * column refuses the whole file (ImportInputError naming the columns), since every row would be misread.
 * - `phenotype.hpoa`: the comment block (`#date` / `#version` give the release when the ontology names none) and
 *   the column names, on the first plain line or, in releases up to 2023, on the last comment line.
 * - `genes_to_disease.txt` (current format): the column names on its first non-empty line.
 */
import { ImportInputError, splitTsv } from './common';
import { lineReader } from './input';

export const HPOA_REQUIRED_COLUMNS = ['database_id', 'disease_name', 'qualifier', 'hpo_id', 'reference', 'evidence', 'frequency', 'aspect'] as const;
export const GENES_TO_DISEASE_REQUIRED_COLUMNS = ['gene_symbol', 'association_type', 'disease_id', 'source'] as const;

export interface HpoaHeader {
  index: Map<string, number>;
  version: string | null;
  /** Column names on the last comment line (releases up to 2023): then the first plain line is data. */
  inComment: boolean;
}

/** Reads the HPOA comment block and header row only. */
export async function readHpoaHeader(file: string): Promise<HpoaHeader> {
  const input = lineReader(file);
  const lines = input.lines;
  let version: string | null = null;
  try {
    for await (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (line.startsWith('#')) {
        const meta = /^#(date|version):\s*(.+)$/.exec(line);
        if (meta && !version) version = meta[2]!.trim();
        // Older releases put the column names on the last comment line ("#DatabaseID\tDiseaseName...").
        if (line.includes('\t')) return { index: hpoaIndex(splitTsv(line.slice(1))), version, inComment: true };
        continue;
      }
      if (line.trim() === '') continue;
      return { index: hpoaIndex(splitTsv(line)), version, inComment: false };
    }
  } finally {
    input.close();
  }
  throw new ImportInputError(`HPO annotation file ${file} has no header row; nothing was imported`);
}

function hpoaIndex(header: string[]): Map<string, number> {
  const legacy: Record<string, string> = { databaseid: 'database_id', diseasename: 'disease_name', hpo_id: 'hpo_id' };
  const names = header.map((h) => {
    const key = h.trim().toLowerCase();
    return legacy[key] ?? key;
  });
  const missing = HPOA_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) {
    throw new ImportInputError(
      `HPO annotation file: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; nothing was imported`,
    );
  }
  return new Map(names.map((n, i) => [n, i]));
}

/** Column positions of genes_to_disease.txt, from its first non-empty line (a leading "#" ignored). */
export async function readGenesToDiseaseHeader(file: string): Promise<Map<string, number>> {
  const input = lineReader(file);
  const lines = input.lines;
  try {
    for await (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') continue;
      const names = splitTsv(line.replace(/^#/, '')).map((h) => h.trim().toLowerCase());
      const missing = GENES_TO_DISEASE_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length) {
        throw new ImportInputError(
          `HPO genes_to_disease file ${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; nothing was imported`,
        );
      }
      return new Map(names.map((n, i) => [n, i]));
    }
  } finally {
    input.close();
  }
  throw new ImportInputError(`HPO genes_to_disease file ${file} has no header row; nothing was imported`);
}
