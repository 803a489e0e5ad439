/**
 * Reads the few FORMAT fields ingestion stores (GT, DP, GQ, AD, AF) of one sample straight from a data
 * line, by offsets, without building the per-sample objects @gmod/vcf's `SAMPLES()` makes for every
 * field of every sample. That parse and the garbage it left were the top of the ingest profile
 * (issue 16: 40-90k records/s against 111k before validation); this keeps @gmod/vcf for the header and
 * reproduces `SAMPLES()`'s value rules exactly, so every check and every refusal reads the same values:
 *
 * - FORMAT keys and the sample's `:`-separated values pair up by column; values past the last key are
 *   ignored; a key written twice takes its later column that the sample has;
 * - `` and `.` are missing; a value is split on `,`, a `.` item is missing;
 * - a key whose header Type is Integer or Float is converted with unary `+` (so `''` → 0, `a` → NaN).
 */

/** The FORMAT keys read, as slots of the scratch arrays below. */
const KEYS = ['GT', 'DP', 'GQ', 'AD', 'AF'] as const;
export type FormatKey = (typeof KEYS)[number];
const SLOT: Record<FormatKey, number> = { GT: 0, DP: 1, GQ: 2, AD: 3, AF: 4 };
const MISSING = -1;
const DOT = 46;

/** Where each FORMAT column goes (a slot, or -1), for one FORMAT string; files repeat a handful. */
export class FormatLayouts {
  private readonly layouts = new Map<string, Int8Array>();
  /** Per slot: does the header type the key Integer or Float (then values are numbers)? */
  readonly numeric: boolean[];

  constructor(typeOf: (key: string) => unknown) {
    this.numeric = KEYS.map((key) => {
      const type = typeOf(key);
      return type === 'Integer' || type === 'Float';
    });
  }

  layout(format: string): Int8Array {
    let layout = this.layouts.get(format);
    if (!layout) {
      // An empty FORMAT column gives no values at all (as @gmod/vcf's SAMPLES() returns {}).
      const keys = format ? format.split(':') : [];
      layout = Int8Array.from(keys, (key) => (KEYS as readonly string[]).indexOf(key));
      // A file with thousands of distinct FORMAT strings is not a real caller's: stop caching.
      if (this.layouts.size < 256) this.layouts.set(format, layout);
    }
    return layout;
  }
}

/**
 * The located fields of the current record's sample: `[start, end)` offsets into `line` per slot, or -1.
 * One instance per file; `locate` overwrites it for each record (nothing is retained between records).
 */
export class SampleFields {
  line = '';
  private readonly starts = new Int32Array(KEYS.length);
  private readonly ends = new Int32Array(KEYS.length);

  constructor(private readonly layouts: FormatLayouts) {}

  /** Finds the fields of the sample column `[from, to)` of `line` whose FORMAT is `format`. */
  locate(line: string, format: string, from: number, to: number): void {
    this.line = line;
    this.starts.fill(MISSING);
    const layout = this.layouts.layout(format);
    let start = from;
    for (let column = 0; column < layout.length && start <= to; column += 1) {
      let end = line.indexOf(':', start);
      if (end === -1 || end > to) end = to;
      const slot = layout[column]!;
      if (slot !== MISSING) {
        this.starts[slot] = start;
        this.ends[slot] = end;
      }
      start = end + 1;
    }
  }

  /** No values at all (the sample has none, or the record no FORMAT): every field missing. */
  clear(): void {
    this.starts.fill(MISSING);
  }

  /** `` or `.` or absent. */
  missing(key: FormatKey): boolean {
    const slot = SLOT[key];
    const start = this.starts[slot]!;
    if (start === MISSING) return true;
    const end = this.ends[slot]!;
    return end === start || (end === start + 1 && this.line.charCodeAt(start) === DOT);
  }

  /** The first item of a string field (GT?.[0]), undefined when missing. */
  firstText(key: FormatKey): string | undefined {
    if (this.missing(key)) return undefined;
    const slot = SLOT[key];
    const start = this.starts[slot]!;
    const end = this.ends[slot]!;
    let comma = this.line.indexOf(',', start);
    if (comma === -1 || comma > end) comma = end;
    if (comma === start + 1 && this.line.charCodeAt(start) === DOT && comma !== end) return undefined;
    return this.line.slice(start, comma);
  }

  /**
   * Every item of the field as @gmod/vcf gives it (number for numeric types, string otherwise,
   * undefined for `.`), passed to `each` with its index; returns the item count (0 when missing).
   */
  forEachItem(key: FormatKey, visitor: ItemVisitor): number {
    if (this.missing(key)) return 0;
    const slot = SLOT[key];
    const numeric = this.layouts.numeric[slot]!;
    const line = this.line;
    const end = this.ends[slot]!;
    let start = this.starts[slot]!;
    let comma = line.indexOf(',', start);
    if (comma === -1 || comma > end) {
      // One value: never `.` here (missing() said so).
      const text = line.slice(start, end);
      visitor.item(numeric ? +text : text, 0);
      return 1;
    }
    let index = 0;
    for (;;) {
      const itemEnd = comma === -1 || comma > end ? end : comma;
      if (itemEnd === start + 1 && line.charCodeAt(start) === DOT) visitor.item(undefined, index);
      else {
        const text = line.slice(start, itemEnd);
        visitor.item(numeric ? +text : text, index);
      }
      index += 1;
      if (itemEnd === end) return index;
      start = itemEnd + 1;
      comma = line.indexOf(',', start);
    }
  }

  /** `first()` of the old parse: the first item when it is a finite number, else null. */
  firstNumber(key: FormatKey): number | null {
    const slot = SLOT[key];
    if (!this.layouts.numeric[slot] || this.missing(key)) return null;
    const start = this.starts[slot]!;
    const end = this.ends[slot]!;
    let comma = this.line.indexOf(',', start);
    if (comma === -1 || comma > end) comma = end;
    if (comma === start + 1 && this.line.charCodeAt(start) === DOT) return null;
    const value = +this.line.slice(start, comma);
    return Number.isFinite(value) ? value : null;
  }
}

/** Receives a field's items (an object, not a closure per call: this runs for every record). */
export interface ItemVisitor {
  item(value: number | string | undefined, index: number): void;
}
