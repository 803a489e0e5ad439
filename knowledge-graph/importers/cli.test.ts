import fs from 'node:fs';
import path from 'node:path';
import { formatResult, parseImportArgs } from '../import';
import { tempDir } from './test-support';

describe('kg:import arguments', () => {
  const dir = tempDir();
  const file = path.join(dir, 'x.tsv');
  fs.writeFileSync(file, '');

  it('parses each source', () => {
    expect(parseImportArgs(['civic', file, '--version', '01-Nov-2026'])).toEqual({
      command: { kind: 'civic', target: file },
      options: { version: '01-Nov-2026', batchSize: 1000, force: false },
    });
    expect(parseImportArgs(['hpo', file, file, '--batch-size', '50']).command).toEqual({ kind: 'hpo', obo: file, hpoa: file });
    expect(parseImportArgs(['hpo', file, file, file]).command).toEqual({ kind: 'hpo', obo: file, hpoa: file, genes: file });
    expect(parseImportArgs(['trials', dir]).command).toEqual({ kind: 'trials', target: dir });
  });

  it('refuses bad usage with a reason', () => {
    expect(() => parseImportArgs([])).toThrow('no source given');
    expect(() => parseImportArgs(['oncokb', file])).toThrow('unknown source "oncokb"');
    expect(() => parseImportArgs(['hpo', file])).toThrow('hpo takes 2 or 3 paths, got 1');
    expect(() => parseImportArgs(['cpic', file])).toThrow('expected a directory');
    expect(() => parseImportArgs(['civic', path.join(dir, 'missing.tsv')])).toThrow('no such file or directory');
    expect(() => parseImportArgs(['civic', file, '--batch-size', '0'])).toThrow('--batch-size "0"');
  });

  it('formats counts and skip reasons', () => {
    expect(
      formatResult({
        runId: 'r1', source: 'civic', version: 'v', status: 'completed', counts: { rows: 2, evidence: 1, skipped: 1 },
        skipped: [{ code: 'MISSING_FIELD', reason: 'no DOID for the disease', count: 1, examples: ['line 3'] }],
        durationMs: 1234, checksum: 'sha256:ab',
      }),
    ).toBe(
      'civic v: completed (ImportRun r1)\n  rows: 2\n  evidence: 1\n  skipped: 1\n' +
        'summary: read 2, imported 1, skipped 1 (MISSING_FIELD 1), in 1.2 s\n' +
        'skipped:\n  1 × MISSING_FIELD: no DOID for the disease  (e.g. line 3)',
    );
  });

  it('says an input already imported was not written again, and how to force it', () => {
    expect(
      formatResult({ runId: 'r1', source: 'hpo', version: '2023-01-27', status: 'already-imported', counts: {}, skipped: [], durationMs: 5, checksum: 'sha256:ab' }),
    ).toBe('hpo 2023-01-27: already imported (ImportRun r1, sha256:ab); nothing written. Use --force to import it again.');
  });

  it('reads --force', () => {
    expect(parseImportArgs(['civic', file, '--force']).options.force).toBe(true);
    expect(parseImportArgs(['civic', file]).options.force).toBe(false);
  });
});
