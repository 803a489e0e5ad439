import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { from as copyFrom } from 'pg-copy-streams';
import type { Pool, PoolClient } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { parseHeader, recordCalls, VcfError, type ReferenceCall, type VcfCall, type VcfHeader } from './vcf-records';
import { coversPgxPosition } from '../domain/pharmacogenomics';
import { announceVariantsChanged } from '../repository/outbox';

export interface VcfIngestOptions {
  /** Which sample's genotypes to load; required when the file has more than one. */
  sample?: string | null;
  /** Take the file as GRCh38 when its header names no build. */
  assumeBuild?: 'GRCh38' | null;
  onProgress?: (records: number) => void;
}

export interface VcfReject {
  line: number;
  reason: string;
}

export interface VcfIngestReport {
  /** Data lines read. */
  records: number;
  /** Calls stored (one per ALT allele of each record). */
  variants: number;
  /** Symbolic or reference-only alleles not stored. */
  skipped: number;
  /** Non-empty: the file was refused and nothing from it was stored. */
  rejected: VcfReject[];
  sample: string | null;
  build: string | null;
}

/** Stop reading a broken file after this many problems; they are usually all the same one. */
export const MAX_REJECTS = 50;

// Calls stream into a temporary table with COPY, then land in the real tables in two statements.
const CREATE_STAGE = `
  CREATE TEMP TABLE vcf_stage (
    line integer, variant_id text, chrom text, pos integer, ref text, alt text, genotype text, phased boolean,
    zygosity text, depth integer, genotype_quality integer, allele_fraction real, filter text, quality real, gene text
  ) ON COMMIT DROP`;
const COPY_STAGE = `COPY vcf_stage FROM STDIN`;
// First VCF for a patient: nothing to merge with, so rows go straight into the calls table (one pass).
const COPY_CALLS = `COPY genomics.variant_calls
  (variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, patient_id, source) FROM STDIN`;
// One VCF load per patient at a time: the direct path must not race another load for the same patient.
const LOCK_PATIENT = `SELECT pg_advisory_xact_lock(hashtextextended('vcf:' || $1, 0))`;
const PATIENT_HAS_CALLS = `SELECT 1 FROM genomics.variant_calls WHERE patient_id = $1 LIMIT 1`;
const UPSERT_CALLS = `
  INSERT INTO genomics.variant_calls
    (patient_id, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, source)
  SELECT $1::uuid, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, $2
  FROM vcf_stage
  ON CONFLICT (patient_id, variant_id) DO UPDATE SET
    genotype = EXCLUDED.genotype, phased = EXCLUDED.phased, zygosity = EXCLUDED.zygosity, depth = EXCLUDED.depth,
    genotype_quality = EXCLUDED.genotype_quality, allele_fraction = EXCLUDED.allele_fraction, filter = EXCLUDED.filter,
    quality = EXCLUDED.quality, gene = EXCLUDED.gene, source = EXCLUDED.source, updated_at = now()`;

// ALT=. hom-ref records at pharmacogenomic positions (at most a few hundred per file): one statement.
const UPSERT_REFERENCE_CALLS = `
  INSERT INTO genomics.reference_calls (patient_id, chrom, pos, ref, genotype, source)
  SELECT $1::uuid, chrom, pos, ref, genotype, $2 FROM unnest($3::text[], $4::int[], $5::text[], $6::text[]) AS r(chrom, pos, ref, genotype)
  ON CONFLICT (patient_id, chrom, pos) DO UPDATE SET ref = EXCLUDED.ref, genotype = EXCLUDED.genotype, source = EXCLUDED.source, updated_at = now()`;

const GZIP_MAGIC = [0x1f, 0x8b];

/** COPY text format: tab-separated, `\N` for null, backslash escaped. */
const copyField = (v: string | number | boolean | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\'));
const callFields = (c: VcfCall) => [c.genotype, c.phased, c.zygosity, c.depth, c.genotypeQuality, c.alleleFraction, c.filter, c.quality, c.gene];

/** A row for the stage table (merge path). */
function stageLine(line: number, c: VcfCall): string {
  return [line, c.variantId, c.chrom, c.pos, c.ref, c.alt, ...callFields(c)].map(copyField).join('\t') + '\n';
}

/** A row for the calls table itself (direct path); patient id and source are the same for the whole file. */
function callLine(c: VcfCall, patientAndSource: string): string {
  return [c.variantId, ...callFields(c)].map(copyField).join('\t') + patientAndSource;
}

/**
 * COPY text goes to the socket in pieces of about this many bytes, not a line at a time: each piece
 * is one socket write (a system call), and ~80,000 writes per chunk made the writes, not parsing or
 * PostgreSQL, the bottleneck on machines where system calls are dear (a Firecracker VM here: 45-50k
 * records/s with one write per line; see docs/benchmarks.md).
 */
const COPY_PIECE_BYTES = 256 * 1024;

/** Joins COPY lines into pieces of ~COPY_PIECE_BYTES. */
function* copyPieces(lines: string[]): Generator<string> {
  let start = 0;
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    bytes += line.length;
    if (bytes >= COPY_PIECE_BYTES) {
      yield lines.slice(start, i + 1).join('');
      start = i + 1;
      bytes = 0;
    }
  }
  if (start < lines.length) yield lines.slice(start).join('');
}

/** Calls move to the database in chunks of about this many bytes of COPY text (~80,000 calls). */
const CHUNK_BYTES = 8 * 1024 * 1024;
const TRUNCATE_STAGE = `TRUNCATE vcf_stage`;

/**
 * The load pipeline: while the database copies and merges one chunk (COPY into the stage table,
 * then the two set-based statements), the parser fills the next, so parsing and the database's
 * work overlap on separate cores. At most two chunks are in memory, whatever the file's size.
 */
class ChunkedStage {
  private chunk: string[] = [];
  private bytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly suffix: string;

  /** `direct`: the patient has no calls yet, so COPY goes straight into the calls table. */
  constructor(
    private readonly client: PoolClient,
    private readonly patientId: string,
    private readonly source: string,
    private readonly direct: boolean,
  ) {
    this.suffix = `\t${copyField(patientId)}\t${copyField(source)}\n`;
  }

  async add(line: number, call: VcfCall): Promise<void> {
    const text = this.direct ? callLine(call, this.suffix) : stageLine(line, call);
    this.chunk.push(text);
    this.bytes += text.length;
    if (this.bytes >= CHUNK_BYTES) await this.ship();
  }

  private async ship(): Promise<void> {
    const data = this.chunk;
    this.chunk = [];
    this.bytes = 0;
    await this.inFlight;
    this.inFlight = this.load(data);
    // Awaited by the next ship() or by finish()/settle(); never left unobserved.
    this.inFlight.catch(() => undefined);
  }

  private async load(data: string[]): Promise<void> {
    if (!data.length) return;
    if (this.direct) {
      await pipeline(Readable.from(copyPieces(data)), this.client.query(copyFrom(COPY_CALLS)));
      return;
    }
    await pipeline(Readable.from(copyPieces(data)), this.client.query(copyFrom(COPY_STAGE)));
    await this.client.query(UPSERT_CALLS, [this.patientId, this.source]);
    await this.client.query(TRUNCATE_STAGE);
  }

  /** Loads what is left and waits until everything is in the tables. */
  async finish(): Promise<void> {
    await this.ship();
    await this.inFlight;
  }

  /** Waits for the chunk in flight (before a rollback), ignoring its outcome. */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }
}

/** Plain or gzip/bgzip (BGZF is a series of gzip members, which zlib reads as one stream). */
async function decompressed(input: Readable): Promise<Readable> {
  const iterator = input[Symbol.asyncIterator]();
  const head = await iterator.next();
  const firstChunk: Buffer | undefined = head.done ? undefined : Buffer.from(head.value as Buffer);
  const rest = Readable.from(
    (async function* () {
      if (firstChunk) yield firstChunk;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value as Buffer;
      }
    })(),
  );
  if (firstChunk && firstChunk[0] === GZIP_MAGIC[0] && firstChunk[1] === GZIP_MAGIC[1]) {
    const gunzip = zlib.createGunzip();
    rest.on('error', (error) => gunzip.destroy(error));
    return rest.pipe(gunzip);
  }
  return rest;
}

/**
 * Streams a VCF (plain or bgzip) into PostgreSQL for one patient: parsed with @gmod/vcf, split and
 * normalised, bulk-loaded with COPY, all in one transaction — a file with any bad line stores nothing
 * and says which lines were bad. Memory stays flat: lines flow to COPY with back-pressure.
 */
export class VcfIngestor {
  constructor(private readonly pool: Pool) {}

  async ingest(patientId: string, input: Readable, options: VcfIngestOptions = {}): Promise<VcfIngestReport> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const report = await this.load(client, patientId, input, options);
      if (report.rejected.length) {
        await client.query('ROLLBACK');
        return { ...report, variants: 0 };
      }
      await announceVariantsChanged(client, patientId, { variants: report.variants, sample: report.sample });
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async load(client: PoolClient, patientId: string, input: Readable, options: VcfIngestOptions): Promise<VcfIngestReport> {
    const report: VcfIngestReport = { records: 0, variants: 0, skipped: 0, rejected: [], sample: null, build: null };
    const reject = (line: number, reason: string) => report.rejected.push({ line, reason });
    const lines = readline.createInterface({ input: await decompressed(input), crlfDelay: Infinity });
    const headerLines: string[] = [];
    let header: VcfHeader | undefined;
    let sample = '';
    let lineNumber = 0;
    let stage: ChunkedStage | undefined;
    const references = new Map<string, ReferenceCall>();

    try {
      for await (const line of lines) {
        lineNumber += 1;
        if (!header) {
          if (line.startsWith('#')) {
            headerLines.push(line);
            if (!line.startsWith('#CHROM')) continue;
          } else if (!headerLines.length) {
            throw new VcfError(1, '', 'missing ##fileformat=VCFv4.x header: not a VCF file');
          }
          header = parseHeader(headerLines);
          report.build = header.build ?? (options.assumeBuild ? `${options.assumeBuild} (assumed)` : null);
          if (header.buildConflict) {
            throw new VcfError(lineNumber, '', `the header names two genome builds (${header.buildConflict}); correct it so that every line names the build the positions are on`);
          }
          if (header.build === 'GRCh37') {
            throw new VcfError(lineNumber, '', `the file is GRCh37 (${header.buildEvidence}); the hub stores GRCh38 only: lift it over first (e.g. bcftools +liftover or CrossMap)`);
          }
          if (!header.build && options.assumeBuild !== 'GRCh38') {
            throw new VcfError(lineNumber, '', 'the header names no genome build (##reference or ##contig lengths); add one, or ingest with assumeBuild GRCh38');
          }
          sample = this.chooseSample(header, options.sample, lineNumber);
          report.sample = sample || null;
          await client.query(LOCK_PATIENT, [patientId]);
          const direct = !(await client.query(PATIENT_HAS_CALLS, [patientId])).rowCount;
          if (!direct) await client.query(CREATE_STAGE);
          stage = new ChunkedStage(client, patientId, `vcf:${sample}`, direct);
          if (line.startsWith('#CHROM')) continue;
        }
        if (!line) continue;
        report.records += 1;
        try {
          const { calls, skipped, reference } = recordCalls(header, line, lineNumber, sample);
          report.skipped += skipped;
          // Kept only where star-allele/DPYD calling reads: there "0/0, ALT=." means tested, reference.
          if (reference && coversPgxPosition(reference.chrom, reference.pos, reference.ref)) references.set(`${reference.chrom}:${reference.pos}`, reference);
          for (const call of calls) {
            report.variants += 1;
            // Once a line is refused nothing will be stored: stop feeding the database.
            if (!report.rejected.length) await stage!.add(lineNumber, call);
          }
        } catch (error) {
          if (!(error instanceof VcfError)) throw error;
          reject(error.line, error.message);
          if (report.rejected.length >= MAX_REJECTS) break;
        }
        if (report.records % 50_000 === 0) options.onProgress?.(report.records);
      }
    } catch (error) {
      if (error instanceof VcfError) reject(error.line, error.message);
      else if (isDuplicateInFile(error)) reject(lineNumber, duplicateReason(lineNumber));
      else if ((error as { code?: string }).code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check|invalid/i.test((error as Error).message)) {
        reject(lineNumber + 1, `VCF line ${lineNumber + 1}: compressed data is truncated or corrupt (${(error as Error).message})`);
      } else throw error;
    }
    if (!header && !report.rejected.length) reject(lineNumber || 1, `VCF line ${lineNumber || 1}: the file is empty or has no #CHROM header line`);
    if (report.rejected.length || !header) {
      await stage?.settle();
      return report;
    }
    try {
      await stage!.finish();
      if (references.size) {
        const rows = [...references.values()];
        await client.query(UPSERT_REFERENCE_CALLS, [
          patientId,
          `vcf:${sample}`,
          rows.map((r) => r.chrom),
          rows.map((r) => r.pos),
          rows.map((r) => r.ref),
          rows.map((r) => r.genotype),
        ]);
      }
    } catch (error) {
      if (!isDuplicateInFile(error)) throw error;
      reject(lineNumber, duplicateReason(lineNumber));
      return report;
    }
    options.onProgress?.(report.records);
    return report;
  }

  private chooseSample(header: VcfHeader, wanted: string | null | undefined, line: number): string {
    if (!header.samples.length) throw new VcfError(line, '', 'the file has no sample columns (sites-only VCF): there are no genotypes to store');
    if (wanted) {
      if (!header.samples.includes(wanted)) throw new VcfError(line, '', `sample "${wanted}" is not in the header (samples: ${header.samples.join(', ') || 'none'})`);
      return wanted;
    }
    if (header.samples.length > 1) throw new VcfError(line, '', `the file has ${header.samples.length} samples (${header.samples.slice(0, 5).join(', ')}...): name one`);
    return header.samples[0] ?? '';
  }
}

/**
 * The same key twice within the file: cardinality_violation (21000) from the merge path's upsert, or
 * unique_violation (23505) from the direct path's COPY (the patient lock rules out another writer).
 */
const isDuplicateInFile = (error: unknown) => ['21000', '23505'].includes((error as { code?: string }).code ?? '');
const duplicateReason = (line: number) =>
  `VCF line ${line}: the file names the same variant twice after normalisation and splitting (within the lines before this one); ` +
  'merge or remove the duplicate (e.g. bcftools norm --rm-dup all)';

export function patientNotFound(patientId: string): HubError {
  return new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found: create it first or check the hub id`, { field: 'patientId' });
}
