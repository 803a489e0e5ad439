import readline from 'node:readline';
import { Readable } from 'node:stream';
import { lineBatches } from './vcf-lines';

const linesOf = async (chunks: Buffer[]) => {
  const lines: string[] = [];
  for await (const batch of lineBatches(Readable.from(chunks))) lines.push(...batch);
  return lines;
};
const readlineLinesOf = async (chunks: Buffer[]) => {
  const lines: string[] = [];
  for await (const line of readline.createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
};

describe('lineBatches: the lines readline gave ingestion (so line numbers in refusals stay the same)', () => {
  it.each([
    ['LF line ends', [['a\n', 'b\n']]],
    ['CRLF split across chunks', [['a\r', '\nb\r\n', 'c']]],
    ['a lone CR, an empty line, no final terminator', [['a\rb\n\nc']]],
    ['a multi-byte character split across chunks', [[Buffer.from('é€\n').subarray(0, 1), Buffer.from('é€\n').subarray(1)]]],
    ['a CR at the very end', [['a\n\r']]],
  ])('%s', async (_name, [chunks]) => {
    const buffers = (chunks as (string | Buffer)[]).map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
    expect(await linesOf(buffers)).toEqual(await readlineLinesOf(buffers));
  });
});
