/**
 * Reading GA4GH Phenopacket Schema v2 documents (https://phenopacket-schema.readthedocs.io/en/2.0.2/) as
 * evaluation cases for rare-disease ranking: the observed and excluded HPO terms, the diagnosed disease and
 * the causal genes.
 *
 * Input, as Phenopacket Store publishes it (monarch-initiative/phenopacket-store; Danis et al., HGG Advances
 * 6(1):100371, 2025): one phenopacket per `.json` file (a directory is walked in name order), or many in a
 * JSON Lines file (`.jsonl`, `.jsonl.gz`, `.jsonl.xz`; one packet per line, as the staged
 * `phenopacket-store.jsonl.xz`, whose lines carry `_source_path`). `.xz` is read through the system's
 * `xz -dc` (xz-utils), streaming, as the importers say (importers/input.ts: no maintained pure-JS decoder).
 *
 * A line or file that is not a usable phenopacket is not fatal: it is returned as a skip with its place
 * (`file:line`) and a code, so a run over ten thousand packets reports the few it could not read.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { CarriedZygosity, GeneGenotype, GenotypeSex } from '../../subgraphs/inference/domain/genotype-fit';

const HPO_ID = /^HP:\d{7}$/;
/** GENO allelic states (GA4GH phenopacket `allelicState`) as the hub's zygosity. */
const ZYGOSITY_OF_GENO: Record<string, CarriedZygosity> = { 'GENO:0000135': 'HETEROZYGOUS', 'GENO:0000136': 'HOMOZYGOUS_ALTERNATE', 'GENO:0000134': 'HEMIZYGOUS' };
/** Disease ids as in HPO's phenotype.hpoa database_id (OMIM:, ORPHA:, DECIPHER:, MONDO:). */
const DISEASE_ID = /^[A-Z][A-Za-z]*:\w+$/;

export interface PhenopacketCase {
  /** The phenopacket's `id`. */
  id: string;
  /** Gene/disease folder of Phenopacket Store (`notebooks/<cohort>/…` in `_source_path` or the file's path), else the first causal gene, else the diagnosis. */
  cohort: string;
  /** Where it was read: `file` or `file:line`, plus `_source_path` when the line carries one. */
  source: string;
  /** Observed HPO terms (not `excluded`), each once, in packet order. */
  observed: string[];
  /** Excluded HPO terms (`excluded: true`): negative findings. */
  excluded: string[];
  /** The diagnosed disease of the first interpretation (or of `diseases[]` when no interpretation names one). */
  diagnosis: { id: string; label: string | null };
  /** HGNC symbols of the causal genes (CAUSATIVE genomic interpretations), sorted, each once; may be empty. */
  genes: string[];
  /**
   * Per causal gene (same order as genes), the zygosity of each causal variant (`variationDescriptor.allelicState`,
   * GENO heterozygous/homozygous/hemizygous); empty for a gene given without a variant or a known zygosity.
   */
  genotypes: GeneGenotype[];
  /** `subject.sex`, for X-linked recessive diseases; null when not FEMALE or MALE. */
  sex: GenotypeSex;
  /** PMIDs of `metaData.externalReferences`. */
  pmids: string[];
}

export type PhenopacketSkipCode = 'INVALID_JSON' | 'NOT_A_PHENOPACKET' | 'NO_DIAGNOSIS' | 'NO_OBSERVED_PHENOTYPE' | 'INVALID_HPO_ID';

export interface PhenopacketSkip {
  source: string;
  code: PhenopacketSkipCode;
  reason: string;
}

/** Refused input as a whole (no such path, an unreadable compressed file, xz missing): names the path. */
export class PhenopacketInputError extends Error {
  override name = 'PhenopacketInputError';
  constructor(
    readonly code: 'NO_SUCH_INPUT' | 'UNREADABLE_INPUT' | 'XZ_UNAVAILABLE' | 'UNSUPPORTED_INPUT',
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * One phenopacket → a case, or the reason it cannot be one. `source` names where it came from for
 * messages. Observed terms come before the exclusions they may contradict in the packet: a term both
 * observed and excluded (a curation slip) is kept as observed and dropped from the exclusions.
 */
export function parsePhenopacket(packet: unknown, source: string): PhenopacketCase | PhenopacketSkip {
  const skip = (code: PhenopacketSkipCode, reason: string): PhenopacketSkip => ({ source, code, reason });
  if (!isObject(packet) || !str(packet.id) || !Array.isArray(packet.phenotypicFeatures) && !Array.isArray(packet.interpretations)) {
    return skip('NOT_A_PHENOPACKET', 'no id with phenotypicFeatures or interpretations');
  }
  const where = str(packet._source_path) ? `${source} (${packet._source_path as string})` : source;

  const observed = new Set<string>();
  const excluded = new Set<string>();
  for (const [i, feature] of asArray(packet.phenotypicFeatures).entries()) {
    const id = isObject(feature) && isObject(feature.type) ? str(feature.type.id) : null;
    if (!id || !HPO_ID.test(id)) return { ...skip('INVALID_HPO_ID', `phenotypicFeatures[${i}].type.id ${JSON.stringify(id)} is not an HPO id (HP: and 7 digits)`), source: where };
    if ((feature as Json).excluded === true) excluded.add(id);
    else observed.add(id);
  }
  for (const id of observed) excluded.delete(id);

  const interpretations = asArray(packet.interpretations).filter(isObject);
  let diagnosis: PhenopacketCase['diagnosis'] | null = null;
  for (const interpretation of interpretations) {
    const disease = isObject(interpretation.diagnosis) && isObject(interpretation.diagnosis.disease) ? interpretation.diagnosis.disease : null;
    const id = disease ? str(disease.id) : null;
    if (id && DISEASE_ID.test(id)) {
      diagnosis = { id, label: str(disease!.label) };
      break;
    }
  }
  if (!diagnosis) {
    for (const d of asArray(packet.diseases)) {
      const term = isObject(d) && isObject(d.term) ? d.term : null;
      const id = term ? str(term.id) : null;
      if (id && DISEASE_ID.test(id) && (d as Json).excluded !== true) {
        diagnosis = { id, label: str(term!.label) };
        break;
      }
    }
  }
  if (!diagnosis) return { ...skip('NO_DIAGNOSIS', 'no interpretations[].diagnosis.disease.id nor diseases[].term.id'), source: where };
  if (observed.size === 0) return { ...skip('NO_OBSERVED_PHENOTYPE', 'no observed (not excluded) phenotypicFeatures'), source: where };

  const genes = new Set<string>();
  const calls = new Map<string, CarriedZygosity[]>();
  for (const interpretation of interpretations) {
    const diag = isObject(interpretation.diagnosis) ? interpretation.diagnosis : {};
    for (const gi of asArray(diag.genomicInterpretations)) {
      if (!isObject(gi) || (gi.interpretationStatus !== undefined && gi.interpretationStatus !== 'CAUSATIVE')) continue;
      // v2: a variant (variationDescriptor.geneContext) or a gene (GeneDescriptor) may be the call.
      const descriptor = isObject(gi.variantInterpretation) && isObject(gi.variantInterpretation.variationDescriptor) ? gi.variantInterpretation.variationDescriptor : null;
      const symbol = descriptor && isObject(descriptor.geneContext) ? str(descriptor.geneContext.symbol) : isObject(gi.gene) ? str(gi.gene.symbol) : null;
      if (!symbol) continue;
      genes.add(symbol);
      const zygosity = descriptor && isObject(descriptor.allelicState) ? ZYGOSITY_OF_GENO[str(descriptor.allelicState.id) ?? ''] : undefined;
      if (zygosity) calls.set(symbol, [...(calls.get(symbol) ?? []), zygosity]);
    }
  }
  const meta = isObject(packet.metaData) ? packet.metaData : {};
  const pmids = asArray(meta.externalReferences)
    .map((r) => (isObject(r) ? str(r.id) : null))
    .filter((id): id is string => !!id && id.startsWith('PMID:'));

  return {
    id: packet.id as string,
    cohort: cohortOf(str(packet._source_path) ?? source) ?? [...genes].sort()[0] ?? diagnosis.id,
    source: where,
    observed: [...observed],
    excluded: [...excluded],
    diagnosis,
    genes: [...genes].sort(),
    genotypes: [...genes].sort().map((gene) => ({ gene, calls: calls.get(gene) ?? [] })),
    sex: isObject(packet.subject) && packet.subject.sex === 'FEMALE' ? 'female' : isObject(packet.subject) && packet.subject.sex === 'MALE' ? 'male' : null,
    pmids,
  };
}

export function isSkip(parsed: PhenopacketCase | PhenopacketSkip): parsed is PhenopacketSkip {
  return 'code' in parsed;
}

/** Phenopacket Store's layout, `notebooks/<cohort>/phenopackets/<file>.json` → cohort; otherwise null. */
function cohortOf(p: string): string | null {
  const match = /(?:^|[\\/])notebooks[\\/]([^\\/]+)[\\/]/.exec(p);
  return match ? match[1]! : null;
}

const JSONL = /\.jsonl(\.gz|\.xz)?$/i;

/**
 * Every phenopacket under `input` (a .json file, a .jsonl[.gz|.xz] file, or a directory of either), in
 * order: file name order within a directory, line order within a JSON Lines file.
 */
export async function* readPhenopackets(input: string): AsyncGenerator<PhenopacketCase | PhenopacketSkip> {
  if (!fs.existsSync(input)) throw new PhenopacketInputError('NO_SUCH_INPUT', `${input}: no such file or directory`);
  if (fs.statSync(input).isDirectory()) {
    for (const file of walk(input)) yield* readFile(file);
    return;
  }
  if (!JSONL.test(input) && !/\.json(\.gz)?$/i.test(input)) {
    throw new PhenopacketInputError('UNSUPPORTED_INPUT', `${input}: expected a .json phenopacket, a .jsonl[.gz|.xz] file or a directory of them`);
  }
  yield* readFile(input);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && (JSONL.test(entry.name) || /\.json(\.gz)?$/i.test(entry.name))) out.push(full);
  }
  return out;
}

async function* readFile(file: string): AsyncGenerator<PhenopacketCase | PhenopacketSkip> {
  const { text, done } = openText(file);
  try {
    if (JSONL.test(file)) {
      const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
      let n = 0;
      try {
        for await (const line of lines) {
          n++;
          if (line.trim() !== '') yield parseText(line, `${file}:${n}`);
        }
      } finally {
        lines.close();
      }
    } else {
      let whole = '';
      for await (const chunk of text) whole += chunk as string;
      yield parseText(whole, file);
    }
    await done;
  } catch (error) {
    if (error instanceof PhenopacketInputError) throw error;
    // A decoder failure surfaces on the stream first; the decoder's own verdict names it better.
    await done;
    throw new PhenopacketInputError('UNREADABLE_INPUT', `${file}: ${(error as Error).message}`);
  } finally {
    text.destroy();
  }
}

function parseText(text: string, source: string): PhenopacketCase | PhenopacketSkip {
  let packet: unknown;
  try {
    packet = JSON.parse(text);
  } catch (error) {
    return { source, code: 'INVALID_JSON', reason: (error as Error).message };
  }
  return parsePhenopacket(packet, source);
}

/** The file's text, gunzipped (.gz) or unpacked by `xz -dc` (.xz) as it streams; `done` rejects on a decoder failure. */
function openText(file: string): { text: Readable; done: Promise<void> } {
  if (/\.xz$/i.test(file)) {
    const child = spawn('xz', ['-dc', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new PhenopacketInputError('XZ_UNAVAILABLE', `${file}: reading .xz needs the xz command (xz-utils); install it or unpack first (xz -dk ${file})`)
            : error,
        ),
      );
      child.on('close', (code, signal) => {
        if (code === 0 || signal === 'SIGTERM' || signal === 'SIGPIPE') resolve();
        else reject(new PhenopacketInputError('UNREADABLE_INPUT', `${file}: not a readable xz file (${stderr.trim() || `xz exit ${code}`})`));
      });
    });
    done.catch(() => undefined);
    child.stdout.setEncoding('utf8');
    const text = child.stdout;
    const destroy = text.destroy.bind(text);
    text.destroy = (error?: Error) => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return destroy(error);
    };
    return { text, done };
  }
  const raw = fs.createReadStream(file);
  if (!/\.gz$/i.test(file)) {
    raw.setEncoding('utf8');
    return { text: raw, done: Promise.resolve() };
  }
  const gunzip = zlib.createGunzip();
  const done = new Promise<void>((resolve, reject) => {
    gunzip.on('error', (error) => reject(new PhenopacketInputError('UNREADABLE_INPUT', `${file}: not a readable gzip file (${error.message})`)));
    gunzip.on('end', resolve);
  });
  done.catch(() => undefined);
  raw.on('error', (error) => gunzip.destroy(error));
  const text = raw.pipe(gunzip);
  text.setEncoding('utf8');
  return { text, done };
}
