/**
 * The dashboard's patient page in headless Chromium (playwright-core, /usr/bin/chromium) for a patient
 * with 1,000 observations (6 LOINC codes, wearable heart rate among them) and 200 variant calls, and
 * the gzipped size of what the initial route downloads.
 *
 *   npm run bench:dashboard [-- --runs 7]
 *
 * Starts the whole hub (embedded Neo4j in a temp folder, database `precision_hub_bench`), builds the
 * dashboard when stale, then loads the page `runs` times, each in a fresh browser context (cold HTTP
 * cache, new graphql-ws connection). Reported per run, from navigation start:
 *   - first contentful paint (the browser's `paint` entry);
 *   - first meaningful paint: the patient's name, demographics and latest vitals/labs painted
 *     (User Timing mark `patient-record-painted`, set by the app after the frame that shows them);
 *   - complete: every panel (variants with therapies, risk, alerts, trials) painted (`patient-360-painted`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { createLogger } from '../lib/logger';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { benchHubConfig } from './bench-hub';
import { DASHBOARD_DIST, ensureDashboardBuild } from '../scripts/dashboard-build';
import { bearerToken } from '../tests/support/auth';
import { gql } from '../tests/support/graphql';
import { numberOption } from './options';

const RUNS = numberOption('runs', 7);
const OBSERVATIONS = 1000;
const VARIANTS = 200;
const ORG = 'bench-dashboard';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  isEntry?: boolean;
}

/** The files the patient route loads before it can paint: the entry, the patient view, their static imports and CSS. */
export function initialRouteFiles(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Set<string>(['index.html']);
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit('index.html');
  visit('src/views/PatientView.tsx');
  return [...files];
}

function bundleSizes() {
  const manifest = JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gzip = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(DASHBOARD_DIST, file))).length;
  const initial = initialRouteFiles(manifest).map((file) => ({ file, raw: fs.statSync(path.join(DASHBOARD_DIST, file)).size, gzip: gzip(file) }));
  const graph = Object.values(manifest).find((c) => c.file.includes('cytoscape'));
  return { initial, graphChunk: graph ? { file: graph.file, gzip: gzip(graph.file) } : undefined };
}

/** 1,000 observations over two years: blood pressure, lipids, HbA1c at visits, and a wearable heart-rate stream. */
function observations(): unknown[] {
  const start = Date.UTC(2025, 0, 1);
  const codes: [string, string, number, number][] = [
    ['8480-6', 'mm[Hg]', 120, 30], ['8462-4', 'mm[Hg]', 75, 20], ['2093-3', 'mg/dL', 180, 60], ['2085-9', 'mg/dL', 45, 20], ['4548-4', '%', 5.4, 1.5],
  ];
  const visits = codes.flatMap(([code, unit, base, spread], c) =>
    Array.from({ length: 40 }, (_, i) => ({ code, unit, value: Math.round((base + spread * Math.abs(Math.sin(i * 7 + c))) * 10) / 10, at: start + i * 18 * 86_400_000 })));
  const heartRate = Array.from({ length: OBSERVATIONS - visits.length }, (_, i) => ({ code: '8867-4', unit: '/min', value: 55 + (i % 50), at: start + i * 3_600_000 }));
  return [...visits, ...heartRate].map((o, i) => ({
    resourceType: 'Observation', id: `bench-dashboard-${i}`, status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: o.code }] },
    effectiveDateTime: new Date(o.at).toISOString(),
    valueQuantity: { value: o.value, unit: o.unit, system: 'http://unitsofmeasure.org', code: o.unit },
  }));
}

/** BRAF V600E and 199 other SNVs inside BRAF (GRCh38 7:140,719,327–140,924,929), one every 900 bp. */
const variantCalls = () => [
  { chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' },
  ...Array.from({ length: VARIANTS - 1 }, (_, i) => ({ chrom: '7', pos: 140_720_001 + i * 900, ref: 'C', alt: 'G', genotype: '0/1' })),
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const log = createLogger('bench', 'warn');
  const config = benchHubConfig();
  const built = await ensureDashboardBuild();
  const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
  const hub = await startHub(config, neo4j.connection, log);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url,
      `mutation ($org: String!) { createPatient(input: { name: "Bench Dashboard", birthDate: "1961-04-04", sex: MALE, race: WHITE, organization: $org }) { id } }`, { org: ORG });
    const id = created.data?.createPatient.id;
    if (!id) throw new Error(JSON.stringify(created.errors));
    const added = await gql(hub.gateway.url, `mutation ($id: ID!, $obs: [JSON!]!) { addObservations(patientId: $id, observations: $obs) { created rejected { reason } } }`, { id, obs: observations() });
    const calls = await gql(hub.gateway.url, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, { id, calls: variantCalls() });
    if (added.errors || calls.errors) throw new Error(JSON.stringify([added.errors, calls.errors]));
    const token = await bearerToken({ role: 'clinician', org: ORG, sub: 'bench-dashboard', expiresIn: 3600 });
    const url = `${hub.gateway.url.replace(/\/graphql$/, '')}/dashboard/patients/${id}#token=${token}`;

    const runs: { fcp: number; meaningful: number; complete: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('patient-360-painted').length > 0, undefined, { timeout: 30_000 });
      const rows = await page.locator('[data-testid="panel-variants"] tbody tr').count();
      if (rows !== VARIANTS) throw new Error(`expected ${VARIANTS} variant rows, saw ${rows}`);
      runs.push(await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        meaningful: performance.getEntriesByName('patient-record-painted')[0]!.startTime,
        complete: performance.getEntriesByName('patient-360-painted')[0]!.startTime,
      })));
      await context.close();
    }
    const sizes = bundleSizes();
    const total = sizes.initial.reduce((sum, f) => sum + f.gzip, 0);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log([
      `dashboard ${built === 'built' ? 'built now' : 'build current'}; ${OBSERVATIONS} observations, ${VARIANTS} variants; ${RUNS} page loads, fresh context each; node ${process.version}, ${os.cpus().length} cores`,
      '',
      '| measure (from navigation start) | median | first load | worst |',
      '| --- | ---: | ---: | ---: |',
      ...(['fcp', 'meaningful', 'complete'] as const).map((key) => {
        const values = runs.map((r) => r[key]);
        const label = { fcp: 'first contentful paint', meaningful: 'first meaningful paint (name, demographics, latest labs)', complete: 'every panel painted' }[key];
        return `| ${label} | ${ms(median(values))} | ${ms(values[0]!)} | ${ms(Math.max(...values))} |`;
      }),
      '',
      '| initial route file | bytes | gzipped |',
      '| --- | ---: | ---: |',
      ...sizes.initial.map((f) => `| ${f.file} | ${f.raw} | ${f.gzip} |`),
      `| **total** | ${sizes.initial.reduce((s, f) => s + f.raw, 0)} | **${total} (${(total / 1024).toFixed(1)} KiB)** |`,
      '',
      sizes.graphChunk ? `graph-drawing chunk, loaded only by the knowledge-graph view: ${sizes.graphChunk.file} ${(sizes.graphChunk.gzip / 1024).toFixed(1)} KiB gzipped` : '',
    ].join('\n'));
    console.log('\nper run:', JSON.stringify(runs.map((r) => ({ fcp: Math.round(r.fcp), meaningful: Math.round(r.meaningful), complete: Math.round(r.complete) }))));
  } finally {
    await browser.close();
    await hub.close();
    await neo4j.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
