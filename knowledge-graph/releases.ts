/**
 * Public knowledge-base releases loaded at start-up, once: the files named in `releases.json`
 * (docs/knowledge-releases/knowledge-bases.md says what each is, where it came from and its licence).
 * The files are not in this repository (the search tool's terms keep fetched data files out of
 * developers' commits); KG_RELEASES_DIR names the directory that holds them (default
 * `knowledge-graph/data`), laid out as in the manifest. A release whose files are absent is skipped
 * with a log line; a file whose sha256 differs from the manifest is refused (a damaged copy).
 *
 * One `(:SourceRelease {source})` marker per source: version, checksum, `complete` (set last, after
 * the import finished) and what the release left in the graph (`expected`: nodes of the label the
 * import owns, carrying this release's `source`). On start, per source:
 * - marker complete, same checksum, written by the importer's current revision (`importerRevision`,
 *   importers/common.ts IMPORTER_REVISIONS), expected counts still there → nothing to do (one read);
 * - marker complete but written by an older importer revision (a graph loaded before an importer fix) → the
 *   import runs (outcome `repaired`); the importer itself sees its older run and imports the release again;
 * - marker missing or incomplete (first start, or a start that died mid-load) → the import runs; an
 *   ImportRun left unfinished by that start is resumed from its checkpoint (importers/common.ts);
 * - marker complete, but loaded over another seed than the one the graph holds now (`seedVersion`; markers from
 *   before it was recorded count as another): a seed loaded after the release MERGEs its 2015 HPO terms' is_a
 *   edges and its diseases' annotations back over the release's, so the release is imported again with --force
 *   semantics (outcome `repaired`) and gives them the release's again;
 * - marker complete but the graph holds fewer nodes than it recorded (damaged: nodes deleted, a restore
 *   from an older backup) → the import runs again with --force semantics; MERGE repairs without
 *   duplicating.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { Neo4jExecutor } from './executor';
import { importCivic } from './importers/civic';
import { IMPORTER_REVISIONS, SOURCE_LABELS, UNRECORDED_IMPORTER_REVISION, type ImportResult, type ImportSource } from './importers/common';
import { importHpo } from './importers/hpo';
import { inputChecksum } from './importers/input';
import manifest from './releases.json';
import { seedVersion } from './seed/seed-run';

export interface VendoredRelease {
  source: ImportSource;
  /** Paths under the releases directory, in the importer's argument order. */
  files: Array<{ path: string; sha256: string }>;
}

export const DEFAULT_RELEASES_DIR = path.join(__dirname, 'data');
/**
 * Where the steering repository places the release files: its `shared/` sits beside the clone, on developers'
 * machines and in CI (docs/knowledge-releases/knowledge-bases.md, "Where the files are").
 */
export const SHARED_RELEASES_DIR = path.join(REPO_ROOT, '..', 'shared', 'knowledge-releases');

/**
 * The releases folder when KG_RELEASES_DIR is not set: knowledge-graph/data when it exists (a user's own copy),
 * else the shared placement when that exists, else knowledge-graph/data (every release then logs as absent).
 */
export function releasesDirFrom(env: NodeJS.ProcessEnv, candidates: readonly string[] = [DEFAULT_RELEASES_DIR, SHARED_RELEASES_DIR]): string {
  if (env.KG_RELEASES_DIR) return env.KG_RELEASES_DIR;
  return candidates.find((dir) => fs.existsSync(dir) && fs.statSync(dir).isDirectory()) ?? candidates[0]!;
}

/** The node label an import owns, counted to tell a complete load from a damaged one. */
const OWNED_LABEL: Record<ImportSource, string> = { civic: 'Evidence', hpo: 'Phenotype', 'clinicaltrials.gov': 'Trial', cpic: 'Guideline' };

const READ_MARKER = `MATCH (s:SourceRelease {source: $source}) RETURN s {.version, .checksum, .complete, .expected, .importerRevision, .seedVersion} AS marker`;
const START_MARKER = `
  MERGE (s:SourceRelease {source: $source})
  SET s.version = $version, s.checksum = $checksum, s.complete = false, s.startedAt = datetime(), s.completedAt = null`;
// Written last: a start that dies before this line leaves complete = false and the next start repairs.
const COMPLETE_MARKER = `
  MATCH (s:SourceRelease {source: $source})
  SET s.version = $version, s.complete = true, s.completedAt = datetime(), s.importRun = $runId, s.expected = $expected,
      s.importerRevision = $importerRevision, s.seedVersion = $seedVersion`;

function countOwned(label: string): string {
  // The label comes from OWNED_LABEL (a constant), never from input.
  return `MATCH (n:${label}) WHERE n.source = $source RETURN count(n) AS n`;
}

export type ReleaseOutcome = 'current' | 'loaded' | 'repaired' | 'absent' | 'failed';

export type ReleaseImporter = (executor: Neo4jExecutor, release: VendoredRelease, files: string[], force: boolean) => Promise<ImportResult>;

/** The importer a user would run for each source (`npm run kg:import -- <source> <files>`). */
export const importRelease: ReleaseImporter = (executor, release, files, force) => {
  switch (release.source) {
    case 'civic':
      return importCivic(executor, files[0]!, { force });
    case 'hpo':
      return importHpo(executor, files[0]!, files[1]!, { force, ...(files[2] ? { genesToDiseaseFile: files[2] } : {}) });
    default:
      throw new Error(`no start-up loader for ${release.source}: its public release needs an adapter first`);
  }
};

async function ownedCount(executor: Neo4jExecutor, source: ImportSource, version: string): Promise<number> {
  const res = await executor.read<{ n: number }>(countOwned(OWNED_LABEL[source]), { source: `${SOURCE_LABELS[source]} ${version}` });
  return res.records[0]!.get('n');
}

/** Loads (or repairs) one release; see the module comment for the cases. */
export async function ensureRelease(
  executor: Neo4jExecutor,
  release: VendoredRelease,
  dir: string,
  log: Logger,
  importer: ReleaseImporter = importRelease,
): Promise<ReleaseOutcome> {
  const files = release.files.map((f) => path.join(dir, f.path));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    log.info({ source: release.source, missing }, 'knowledge-base release not present; skipped (see docs/knowledge-releases/knowledge-bases.md)');
    return 'absent';
  }
  for (const [i, f] of release.files.entries()) {
    const actual = await inputChecksum([files[i]!]);
    if (actual !== `sha256:${f.sha256}`) {
      throw new Error(`${files[i]}: sha256 ${actual.slice(7)} is not the manifest's ${f.sha256} (knowledge-graph/releases.json): a damaged or different copy`);
    }
  }
  const checksum = await inputChecksum(files);
  const marker = (await executor.read(READ_MARKER, { source: release.source })).records[0]?.get('marker') as
    | { version: string; checksum: string; complete: boolean; expected: number | null; importerRevision: number | null; seedVersion: string | null }
    | undefined;
  let damaged = false;
  let outdated = false;
  let force = false;
  // The seed the graph holds: ensureSeed (run before the releases) loads this version unless it is there.
  const seed = seedVersion();
  const revision = IMPORTER_REVISIONS[release.source];
  const markerRevision = marker?.importerRevision ?? UNRECORDED_IMPORTER_REVISION;
  if (marker?.complete && marker.checksum === checksum && markerRevision < revision) {
    log.warn({ source: release.source, version: marker.version, importerRevision: markerRevision, current: revision }, 'knowledge-base release loaded by an older importer; importing it again');
    outdated = true;
  } else if (marker?.complete && marker.checksum === checksum && marker.seedVersion !== seed) {
    log.warn({ source: release.source, version: marker.version, seed }, 'seed loaded again over a knowledge-base release; importing the release again');
    outdated = true;
    force = true;
  } else if (marker?.complete && marker.checksum === checksum) {
    const have = await ownedCount(executor, release.source, marker.version);
    if (marker.expected === null || have >= marker.expected) return 'current';
    damaged = true;
    log.warn({ source: release.source, version: marker.version, expected: marker.expected, found: have }, 'knowledge-base release damaged; importing it again');
  }
  await executor.write(START_MARKER, { source: release.source, version: marker?.version ?? null, checksum });
  log.info({ source: release.source, files: release.files.map((f) => f.path) }, 'loading knowledge-base release');
  let result = await importer(executor, release, files, damaged || force);
  // The import completed on an earlier start that died before the marker: nothing to write, but the
  // graph may still have lost nodes since; the count below decides, and a shortfall forces a reload.
  if (result.status === 'already-imported' && (await ownedCount(executor, release.source, result.version)) < (result.counts[countKey(release.source)] ?? 0)) {
    result = await importer(executor, release, files, true);
  }
  const expected = await ownedCount(executor, release.source, result.version);
  await executor.write(COMPLETE_MARKER, { source: release.source, version: result.version, runId: result.runId, expected, importerRevision: revision, seedVersion: seed });
  log.info({ source: release.source, version: result.version, counts: result.counts }, 'knowledge-base release loaded');
  return damaged || outdated ? 'repaired' : 'loaded';
}

/** The ImportRun count that corresponds to the owned label. */
function countKey(source: ImportSource): string {
  return { civic: 'evidence', hpo: 'phenotypes', 'clinicaltrials.gov': 'trials', cpic: 'guidelines' }[source];
}

/**
 * Every release of the manifest, in order (HPO before anything that links to its diseases). A release
 * that cannot be loaded is logged and left for the next start (its marker stays incomplete): the hub
 * still starts, on the seed and the releases that did load.
 */
export async function ensureReleases(executor: Neo4jExecutor, dir: string, log: Logger): Promise<Record<string, ReleaseOutcome>> {
  const out: Record<string, ReleaseOutcome> = {};
  for (const release of manifest.releases as VendoredRelease[]) {
    try {
      out[release.source] = await ensureRelease(executor, release, dir, log);
    } catch (error) {
      log.error({ source: release.source, err: error }, 'knowledge-base release not loaded; the next start tries again');
      out[release.source] = 'failed';
    }
  }
  return out;
}
