import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { createLogger, logFormatOf } from './logger';

/** What a logger wrote, line by line. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('the service logger', () => {
  it('writes one JSON object per line by default, with the service and the fields given', () => {
    const { lines, stream } = capture();
    createLogger('gateway', 'info', { destination: stream }).warn({ requestId: 'r-1', code: 'FORBIDDEN' }, 'request refused');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ level: 40, time: expect.any(Number), service: 'gateway', name: 'gateway', requestId: 'r-1', code: 'FORBIDDEN', msg: 'request refused' });
  });

  it('writes readable lines for a terminal under LOG_FORMAT=pretty', () => {
    const { lines, stream } = capture();
    createLogger('gateway', 'info', { format: 'pretty', destination: stream }).warn({ requestId: 'r-2' }, 'request refused');
    const text = stripVTControlCharacters(lines.join('\n'));
    expect(text).toMatch(/WARN.*request refused/);
    expect(text).toContain('requestId: "r-2"');
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('reads LOG_FORMAT, refusing a value it does not know', () => {
    expect(logFormatOf({})).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(() => logFormatOf({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT="xml" is not one of json, pretty');
  });
});
