import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CODEGEN = [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'contracts-codegen.ts'), '--check'];

describe('the typed inter-service operations (lib/contracts/generated)', () => {
  it('are up to date with the subgraph SDLs and lib/contracts/operations (run `npm run contracts:codegen` when this fails)', () => {
    const run = spawnSync(process.execPath, CODEGEN, { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout.trim()).toBe('9 generated files are up to date');
  }, 60_000);

  it('fail when a caller asks a subgraph for a field its SDL does not have', () => {
    // A copy of the tree's contracts inputs with one operation changed: the check must fail on it.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'contracts-codegen-'));
    try {
      for (const dir of ['schema', 'lib', 'scripts']) fs.cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true, filter: (src) => !src.includes('node_modules') });
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
      const operation = path.join(copy, 'lib', 'contracts', 'operations', 'genomics', 'patient.graphql');
      fs.writeFileSync(operation, fs.readFileSync(operation, 'utf8').replace('carrierPatientIds(gene: $gene, variant: $variant)', 'carrierPatientIds(gene: $gene, variant: $variant)\n  carrierCount'));
      const run = spawnSync(process.execPath, [CODEGEN[0]!, path.join(copy, 'scripts', 'contracts-codegen.ts'), '--check'], { cwd: copy, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Cannot query field "carrierCount" on type "Query"');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
