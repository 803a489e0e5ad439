import { once } from 'node:events';
import readline from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { from as copyFrom } from 'pg-copy-streams';
import type { Pool, PoolClient } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { parseHeader, recordCalls, VcfError, type VcfCall, type VcfHeader } from './vcf-records';

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

export const VARIANTS_INGESTED = 'genomics.variants.ingested';
/** Stop reading a broken file after this many problems; they are usually all the same one. */
export const MAX_REJECTS = 50;

// Calls stream into a temporary table with COPY, then land in the real tables in two statements.
const CREATE_STAGE = `
  CREATE TEMP TABLE vcf_stage (
    variant_id text, chrom text, pos integer, ref text, alt text, genotype text, phased boolean,
    zygosity text, depth integer, genotype_quality integer, allele_fraction real, filter text, quality real
  ) ON COMMIT DROP`;
const COPY_STAGE = `COPY vcf_stage FROM STDIN`;
const INSERT_VARIANTS = `
  INSERT INTO genomics.variants (id, build, chrom, pos, ref, alt)
  SELECT DISTINCT variant_id, 'GRCh38', chrom, pos, ref, alt FROM vcf_stage
  ON CONFLICT (id) DO NOTHING`;
// DISTINCT ON: a file may list the same normalised variant twice (e.g. before and after splitting);
// the last line wins, as it would on re-sending.
const UPSERT_CALLS = `
  INSERT INTO genomics.variant_calls
    (patient_id, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, source)
  SELECT DISTINCT ON (variant_id) $1::uuid, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, $2
  FROM (SELECT *, row_number() OVER () AS line FROM vcf_stage) staged ORDER BY variant_id, line DESC
  ON CONFLICT (patient_id, variant_id) DO UPDATE SET
    genotype = EXCLUDED.genotype, phased = EXCLUDED.phased, zygosity = EXCLUDED.zygosity, depth = EXCLUDED.depth,
    genotype_quality = EXCLUDED.genotype_quality, allele_fraction = EXCLUDED.allele_fraction, filter = EXCLUDED.filter,
    quality = EXCLUDED.quality, source = EXCLUDED.source, updated_at = now()`;
const INSERT_OUTBOX_EVENT = `INSERT INTO genomics.outbox (topic, patient_id, payload) VALUES ($1, $2, $3)`;
const NOTIFY_OUTBOX = `SELECT pg_notify('genomics_outbox', $1)`;

const GZIP_MAGIC = [0x1f, 0x8b];

/** COPY text format: tab-separated, `\N` for null, backslash escaped. */
function copyLine(c: VcfCall): string {
  const field = (v: string | number | boolean | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\'));
  return (
    [c.variantId, c.chrom, c.pos, c.ref, c.alt, c.genotype, c.phased, c.zygosity, c.depth, c.genotypeQuality, c.alleleFraction, c.filter, c.quality]
      .map(field)
      .join('\t') + '\n'
  );
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
      await client.query(INSERT_OUTBOX_EVENT, [VARIANTS_INGESTED, patientId, { variants: report.variants, sample: report.sample }]);
      await client.query(NOTIFY_OUTBOX, [patientId]);
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
    let copy: PassThrough | undefined;
    let copyDone: Promise<void> | undefined;

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
          if (header.build === 'GRCh37') {
            throw new VcfError(lineNumber, '', `the file is GRCh37 (${header.buildEvidence}); the hub stores GRCh38 only: lift it over first (e.g. bcftools +liftover or CrossMap)`);
          }
          if (!header.build && options.assumeBuild !== 'GRCh38') {
            throw new VcfError(lineNumber, '', 'the header names no genome build (##reference or ##contig lengths); add one, or ingest with assumeBuild GRCh38');
          }
          sample = this.chooseSample(header, options.sample, lineNumber);
          report.sample = sample || null;
          await client.query(CREATE_STAGE);
          copy = new PassThrough();
          copyDone = pipeline(copy, client.query(copyFrom(COPY_STAGE)));
          // Awaited below; a failure meanwhile surfaces through the writes' back-pressure.
          copyDone.catch(() => undefined);
          if (line.startsWith('#CHROM')) continue;
        }
        if (!line) continue;
        report.records += 1;
        try {
          const { calls, skipped } = recordCalls(header, line, lineNumber, sample);
          report.skipped += skipped;
          for (const call of calls) {
            report.variants += 1;
            if (!copy!.write(copyLine(call))) await once(copy!, 'drain');
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
      else if ((error as { code?: string }).code === 'Z_BUF_ERROR' || /unexpected end of file|incorrect header check|invalid/i.test((error as Error).message)) {
        reject(lineNumber + 1, `VCF line ${lineNumber + 1}: compressed data is truncated or corrupt (${(error as Error).message})`);
      } else throw error;
    }
    if (!header && !report.rejected.length) reject(lineNumber || 1, `VCF line ${lineNumber || 1}: the file is empty or has no #CHROM header line`);
    if (copy) {
      copy.end();
      await copyDone;
    }
    if (report.rejected.length || !header) return report;
    options.onProgress?.(report.records);
    await client.query(INSERT_VARIANTS);
    await client.query(UPSERT_CALLS, [patientId, `vcf:${sample}`]);
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

export function patientNotFound(patientId: string): HubError {
  return new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found: create it first or check the hub id`, { field: 'patientId' });
}
