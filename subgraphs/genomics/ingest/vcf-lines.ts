import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/**
 * The lines of a text stream, a batch per chunk read: what `readline` with `crlfDelay: Infinity` gives
 * (UTF-8 decoded; `\n`, `\r\n` and a lone `\r` end a line, even when `\r\n` straddles two chunks; a
 * last line without a terminator is kept; an empty last line is not), without the promise and event
 * `readline`'s async iterator costs per line — a measurable share of a million-record VCF's ingest.
 */
export async function* lineBatches(input: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of input) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const lines: string[] = [];
    carry = splitLines(text, lines);
    if (lines.length) yield lines;
  }
  const rest = carry + decoder.end();
  const lines: string[] = [];
  const last = splitLines(rest, lines);
  // A held-back `\r` ended its line (an empty one when alone); anything else is a last line without a terminator.
  if (last) lines.push(last.endsWith('\r') ? last.slice(0, -1) : last);
  if (lines.length) yield lines;
}

const LINE_END = /\r\n|\n|\r/g;

/** Appends the complete lines of `text` to `out`; returns the unfinished rest (a trailing `\r` is held back: it may pair with a `\n`). */
function splitLines(text: string, out: string[]): string {
  let start = 0;
  if (text.indexOf('\r') === -1) {
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      out.push(text.slice(start, end));
      start = end + 1;
    }
    return text.slice(start);
  }
  LINE_END.lastIndex = 0;
  for (let match = LINE_END.exec(text); match; match = LINE_END.exec(text)) {
    if (match[0] === '\r' && match.index === text.length - 1) break;
    out.push(text.slice(start, match.index));
    start = match.index + match[0].length;
  }
  return text.slice(start);
}
