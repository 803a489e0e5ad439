/**
 * Patient search on a million patients (issue 21: p99 ≤ 50 ms through the gateway): the dashboard's
 * DashboardPatientSearch document, sent through a running hub's gateway one request at a time, for
 * each kind of search a clinician makes, as a clinician of one organisation (a fifth of the patients)
 * and as an admin (all of them). Terms vary from request to request (name prefixes of 1 to 7 letters,
 * typed with or without accents, two-word queries, birth dates, MRNs), so the figures are not one
 * cached plan and page. Then EXPLAIN (ANALYZE) of the name search statement shows the index used.
 *
 *   npx tsx bench/patient-search.bench.ts [--patients 1000000] [--requests 300] [--reload 1]
 *
 * Uses SEARCH_BENCH_DATABASE_URL, by default database `precision_hub_bench_search` (its own: the
 * other benches replace the patients of precision_hub_bench). The population is generated with a fixed
 * seed and loaded with COPY once; later runs reuse it unless --reload 1 or --patients differs. Run
 * `npm run compose && npm run dashboard:codegen` first (the document comes from
 * dashboard/persisted-documents.json). Prefix NODE_ENV=production to measure a production setup.
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate, type Pool } from '../lib/postgres';
import { ensureKnowledgeGraph } from '../knowledge-graph/bootstrap';
import { startHub } from '../scripts/hub';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { nameSearchStatement } from '../subgraphs/patient/repository/patient-search';
import { bearer } from '../tests/support/auth';
import { gql } from '../tests/support/graphql';
import documents from '../dashboard/persisted-documents.json';
import { benchHubConfig } from './bench-hub';
import { numberOption } from './options';

const PATIENTS = numberOption('patients', 1_000_000);
const REQUESTS = numberOption('requests', 300);
const RELOAD = numberOption('reload', 0) === 1;
const DATABASE_URL = process.env.SEARCH_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench_search';
const ORGANISATIONS = ['org-bench-1', 'org-bench-2', 'org-bench-3', 'org-bench-4', 'org-bench-5'];
const CLINICIAN_ORG = ORGANISATIONS[0]!;

const SEARCH = Object.values(documents as Record<string, string>).find((d) => /query DashboardPatientSearch\b/.test(d));
if (!SEARCH) throw new Error('DashboardPatientSearch is not in dashboard/persisted-documents.json: run npm run dashboard:codegen');

// Names as a European and American hospital sees them: accents, umlauts, ß, ø, ł, apostrophes, hyphens.
const GIVEN = [
  'Anna', 'Jörg', 'José', 'María', 'François', 'Zoë', 'Søren', 'Łukasz', 'Ángel', 'Renée', 'Björn', 'Chloé', 'Inés', 'Jürgen', 'Håkon',
  'Noémie', 'Sébastien', 'Małgorzata', 'Ana', 'Lena', 'Mark', 'Emma', 'Olivia', 'Liam', 'Noah', 'Sofía', 'Lucía', 'Hélène', 'Dörte', 'Günther',
  'Ines', 'Mia', 'Ben', 'Paul', 'Elif', 'Ayşe', 'Mehmet', 'Çağla', 'Ömer', 'Tomáš', 'Jiří', 'Dvořák', 'Zoltán', 'Réka', 'Ada', 'Grace', 'Alan',
  'Marie', 'Jean-Luc', 'Anne-Sophie', 'Karl', 'Heinz', 'Ute', 'Sven', 'Astrid', 'Ingrid', 'Nils', 'Oddný', 'Þóra', 'Siobhán', 'Seán', 'Niamh',
];
const FAMILY = [
  'Müller', 'Mueller', 'Muller', 'Schäfer', 'Schaefer', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Weiss', 'Wagner', 'Becker', 'Hoffmann',
  'Schröder', 'Köhler', 'Krüger', 'Jäger', 'Böhm', 'García', 'González', 'Rodríguez', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez',
  'Núñez', 'Muñoz', 'Ibáñez', 'Lefèvre', 'Dubois', 'Leroy', 'Moreau', 'Gérard', 'Bézier', 'Østergaard', 'Søndergaard', 'Kowalski',
  'Wiśniewski', 'Nowak', 'Wójcik', 'Łęcki', 'Dvořáková', 'Novák', 'Horváth', 'Szabó', 'Yılmaz', 'Öztürk', 'Çelik', 'O’Brien', "O'Connor",
  'MacDonald', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner',
  'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Kim', 'Park', 'Choi', 'Tanaka', 'Suzuki', 'Satō', 'Müller-Lüdenscheidt', 'García-Márquez', 'de la Cruz',
];
// Rarer family names: syllable compounds, so that a full family name search has tens of patients, not thousands.
const ROOTS = ['Berg', 'Stein', 'Feld', 'Wald', 'Bach', 'Brück', 'Hof', 'Mühl', 'Lind', 'Rosen', 'Eich', 'Sonn', 'Kirch', 'Gräf', 'Hahn', 'Vogel', 'Fuchs', 'Wolf', 'Bär', 'Löw'];
const ENDINGS = ['mann', 'er', 'ner', 'inger', 'hauser', 'berger', 'meier', 'bauer', 'schmidt', 'huber', 'ström', 'sen', 'son', 'ez', 'ini', 'escu', 'ová', 'ić', 'ski', 'elli'];
const COMPOUNDS = ROOTS.flatMap((root) => ENDINGS.map((ending) => root + ending));

/** Deterministic generator (mulberry32): every run and every machine loads the same population. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  id: string;
  name: string;
  birthDate: string;
  organisation: string;
  mrn: string;
}

function uuidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function* people(count: number): Generator<Person> {
  const next = random(42);
  const day0 = Date.UTC(1925, 0, 1);
  for (let n = 0; n < count; n++) {
    // Half the patients carry a common family name (skewed towards the first ones), half a rarer compound.
    const family = next() < 0.5 ? FAMILY[Math.floor(next() ** 2 * FAMILY.length)]! : COMPOUNDS[Math.floor(next() * COMPOUNDS.length)]!;
    const given = GIVEN[Math.floor(next() * GIVEN.length)]!;
    const middle = next() < 0.2 ? ` ${GIVEN[Math.floor(next() * GIVEN.length)]!}` : '';
    const birthDate = new Date(day0 + Math.floor(next() * 36_500) * 86_400_000).toISOString().slice(0, 10);
    yield { id: uuidFrom(next), name: `${given}${middle} ${family}`, birthDate, organisation: ORGANISATIONS[n % ORGANISATIONS.length]!, mrn: `MRN${String(n).padStart(8, '0')}` };
  }
}

const copyText = (value: string) => value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

async function copyRows(pool: Pool, statement: string, rows: Iterable<string>): Promise<void> {
  const client = await pool.connect();
  try {
    await pipeline(Readable.from(rows), client.query(copyFrom(statement)));
  } finally {
    client.release();
  }
}

function* batch<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let current: T[] = [];
  for (const item of items) {
    current.push(item);
    if (current.length === size) {
      yield current;
      current = [];
    }
  }
  if (current.length) yield current;
}

/** Loads the population with COPY (patients in batches of 100,000: each batch fires the name-token trigger once). */
async function load(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM patient.patients WHERE managing_organization LIKE 'org-bench-%'`);
  if (!RELOAD && Number(rows[0]!.n) === PATIENTS) {
    console.log(`reusing the ${PATIENTS} patients already loaded (--reload 1 to load again)`);
    return;
  }
  await pool.query('TRUNCATE patient.patients CASCADE');
  const started = performance.now();
  let loaded = 0;
  for (const group of batch(people(PATIENTS), 100_000)) {
    await copyRows(pool, 'COPY patient.patients (id, name, birth_date, sex, managing_organization) FROM STDIN',
      group.map((p) => `${p.id}\t${copyText(p.name)}\t${p.birthDate}\t${loaded++ % 2 ? 'male' : 'female'}\t${p.organisation}\n`));
  }
  const patientsSeconds = (performance.now() - started) / 1000;
  await copyRows(pool, 'COPY patient.identifiers (system, value, patient_id) FROM STDIN',
    (function* () {
      for (const p of people(PATIENTS)) yield `urn:bench:mrn\t${p.mrn}\t${p.id}\n`;
    })());
  // VACUUM sets the visibility map, so the token index is read index-only, as on a settled production table.
  await pool.query('VACUUM ANALYZE patient.patients, patient.identifiers, patient.patient_name_tokens');
  const { rows: tokens } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM patient.patient_name_tokens');
  console.log(`loaded ${PATIENTS} patients (${tokens[0]!.n} name tokens) in ${patientsSeconds.toFixed(0)} s, identifiers and ANALYZE in ${((performance.now() - started) / 1000 - patientsSeconds).toFixed(0)} s`);
}

/** Sample people of the population, for birth dates, MRNs and names that exist. */
function samples(count: number): Person[] {
  const every = Math.max(1, Math.floor(PATIENTS / count));
  const picked: Person[] = [];
  let n = 0;
  for (const person of people(PATIENTS)) if (n++ % every === 0 && person.organisation === CLINICIAN_ORG) picked.push(person);
  return picked;
}

const familyOf = (p: Person) => p.name.split(' ').at(-1)!;
const givenOf = (p: Person) => p.name.split(' ')[0]!;
const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

/** Each kind of search with a term per request, cycling through the samples. */
function searches(sample: Person[]): [string, (i: number) => Record<string, string>][] {
  const at = (i: number) => sample[i % sample.length]!;
  return [
    ['name, 1 letter ("m")', (i) => ({ name: familyOf(at(i)).slice(0, 1) })],
    ['name, 3 letters as typed ("mül")', (i) => ({ name: familyOf(at(i)).slice(0, 3) })],
    ['name, 3 letters without accents ("mul")', (i) => ({ name: plain(familyOf(at(i))).slice(0, 3) })],
    ['family name in full', (i) => ({ name: familyOf(at(i)) })],
    ['given + family prefix ("anna mü")', (i) => ({ name: `${givenOf(at(i))} ${familyOf(at(i)).slice(0, 2)}` })],
    ['birth date', (i) => ({ birthDate: at(i).birthDate })],
    ['name prefix + birth date', (i) => ({ name: familyOf(at(i)).slice(0, 2), birthDate: at(i).birthDate })],
    ['identifier (MRN)', (i) => ({ identifier: at(i).mrn })],
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A patient read by hub id through the same gateway: what any identified read costs there, for the ratio. */
const BY_ID = `query BenchPatientById($id: ID!) { patient(id: $id) { id name birthDate sex } }`;

type Request = { query: string; variables: Record<string, unknown>; count: (data: Record<string, unknown>) => number };

const searchRequest = (filter: Record<string, string>): Request => ({
  query: SEARCH!,
  variables: { filter, first: 10 },
  count: (data) => (data as { patients: { edges: unknown[] } }).patients.edges.length,
});

async function measure(url: string, headers: Record<string, string>, requestAt: (i: number) => Request) {
  const times: number[] = [];
  let results = 0;
  for (let i = -20; i < REQUESTS; i++) {
    const request = requestAt(Math.abs(i));
    const started = performance.now();
    const answer = await gql(url, request.query, request.variables, headers);
    const ms = performance.now() - started;
    if (answer.errors) throw new Error(`${JSON.stringify(request.variables)} failed: ${JSON.stringify(answer.errors)}`);
    // The first 20 warm up (JIT, plans, pool connections) and are not counted.
    if (i >= 0) {
      times.push(ms);
      results += request.count(answer.data!);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1)!, results: results / REQUESTS };
}

async function explain(pool: Pool, label: string, prefixes: string[], organisation?: string) {
  const { text, values } = nameSearchStatement({ prefixes, ...(organisation ? { organisation } : {}) }, { organization: organisation ?? null }, 10, null);
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
  console.log(`\nEXPLAIN ANALYZE, name search ${label}:\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
}

async function main() {
  const log = createLogger('bench', 'warn');
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL, 'patient', PATIENT_MIGRATIONS, log);
  const pool = createPool(DATABASE_URL, 4);
  try {
    await load(pool);
    const config = benchHubConfig({ DATABASE_URL });
    const neo4j = await ensureKnowledgeGraph(config.neo4j, log);
    const hub = await startHub(config, neo4j.connection, log);
    try {
      const sample = samples(2000);
      const callers: [string, Record<string, string>][] = [
        [`clinician (${CLINICIAN_ORG}, ${PATIENTS / ORGANISATIONS.length} patients)`, await bearer({ role: 'clinician', org: CLINICIAN_ORG, sub: 'bench-clinician' })],
        [`admin (all ${PATIENTS} patients)`, await bearer({ role: 'admin', sub: 'bench-admin' })],
      ];
      const lines = ['| search (first: 10) | caller | p50 ms | p99 ms | max ms | results / request |', '| --- | --- | ---: | ---: | ---: | ---: |'];
      const kinds: [string, (i: number) => Request][] = [
        ['patient(id) by hub id (baseline)', (i) => ({ query: BY_ID, variables: { id: sample[i % sample.length]!.id }, count: (d) => (d.patient ? 1 : 0) })],
        ...searches(sample).map(([label, filterAt]): [string, (i: number) => Request] => [label, (i) => searchRequest(filterAt(i))]),
      ];
      for (const [label, requestAt] of kinds) {
        for (const [caller, headers] of callers) {
          const r = await measure(hub.gateway.url, headers, requestAt);
          lines.push(`| ${label} | ${caller.split(' ')[0]} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.results.toFixed(1)} |`);
          console.log(lines.at(-1));
        }
      }
      console.log(
        `\n${lines.join('\n')}\n\n${PATIENTS} patients in ${ORGANISATIONS.length} organisations, ${REQUESTS} sequential requests per row through the gateway ` +
          `(bearer token, identity assertion, audit records written), NODE_ENV=${process.env.NODE_ENV || '(unset)'}, node ${process.version}, ${os.cpus().length} cores`,
      );
      const { rows } = await pool.query<{ folded: string }>(`SELECT patient.search_fold('mül') AS folded`);
      await explain(pool, `"mül" as a clinician`, [rows[0]!.folded], CLINICIAN_ORG);
      await explain(pool, '"m" as an admin', ['m']);
      await explain(pool, '"anna mü" as a clinician', ['anna', 'mu'], CLINICIAN_ORG);
    } finally {
      await hub.close();
      await neo4j.close();
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
