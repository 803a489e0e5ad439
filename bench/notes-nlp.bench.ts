/**
 * Clinical-note NLP (issue 8): (a) sentences embedded per second by `SentenceEmbedder` at batch sizes
 * 1, 8, 32 and 64, with RSS after loading; (b) notes processed per second end to end by
 * `NotesProcessor.processPatients` — sentence split, embedding, dictionary/pattern/embedding findings
 * with negation, and the PostgreSQL writes (runs, findings, sentence vectors) in a database of its own.
 *
 *   npx tsx bench/notes-nlp.bench.ts [--sentences 2000] [--rounds 2] [--patients 100] [--notes-per-patient 3] [--per-call 20] [--seed 8]
 *
 * The two subgraph reads are stubbed in process: the patient subgraph (`patientsOf` answers generated
 * notes) and the knowledge graph (`conceptDictionary` answers the curated seed: HPO terms as phenotypes,
 * rare and CIViC diseases plus common conditions, drugs, genes, a few protein-level variants). So (b)
 * measures the NLP and the PostgreSQL writes, not GraphQL calls to other services.
 * Sentences and notes are generated from templates before any timing (deterministic: same seed → same text).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CURATED_EVIDENCE } from '../knowledge-graph/seed/curated/civic-evidence';
import { CPIC_GUIDELINES } from '../knowledge-graph/seed/curated/cpic-guidelines';
import { CURATED_DISEASE_GENES } from '../knowledge-graph/seed/curated/disease-genes';
import { HPO_TERMS, RARE_DISEASES } from '../knowledge-graph/seed/curated/hpo-rare-diseases';
import { createLogger } from '../lib/logger';
import type { PatientSubgraphClient } from '../lib/patient-client';
import { createPool, dropDatabase, ensureDatabase, migrate } from '../lib/postgres';
import type { KnowledgeClient } from '../subgraphs/inference/knowledge-client';
import { SentenceEmbedder } from '../subgraphs/inference/nlp/embedder';
import { DEFAULT_EMBEDDING_MODEL_ID, DEFAULT_MODEL_DIR, prepareDefaultModelFolder } from '../subgraphs/inference/nlp/model-folder';
import { NotesProcessor } from '../subgraphs/inference/nlp/notes-processor';
import { INFERENCE_MIGRATIONS } from '../subgraphs/inference/server';
import { seededRandom, type Random } from '../lib/seeded-random';

const { values } = parseArgs({
  options: {
    sentences: { type: 'string' },
    rounds: { type: 'string' },
    patients: { type: 'string' },
    'notes-per-patient': { type: 'string' },
    'per-call': { type: 'string' },
    seed: { type: 'string' },
  },
});
const SENTENCES = Number(values.sentences ?? 2000);
const ROUNDS = Number(values.rounds ?? 2);
const PATIENTS = Number(values.patients ?? 100);
const NOTES_PER_PATIENT = Number(values['notes-per-patient'] ?? 3);
const PER_CALL = Number(values['per-call'] ?? 20);
const SEED = Number(values.seed ?? 8);
const BATCH_SIZES = [1, 8, 32, 64];
/** Issue 8's reference: ~700 sentences/s in batches of 32 on 2 cores, seen on an idle machine. */
const REFERENCE_SENTENCES_PER_S = 700;
const BENCH_DATABASE = 'precision_hub_bench_notes';
const STREAM = { sentences: 1, notes: 2, secondNotes: 3 } as const;

// --- the knowledge graph's concept dictionary, from the curated seed ---------------------------------

interface Concept {
  id: string;
  kind: 'phenotype' | 'condition' | 'drug' | 'gene' | 'variant';
  names: string[];
}

const COMMON_CONDITIONS = [
  'type 2 diabetes mellitus', 'hypertension', 'atrial fibrillation', 'chronic kidney disease', 'heart failure with reduced ejection fraction',
  'coronary artery disease', 'hyperlipidemia', 'chronic obstructive pulmonary disease', 'asthma', 'hypothyroidism', 'major depressive disorder',
  'non-small cell lung cancer', 'metastatic melanoma', 'colorectal cancer', 'breast cancer', 'obstructive sleep apnea', 'osteoarthritis', 'gout',
];
const COMMON_DRUGS = [
  'metformin', 'lisinopril', 'atorvastatin', 'rosuvastatin', 'apixaban', 'warfarin', 'clopidogrel', 'metoprolol', 'amlodipine', 'furosemide',
  'levothyroxine', 'insulin glargine', 'empagliflozin', 'sertraline', 'albuterol', 'osimertinib', 'dabrafenib', 'trametinib', 'pembrolizumab',
  'sotorasib', 'tamoxifen', 'allopurinol', 'simvastatin', 'codeine',
];
const VARIANTS = ['EGFR L858R', 'EGFR T790M', 'BRAF V600E', 'KRAS G12C', 'PIK3CA H1047R', 'IDH1 R132H', 'TP53 R273H', 'KRAS G12D'];
const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

function conceptDictionary(): Concept[] {
  const byId = new Map<string, Concept>();
  const add = (c: Concept) => {
    if (!byId.has(c.id)) byId.set(c.id, c);
  };
  for (const t of HPO_TERMS) add({ id: t.id, kind: 'phenotype', names: [t.name] });
  for (const d of RARE_DISEASES) add({ id: d.id, kind: 'condition', names: [d.name] });
  for (const e of CURATED_EVIDENCE) add({ id: e.disease.id, kind: 'condition', names: [e.disease.name] });
  for (const name of COMMON_CONDITIONS) add({ id: `bench-condition:${slug(name)}`, kind: 'condition', names: [name] });
  const drugs = [...CURATED_EVIDENCE.flatMap((e) => e.drugs.map((d) => d.name)), ...CPIC_GUIDELINES.map((g) => g.drug.name), ...COMMON_DRUGS];
  for (const name of drugs) add({ id: `drug:${slug(name)}`, kind: 'drug', names: [name] });
  const genes = [...CURATED_EVIDENCE.map((e) => e.gene), ...CPIC_GUIDELINES.flatMap((g) => g.genes), ...CURATED_DISEASE_GENES.flatMap((d) => d.genes)];
  for (const symbol of genes) add({ id: symbol, kind: 'gene', names: [symbol] });
  for (const v of VARIANTS) add({ id: v.replace(' ', ':'), kind: 'variant', names: [v] });
  return [...byId.values()];
}

// --- clinical sentences and notes from templates ---------------------------------------------------

const CONCEPTS = conceptDictionary();
// Phenotypes a clinician would write in prose: specific terms, not ontology groupings ("Abnormality of ...").
const PHENOTYPES = HPO_TERMS.map((t) => t.name).filter((n) => !/abnormal|^All$|morphology|phenotypic|mode of|onset/i.test(n) && n.length <= 40).map((n) => n.charAt(0).toLowerCase() + n.slice(1));
const CONDITIONS = [...COMMON_CONDITIONS, ...CURATED_EVIDENCE.map((e) => e.disease.name.toLowerCase())];
const DRUGS = [...COMMON_DRUGS, ...CURATED_EVIDENCE.flatMap((e) => e.drugs.map((d) => d.name.toLowerCase()))];
const CPIC_GENES = [...new Set(CPIC_GUIDELINES.flatMap((g) => g.genes))];
const DOSES = ['500 mg twice daily', '10 mg daily', '40 mg at bedtime', '5 mg BID', '80 mg once daily', '25 mcg every morning', '20 mg PRN', '150 mg q12h', '2.5 mg daily'];
const RELATIVES = ['Mother', 'Father', 'Sister', 'Brother', 'Maternal aunt', 'Paternal grandfather'];
/** Lay wording of conditions and phenotypes, which only the embedding step can map. */
const PARAPHRASES = [
  'Had a heart attack in 2019 and two stents were placed', 'Complains of trouble swallowing solid food', 'Her hands shake when she holds a cup',
  'Gets short of breath walking up one flight of stairs', 'Reports sugar running high at home', 'Blood pressure has been high for years',
  'Wakes up at night gasping for air', 'Feels tired all the time and has gained weight', 'His ankles swell by the end of the day',
  'Noticed yellowing of the eyes last week', 'Has been losing hair in patches', 'Reports ringing in both ears',
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function clinicalSentence(r: Random): string {
  const cond = r.pick(CONDITIONS);
  const drug = r.pick(DRUGS);
  const phen = r.pick(PHENOTYPES);
  switch (r.int(0, 17)) {
    case 0: return `${cap(cond)} diagnosed in ${r.int(1995, 2025)}.`;
    case 1: return `History of ${cond}, well controlled on ${drug} ${r.pick(DOSES)}.`;
    case 2: return `Started ${drug} ${r.pick(DOSES)} for ${cond}.`;
    case 3: return `Denies ${phen}, ${r.pick(PHENOTYPES)} or chest pain.`;
    case 4: return `No evidence of ${phen} on today's exam.`;
    case 5: return `Patient reports ${phen} for the past ${r.int(2, 12)} weeks.`;
    case 6: return `Possible ${cond}; will rule out with imaging.`;
    case 7: return `Next-generation sequencing of the tumor showed ${r.pick(VARIANTS)} (VAF ${r.int(5, 60)}%).`;
    case 8: return `Repeat biopsy detected ${r.pick(VARIANTS)}; no ${r.pick(VARIANTS)} was found.`;
    case 9: return `${r.pick(RELATIVES)} with ${cond} diagnosed at age ${r.int(35, 80)}.`;
    case 10: return `Continue ${drug} ${r.pick(DOSES)}; ${r.pick(DRUGS)} held because of ${phen}.`;
    case 11: return `Blood pressure ${r.int(100, 180)}/${r.int(60, 110)} mmHg, heart rate ${r.int(50, 110)}, SpO2 ${r.int(90, 100)}% on room air.`;
    case 12: return `HbA1c ${r.int(5, 11)}.${r.int(0, 9)}% and eGFR ${r.int(15, 120)} mL/min/1.73 m2 on labs from ${r.int(1, 12)}/${r.int(1, 28)}/2026.`;
    case 13: return `${r.pick(PARAPHRASES)}.`;
    case 14: return `Exam notable for ${phen} and mild ${r.pick(PHENOTYPES)}.`;
    case 15: return `Pharmacogenomic panel: ${r.pick(CPIC_GENES)} poor metabolizer, avoid ${drug}.`;
    case 16: return `Unlikely to be ${cond} given normal labs, but cannot exclude ${phen}.`;
    default: return `Plan to start ${drug} if ${r.pick(VARIANTS)} is confirmed on the liquid biopsy.`;
  }
}

/** A note of 10–20 sentences under the usual section headers (family history read as the family's). */
function clinicalNote(r: Random): string {
  const total = r.int(10, 20);
  const family = r.int(1, 2);
  const medications = r.int(2, 3);
  const hpi = Math.max(1, Math.floor((total - family - medications) / 2));
  const plan = total - family - medications - hpi;
  const lines = (n: number) => Array.from({ length: n }, () => clinicalSentence(r)).join(' ');
  const meds = Array.from({ length: medications }, () => `- ${cap(r.pick(DRUGS))} ${r.pick(DOSES)}.`).join('\n');
  const familyLines = Array.from({ length: family }, () => `${r.pick(RELATIVES)} had ${r.pick(CONDITIONS)}.`).join(' ');
  return `History of present illness: ${lines(hpi)}\nFamily history: ${familyLines}\nMedications:\n${meds}\nAssessment and plan: ${lines(plan)}\n`;
}

// --- helpers -------------------------------------------------------------------------------------

function exposeGc(): () => void {
  // Same as --expose-gc, but works under `tsx` without passing node flags through.
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const gc = exposeGc();
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const seconds = (since: number) => (performance.now() - since) / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

// --- (a) sentences embedded per second -----------------------------------------------------------

async function embeddingThroughput() {
  const r = seededRandom(SEED, 0, STREAM.sentences);
  const sentences = Array.from({ length: SENTENCES }, () => clinicalSentence(r));
  const meanChars = sentences.reduce((s, t) => s + t.length, 0) / sentences.length;
  gc();
  const rssBefore = rssMb();
  let started = performance.now();
  // One embedder per batch size (the batch size is fixed at load); the first one loaded is the default, 32.
  const order = [32, ...BATCH_SIZES.filter((b) => b !== 32)];
  const embedders = new Map<number, SentenceEmbedder>();
  embedders.set(32, await SentenceEmbedder.load({ modelDir: DEFAULT_MODEL_DIR, modelId: DEFAULT_EMBEDDING_MODEL_ID, batchSize: 32 }));
  const loadSeconds = seconds(started);
  gc();
  const rssOne = rssMb();
  for (const b of order.slice(1)) embedders.set(b, await SentenceEmbedder.load({ modelDir: DEFAULT_MODEL_DIR, modelId: DEFAULT_EMBEDDING_MODEL_ID, batchSize: b }));
  gc();
  const rssAll = rssMb();
  for (const b of BATCH_SIZES) await embedders.get(b)!.embed(sentences.slice(0, 64)); // warm-up
  console.log(
    `(a) ${fmt(SENTENCES)} sentences (mean ${meanChars.toFixed(0)} characters), model ${DEFAULT_EMBEDDING_MODEL_ID} loaded in ${loadSeconds.toFixed(2)} s; ` +
      `RSS ${rssBefore.toFixed(0)} MB before loading, ${rssOne.toFixed(0)} MB after loading one embedder, ${rssAll.toFixed(0)} MB with all four`,
  );
  const perRound = new Map<number, number[]>(BATCH_SIZES.map((b) => [b, []]));
  let rssPeak = rssAll;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no batch size always runs first or last.
    const roundOrder = BATCH_SIZES.map((_, i) => BATCH_SIZES[(i + round) % BATCH_SIZES.length]!);
    for (const b of roundOrder) {
      started = performance.now();
      const vectors = await embedders.get(b)!.embed(sentences);
      const elapsed = seconds(started);
      if (vectors.length !== sentences.length) throw new Error(`batch ${b}: ${vectors.length} vectors for ${sentences.length} sentences`);
      perRound.get(b)!.push(sentences.length / elapsed);
      rssPeak = Math.max(rssPeak, rssMb());
      console.log(`  round ${round + 1}, batch ${b}: ${(sentences.length / elapsed).toFixed(1)} sentences/s (${elapsed.toFixed(2)} s), load ${load()}`);
    }
  }
  for (const e of embedders.values()) await e.dispose();
  return { perRound, rssBefore, rssOne, rssAll, rssPeak, loadSeconds };
}

// --- (b) notes processed per second end to end ---------------------------------------------------

interface BenchNote {
  id: string;
  text: string;
}

async function notesEndToEnd() {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${BENCH_DATABASE}`;
  const databaseUrl = base.toString();
  await dropDatabase(base.toString());
  await ensureDatabase(base.toString());
  const pool = createPool(databaseUrl);
  let processor: NotesProcessor | undefined;
  try {
    await migrate(databaseUrl, 'inference', INFERENCE_MIGRATIONS);

    const ids = Array.from({ length: PATIENTS }, (_, i) => seededRandom(SEED, i, STREAM.notes).uuid());
    const notesOf = new Map<string, BenchNote[]>(ids.map((id) => [id, []]));
    const addNotes = (stream: number, tag: string) => {
      const r = seededRandom(SEED, 0, stream);
      for (const id of ids) for (let n = 0; n < NOTES_PER_PATIENT; n++) notesOf.get(id)!.push({ id: `${tag}-${id}-${n}`, text: clinicalNote(r) });
    };
    // Stand-ins for the two subgraph reads (see the header): in-process answers, no GraphQL.
    const patients: Pick<PatientSubgraphClient, 'patientsOf'> = {
      patientsOf: (async (_operation: unknown, requested: readonly string[]) =>
        requested.map((id) => (notesOf.has(id) ? { id, notes: [...notesOf.get(id)!] } : null))) as PatientSubgraphClient['patientsOf'],
    };
    const knowledge: Pick<KnowledgeClient, 'conceptDictionary'> = { conceptDictionary: async () => CONCEPTS.map((c) => ({ ...c, names: [...c.names] })) };
    processor = new NotesProcessor({
      pool,
      patients: patients as PatientSubgraphClient,
      knowledge: knowledge as KnowledgeClient,
      modelDir: DEFAULT_MODEL_DIR,
      modelId: DEFAULT_EMBEDDING_MODEL_ID,
      log: createLogger('bench', 'warn'),
    });

    const started = performance.now();
    const embedder = await processor.embedderReady();
    const loadSeconds = seconds(started);
    // Record every embedding call the processor makes, so concept names and note sentences are timed apart.
    const calls: { texts: number; seconds: number }[] = [];
    const embed = embedder.embed.bind(embedder);
    embedder.embed = async (texts) => {
      const t = performance.now();
      const vectors = await embed(texts);
      calls.push({ texts: texts.length, seconds: seconds(t) });
      return vectors;
    };

    const pass = async (label: string) => {
      calls.length = 0;
      const counts = { notes: 0, processed: 0, rejected: 0, unchanged: 0 };
      const t = performance.now();
      for (let i = 0; i < ids.length; i += PER_CALL) {
        const c = await processor!.processPatients(ids.slice(i, i + PER_CALL));
        for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c[k];
      }
      const total = seconds(t);
      const conceptCall = label === 'first' ? calls.shift() : undefined;
      return { label, counts, total, concept: conceptCall, sentenceTexts: calls.reduce((s, c) => s + c.texts, 0), sentenceSeconds: calls.reduce((s, c) => s + c.seconds, 0) };
    };

    addNotes(STREAM.notes, 'a');
    const first = await pass('first');
    addNotes(STREAM.secondNotes, 'b');
    const second = await pass('second');

    const { rows } = await pool.query<{ runs: string; sentences: string; findings: string; by_method: Record<string, number> | null; negated: string; concepts: string }>(`
      SELECT (SELECT count(*) FROM inference.note_runs) AS runs,
             (SELECT count(*) FROM inference.note_sentences) AS sentences,
             (SELECT count(*) FROM inference.note_findings) AS findings,
             (SELECT jsonb_object_agg(method, n) FROM (SELECT method, count(*) AS n FROM inference.note_findings GROUP BY method) m) AS by_method,
             (SELECT count(*) FROM inference.note_findings WHERE negated) AS negated,
             (SELECT count(*) FROM inference.concept_embeddings) AS concepts`);
    return { loadSeconds, first, second, stored: rows[0]! };
  } finally {
    await processor?.dispose();
    await pool.end();
    await dropDatabase(base.toString());
  }
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  const startedAt = performance.now();
  prepareDefaultModelFolder(DEFAULT_MODEL_DIR, (line) => console.log(line));
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average at start ${load()}, seed ${SEED}`);
  const kinds = CONCEPTS.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {});
  console.log(`stub concept dictionary (curated seed: HPO terms, HPO rare diseases, CIViC, CPIC, disease genes, plus common conditions and drugs): ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);

  const a = await embeddingThroughput();
  console.log('\n| batch size | sentences/s (median of ' + ROUNDS + ') | per round | ms / sentence | vs ~700/s reference at batch 32 |');
  console.log('| ---: | ---: | --- | ---: | ---: |');
  for (const b of BATCH_SIZES) {
    const runs = a.perRound.get(b)!;
    const m = median(runs);
    console.log(`| ${b} | ${fmt(m, 1)} | ${runs.map((x) => fmt(x, 1)).join(' / ')} | ${(1000 / m).toFixed(2)} | ${(m / REFERENCE_SENTENCES_PER_S).toFixed(2)}× |`);
  }
  console.log(`\nRSS: ${a.rssBefore.toFixed(0)} MB before loading, ${a.rssOne.toFixed(0)} MB after loading one embedder (+${(a.rssOne - a.rssBefore).toFixed(0)} MB), ${a.rssAll.toFixed(0)} MB with four loaded, peak seen after a pass ${a.rssPeak.toFixed(0)} MB. Load average now ${load()}.\n`);

  const b = await notesEndToEnd();
  console.log(`(b) ${PATIENTS} patients × ${NOTES_PER_PATIENT} notes per pass, processPatients called with ${PER_CALL} patients at a time; patient and knowledge subgraph reads stubbed in process (measured: NLP + PostgreSQL writes). Model load ${b.loadSeconds.toFixed(2)} s (before timing).\n`);
  console.log('| pass | notes processed | unchanged (skipped by hash) | sentences | seconds | notes/s | sentences/s end to end | of which sentence embedding s | concept names embedded (s) | notes/s without concept embedding |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const p of [b.first, b.second]) {
    const withoutConcepts = p.total - (p.concept?.seconds ?? 0);
    console.log(
      `| ${p.label} | ${p.counts.processed} (${p.counts.rejected} rejected) | ${p.counts.unchanged} | ${fmt(p.sentenceTexts)} | ${p.total.toFixed(2)} | ${fmt(p.counts.processed / p.total, 1)} | ` +
        `${fmt(p.sentenceTexts / p.total, 1)} | ${p.sentenceSeconds.toFixed(2)} | ${p.concept ? `${fmt(p.concept.texts)} (${p.concept.seconds.toFixed(2)} s, ${fmt(p.concept.texts / p.concept.seconds, 1)}/s)` : '— (cached)'} | ${fmt(p.counts.processed / withoutConcepts, 1)} |`,
    );
  }
  const s = b.stored;
  console.log(
    `\nStored: ${s.runs} note runs, ${s.sentences} sentence vectors, ${s.findings} findings (${Object.entries(s.by_method ?? {}).map(([k, n]) => `${n} ${k}`).join(', ')}; ${s.negated} negated), ${s.concepts} concept vectors. ` +
      `Database ${BENCH_DATABASE} dropped. Load average at end ${load()}; ${seconds(startedAt).toFixed(0)} s in all.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
