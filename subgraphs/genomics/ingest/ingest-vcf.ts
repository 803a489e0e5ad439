import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Pool, PoolClient } from '../../../lib/postgres';
import type { Logger } from '../../../lib/logger';
import { ErrorCode, HubError } from '../../../lib/errors';
import { parseHeader, recordCalls, VcfError, VcfRejectCode, type ReferenceCall, type VcfHeader } from './vcf-records';
import { lineBatches } from './vcf-lines';
import { ChunkedStage, CREATE_STAGE } from './copy-stage';
import { coversPgxPosition, pgxPositionsIn } from '../domain/pharmacogenomics';
import { announce, GenomicsTopic } from '../../../lib/contracts/events';

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
  /** Why, for clients to branch on (vcf-records.ts VcfRejectCode). */
  code: VcfRejectCode;
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

// One VCF load per patient at a time: the direct path must not race another load for the same patient.
const LOCK_PATIENT = `SELECT pg_advisory_xact_lock(hashtextextended('vcf:' || $1, 0))`;
const PATIENT_HAS_CALLS = `SELECT 1 FROM genomics.variant_calls WHERE patient_id = $1 LIMIT 1`;
const DELETE_SAMPLE_REFERENCE_CALLS = `DELETE FROM genomics.reference_calls WHERE patient_id = $1 AND source = $2`;
// ALT=. hom-ref records and gVCF reference blocks at pharmacogenomic positions (at most a few hundred per file): one statement.
const UPSERT_REFERENCE_CALLS = `
  INSERT INTO genomics.reference_calls (patient_id, chrom, pos, ref, genotype, source)
  SELECT $1::uuid, chrom, pos, ref, genotype, $2 FROM unnest($3::text[], $4::int[], $5::text[], $6::text[]) AS r(chrom, pos, ref, genotype)
  ON CONFLICT (patient_id, chrom, pos) DO UPDATE SET ref = EXCLUDED.ref, genotype = EXCLUDED.genotype, source = EXCLUDED.source, updated_at = now()`;

const GZIP_MAGIC = [0x1f, 0x8b];

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
    const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
    rest.on('error', (error) => gunzip.destroy(error));
    return rest.pipe(gunzip);
  }
  return rest;
}

/**
 * Data lines from which an ingest refreshes the statistics of the tables it wrote before it answers
 * (`ANALYZE`, as PostgreSQL's "Populating a Database" advises after a bulk load). PostgreSQL plans a
 * patient's page of variants from them: before, it took a patient just given 1M calls for an average one
 * (~12,000 rows estimated), and answered `variants(first: 200)` by reading and sorting all million calls
 * (1.5 s, EXPLAIN ANALYZE on the dashboard's first-load bench) instead of walking the primary key for 200.
 * Autovacuum analyzes in its own time, which is after the patient's page is opened, or never where it is off.
 */
export const ANALYZE_AFTER_RECORDS = 10_000;

export interface VcfIngestorOptions {
  /** Default ANALYZE_AFTER_RECORDS. */
  analyzeAfterRecords?: number;
  /** Where a failed ANALYZE is told (the calls are stored all the same). */
  log?: Pick<Logger, 'warn'>;
}

/**
 * Streams a VCF (plain or bgzip) into PostgreSQL for one patient: header parsed with @gmod/vcf, records
 * read by offsets (only the stored columns: vcf-records.ts), split and normalised, bulk-loaded with COPY, all in one transaction — a file with any bad line stores nothing
 * and says which lines were bad. Memory stays flat: lines flow to COPY with back-pressure.
 */
export class VcfIngestor {
  constructor(
    private readonly pool: Pool,
    private readonly options: VcfIngestorOptions = {},
  ) {}

  async ingest(patientId: string, input: Readable, options: VcfIngestOptions = {}): Promise<VcfIngestReport> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const report = await this.load(client, patientId, input, options);
      if (report.rejected.length) {
        await client.query('ROLLBACK');
        return { ...report, variants: 0 };
      }
      await announce(client, 'genomics.outbox', GenomicsTopic.VARIANTS_CHANGED, patientId, { variants: report.variants, sample: report.sample });
      await client.query('COMMIT');
      if (report.records >= (this.options.analyzeAfterRecords ?? ANALYZE_AFTER_RECORDS)) {
        await client.query('ANALYZE genomics.variant_calls, genomics.reference_calls').catch((error: unknown) => {
          this.options.log?.warn({ reason: (error as Error).message }, 'ANALYZE after a VCF ingest failed; the calls are stored, pages may be planned from old statistics until autovacuum runs');
        });
      }
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
    const reject = (line: number, reason: string, code: VcfRejectCode) => report.rejected.push({ line, reason, code });
    const batches = lineBatches(await decompressed(input));
    const headerLines: string[] = [];
    let header: VcfHeader | undefined;
    let sample = '';
    let lineNumber = 0;
    let stage: ChunkedStage | undefined;
    const references = new Map<string, ReferenceCall>();

    try {
      reading: for await (const batch of batches) for (const line of batch) {
        lineNumber += 1;
        if (!header) {
          if (line.startsWith('#')) {
            headerLines.push(line);
            if (!line.startsWith('#CHROM')) continue;
          } else if (!headerLines.length) {
            throw new VcfError(1, '', 'missing ##fileformat=VCFv4.x header: not a VCF file', VcfRejectCode.NOT_VCF);
          }
          header = parseHeader(headerLines);
          report.build = header.build ?? (options.assumeBuild ? `${options.assumeBuild} (assumed)` : null);
          if (header.buildConflict) {
            throw new VcfError(lineNumber, '', `the header names two genome builds (${header.buildConflict}); correct it so that every line names the build the positions are on`, VcfRejectCode.UNSUPPORTED_BUILD);
          }
          if (header.build === 'GRCh37') {
            throw new VcfError(lineNumber, '', `the file is GRCh37 (${header.buildEvidence}); the hub stores GRCh38 only: lift it over first (e.g. bcftools +liftover or CrossMap)`, VcfRejectCode.UNSUPPORTED_BUILD);
          }
          if (!header.build && options.assumeBuild !== 'GRCh38') {
            throw new VcfError(lineNumber, '', 'the header names no genome build (##reference or ##contig lengths); add one, or ingest with assumeBuild GRCh38', VcfRejectCode.UNSUPPORTED_BUILD);
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
          const { calls, skipped, reference, referenceBlock: block } = recordCalls(header, line, lineNumber, sample);
          report.skipped += skipped;
          // Kept only where star-allele/DPYD calling reads: there "0/0, ALT=." means tested, reference.
          if (reference && coversPgxPosition(reference.chrom, reference.pos, reference.ref)) references.set(`${reference.chrom}:${reference.pos}`, reference);
          // A gVCF reference block: one reference call per position read inside it (its base when REF gives it, else N).
          if (block) {
            for (const pos of pgxPositionsIn(block.chrom, block.start, block.end)) {
              references.set(`${block.chrom}:${pos}`, { chrom: block.chrom, pos, ref: block.ref[pos - block.start] ?? 'N', genotype: block.genotype });
            }
          }
          for (const call of calls) {
            report.variants += 1;
            // Once a line is refused nothing will be stored: stop feeding the database.
            if (!report.rejected.length) {
              const shipping = stage!.add(lineNumber, call);
              if (shipping) await shipping;
            }
          }
        } catch (error) {
          if (!(error instanceof VcfError)) throw error;
          reject(error.line, error.message, error.code);
          if (report.rejected.length >= MAX_REJECTS) break reading;
        }
        if (report.records % 50_000 === 0) options.onProgress?.(report.records);
      }
    } catch (error) {
      if (error instanceof VcfError) reject(error.line, error.message, error.code);
      else if (isDuplicateInFile(error)) reject(lineNumber, duplicateReason(lineNumber), VcfRejectCode.DUPLICATE_RECORD);
      else if ((error as { code?: string }).code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check|invalid/i.test((error as Error).message)) {
        reject(lineNumber + 1, `VCF line ${lineNumber + 1}: compressed data is truncated or corrupt (${(error as Error).message})`, VcfRejectCode.CORRUPT_COMPRESSION);
      } else throw error;
    }
    if (!header && !report.rejected.length) reject(lineNumber || 1, `VCF line ${lineNumber || 1}: the file is empty or has no #CHROM header line`, VcfRejectCode.NOT_VCF);
    if (report.rejected.length || !header) {
      await stage?.settle();
      return report;
    }
    try {
      await stage!.finish();
      // Re-ingesting a sample replaces its reference calls: a position no longer reference must not stay so.
      await client.query(DELETE_SAMPLE_REFERENCE_CALLS, [patientId, `vcf:${sample}`]);
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
      reject(lineNumber, duplicateReason(lineNumber), VcfRejectCode.DUPLICATE_RECORD);
      return report;
    }
    options.onProgress?.(report.records);
    return report;
  }

  private chooseSample(header: VcfHeader, wanted: string | null | undefined, line: number): string {
    if (!header.samples.length) throw new VcfError(line, '', 'the file has no sample columns (sites-only VCF): there are no genotypes to store', VcfRejectCode.SAMPLE_NOT_CHOSEN);
    if (wanted) {
      if (!header.samples.includes(wanted)) throw new VcfError(line, '', `sample "${wanted}" is not in the header (samples: ${header.samples.join(', ') || 'none'})`, VcfRejectCode.SAMPLE_NOT_CHOSEN);
      return wanted;
    }
    if (header.samples.length > 1) throw new VcfError(line, '', `the file has ${header.samples.length} samples (${header.samples.slice(0, 5).join(', ')}...): name one`, VcfRejectCode.SAMPLE_NOT_CHOSEN);
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
