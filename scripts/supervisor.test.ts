import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandFor } from './supervisor';

function tree(files: Record<string, number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'supervisor-command-'));
  for (const [file, mtimeSeconds] of Object.entries(files)) {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, '');
    fs.utimesSync(full, mtimeSeconds, mtimeSeconds);
  }
  return root;
}

describe('commandFor', () => {
  it('runs the compiled entry with node when the dist build is newer than every source', () => {
    const root = tree({ 'gateway/index.ts': 1000, 'lib/config.ts': 1500, 'dist/gateway/index.js': 2000 });
    expect(commandFor('gateway/index', root)).toEqual({ command: process.execPath, args: ['--enable-source-maps', path.join(root, 'dist/gateway/index.js')], compiled: true });
  });

  it('runs the TypeScript entry through tsx when a source changed after the build', () => {
    const root = tree({ 'gateway/index.ts': 1000, 'lib/config.ts': 3000, 'dist/gateway/index.js': 2000 });
    expect(commandFor('gateway/index', root)).toEqual({ command: process.execPath, args: ['--import', 'tsx', path.join(root, 'gateway/index.ts')], compiled: false });
  });

  it('runs the TypeScript entry through tsx when there is no build', () => {
    const root = tree({ 'subgraphs/patient/index.ts': 1000 });
    expect(commandFor('subgraphs/patient/index', root).compiled).toBe(false);
  });

  it('ignores test files when judging whether the build is stale', () => {
    const root = tree({ 'lib/config.ts': 1000, 'lib/config.test.ts': 5000, 'dist/gateway/index.js': 2000 });
    expect(commandFor('gateway/index', root).compiled).toBe(true);
  });
});
