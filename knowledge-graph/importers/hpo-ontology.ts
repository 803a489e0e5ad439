/**
 * The HPO ontology as terms with their is_a parents, from either format HPO publishes: `hp.obo` (OBO
 * 1.2, streamed line by line) or `hp.json` (OBO Graphs JSON, obographs.ts), plain or gzipped; and the
 * is_a cycle check run on them before anything is written.
 */
import fs from 'node:fs';
import { lineReader, readWholeText, uncompressedName } from './input';
import { readObographs } from './obographs';
export interface OboTerm {
  id: string;
  name: string | null;
  synonyms: string[];
  parents: string[];
  obsolete: boolean;
  /** An obsolete term's successors as the release names them (OBO `replaced_by`, OBO Graphs IAO_0100001), in file order. */
  replacedBy: string[];
  line: number;
}

/** `synonym: "Short stature" EXACT [HPO:x]` → "Short stature" (OBO escapes \" and \\). */
function quoted(value: string): string | null {
  const m = /^"((?:[^"\\]|\\.)*)"/.exec(value);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : null;
}

/** Streams the [Term] stanzas of an OBO file; `onHeader` gets the header tags (data-version, ...). */
export async function* oboTerms(
  file: string,
  onHeader?: (tag: string, value: string) => void,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<OboTerm> {
  const input = lineReader(file);
  const lines = input.lines;
  let stanza: string | null = null;
  let term: OboTerm | null = null;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo += 1;
      const line = raw.trim();
      if (line === '' || line.startsWith('!')) continue;
      const header = /^\[(\w+)\]$/.exec(line);
      if (header) {
        onBytes?.(input.bytesRead());
        if (term) yield term;
        stanza = header[1]!;
        term = stanza === 'Term' ? { id: '', name: null, synonyms: [], parents: [], obsolete: false, replacedBy: [], line: lineNo } : null;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const tag = line.slice(0, colon).trim();
      // Trailing modifiers {...} and "! comment" are not part of the value (except in quoted text).
      const value = line.slice(colon + 1).trim();
      if (stanza === null) {
        onHeader?.(tag, value);
        continue;
      }
      if (!term) continue;
      const bare = value.replace(/\s*\{[^}]*\}\s*$/, '').replace(/\s+!.*$/, '').trim();
      switch (tag) {
        case 'id':
          term.id = bare;
          break;
        case 'name':
          term.name = value;
          break;
        case 'synonym': {
          const text = quoted(value);
          if (text) term.synonyms.push(text);
          break;
        }
        case 'is_a':
          term.parents.push(bare.split(/\s+/)[0]!);
          break;
        case 'is_obsolete':
          term.obsolete = bare === 'true';
          break;
        case 'replaced_by':
          term.replacedBy.push(bare.split(/\s+/)[0]!);
          break;
      }
    }
    if (term) yield term;
  } finally {
    input.close();
  }
}

/** True for an OBO Graphs JSON ontology (`hp.json`, `hp.json.gz`); anything else is read as OBO. */
export function isObographs(file: string): boolean {
  return uncompressedName(file).toLowerCase().endsWith('.json');
}

/**
 * The terms of either ontology format, with its release: OBO streamed line by line (header tag
 * `data-version`), OBO Graphs JSON read whole (obographs.ts). `onBytes` gets bytes of the file read.
 */
export async function* ontologyTerms(
  file: string,
  onVersion?: (version: string) => void,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<OboTerm> {
  if (!isObographs(file)) {
    yield* oboTerms(
      file,
      (tag, value) => {
        if (tag === 'data-version') onVersion?.(value.replace(/^.*releases\//, ''));
      },
      onBytes,
    );
    return;
  }
  const ontology = readObographs(await readWholeText(file), file);
  if (ontology.version) onVersion?.(ontology.version);
  const size = fs.statSync(file).size;
  for (const [i, term] of ontology.terms.entries()) {
    if (i % 1000 === 0) onBytes?.(Math.floor((size * i) / ontology.terms.length));
    yield term;
  }
}

/** An is_a cycle as its ids (first repeated at the end), or null. Iterative DFS, three colours. */
export function findIsACycle(parents: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the current path, 2 done
  for (const start of parents.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const ps = parents.get(top.id) ?? [];
      if (top.next >= ps.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const p = ps[top.next++]!;
      const s = state.get(p);
      if (s === 1) {
        const path = stack.map((f) => f.id);
        return [...path.slice(path.indexOf(p)), p];
      }
      if (s === undefined) {
        state.set(p, 1);
        stack.push({ id: p, next: 0 });
      }
    }
  }
  return null;
}

