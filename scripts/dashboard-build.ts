/**
 * Builds the dashboard (Vite, offline) when dashboard/dist is missing or was built from other sources:
 * `npm start` and the browser tests call `ensureDashboardBuild`; `npm run dashboard:build` forces one.
 * The build's inputs are hashed into dist/.source-hash, so a checkout that changed only the server
 * never rebuilds, and a pulled dashboard change always does.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
export const DASHBOARD_DIR = path.join(ROOT, 'dashboard');
export const DASHBOARD_DIST = path.join(DASHBOARD_DIR, 'dist');
const HASH_FILE = path.join(DASHBOARD_DIST, '.source-hash');
const VITE_CONFIG = path.join(DASHBOARD_DIR, 'vite.config.mts');
const VITE_BIN = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const INPUTS = ['index.html', 'vite.config.mts', 'tsconfig.json', 'src'];

function filesUnder(entry: string): string[] {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return [entry];
  return fs.readdirSync(entry).sort().flatMap((name) => filesUnder(path.join(entry, name)));
}

/** sha256 over the dashboard's sources and the locked dependency versions. */
export function dashboardSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...INPUTS.flatMap((input) => filesUnder(path.join(DASHBOARD_DIR, input))), path.join(ROOT, 'package-lock.json')]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function dashboardBuildIsCurrent(): boolean {
  return fs.existsSync(path.join(DASHBOARD_DIST, 'index.html')) && fs.existsSync(HASH_FILE) && fs.readFileSync(HASH_FILE, 'utf8') === dashboardSourceHash();
}

/** Runs `vite build` in a child process (Vite is ES-module only; this keeps it out of the hub's process). */
export async function buildDashboard(): Promise<void> {
  const hash = dashboardSourceHash();
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE_BIN, 'build', '--config', VITE_CONFIG], {
      cwd: ROOT,
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`dashboard build failed (vite exited ${code}):\n${Buffer.concat(output).toString()}`);
  fs.writeFileSync(HASH_FILE, hash);
}

/** Builds unless the current build came from these sources; says which it did. */
export async function ensureDashboardBuild(): Promise<'current' | 'built'> {
  if (dashboardBuildIsCurrent()) return 'current';
  await buildDashboard();
  return 'built';
}

if (require.main === module) {
  const started = Date.now();
  buildDashboard().then(
    () => console.log(`dashboard built into ${path.relative(ROOT, DASHBOARD_DIST)} in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
