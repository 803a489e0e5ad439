import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from '../../../lib/postgres';
import type { VcfCall } from './vcf-records';

// Calls stream into a temporary table with COPY, then land in the real tables in two statements.
export const CREATE_STAGE = `
  CREATE TEMP TABLE vcf_stage (
    line integer, variant_id text, chrom text, pos integer, ref text, alt text, genotype text, phased boolean,
    zygosity text, depth integer, genotype_quality integer, allele_fraction real, filter text, quality real, gene text
  ) ON COMMIT DROP`;
const COPY_STAGE = `COPY vcf_stage FROM STDIN`;
// First VCF for a patient: nothing to merge with, so rows go straight into the calls table (one pass).
const COPY_CALLS = `COPY genomics.variant_calls
  (variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, patient_id, source) FROM STDIN`;
const UPSERT_CALLS = `
  INSERT INTO genomics.variant_calls
    (patient_id, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, source)
  SELECT $1::uuid, variant_id, genotype, phased, zygosity, depth, genotype_quality, allele_fraction, filter, quality, gene, $2
  FROM vcf_stage
  ON CONFLICT (patient_id, variant_id) DO UPDATE SET
    genotype = EXCLUDED.genotype, phased = EXCLUDED.phased, zygosity = EXCLUDED.zygosity, depth = EXCLUDED.depth,
    genotype_quality = EXCLUDED.genotype_quality, allele_fraction = EXCLUDED.allele_fraction, filter = EXCLUDED.filter,
    quality = EXCLUDED.quality, gene = EXCLUDED.gene, source = EXCLUDED.source, updated_at = now()`;
const TRUNCATE_STAGE = `TRUNCATE vcf_stage`;

/** COPY text format: tab-separated, `\N` for null, backslash escaped. */
const copyField = (v: string | number | boolean | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\'));
/** FILTER is the only free text a call carries (ids and genotypes are checked, genes come from our table). */
const copyText = (v: string | null) => (v === null ? '\\N' : v.indexOf('\\') === -1 ? v : v.replace(/\\/g, '\\\\'));
const copyNumber = (v: number | null) => (v === null ? '\\N' : String(v));

/** The call's own columns. */
const callFields = (c: VcfCall) =>
  `${c.genotype}\t${c.phased}\t${c.zygosity}\t${copyNumber(c.depth)}\t${copyNumber(c.genotypeQuality)}\t` +
  `${copyNumber(c.alleleFraction)}\t${copyText(c.filter)}\t${copyNumber(c.quality)}\t${copyText(c.gene)}`;

/** A row for the stage table (merge path). */
const stageLine = (line: number, c: VcfCall) => `${line}\t${c.variantId}\t${c.chrom}\t${c.pos}\t${c.ref}\t${c.alt}\t${callFields(c)}\n`;

/** A row for the calls table itself (direct path); patient id and source are the same for the whole file. */
const callLine = (c: VcfCall, patientAndSource: string) => `${c.variantId}\t${callFields(c)}${patientAndSource}`;

/**
 * COPY text goes to the socket in pieces of this many bytes, not a line at a time: each piece is one
 * socket write (a system call), and ~80,000 writes per chunk made the writes, not parsing or
 * PostgreSQL, the bottleneck on machines where system calls are dear (a Firecracker VM here: 45-50k
 * records/s with one write per line; see docs/benchmarks.md).
 */
const COPY_PIECE_BYTES = 256 * 1024;

/** Calls move to the database in chunks of about this many bytes of COPY text (~80,000 calls). */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Room past CHUNK_BYTES for the row that crosses it (a row is at most a few kB but for a long FILTER). */
const HEADROOM_BYTES = 256 * 1024;

/**
 * The load pipeline: while the database copies and merges one chunk (COPY into the stage table,
 * then the two set-based statements), the parser fills the next, so parsing and the database's
 * work overlap on separate cores. At most two chunks are in memory, whatever the file's size.
 *
 * Each row is written as UTF-8 into one of two reused buffers as soon as it is made, and COPY is fed
 * slices of the buffer: no array of row strings per chunk, no join, and nothing of the VCF line
 * (a FILTER slice, say) kept alive until the chunk ships — those strings and their garbage were a
 * large share of the ingest's heap and GC time (issue 16).
 */
export class ChunkedStage {
  /** Made when first filled: a small file needs one. */
  private readonly buffers: (Buffer | undefined)[] = [undefined, undefined];
  private filling = 0;
  private used = 0;
  /** A row too long for the headroom (a huge FILTER): shipped as a chunk of its own. */
  private oversized: Buffer | null = null;
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

  /** Queues a call; returns a promise only when a chunk is shipped (await it before the next add). */
  add(line: number, call: VcfCall): Promise<void> | undefined {
    const text = this.direct ? callLine(call, this.suffix) : stageLine(line, call);
    const buffer = (this.buffers[this.filling] ??= Buffer.allocUnsafe(CHUNK_BYTES + HEADROOM_BYTES));
    // UTF-8 takes at most 3 bytes per UTF-16 unit; only a row that might not fit is measured.
    if (this.used + text.length * 3 > buffer.length && this.used + Buffer.byteLength(text) > buffer.length) {
      this.oversized = Buffer.from(text);
      return this.ship();
    }
    this.used += buffer.write(text, this.used);
    return this.used >= CHUNK_BYTES ? this.ship() : undefined;
  }

  private async ship(): Promise<void> {
    const pieces: Buffer[] = [];
    const buffer = this.buffers[this.filling];
    for (let start = 0; start < this.used; start += COPY_PIECE_BYTES) pieces.push(buffer!.subarray(start, Math.min(this.used, start + COPY_PIECE_BYTES)));
    if (this.oversized) pieces.push(this.oversized);
    this.oversized = null;
    // The other buffer is free once the chunk in flight is in the database.
    await this.inFlight;
    this.filling = 1 - this.filling;
    this.used = 0;
    this.inFlight = this.load(pieces);
    // Awaited by the next ship() or by finish()/settle(); never left unobserved.
    this.inFlight.catch(() => undefined);
  }

  private async load(pieces: Buffer[]): Promise<void> {
    if (!pieces.length) return;
    if (this.direct) {
      await pipeline(Readable.from(pieces), this.client.query(copyFrom(COPY_CALLS)));
      return;
    }
    await pipeline(Readable.from(pieces), this.client.query(copyFrom(COPY_STAGE)));
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
