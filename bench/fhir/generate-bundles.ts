/**
 * Synthea-like FHIR R4 input for ingestion benchmarks and tests: one `transaction` Bundle per patient
 * with `urn:uuid:` fullUrls and references, as Synthea exports them. Same seed → byte-identical output.
 *
 *   npx tsx bench/fhir/generate-bundles.ts --count 1000 --seed 42 --out <dir>
 *       [--ndjson <file> --ndjson-count 2000]   wearable Observations (NDJSON) for the first patient
 *
 * Values follow each patient's conditions (a diabetic's HbA1c runs high, a hypertensive's pressure
 * too) so risk models downstream see plausible inputs, and units vary as real feeds do (some labs
 * report lipids in mmol/L, some scales weigh in pounds) so unit normalisation is exercised.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Bundle, Encounter, ObservationComponent, Patient } from '@medplum/fhirtypes';
import {
  CDC_RACE,
  ENCOUNTER_CLASS,
  ENCOUNTER_TYPES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  HOSPITAL_MRN_SYSTEM,
  IDENTIFIER_TYPE,
  KG_PER_POUND,
  LAB,
  LOINC,
  MG_DL_PER_MMOL_L,
  PLACES,
  RACES,
  SNOMED,
  STREETS,
  SYNTHEA_ID_SYSTEM,
  UNIT,
  US_CORE_RACE,
  VITAL,
  type Code,
  type Unit,
} from './clinical-codes';
import { addProblemList } from './problem-list';
import { STREAM, seededRandom, type Random } from '../../lib/seeded-random';
import {
  RecordBuilder,
  addObservation,
  clamp,
  concept,
  quantity,
  round,
  type LipidPanel,
  type SyntheticPerson,
  type Visit,
} from './record-builder';
import { AS_OF, DAY, MINUTE, YEAR, fhirDate, localMidnight } from './synthetic-time';
import { generateWearableObservations } from './wearable-observations';

export function generateBundle(seed: number, index: number): Bundle {
  const rng = seededRandom(seed, index, STREAM.bundle);
  const person = drawPerson(rng);
  const record = new RecordBuilder(rng, person);
  record.patient = record.add(patientResource(record, medicalRecordNumber(seed, index)));

  const visits = scheduleVisits(record);
  const lipidPanels: LipidPanel[] = [];
  visits.forEach((visit, i) => {
    addVitalSigns(record, visit);
    // Every patient has labs at the first visit, so each bundle can feed the risk models.
    if (i === 0 || rng.chance(0.5)) lipidPanels.push(addLabs(record, visit));
  });
  addProblemList(record, visits, lipidPanels);
  return { resourceType: 'Bundle', type: 'transaction', entry: record.entries };
}

export function* generateBundles(seed: number, count: number): Generator<Bundle> {
  for (let index = 0; index < count; index++) yield generateBundle(seed, index);
}

/** Unique per (seed, index), so bundles of different runs never merge into one patient by MRN. */
function medicalRecordNumber(seed: number, index: number): string {
  return `${seed >>> 0}-${String(index).padStart(7, '0')}`;
}

function weighted<T extends { weight: number }>(rng: Random, items: readonly T[]): T {
  let r = rng.next();
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1]!;
}

function drawPerson(rng: Random): SyntheticPerson {
  const age = rng.int(30, 85);
  const gender = rng.chance(0.5) ? 'female' : 'male';
  const decades = (age - 30) / 10;
  return {
    birth: AS_OF - age * YEAR - rng.int(1, 360) * DAY,
    gender,
    given: rng.pick(GIVEN_NAMES[gender]),
    family: rng.pick(FAMILY_NAMES),
    race: weighted(rng, RACES),
    place: rng.pick(PLACES),
    smoking: weighted(rng, [
      { status: 'never', weight: 0.55 },
      { status: 'former', weight: 0.25 },
      { status: 'daily', weight: 0.2 },
    ] as const).status,
    // Prevalence rising with age, roughly as in US adults; the exact rates do not matter for a benchmark.
    diabetes: rng.chance(0.06 + 0.03 * decades),
    hypertension: rng.chance(0.15 + 0.09 * decades),
    hyperlipidemia: rng.chance(0.2 + 0.05 * decades),
    pharyngitis: rng.chance(0.3),
    lungCancer: rng.chance(0.06),
    siLipids: rng.chance(0.15),
    weighsInPounds: rng.chance(0.2),
    heightCm: rng.normal(gender === 'female' ? 163 : 176, 7),
    bmi: clamp(rng.normal(27.5, 5), 17, 48),
  };
}

function patientResource(record: RecordBuilder, mrn: string): Patient & { id: string } {
  const { rng, person } = record;
  const id = rng.uuid();
  return {
    resourceType: 'Patient',
    id,
    extension: [
      {
        url: US_CORE_RACE,
        extension: [
          { url: 'ombCategory', valueCoding: { system: CDC_RACE, code: person.race.code, display: person.race.display } },
          { url: 'text', valueString: person.race.display },
        ],
      },
    ],
    identifier: [
      { system: SYNTHEA_ID_SYSTEM, value: id },
      {
        type: { coding: [{ system: IDENTIFIER_TYPE, code: 'MR', display: 'Medical Record Number' }], text: 'Medical Record Number' },
        system: HOSPITAL_MRN_SYSTEM,
        value: mrn,
      },
    ],
    name: [{ use: 'official', family: person.family, given: [person.given], prefix: [person.gender === 'female' ? 'Ms.' : 'Mr.'] }],
    telecom: [{ system: 'phone', value: `555-${rng.int(200, 999)}-${rng.int(1000, 9999)}`, use: 'home' }],
    gender: person.gender,
    birthDate: fhirDate(person.birth, person.place.utcOffsetMinutes),
    address: [
      {
        line: [`${rng.int(1, 9999)} ${rng.pick(STREETS)}`],
        city: person.place.city,
        state: person.place.state,
        postalCode: `${person.place.zipPrefix}${String(rng.int(0, 99)).padStart(2, '0')}`,
        country: 'US',
      },
    ],
  };
}

/** 2–4 ambulatory visits over the last few years, in office hours on the patient's clock. */
function scheduleVisits(record: RecordBuilder): Visit[] {
  const { rng, person } = record;
  const count = rng.int(2, 4);
  let day = AS_OF - (count * 300 + rng.int(30, 700)) * DAY;
  const visits: Visit[] = [];
  for (let i = 0; i < count; i++) {
    const start = localMidnight(day, person.place.utcOffsetMinutes) + rng.int(8 * 60, 16 * 60) * MINUTE + rng.int(0, 59) * 1000;
    const end = start + rng.int(15, 45) * MINUTE;
    const type = i === 0 ? ENCOUNTER_TYPES[0]! : rng.pick(ENCOUNTER_TYPES);
    const reference = record.add<Encounter>({
      resourceType: 'Encounter',
      id: rng.uuid(),
      status: 'finished',
      class: { system: ENCOUNTER_CLASS, code: 'AMB', display: 'ambulatory' },
      type: [{ coding: [{ system: SNOMED, code: type.code, display: type.display }], text: type.display }],
      subject: record.patient,
      period: { start: record.at(start), end: record.at(end) },
    });
    visits.push({ start, end, type, reference });
    day += rng.int(60, 290) * DAY;
  }
  return visits;
}

function addVitalSigns(record: RecordBuilder, visit: Visit): void {
  const { rng, person } = record;
  const at = visit.start + 5 * MINUTE;
  const heightCm = round(person.heightCm + rng.normal(0, 0.3), 1);
  const metres = heightCm / 100;
  const kg = round(clamp(person.bmi + rng.normal(0, 0.6), 16, 50) * metres * metres, 1);
  const systolic = Math.round(clamp(rng.normal(person.hypertension ? 142 : 121, 12), 90, 210));
  const diastolic = Math.round(clamp(rng.normal(person.hypertension ? 88 : 77, 8), 50, systolic - 20));
  const bpComponent = (code: Code, mmHg: number): ObservationComponent => ({
    code: concept(LOINC, code),
    valueQuantity: quantity(mmHg, UNIT.mmHg),
  });

  addObservation(record, visit, 'vital-signs', VITAL.height, { valueQuantity: quantity(heightCm, UNIT.cm) }, at);
  const weight = person.weighsInPounds ? quantity(round(kg / KG_PER_POUND, 1), UNIT.pound) : quantity(kg, UNIT.kg);
  addObservation(record, visit, 'vital-signs', VITAL.weight, { valueQuantity: weight }, at);
  addObservation(record, visit, 'vital-signs', VITAL.bmi, { valueQuantity: quantity(round(kg / (metres * metres), 1), UNIT.bmi) }, at);
  addObservation(
    record,
    visit,
    'vital-signs',
    VITAL.bloodPressure,
    { component: [bpComponent(VITAL.systolic, systolic), bpComponent(VITAL.diastolic, diastolic)] },
    at,
  );
  addObservation(record, visit, 'vital-signs', VITAL.heartRate, { valueQuantity: quantity(Math.round(clamp(rng.normal(72, 9), 45, 130)), UNIT.perMinute) }, at);
}

function addLabs(record: RecordBuilder, visit: Visit): LipidPanel {
  const { rng, person } = record;
  const drawn = visit.start + 10 * MINUTE;
  const resulted = drawn + rng.int(2, 6) * 60 * MINUTE;
  const lab = (code: Code, value: number, unit: Unit) =>
    addObservation(record, visit, 'laboratory', code, { valueQuantity: quantity(value, unit) }, drawn, resulted);

  const totalMg = clamp(rng.normal(person.hyperlipidemia ? 235 : 185, 28), 110, 380);
  const hdlMg = clamp(rng.normal(person.gender === 'female' ? 58 : 47, 11), 22, 110);
  const triglyceridesMg = clamp(rng.normal(person.diabetes ? 190 : 120, 45), 40, 600);
  // Friedewald (Clin Chem 1972;18:499): LDL ≈ TC − HDL − TG/5, so the four lipids agree with each other.
  const ldlMg = clamp(totalMg - hdlMg - triglyceridesMg / 5 + rng.normal(0, 6), 30, 280);
  const lipid = (mg: number, mgPerMmol: number): [number, Unit] =>
    person.siLipids ? [round(mg / mgPerMmol, 2), UNIT.mmolPerL] : [Math.round(mg), UNIT.mgPerDl];
  const lipids: [Code, string, [number, Unit]][] = [
    [LAB.totalCholesterol, 'total cholesterol', lipid(totalMg, MG_DL_PER_MMOL_L.cholesterol)],
    [LAB.hdl, 'HDL cholesterol', lipid(hdlMg, MG_DL_PER_MMOL_L.cholesterol)],
    [LAB.ldl, 'LDL cholesterol', lipid(ldlMg, MG_DL_PER_MMOL_L.cholesterol)],
    [LAB.triglycerides, 'triglycerides', lipid(triglyceridesMg, MG_DL_PER_MMOL_L.triglycerides)],
  ];
  const results = lipids.map(([code, , [value, unit]]) => lab(code, value, unit));

  lab(LAB.glucose, Math.round(clamp(rng.normal(person.diabetes ? 155 : 94, person.diabetes ? 35 : 9), 60, 400)), UNIT.mgPerDl);
  lab(LAB.hba1c, round(clamp(rng.normal(person.diabetes ? 7.6 : 5.4, person.diabetes ? 1.1 : 0.3), 4, 14), 1), UNIT.percent);
  const age = record.ageAt(visit.start);
  const creatinine = round(clamp(rng.normal(person.gender === 'male' ? 1.0 : 0.82, 0.15) + (age > 70 ? 0.15 : 0), 0.4, 3), 2);
  lab(LAB.creatinine, creatinine, UNIT.mgPerDl);
  lab(LAB.egfr, Math.round(mdrdEgfr(creatinine, age, person)), UNIT.egfr);

  const summary = lipids.map(([, name, [value, unit]]) => `${name} ${value} ${unit.unit}`).join(', ');
  return { visit, results, summary: `Lipid panel: ${summary}.` };
}

/** IDMS-traceable MDRD study equation (Levey et al., Clin Chem 2007;53:766), matching LOINC 33914-3. */
function mdrdEgfr(creatinineMgDl: number, age: number, person: SyntheticPerson): number {
  const female = person.gender === 'female' ? 0.742 : 1;
  const black = person.race.code === '2054-5' ? 1.212 : 1;
  return 175 * creatinineMgDl ** -1.154 * age ** -0.203 * female * black;
}

const USAGE = `usage: npx tsx bench/fhir/generate-bundles.ts [--count 1000] [--seed 42] --out <dir>
       [--ndjson <file> [--ndjson-count 2000]]`;

class UsageError extends Error {
  override name = 'UsageError';
}

/** Seeds are 32-bit (they seed sfc32's state words), so larger ones would silently repeat smaller ones. */
function integerOption(raw: string | undefined, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new UsageError(`--${name} "${raw}" is not a whole number from 0 to ${max}`);
  return value;
}

function writeCorpus(argv: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        ndjson: { type: 'string' },
        'ndjson-count': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const count = integerOption(values.count, 'count', 1000);
  const seed = integerOption(values.seed, 'seed', 42, 0xffffffff);
  if (!values.out && !values.ndjson) throw new UsageError('nothing to write: give --out and/or --ndjson');

  const started = Date.now();
  if (values.out) {
    fs.mkdirSync(values.out, { recursive: true });
    let resources = 0;
    let index = 0;
    for (const bundle of generateBundles(seed, count)) {
      resources += bundle.entry?.length ?? 0;
      fs.writeFileSync(path.join(values.out, `patient-${String(index++).padStart(6, '0')}.json`), `${JSON.stringify(bundle, null, 2)}\n`);
    }
    console.log(`${count} bundles (${resources} resources) → ${values.out}`);
  }
  if (values.ndjson) {
    const ndjsonCount = integerOption(values['ndjson-count'], 'ndjson-count', 2000);
    const patient = generateBundle(seed, 0).entry?.[0]?.resource as Patient & { id: string };
    // The feed keeps the patient's clock; the bundle carries it only as the city of the address.
    const place = PLACES.find((p) => p.city === patient.address?.[0]?.city) ?? PLACES[0];
    fs.mkdirSync(path.dirname(values.ndjson), { recursive: true });
    const fd = fs.openSync(values.ndjson, 'w');
    try {
      for (const observation of generateWearableObservations(seed, patient.id, place.utcOffsetMinutes, ndjsonCount)) {
        fs.writeSync(fd, `${JSON.stringify(observation)}\n`);
      }
    } finally {
      fs.closeSync(fd);
    }
    console.log(`${ndjsonCount} wearable observations for Patient/${patient.id} → ${values.ndjson}`);
  }
  console.log(`in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    writeCorpus(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  }
}
