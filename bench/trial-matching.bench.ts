/**
 * Trial matching: 1,000 synthetic patients each ranked against 1,000 synthetic trials with
 * rankTrialMatches (default options: not-eligible trials left out; and includeNotEligible: true).
 *
 *   npx tsx bench/trial-matching.bench.ts [--patients 1000] [--trials 1000] [--cold-rounds 2] [--warm-rounds 3] [--seed 11]
 *
 * The domain module caches its preparation of each trial and patient by object identity, and interns
 * trial condition terms by string for the life of the process. So three kinds of pass are timed:
 *   first  — the first pass of the process: fresh objects, nothing compiled, condition terms not interned;
 *   cold   — fresh copies of every trial and patient (structuredClone, outside the timing), so no
 *            per-object preparation is cached; the JIT and the interned condition terms are warm;
 *   warm   — the same objects again: trials and patients prepared, condition matches and labs cached.
 * Inputs are deterministic (same seed → same patients and trials).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  evaluateTrialEligibility,
  rankTrialMatches,
  type PatientFacts,
  type TrialCriteria,
  type TrialLabCriterion,
  type TrialVariantRef,
} from '../subgraphs/inference/domain/trial-eligibility';
import { seededRandom, type Random } from '../lib/seeded-random';

const { values } = parseArgs({
  options: {
    patients: { type: 'string' },
    trials: { type: 'string' },
    'cold-rounds': { type: 'string' },
    'warm-rounds': { type: 'string' },
    seed: { type: 'string' },
  },
});
const PATIENTS = Number(values.patients ?? 1000);
const TRIALS = Number(values.trials ?? 1000);
const COLD_ROUNDS = Number(values['cold-rounds'] ?? 2);
const WARM_ROUNDS = Number(values['warm-rounds'] ?? 3);
const SEED = Number(values.seed ?? 11);
/** Streams of their own, apart from the FHIR generator's (1, 2) and the risk bench's (3). */
const STREAM = { patients: 4, trials: 5 } as const;

// ---- vocabulary -------------------------------------------------------------------------------

/**
 * ~30 oncology conditions: how trials name them (ClinicalTrials.gov style) and how a patient record
 * displays them (coded problem list), deliberately worded differently so the token matching works.
 */
const CONDITIONS: { trial: string[]; patient: string }[] = [
  { trial: ['Non-small Cell Lung Cancer', 'NSCLC', 'Carcinoma, Non-Small-Cell Lung'], patient: 'Non-small cell lung carcinoma' },
  { trial: ['Small Cell Lung Cancer', 'SCLC'], patient: 'Small cell carcinoma of lung' },
  { trial: ['Lung Adenocarcinoma'], patient: 'Adenocarcinoma of lung' },
  { trial: ['Breast Cancer', 'Metastatic Breast Cancer'], patient: 'Malignant neoplasm of breast' },
  { trial: ['Triple Negative Breast Cancer', 'TNBC'], patient: 'Triple negative breast cancer' },
  { trial: ['HER2-positive Breast Cancer'], patient: 'HER2 positive carcinoma of breast' },
  { trial: ['Colorectal Cancer', 'Metastatic Colorectal Cancer', 'CRC'], patient: 'Malignant tumor of colon' },
  { trial: ['Rectal Cancer'], patient: 'Adenocarcinoma of rectum' },
  { trial: ['Melanoma', 'Cutaneous Melanoma', 'Stage IV Melanoma'], patient: 'Malignant melanoma of skin' },
  { trial: ['Pancreatic Cancer', 'Pancreatic Ductal Adenocarcinoma'], patient: 'Malignant tumor of pancreas' },
  { trial: ['Prostate Cancer', 'Metastatic Castration-resistant Prostate Cancer'], patient: 'Malignant tumor of prostate' },
  { trial: ['Ovarian Cancer', 'Epithelial Ovarian Cancer'], patient: 'Malignant neoplasm of ovary' },
  { trial: ['Endometrial Cancer'], patient: 'Carcinoma of endometrium' },
  { trial: ['Cervical Cancer'], patient: 'Squamous cell carcinoma of cervix' },
  { trial: ['Gastric Cancer', 'Stomach Neoplasms'], patient: 'Malignant tumor of stomach' },
  { trial: ['Esophageal Cancer'], patient: 'Malignant neoplasm of esophagus' },
  { trial: ['Hepatocellular Carcinoma', 'HCC'], patient: 'Liver cell carcinoma' },
  { trial: ['Renal Cell Carcinoma', 'RCC'], patient: 'Renal cell carcinoma' },
  { trial: ['Urothelial Carcinoma', 'Bladder Cancer'], patient: 'Transitional cell carcinoma of bladder' },
  { trial: ['Head and Neck Squamous Cell Carcinoma', 'HNSCC'], patient: 'Squamous cell carcinoma of head and neck' },
  { trial: ['Glioblastoma', 'GBM'], patient: 'Glioblastoma multiforme' },
  { trial: ['Thyroid Cancer', 'Differentiated Thyroid Cancer'], patient: 'Papillary thyroid carcinoma' },
  { trial: ['Soft Tissue Sarcoma'], patient: 'Soft tissue sarcoma' },
  { trial: ['Gastrointestinal Stromal Tumor', 'GIST'], patient: 'Gastrointestinal stromal tumor' },
  { trial: ['Cholangiocarcinoma', 'Biliary Tract Cancer'], patient: 'Cholangiocarcinoma' },
  { trial: ['Acute Myeloid Leukemia', 'AML'], patient: 'Acute myeloid leukemia, disease' },
  { trial: ['Chronic Lymphocytic Leukemia', 'CLL'], patient: 'Chronic lymphoid leukemia' },
  { trial: ['Diffuse Large B-Cell Lymphoma', 'Lymphoma'], patient: 'Diffuse large B-cell lymphoma' },
  { trial: ['Multiple Myeloma'], patient: 'Multiple myeloma' },
  { trial: ['Mesothelioma'], patient: 'Malignant mesothelioma of pleura' },
];
/** Basket trials name no organ. */
const GENERIC_TRIAL_CONDITIONS = ['Solid Tumor', 'Advanced Solid Tumors', 'Cancer', 'Neoplasms'];
/** Non-oncology problems on the same problem lists. */
const COMORBIDITIES = ['Essential hypertension', 'Type 2 diabetes mellitus', 'Hyperlipidemia', 'Chronic kidney disease stage 3', 'Depressive disorder', 'Asthma'];

/**
 * ~40 variants trials name: protein-level ids as the knowledge graph writes them, and for the nine
 * with coordinates given the GRCh38 genomic id too (a trial may list either). The others are carried
 * by patients under a synthetic genomic id (`GRCh38:bench:…`, as in kg-therapies.bench.ts) whose
 * knowledge says it encodes the protein-level variant.
 */
const VARIANTS: { protein: string; genomic?: string }[] = [
  { protein: 'BRAF:V600E', genomic: 'GRCh38:7:140753336:A:T' },
  { protein: 'BRAF:V600K' },
  { protein: 'EGFR:L858R', genomic: 'GRCh38:7:55191822:T:G' },
  { protein: 'EGFR:T790M', genomic: 'GRCh38:7:55181378:C:T' },
  { protein: 'EGFR:C797S' },
  { protein: 'EGFR:G719S' },
  { protein: 'EGFR:L861Q' },
  { protein: 'KRAS:G12C', genomic: 'GRCh38:12:25245351:C:A' },
  { protein: 'KRAS:G12D', genomic: 'GRCh38:12:25245350:C:T' },
  { protein: 'KRAS:G12V' },
  { protein: 'KRAS:G13D' },
  { protein: 'NRAS:Q61K' },
  { protein: 'NRAS:Q61R' },
  { protein: 'PIK3CA:E545K', genomic: 'GRCh38:3:179218303:G:A' },
  { protein: 'PIK3CA:H1047R', genomic: 'GRCh38:3:179234297:A:G' },
  { protein: 'PIK3CA:E542K' },
  { protein: 'IDH1:R132H', genomic: 'GRCh38:2:208248388:C:T' },
  { protein: 'IDH2:R140Q' },
  { protein: 'ERBB2:S310F' },
  { protein: 'ERBB2:L755S' },
  { protein: 'KIT:D816V' },
  { protein: 'KIT:V560D' },
  { protein: 'PDGFRA:D842V' },
  { protein: 'FGFR3:S249C' },
  { protein: 'ESR1:Y537S' },
  { protein: 'ESR1:D538G' },
  { protein: 'AKT1:E17K' },
  { protein: 'TP53:R175H' },
  { protein: 'TP53:R248Q' },
  { protein: 'TP53:R273H' },
  { protein: 'FLT3:D835Y' },
  { protein: 'JAK2:V617F', genomic: 'GRCh38:9:5073770:G:T' },
  { protein: 'ALK:F1174L' },
  { protein: 'RET:M918T' },
  { protein: 'CTNNB1:S45F' },
  { protein: 'HRAS:Q61R' },
  { protein: 'MAP2K1:K57N' },
  { protein: 'POLE:P286R' },
  { protein: 'MET:D1010H' },
  { protein: 'ROS1:G2032R' },
];
const patientVariantId = (index: number) => VARIANTS[index]!.genomic ?? `GRCh38:bench:${index + 1}:C:T`;

/** LOINC, name, canonical UCUM unit (as the patient subgraph stores it), a typical adult value and spread. */
const LABS = [
  { loinc: '751-8', name: 'Neutrophils', unit: '10*3/uL', mean: 4.2, sd: 1.8, low: 0.1, thresholds: [1, 1.5] },
  { loinc: '777-3', name: 'Platelets', unit: '10*3/uL', mean: 240, sd: 70, low: 10, thresholds: [75, 100] },
  { loinc: '718-7', name: 'Hemoglobin', unit: 'g/dL', mean: 12.8, sd: 1.9, low: 6, thresholds: [8, 9] },
  { loinc: '98979-8', name: 'eGFR (CKD-EPI 2021)', unit: 'mL/min/{1.73_m2}', mean: 82, sd: 24, low: 10, thresholds: [30, 45, 60] },
] as const;
/** Units a record sometimes holds before conversion, so a criterion is UNKNOWN. */
const OTHER_UNIT: Record<string, string> = { '751-8': '/uL', '777-3': '/uL', '718-7': 'g/L', '98979-8': 'mL/min' };

// ---- generators -------------------------------------------------------------------------------

const date = (rng: Random) => `2026-${String(rng.int(1, 11)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T09:00:00Z`;

function distinct<T>(rng: Random, items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(rng.pick(items));
  return [...chosen];
}

function syntheticPatient(rng: Random, index: number): PatientFacts {
  const s = rng.next();
  const sex = s < 0.5 ? 'female' : s < 0.98 ? 'male' : s < 0.99 ? 'other' : rng.chance(0.5) ? 'unknown' : null;
  const cancers = distinct(rng, CONDITIONS, rng.chance(0.85) ? 1 : 2);
  const conditions = [
    ...cancers.map((c) => ({ code: `bench-onc-${CONDITIONS.indexOf(c)}`, system: 'urn:precision-hub:bench', display: c.patient })),
    ...distinct(rng, COMORBIDITIES, rng.int(0, 2)).map((display) => ({ code: `bench-com-${COMORBIDITIES.indexOf(display)}`, system: 'urn:precision-hub:bench', display })),
  ];
  // About one patient in five has no sequencing; the rest a tumour panel: passengers plus 0–3 named drivers.
  let variantIds: string[] | null = null;
  const variantKnowledge: PatientFacts['variantKnowledge'] = [];
  if (rng.chance(0.8)) {
    variantIds = Array.from({ length: rng.int(5, 40) }, (_, i) => `GRCh38:bench:p${index}-${i}:G:A`);
    for (const v of distinct(rng, VARIANTS.map((_, i) => i), rng.int(0, 3))) {
      const id = patientVariantId(v);
      const protein = VARIANTS[v]!.protein;
      variantIds.push(id);
      variantKnowledge.push({ id, gene: protein.split(':')[0]!, encodes: [protein, protein.replace(/[A-Z*]$/, '')] });
    }
  }
  const latestLabs: PatientFacts['latestLabs'] = new Map();
  for (const lab of LABS) {
    if (!rng.chance(0.85)) continue;
    const value = Math.round(Math.max(lab.low, rng.normal(lab.mean, lab.sd)) * 10) / 10;
    // eGFR sometimes only as CKD-EPI 2009 (62238-1); the criterion's code reads either.
    const code = lab.loinc === '98979-8' && rng.chance(0.2) ? '62238-1' : lab.loinc;
    latestLabs.set(code, { value, unit: rng.chance(0.03) ? OTHER_UNIT[lab.loinc]! : lab.unit, effectiveAt: date(rng) });
  }
  return { ageYears: rng.chance(0.02) ? null : rng.int(18, 90), sex, conditions, variantIds, variantKnowledge, latestLabs };
}

function variantRef(rng: Random): TrialVariantRef {
  const v = rng.pick(VARIANTS);
  const [gene, change] = v.protein.split(':') as [string, string];
  return v.genomic && rng.chance(0.3) ? { id: v.genomic, gene, name: `${gene} ${change}` } : { id: v.protein, gene, name: change };
}

function syntheticTrial(rng: Random, index: number): TrialCriteria {
  const conditions = rng.chance(0.1)
    ? [rng.pick(GENERIC_TRIAL_CONDITIONS)]
    : distinct(rng, CONDITIONS, rng.chance(0.7) ? 1 : rng.int(2, 3)).map((c) => rng.pick(c.trial));
  const sexRoll = rng.next();
  const labCriteria: TrialLabCriterion[] = distinct(rng, LABS, rng.int(0, 4)).map((lab) => {
    // Now and then a lab in the exclusion section ("eGFR < 30 mL/min/1.73 m²").
    if (rng.chance(0.15)) return { loinc: lab.loinc, name: lab.name, comparator: '<', value: lab.thresholds[0], unit: lab.unit, section: 'exclusion' };
    return { loinc: lab.loinc, name: lab.name, comparator: '>=', value: rng.pick(lab.thresholds), unit: lab.unit, section: 'inclusion' };
  });
  return {
    nctId: `NCT0${String(5_000_000 + index * 7919).padStart(7, '0')}`,
    title: `Synthetic trial ${index} in ${conditions.join(', ')}`,
    phase: rng.pick(['PHASE1', 'PHASE1/PHASE2', 'PHASE2', 'PHASE3']),
    status: 'RECRUITING',
    minimumAgeYears: rng.chance(0.9) ? 18 : rng.chance(0.5) ? 12 : null,
    maximumAgeYears: rng.chance(0.35) ? rng.int(65, 85) : null,
    sex: sexRoll < 0.85 ? 'ALL' : sexRoll < 0.95 ? 'FEMALE' : sexRoll < 0.99 ? 'MALE' : null,
    conditions,
    requiredVariants: rng.chance(0.4) ? Array.from({ length: rng.int(1, 3) }, () => variantRef(rng)) : [],
    excludedVariants: rng.chance(0.15) ? Array.from({ length: rng.int(1, 2) }, () => variantRef(rng)) : [],
    labCriteria,
  };
}

// ---- measurement ------------------------------------------------------------------------------

interface PassResult {
  totalMs: number;
  perPatientMs: number[];
  returned: number;
  eligible: number;
  possibly: number;
}

function pass(patients: readonly PatientFacts[], trials: readonly TrialCriteria[], includeNotEligible: boolean): PassResult {
  const perPatientMs: number[] = [];
  let returned = 0;
  let eligible = 0;
  let possibly = 0;
  const started = performance.now();
  for (const patient of patients) {
    const t = performance.now();
    const ranked = rankTrialMatches(patient, trials, { includeNotEligible });
    perPatientMs.push(performance.now() - t);
    returned += ranked.length;
    for (const r of ranked) {
      if (r.status === 'ELIGIBLE') eligible += 1;
      else if (r.status === 'POSSIBLY_ELIGIBLE') possibly += 1;
    }
  }
  return { totalMs: performance.now() - started, perPatientMs, returned, eligible, possibly };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

function main() {
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average at start ${load()}`);
  const patientRng = seededRandom(SEED, 0, STREAM.patients);
  const trialRng = seededRandom(SEED, 0, STREAM.trials);
  const patients = Array.from({ length: PATIENTS }, (_, i) => syntheticPatient(patientRng, i));
  const trials = Array.from({ length: TRIALS }, (_, i) => syntheticTrial(trialRng, i));
  const pairs = PATIENTS * TRIALS;
  const noGenomics = patients.filter((p) => p.variantIds === null).length;
  console.log(
    `${fmt(PATIENTS)} patients (${noGenomics} without genomic data) × ${fmt(TRIALS)} trials (${trials.filter((t) => t.requiredVariants.length).length} requiring a variant, ` +
      `${trials.filter((t) => t.labCriteria.length).length} with lab criteria) = ${fmt(pairs)} pairs, seed ${SEED}`,
  );

  const rows: { kind: string; option: string; r: PassResult }[] = [];
  const record = (kind: string, includeNotEligible: boolean, r: PassResult) => {
    const option = includeNotEligible ? 'includeNotEligible' : 'default';
    rows.push({ kind, option, r });
    console.log(`${kind.padEnd(6)} ${option.padEnd(18)} ${(r.totalMs / 1000).toFixed(3)} s; returned ${fmt(r.returned)}; load ${load()}`);
  };

  // The first pass of the process, on the original objects: nothing prepared, compiled or interned.
  record('first', false, pass(patients, trials, false));
  // Cold: fresh copies each time (copying is outside the timing); alternate the two options.
  for (let round = 0; round < COLD_ROUNDS; round++) {
    for (const includeNotEligible of round % 2 ? [true, false] : [false, true]) {
      const freshPatients = structuredClone(patients);
      const freshTrials = structuredClone(trials);
      record('cold', includeNotEligible, pass(freshPatients, freshTrials, includeNotEligible));
    }
  }
  // Warm: the original objects again, all preparation cached (includeNotEligible fills the reasons a
  // default pass stopped short of, so one untimed pass of it first).
  pass(patients, trials, true);
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const includeNotEligible of round % 2 ? [true, false] : [false, true]) record('warm', includeNotEligible, pass(patients, trials, includeNotEligible));
  }

  // Cross-check the ranked path against one-by-one evaluation for a sample of pairs.
  for (let i = 0; i < Math.min(PATIENTS, 20); i++) {
    const patient = patients[i]!;
    const ranked = new Map(rankTrialMatches(patient, trials, { includeNotEligible: true }).map((r) => [r.nctId, r.status]));
    for (const trial of trials.slice(0, 50)) {
      if (ranked.get(trial.nctId) !== evaluateTrialEligibility(patient, trial).status) throw new Error(`status differs for ${trial.nctId}`);
    }
  }

  console.log(
    `\n| pass (${fmt(PATIENTS)} patients × ${fmt(TRIALS)} trials) | options | passes | total s (median) | ms / patient p50 | ms / patient p99 | pairs evaluated / s | trials returned / patient |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of ['first', 'cold', 'warm']) {
    for (const option of ['default', 'includeNotEligible']) {
      const group = rows.filter((r) => r.kind === kind && r.option === option);
      if (!group.length) continue;
      const total = median(group.map((g) => g.r.totalMs));
      const perPatient = group.flatMap((g) => g.r.perPatientMs).sort((a, b) => a - b);
      const r = group[0]!.r;
      console.log(
        `| ${kind} | ${option} | ${group.length} | ${(total / 1000).toFixed(3)} | ${percentile(perPatient, 50).toFixed(2)} | ${percentile(perPatient, 99).toFixed(2)} | ` +
          `${fmt(pairs / (total / 1000))} | ${fmt(r.returned / PATIENTS, 1)} (${fmt(r.eligible / PATIENTS, 1)} eligible) |`,
      );
    }
  }
  console.log(`\nheap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB; load average at end ${load()}`);
}

main();
