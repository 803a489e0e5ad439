/**
 * Reading an importer's input files as they are published: plain, or gzip-compressed (`.gz`, read
 * through zlib as it streams, never unpacked on disk), and the checksum that identifies a release.
 *
 * `.xz` is refused with the command that unpacks it: no maintained pure-JavaScript xz decoder is
 * available to this project (the xz bindings on npm need a native build), and HPO/CIViC/CPIC publish
 * plain or gzip files, so `xz -dk <file>` (xz-utils) before the import is the documented path.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ImportInputError } from './common';

export function isGzip(file: string): boolean {
  return file.toLowerCase().endsWith('.gz');
}

/** The name without a compression suffix, for format detection (`hp.json.gz` → `hp.json`). */
export function uncompressedName(file: string): string {
  return path.basename(file).replace(/\.(gz|xz)$/i, '');
}

function refuseXz(file: string): void {
  if (file.toLowerCase().endsWith('.xz')) {
    throw new ImportInputError(`${file}: .xz input is not read directly; unpack it first (xz -dk ${file}) and import the unpacked file`);
  }
}

/** A text stream over the file's content (gunzipped when `.gz`); `bytesRead()` counts bytes of the file on disk. */
export function openText(file: string): { text: Readable; bytesRead: () => number; size: number; close: () => void } {
  refuseXz(file);
  const raw = fs.createReadStream(file);
  const size = fs.statSync(file).size;
  let text: Readable = raw;
  if (isGzip(file)) {
    const gunzip = zlib.createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    text = raw.pipe(gunzip);
    gunzip.on('error', (error) => {
      // A corrupt or truncated gzip file: name it, as a refused input.
      text.emit('error', new ImportInputError(`${file}: not a readable gzip file (${error.message})`));
    });
  }
  text.setEncoding('utf8');
  return {
    text,
    size,
    bytesRead: () => raw.bytesRead,
    close: () => {
      raw.destroy();
      if (text !== raw) text.destroy();
    },
  };
}

/** Lines of a (possibly gzipped) text file, with the bytes read so far for progress. */
export function lineReader(file: string) {
  const input = openText(file);
  const lines = readline.createInterface({ input: input.text, crlfDelay: Infinity });
  return {
    lines,
    size: input.size,
    bytesRead: input.bytesRead,
    close: () => {
      lines.close();
      input.close();
    },
  };
}

/** The whole (possibly gzipped) file as a string: for formats that are one JSON document. */
export async function readWholeText(file: string): Promise<string> {
  const { text } = openText(file);
  let out = '';
  for await (const chunk of text) out += chunk as string;
  return out;
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * What identifies the input of a run: `sha256:<hex>` of the file's bytes as given (compressed or not),
 * or, for several files or a directory, of the list "<relative name>\t<sha256>" sorted by name. The
 * same release imported again gives the same checksum whatever the path it was copied to.
 */
export async function inputChecksum(paths: string[]): Promise<string> {
  const entries: Array<[string, string]> = [];
  for (const p of paths) {
    if (fs.statSync(p).isDirectory()) {
      const walk = async (dir: string): Promise<void> => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile()) entries.push([path.relative(p, full), await sha256OfFile(full)]);
        }
      };
      await walk(p);
    } else {
      entries.push([path.basename(p), await sha256OfFile(p)]);
    }
  }
  if (entries.length === 1 && !fs.statSync(paths[0]!).isDirectory()) return `sha256:${entries[0]![1]}`;
  entries.sort((a, b) => a[0].localeCompare(b[0]));
  return `sha256:${createHash('sha256').update(entries.map((e) => e.join('\t')).join('\n')).digest('hex')}`;
}
