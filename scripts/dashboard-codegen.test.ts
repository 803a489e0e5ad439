import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../gateway/manifests';

const ROOT = path.join(__dirname, '..');
const MANIFEST_PATH = path.join(ROOT, 'dashboard', 'persisted-documents.json');

describe("the dashboard's generated operations", () => {
  it('are up to date with the supergraph and the operations in dashboard/src (run `npm run dashboard:codegen` when this fails)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'dashboard-codegen.ts'), '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout.trim()).toBe('4 generated files are up to date');
  });

  it('lists every operation in the persisted-documents manifest under the SHA-256 of its text, in the form the gateway publishes', () => {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>;
    const names = Object.values(manifest).map((document) => /\b(?:query|subscription|mutation) (\w+)/.exec(document)?.[1]);
    expect(names.sort()).toEqual([
      'DashboardCohort', 'DashboardCohortGenes', 'DashboardCohortRisk',
      'DashboardCohortRiskDistribution', 'DashboardFindingsUpdated', 'DashboardGeneGraph', 'DashboardPatientAllTrials', 'DashboardPatientDecisions', 'DashboardPatientGenomics',
      'DashboardPatientRecord', 'DashboardPatientRisk', 'DashboardPatientSearch', 'DashboardRevealIdentifier', 'DashboardRiskUpdated', 'DashboardRiskWhatIf', 'DashboardVariantGraph',
    ]);
    for (const [hash, document] of Object.entries(manifest)) expect(hash).toBe(createHash('sha256').update(document).digest('hex'));
    // The gateway's trusted-documents store takes it as it is (`npm run pq -- publish dashboard/persisted-documents.json`).
    expect(parseManifest(manifest).documents.map((d) => d.operationName).sort()).toEqual(names.sort());
  });
});
