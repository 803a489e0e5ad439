import fs from 'node:fs';
import path from 'node:path';

/**
 * The bad-input corpus's case format (tests/bad-input/README.md): every `*.json` file in this folder
 * holds `{ "description": ..., "cases": [...] }`. Inputs are plain JSON with a few generators, so a
 * megabyte-long string or a spoiled fixture bundle is one line of a case, not a megabyte of file.
 */

export const ENTRY_POINTS = [
  'createPatient',
  'addObservation',
  'addObservations',
  'ingestFhirBundle',
  'recordResearchConsent',
  'addVariantCalls',
  'ingestVcf',
  'graphql',
  'http',
] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** Entry points whose reports code every reject (IngestReject.code): a case refused there names its code. */
const CODED_REJECTS = new Set<EntryPoint>(['ingestFhirBundle', 'addObservations', 'ingestVcf']);

/** Who sends the case: a clinician of the corpus's organisation unless it says otherwise. */
export const CALLERS = ['clinician', 'other-clinician', 'admin', 'researcher', 'anonymous'] as const;
export type Caller = (typeof CALLERS)[number];

export interface Expectation {
  /** `extensions.code` of the first GraphQL error (or of the refusal body for `http` cases). */
  code?: string;
  /** HTTP status of the response, where it matters (refusals before execution). */
  status?: number;
  /** Text the error message must contain (the field, the line, the reason). */
  message?: string;
  /** `extensions.field` of the error. */
  field?: string;
  /**
   * The mutation answered with its report and refused the input there (ingestFhirBundle's
   * IngestReport, ingestVcf's VcfIngestReport: the public contract lands a bundle or file whole or
   * not at all and says why in `rejected`). Each key given must match the first reject: `resource`,
   * `field` and `code` exactly, `reason` as a substring; `line` the VCF line. `code` (IngestReject.code,
   * subgraphs/patient/ingest/fhir-records.ts IngestRejectCode; VcfReject.code, subgraphs/genomics/ingest/
   * vcf-records.ts VcfRejectCode) is required for every entry point with a report.
   */
  rejected?: { resource?: string; field?: string; reason?: string; line?: number; code?: string };
}

export interface BadInputCase {
  /** Unique across every file of the folder, kebab-case, prefixed by the file's topic. */
  id: string;
  /** One line: what is wrong with the input. */
  description: string;
  entryPoint: EntryPoint;
  /** Entry-point specific (see README); generators and placeholders expanded by `expand`. */
  input: Record<string, unknown>;
  /** Raw JSON text of the variables object, sent as written (e.g. `1e309`, which JSON.stringify cannot write). */
  rawVariables?: string;
  as?: Caller;
  expect: Expectation;
  /** Why this case is here, when the description is not enough (a real-world source, an issue). */
  note?: string;
  /**
   * The hub does not meet `expect` yet: what goes wrong and where the fix belongs. The runner expects
   * such a case to fail (jest's `it.failing`), so the day it is fixed the run says so: delete this key.
   */
  knownGap?: string;
}

export interface CaseFile {
  file: string;
  description: string;
  cases: BadInputCase[];
}

const FOLDER = __dirname;
const FIXTURES = path.join(FOLDER, 'fixtures');

/** Every case file in the folder, sorted by name; a malformed case fails here, naming it. */
export function loadCaseFiles(folder = FOLDER): CaseFile[] {
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  const ids = new Set<string>();
  return files.map((file) => {
    const parsed = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as { description?: unknown; cases?: unknown };
    if (typeof parsed.description !== 'string' || !Array.isArray(parsed.cases)) throw new Error(`${file}: expected { "description": string, "cases": [...] }`);
    for (const [index, c] of (parsed.cases as BadInputCase[]).entries()) {
      const where = `${file} cases[${index}]${c?.id ? ` (${c.id})` : ''}`;
      if (typeof c.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id)) throw new Error(`${where}: id must be kebab-case`);
      if (ids.has(c.id)) throw new Error(`${where}: id appears twice in the corpus`);
      ids.add(c.id);
      if (typeof c.description !== 'string' || !c.description) throw new Error(`${where}: description is missing`);
      if (!ENTRY_POINTS.includes(c.entryPoint)) throw new Error(`${where}: entryPoint must be one of ${ENTRY_POINTS.join(', ')}`);
      if (!c.input || typeof c.input !== 'object') throw new Error(`${where}: input must be an object`);
      if (c.as !== undefined && !CALLERS.includes(c.as)) throw new Error(`${where}: as must be one of ${CALLERS.join(', ')}`);
      const e = c.expect;
      if (!e || (e.code === undefined && e.rejected === undefined && e.status === undefined)) throw new Error(`${where}: expect needs code, rejected or status`);
      if (e.rejected && CODED_REJECTS.has(c.entryPoint) && typeof e.rejected.code !== 'string') throw new Error(`${where}: expect.rejected needs the reject's code`);
    }
    return { file, description: parsed.description, cases: parsed.cases as BadInputCase[] };
  });
}

/** Replaces `${NAME}` in every string by `values[NAME]`; an unknown name fails (a typo would test nothing). */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder \${${name}} (known: ${Object.keys(values).join(', ')})`);
    return value;
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** JSON Pointer (RFC 6901); `-` appends to an array. */
  path: string;
  value?: Json;
}

/** RFC 6902's add, replace and remove on a copy: enough to spoil one element of a fixture. */
export function applyPatch(document: Json, operations: PatchOperation[]): Json {
  const root = structuredClone(document);
  for (const { op, path: pointer, value } of operations) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`patch path "${pointer}" names the whole document`);
    let parent: Json = root;
    for (const key of keys) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(key)] : (parent as Record<string, Json> | null)?.[key];
      if (next === undefined || next === null || typeof next !== 'object') throw new Error(`patch path "${pointer}": "${key}" does not exist in the fixture`);
      parent = next;
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(index, 0, value as Json);
      else if (index >= parent.length) throw new Error(`patch path "${pointer}" does not exist in the fixture`);
      else if (op === 'replace') parent[index] = value as Json;
      else parent.splice(index, 1);
    } else {
      const object = parent as Record<string, Json>;
      if (op !== 'add' && !(last in object)) throw new Error(`patch path "${pointer}" does not exist in the fixture`);
      if (op === 'remove') delete object[last];
      else object[last] = value as Json;
    }
  }
  return root;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Expands generators and placeholders (README "Generators"):
 * `{"$repeat": s, "times": n}`, `{"$array": x, "times": n}`, `{"$nest": x, "key": k, "depth": n}`, `{"$concat": [..]}`, `{"$base64": x}`, `{"$json": x}` (x as JSON text),
 * `{"$fixture": "name.json", "patch": [...]}`, `{"$fixture": "name.vcf", "append": [...], "replace": [...]}`.
 */
export function expand(value: unknown, placeholders: Record<string, string>): unknown {
  if (typeof value === 'string') return fillPlaceholders(value, placeholders);
  if (Array.isArray(value)) return value.map((item) => expand(item, placeholders));
  if (!isObject(value)) return value;
  if ('$repeat' in value) return String(expand(value.$repeat, placeholders)).repeat(Number(value.times));
  if ('$array' in value) return Array.from({ length: Number(value.times) }, () => expand(value.$array, placeholders));
  if ('$nest' in value) {
    // {"$nest": x, "key": "extension", "depth": n}: x holding [x holding [...]] n levels deep.
    let nested = expand(value.$nest, placeholders) as Record<string, unknown>;
    const base = nested;
    for (let level = 1; level < Number(value.depth); level++) nested = { ...base, [String(value.key)]: [nested] };
    return nested;
  }
  if ('$concat' in value) return (value.$concat as unknown[]).map((part) => String(expand(part, placeholders))).join('');
  if ('$base64' in value) return Buffer.from(String(expand(value.$base64, placeholders)), 'utf8').toString('base64');
  if ('$json' in value) return JSON.stringify(expand(value.$json, placeholders));
  if ('$fixture' in value) return fixture(String(value.$fixture), value, placeholders);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expand(item, placeholders)]));
}

function fixture(name: string, spec: Record<string, unknown>, placeholders: Record<string, string>): unknown {
  const raw = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  if (name.endsWith('.json')) {
    const document = expand(JSON.parse(raw), placeholders) as Json;
    return applyPatch(document, (expand(spec.patch ?? [], placeholders) as PatchOperation[]));
  }
  // Text fixtures (VCF): exact replacements, then lines appended (tab-joined when given as arrays).
  let text = fillPlaceholders(raw, placeholders);
  for (const { from, to } of (expand(spec.replace ?? [], placeholders) as { from: string; to: string }[])) {
    if (!text.includes(from)) throw new Error(`fixture ${name}: "${from}" does not occur in it`);
    text = text.replace(from, to);
  }
  const lines = (expand(spec.append ?? [], placeholders) as (string | string[])[]).map((line) => (Array.isArray(line) ? line.join('\t') : line));
  return lines.length ? `${text}${text.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n` : text;
}
