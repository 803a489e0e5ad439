/**
 * `npm run build`: every service, the command-line tools and the knowledge-graph importers compiled to
 * CommonJS JavaScript in dist/, in the source's own layout, a source map beside each file, and the
 * files the code reads at run time beside it (SDL, SQL migrations, reference JSON, the dashboard).
 * Production starts `node --enable-source-maps dist/<service>/index.js` (package.json `start:*:prod`).
 *
 * Why esbuild and not `tsc`: tsx, which runs the source today, is esbuild, so dist/ is the same
 * transform the tests and `npm start` run (same CommonJS interop), and it emits in about a second
 * where `tsc -p tsconfig.build.json` takes ~18 s on this machine (bench/service-start.bench.ts
 * prints both). Types are checked by `npm run typecheck`, not here. Files are transpiled one by
 * one, not bundled: code that finds its files through `__dirname` (migrations, PharmCAT tables,
 * the dashboard) keeps working because every asset sits at the same place relative to its code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ensureDashboardBuild, DASHBOARD_DIST } from './dashboard-build';

export const ROOT = path.join(__dirname, '..');
export const DIST = path.join(ROOT, 'dist');

/** The folders compiled: everything a service, importer or production CLI imports lives here. */
export const SOURCE_DIRS = ['lib', 'gateway', 'subgraphs', 'knowledge-graph', 'schema', 'scripts'];

/**
 * Left out: tests and their fixtures, the embedded Neo4j launcher (Java; a cluster runs Neo4j as its
 * own workload), the Maven-resolved model (MODEL_DIR names a model folder in production) and
 * downloaded knowledge releases (KG_RELEASES_DIR).
 */
const EXCLUDED = [
  /\.test\.ts$/,
  /(^|\/)fixtures\//,
  /^knowledge-graph\/importers\/test-support\.ts$/,
  /^knowledge-graph\/launcher\//,
  /^knowledge-graph\/data\//,
  /^subgraphs\/inference\/nlp\/model\//,
  /^subgraphs\/genomics\/domain\/pharmacogenomics\/data\/pharmcat-tests\//,
];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
    });
}

/** Source files (relative, `/`-separated) split into what esbuild compiles and what is copied as is. */
export function buildInputs(root = ROOT): { compiled: string[]; copied: string[] } {
  const files = SOURCE_DIRS.flatMap((dir) => filesUnder(path.join(root, dir)))
    .map((file) => path.relative(root, file).split(path.sep).join('/'))
    .filter((file) => !EXCLUDED.some((pattern) => pattern.test(file)));
  return {
    compiled: files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
    copied: files.filter((file) => !file.endsWith('.ts')),
  };
}

export interface BuildReport {
  compiled: number;
  copied: number;
  dashboard: 'current' | 'built';
  seconds: number;
}

/** Builds into `outDir` (dist/ unless a test names another folder inside the checkout, where node_modules resolves). */
export async function buildDist(outDir = DIST): Promise<BuildReport> {
  const started = Date.now();
  // The gateway serves dashboard/dist and publishes dashboard/persisted-documents.json from beside
  // its own code (gateway/dashboard.ts, gateway/publish-manifest.ts), so both go into dist/dashboard.
  const dashboard = await ensureDashboardBuild();
  const { compiled, copied } = buildInputs();
  fs.rmSync(outDir, { recursive: true, force: true });
  const options = {
    absWorkingDir: ROOT,
    outdir: outDir,
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Stack traces need only the mappings; the image carries no TypeScript.
    sourcesContent: false,
    logLevel: 'warning',
  } as const;
  // node-pg-migrate loads every file in a migrations folder, so a .map file there fails the start:
  // migrations carry their map inline.
  const migration = (file: string) => /(^|\/)[a-z-]*migrations\//.test(file);
  await Promise.all([
    build({ ...options, entryPoints: compiled.filter((file) => !migration(file)), sourcemap: 'linked' }),
    build({ ...options, entryPoints: compiled.filter(migration), sourcemap: 'inline' }),
  ]);
  for (const file of copied) {
    fs.mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(outDir, file));
  }
  fs.cpSync(DASHBOARD_DIST, path.join(outDir, 'dashboard', 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'dashboard', 'persisted-documents.json'), path.join(outDir, 'dashboard', 'persisted-documents.json'));
  return { compiled: compiled.length, copied: copied.length, dashboard, seconds: (Date.now() - started) / 1000 };
}

if (require.main === module) {
  buildDist().then(
    (report) =>
      console.log(
        `dist/: ${report.compiled} files compiled, ${report.copied} copied, dashboard ${report.dashboard}, in ${report.seconds.toFixed(1)} s`,
      ),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
