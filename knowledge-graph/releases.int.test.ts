import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createLogger } from '../lib/logger';
import type { Neo4jExecutor } from './executor';
import { importCivic } from './importers/civic';
import { IMPORTER_REVISIONS, SOURCE_LABELS } from './importers/common';
import { randomDigits, randomTag, tempDir, testExecutor } from './importers/test-support';
import { ensureRelease, importRelease, type ReleaseImporter, type VendoredRelease } from './releases';
import { seedVersion } from './seed/seed-run';

const log = createLogger('test', 'silent');

// ClinicalEvidenceSummaries.tsv header of CIViC's molecular-profile releases.
const HEADER = [
  'molecular_profile', 'molecular_profile_id', 'disease', 'doid', 'therapies', 'evidence_type', 'evidence_direction', 'evidence_level',
  'significance', 'citation_id', 'source_type', 'citation', 'evidence_status', 'evidence_id',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const drawn = new Set<string>();

/**
 * A release date no release in the graph has used (`DD-Mon-YYYY`, as CIViC names its files), so a release's
 * `expected` count (owned nodes whose source is "CIViC <date>") is this test's alone. A random date was not
 * enough: two tests of one run drew the same of 2,800 dates and the later one counted the earlier one's evidence.
 */
async function unusedCivicVersion(executor: Neo4jExecutor): Promise<string> {
  for (;;) {
    const version = `${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}-${MONTHS[Math.floor(Math.random() * 12)]}-${randomDigits(4)}`;
    if (drawn.has(version)) continue;
    drawn.add(version);
    const used = await executor.read<{ n: number }>(
      `CALL { MATCH (e:Evidence {source: $source}) RETURN count(e) AS n UNION ALL MATCH (r:ImportRun {source: 'civic', version: $version}) RETURN count(r) AS n }
       RETURN sum(n) AS n`,
      { source: `${SOURCE_LABELS.civic} ${version}`, version },
    );
    if (used.records[0]!.get('n') === 0) return version;
  }
}

/**
 * A synthetic CIViC release, gzipped as vendored, in a releases directory of its own, dated `version`.
 * SourceRelease is one marker per source, so the test owns the civic marker only while it runs (the tests of
 * this file run one after another).
 */
function civicRelease(tag: string, evidence: number, version: string) {
  const dir = tempDir();
  const eid = randomDigits(7);
  const rows = Array.from({ length: evidence }, (_, i) =>
    [`BRAF${tag} V600E`, randomDigits(6), `Melanoma ${tag}`, randomDigits(8), `Drug${tag}`, 'Predictive', 'Supports', 'B',
      'Sensitivity/Response', '21639808', 'PubMed', 'Chapman et al., 2011', 'accepted', `${eid}${i}`].join('\t'),
  );
  const name = `civic/${version}-ClinicalEvidenceSummaries.tsv.gz`;
  fs.mkdirSync(path.join(dir, 'civic'));
  const bytes = zlib.gzipSync([HEADER.join('\t'), ...rows].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, name), bytes);
  const release: VendoredRelease = { source: 'civic', files: [{ path: name, sha256: createHash('sha256').update(bytes).digest('hex') }] };
  return { dir, release, prefix: `civic:EID${eid}` };
}

describe('public releases at start-up', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());
  const newRelease = async (evidence: number) => civicRelease(randomTag(), evidence, await unusedCivicVersion(executor));

  const evidenceCount = async (prefix: string) =>
    (await executor.read<{ n: number }>('MATCH (e:Evidence) WHERE e.id STARTS WITH $prefix RETURN count(e) AS n', { prefix })).records[0]!.get('n');
  const marker = async () =>
    (await executor.read("MATCH (s:SourceRelease {source: 'civic'}) RETURN s {.complete, .checksum, .expected, .version, .importerRevision, .seedVersion} AS s")).records[0]!.get('s') as Record<string, unknown>;

  it('loads a release on first start only, and writes its marker complete last', async () => {
    const { dir, release, prefix } = await newRelease(3);
    expect(await ensureRelease(executor, release, dir, log)).toBe('loaded');
    expect(await evidenceCount(prefix)).toBe(3);
    expect(await marker()).toMatchObject({ complete: true, checksum: `sha256:${release.files[0]!.sha256}`, expected: 3 });
    let calls = 0;
    const counting: ReleaseImporter = (...args) => {
      calls += 1;
      return importRelease(...args);
    };
    expect(await ensureRelease(executor, release, dir, log, counting)).toBe('current');
    expect(calls).toBe(0);
  });

  it('repairs a load that died before its marker was complete (the interrupted import resumes)', async () => {
    const { dir, release, prefix } = await newRelease(4);
    // A start that died after the first batch: the importer fails mid-way, the marker stays incomplete.
    const dying: ReleaseImporter = async (ex, _release, files) => {
      let batches = 0;
      const write = ex.write.bind(ex);
      const flaky = Object.create(ex) as typeof ex;
      flaky.write = (cypher, params) => (cypher.includes('UNWIND $rows') && ++batches > 1 ? Promise.reject(new Error('killed')) : write(cypher, params));
      return importCivic(flaky, files[0]!, { batchSize: 1 });
    };
    await expect(ensureRelease(executor, release, dir, log, dying)).rejects.toThrow('killed');
    expect(await marker()).toMatchObject({ complete: false });
    expect(await evidenceCount(prefix)).toBe(1);

    expect(await ensureRelease(executor, release, dir, log)).toBe('loaded');
    expect(await evidenceCount(prefix)).toBe(4);
    expect(await marker()).toMatchObject({ complete: true, expected: 4 });
  });

  it('repairs a complete release whose nodes were lost since, without duplicating any', async () => {
    const { dir, release, prefix } = await newRelease(3);
    await ensureRelease(executor, release, dir, log);
    await executor.write('MATCH (e:Evidence) WHERE e.id STARTS WITH $prefix WITH e LIMIT 2 DETACH DELETE e', { prefix });
    expect(await evidenceCount(prefix)).toBe(1);
    expect(await ensureRelease(executor, release, dir, log)).toBe('repaired');
    expect(await evidenceCount(prefix)).toBe(3);
    expect(await ensureRelease(executor, release, dir, log)).toBe('current');
  });

  it('imports a complete release again when its marker was written by an older importer revision (a graph loaded before an importer fix)', async () => {
    const { dir, release, prefix } = await newRelease(2);
    await ensureRelease(executor, release, dir, log);
    expect(await marker()).toMatchObject({ complete: true, importerRevision: IMPORTER_REVISIONS.civic });
    await executor.write("MATCH (s:SourceRelease {source: 'civic'}) SET s.importerRevision = $older", { older: IMPORTER_REVISIONS.civic - 1 });
    let calls = 0;
    const counting: ReleaseImporter = (...args) => {
      calls += 1;
      return importRelease(...args);
    };
    expect(await ensureRelease(executor, release, dir, log, counting)).toBe('repaired');
    expect(calls).toBe(1);
    expect(await marker()).toMatchObject({ complete: true, importerRevision: IMPORTER_REVISIONS.civic, expected: 2 });
    expect(await evidenceCount(prefix)).toBe(2);
    expect(await ensureRelease(executor, release, dir, log, counting)).toBe('current');
    expect(calls).toBe(1);
  });

  it('imports a complete release again, forced, when it was loaded over another seed (a seed loaded since MERGEs its 2015 edges back)', async () => {
    const { dir, release, prefix } = await newRelease(2);
    await ensureRelease(executor, release, dir, log);
    expect(await marker()).toMatchObject({ complete: true, seedVersion: seedVersion() });
    await executor.write("MATCH (s:SourceRelease {source: 'civic'}) SET s.seedVersion = 'an older seed'");
    const forced: boolean[] = [];
    const recording: ReleaseImporter = (ex, r, files, force) => {
      forced.push(force);
      return importRelease(ex, r, files, force);
    };
    expect(await ensureRelease(executor, release, dir, log, recording)).toBe('repaired');
    expect(forced).toEqual([true]);
    expect(await evidenceCount(prefix)).toBe(2);
    expect(await marker()).toMatchObject({ complete: true, seedVersion: seedVersion() });
    expect(await ensureRelease(executor, release, dir, log, recording)).toBe('current');
    expect(forced).toEqual([true]);
  });

  it('skips a release whose files are absent and refuses a copy whose sha256 differs from the manifest', async () => {
    const { dir, release } = await newRelease(1);
    expect(await ensureRelease(executor, release, tempDir(), log)).toBe('absent');
    const wrong: VendoredRelease = { ...release, files: [{ ...release.files[0]!, sha256: '0'.repeat(64) }] };
    await expect(ensureRelease(executor, wrong, dir, log)).rejects.toThrow(/is not the manifest's 0{64}.*damaged or different copy/);
  });
});
