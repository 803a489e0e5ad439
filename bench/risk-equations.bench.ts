/**
 * Cardiovascular risk equations over 1M synthetic patients: the Pooled Cohort Equations alone, PREVENT
 * alone, and estimateCardiovascularRisk (both models, missing-input check, category, model info), in
 * alternating rounds over all patients after a warm-up round on the first 100k. Goal (issue): ≤ 2 s
 * for 1M patients.
 *
 *   npx tsx bench/risk-equations.bench.ts [--patients 1000000] [--rounds 2] [--seed 7]
 *
 * Inputs are generated before any timing (deterministic: same seed → same patients). Every result is
 * folded into a checksum so the work cannot be optimised away.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { estimateCardiovascularRisk, type RiskInput } from '../subgraphs/inference/domain/cardiovascular';
import { pooledCohortRisk, type PceInput } from '../subgraphs/inference/domain/pooled-cohort';
import { preventRisk, type PreventInput } from '../subgraphs/inference/domain/prevent';
import { seededRandom, type Random } from '../lib/seeded-random';

const { values } = parseArgs({ options: { patients: { type: 'string' }, rounds: { type: 'string' }, seed: { type: 'string' } } });
const PATIENTS = Number(values.patients ?? 1_000_000);
// Two full rounds of all three after a 100k warm-up keep a run under a minute on this machine.
const ROUNDS = Number(values.rounds ?? 2);
/** The warm-up round runs on this many patients: enough for the JIT, and cheaper than a full round. */
const WARM_UP_PATIENTS = 100_000;
const SEED = Number(values.seed ?? 7);
const GOAL_SECONDS_PER_MILLION = 2;
/** A stream of its own, so this bench never shares draws with the FHIR generator's streams (1, 2). */
const STREAM_RISK = 3;

// A full collection before each heap reading; --expose-gc set at run time so `npx tsx` needs no flag.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const heapMb = () => process.memoryUsage().heapUsed / 1048576;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * Roughly a US primary-care population aged 30–79 (NHANES-like shapes, not fitted): lipids and SBP
 * normal and clipped to the calculator ranges, treatment and statin use rising with age.
 */
function syntheticPatient(rng: Random): Required<{ [K in keyof RiskInput]: NonNullable<RiskInput[K]> }> {
  const age = rng.int(30, 79);
  const sex = rng.chance(0.51) ? 'FEMALE' : 'MALE';
  const r = rng.next();
  const race = r < 0.62 ? 'WHITE' : r < 0.75 ? 'AFRICAN_AMERICAN' : 'OTHER';
  const older = (age - 30) / 49;
  return {
    age,
    sex,
    race,
    totalCholesterol: Math.round(clamp(rng.normal(195, 38), 130, 320)),
    hdlCholesterol: Math.round(clamp(rng.normal(sex === 'FEMALE' ? 58 : 47, 14), 20, 100)),
    systolicBp: Math.round(clamp(rng.normal(118 + 22 * older, 17), 90, 200)),
    onHypertensionTreatment: rng.chance(0.08 + 0.45 * older),
    smoker: rng.chance(0.13),
    diabetes: rng.chance(0.04 + 0.18 * older),
    onStatin: rng.chance(0.05 + 0.35 * older),
    bmi: Math.round(clamp(rng.normal(29, 5.5), 18.5, 40) * 10) / 10,
    egfr: Math.round(clamp(rng.normal(105 - 35 * older, 18), 15, 140)),
  };
}

interface Pass {
  name: string;
  run(inputs: readonly RiskInput[]): number;
}

const PASSES: Pass[] = [
  {
    name: '(a) pooledCohortRisk',
    run(inputs) {
      let sum = 0;
      for (const input of inputs) sum += pooledCohortRisk(input as PceInput).risk10y ?? -1;
      return sum;
    },
  },
  {
    name: '(b) preventRisk',
    run(inputs) {
      let sum = 0;
      for (const input of inputs) {
        const r = preventRisk(input as PreventInput);
        sum += (r.cvd10y ?? -1) + (r.hf30y ?? -1);
      }
      return sum;
    },
  },
  {
    name: '(c) estimateCardiovascularRisk',
    run(inputs) {
      let sum = 0;
      for (const input of inputs) {
        const r = estimateCardiovascularRisk(input);
        sum += (r.pce10y ?? -1) + (r.prevent?.cvd10y ?? -1) + (r.category?.length ?? 0) + r.notApplicableReasons.length;
      }
      return sum;
    },
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function main() {
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average at start ${load()}`);

  collectGarbage();
  const heapBefore = heapMb();
  let started = performance.now();
  const rng = seededRandom(SEED, 0, STREAM_RISK);
  const inputs: RiskInput[] = Array.from({ length: PATIENTS }, () => syntheticPatient(rng));
  const generationSeconds = (performance.now() - started) / 1000;
  collectGarbage();
  const heapInputs = heapMb();

  // What the inputs exercise: PCE is not applicable under 40, PREVENT not above BMI 39.9, 30-year PREVENT not above 59.
  const under40 = inputs.filter((i) => i.age! < 40).length;
  const bmiOut = inputs.filter((i) => i.bmi! > 39.9).length;
  const over59 = inputs.filter((i) => i.age! > 59).length;
  console.log(
    `${fmt(PATIENTS)} patients (seed ${SEED}) generated in ${generationSeconds.toFixed(2)} s (not timed below); ` +
      `inputs hold ${(heapInputs - heapBefore).toFixed(0)} MB of heap. Age < 40 (PCE not applicable): ${((100 * under40) / PATIENTS).toFixed(1)} %; ` +
      `BMI > 39.9 (PREVENT not applicable): ${((100 * bmiOut) / PATIENTS).toFixed(1)} %; age > 59 (no 30-year PREVENT): ${((100 * over59) / PATIENTS).toFixed(1)} %`,
  );

  const times = new Map<string, number[]>(PASSES.map((p) => [p.name, []]));
  const peakHeap = new Map<string, number>(PASSES.map((p) => [p.name, 0]));
  const checksums = new Map<string, number>();
  const warmUp = inputs.slice(0, WARM_UP_PATIENTS);
  for (let round = 0; round <= ROUNDS; round++) {
    const order = round % 2 ? [...PASSES].reverse() : PASSES;
    const batch = round === 0 ? warmUp : inputs;
    const line: string[] = [];
    for (const pass of order) {
      collectGarbage();
      started = performance.now();
      const checksum = pass.run(batch);
      const seconds = (performance.now() - started) / 1000;
      // Heap right after the pass, before collecting: the garbage the pass left behind, plus the inputs.
      peakHeap.set(pass.name, Math.max(peakHeap.get(pass.name)!, heapMb()));
      if (round > 0) {
        const previous = checksums.get(pass.name);
        if (previous !== undefined && previous !== checksum) throw new Error(`${pass.name}: checksum changed between rounds`);
        checksums.set(pass.name, checksum);
        times.get(pass.name)!.push(seconds);
      }
      line.push(`${pass.name.slice(0, 3)} ${seconds.toFixed(3)} s`);
    }
    console.log(`${round === 0 ? `warm-up (${fmt(batch.length)} patients)` : `round ${round}`}: ${line.join(', ')}; load ${load()}`);
  }

  const perMillion = (name: string) => (median(times.get(name)!) * 1_000_000) / PATIENTS;
  console.log(`\n| ${fmt(PATIENTS)} patients, median of ${ROUNDS} rounds | s per 1M | ns / patient | patients/s | min–max s | heap used after pass | vs goal ≤ ${GOAL_SECONDS_PER_MILLION} s |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const pass of PASSES) {
    const s = perMillion(pass.name);
    const ts = times.get(pass.name)!;
    console.log(
      `| ${pass.name} | ${s.toFixed(3)} | ${fmt(s * 1000)} | ${fmt(1_000_000 / s)} | ${Math.min(...ts).toFixed(3)}–${Math.max(...ts).toFixed(3)} | ` +
        `${peakHeap.get(pass.name)!.toFixed(0)} MB | ${(s / GOAL_SECONDS_PER_MILLION).toFixed(2)}× of budget |`,
    );
  }
  console.log(
    `\nratio (c)/(a): ${(perMillion(PASSES[2]!.name) / perMillion(PASSES[0]!.name)).toFixed(2)}×; ` +
      `(c)/((a)+(b)): ${(perMillion(PASSES[2]!.name) / (perMillion(PASSES[0]!.name) + perMillion(PASSES[1]!.name))).toFixed(2)}×; ` +
      `heap used: ${heapBefore.toFixed(0)} MB before generation, ${heapInputs.toFixed(0)} MB with the inputs; load average at end ${load()}`,
  );
}

main();
