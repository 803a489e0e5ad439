/**
 * Synthetic patient histories whose outcome follows a KNOWN logistic risk function, for the tests and
 * the training bench: a trained model should recover the coefficients and approach the true model's
 * AUROC. Not for production use. Shapes are NHANES-like, not fitted; coefficients are plausible, not
 * published values. Deterministic: same seed → same cohort.
 */
import { CODE_SYSTEMS } from '../../../lib/contracts/reference/code-systems';
import { seededRandom, type Random } from '../../../lib/seeded-random';
import { EGFR_LOINC, RISK_LOINC } from '../domain/cardiovascular';
import { SMOKING_STATUS_LOINC } from '../domain/clinical-facts';
import { addYears, HBA1C_LOINC, isoDate, type OutcomeDefinition, type PatientHistory } from './features';

const SNOMED = CODE_SYSTEMS.snomed;
export const SYNTHETIC_OUTCOME: OutcomeDefinition = {
  name: 'Myocardial infarction within 10 years',
  codes: [
    { system: SNOMED, code: '22298006' }, // Myocardial infarction
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I21.9' },
  ],
  years: 10,
};
export const SYNTHETIC_INDEX_DATE = new Date('2015-01-01T00:00:00Z');
const EXTRACT_DATE = '2026-01-01';

/** Log-odds per unit of each feature, centred on a typical value; exported so tests can compare. */
export const TRUE_MODEL = {
  intercept: -2.4,
  age: { perUnit: 0.07, centre: 55 },
  totalCholesterol: { perUnit: 0.006, centre: 200 },
  hdlCholesterol: { perUnit: -0.025, centre: 50 },
  systolicBp: { perUnit: 0.018, centre: 130 },
  bmi: { perUnit: 0.03, centre: 28 },
  hba1c: { perUnit: 0.25, centre: 5.7 },
  egfr: { perUnit: -0.012, centre: 90 },
  male: 0.5,
  raceBlack: 0.3,
  raceOther: -0.1,
  smoker: 0.6,
  diabetes: 0.5,
  onAntihypertensive: 0.3,
  onStatin: -0.2,
} as const;

export interface SyntheticOptions {
  patients: number;
  seed: number;
  /** Chance each measurement or fact is absent from the record (missing completely at random). */
  missingRate?: number;
  /** Chance a patient leaves before the end of the outcome window (censoring). */
  dropOutRate?: number;
}

export interface SyntheticPatient {
  history: PatientHistory;
  /** The true probability of the outcome within the window, from TRUE_MODEL on the complete values. */
  trueRisk: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const logistic = (eta: number) => 1 / (1 + Math.exp(-eta));
const dayOffset = (date: Date, days: number) => isoDate(new Date(date.getTime() + days * 86_400_000));

function syntheticPatient(rng: Random, id: number, missingRate: number, dropOutRate: number): SyntheticPatient {
  const index = SYNTHETIC_INDEX_DATE;
  const age = rng.int(30, 79);
  const older = (age - 30) / 49;
  const male = rng.chance(0.49);
  const r = rng.next();
  const race = r < 0.62 ? 'WHITE' : r < 0.75 ? 'BLACK_OR_AFRICAN_AMERICAN' : 'ASIAN';
  const tc = Math.round(clamp(rng.normal(200, 38), 120, 330));
  const hdl = Math.round(clamp(rng.normal(male ? 47 : 58, 14), 20, 110));
  const sbp = Math.round(clamp(rng.normal(118 + 22 * older, 17), 85, 210));
  const bmi = Math.round(clamp(rng.normal(28.5, 5.5), 17, 50) * 10) / 10;
  const diabetes = rng.chance(0.04 + 0.18 * older);
  const hba1c = Math.round(clamp(diabetes ? rng.normal(7.6, 1.3) : rng.normal(5.5, 0.4), 4, 14) * 10) / 10;
  const egfr = Math.round(clamp(rng.normal(105 - 0.8 * (age - 30), 15), 15, 140));
  const smoker = rng.chance(0.14);
  const antihypertensive = rng.chance(0.08 + 0.45 * older);
  const statin = rng.chance(0.05 + 0.35 * older);
  const t = TRUE_MODEL;
  const eta =
    t.intercept +
    t.age.perUnit * (age - t.age.centre) +
    t.totalCholesterol.perUnit * (tc - t.totalCholesterol.centre) +
    t.hdlCholesterol.perUnit * (hdl - t.hdlCholesterol.centre) +
    t.systolicBp.perUnit * (sbp - t.systolicBp.centre) +
    t.bmi.perUnit * (bmi - t.bmi.centre) +
    t.hba1c.perUnit * (hba1c - t.hba1c.centre) +
    t.egfr.perUnit * (egfr - t.egfr.centre) +
    (male ? t.male : 0) +
    (race === 'BLACK_OR_AFRICAN_AMERICAN' ? t.raceBlack : race === 'ASIAN' ? t.raceOther : 0) +
    (smoker ? t.smoker : 0) +
    (diabetes ? t.diabetes : 0) +
    (antihypertensive ? t.onAntihypertensive : 0) +
    (statin ? t.onStatin : 0);
  const trueRisk = logistic(eta);

  const measuredAt = `${dayOffset(index, -rng.int(1, 365))}T09:00:00Z`;
  const observations: PatientHistory['observations'] = [];
  const measure = (code: string, value: number, unit: string) => {
    if (!rng.chance(missingRate)) observations.push({ code, value, unit, effectiveAt: measuredAt, valueCode: null });
  };
  measure(RISK_LOINC.totalCholesterol, tc, 'mg/dL');
  measure(RISK_LOINC.hdlCholesterol, hdl, 'mg/dL');
  measure(RISK_LOINC.systolicBp, sbp, 'mm[Hg]');
  measure(RISK_LOINC.bmi, bmi, 'kg/m2');
  measure(HBA1C_LOINC, hba1c, '%');
  measure(EGFR_LOINC[0], egfr, 'mL/min/{1.73_m2}');
  if (!rng.chance(missingRate)) {
    observations.push({ code: SMOKING_STATUS_LOINC, value: null, unit: null, effectiveAt: measuredAt, valueCode: { system: SNOMED, code: smoker ? '449868002' : '266919005' } });
  }
  // A measurement after the index date must never be used: a decoy SBP that would leak if it were.
  observations.push({ code: RISK_LOINC.systolicBp, value: 250, unit: 'mm[Hg]', effectiveAt: `${dayOffset(index, 30)}T09:00:00Z`, valueCode: null });

  const conditions: PatientHistory['conditions'] = [];
  const problemListRecorded = !rng.chance(missingRate);
  if (problemListRecorded) {
    conditions.push({ code: { system: SNOMED, code: '38341003' }, clinicalStatus: 'active', onsetAt: dayOffset(index, -rng.int(400, 4000)) }); // hypertension, unrelated to the outcome
    if (diabetes) conditions.push({ code: { system: SNOMED, code: '44054006' }, clinicalStatus: 'active', onsetAt: dayOffset(index, -rng.int(30, 3000)) });
  }
  const medications: PatientHistory['medications'] = [];
  if (!rng.chance(missingRate)) {
    medications.push({ code: { system: CODE_SYSTEMS.rxnorm, code: '310965', display: 'ibuprofen 200 MG Oral Tablet' }, status: 'completed', startedAt: dayOffset(index, -900), endedAt: dayOffset(index, -800) });
    if (antihypertensive) medications.push({ code: { system: CODE_SYSTEMS.rxnorm, code: '314076', display: 'lisinopril 10 MG Oral Tablet' }, status: 'active', startedAt: dayOffset(index, -rng.int(30, 2000)), endedAt: null });
    if (statin) medications.push({ code: { system: CODE_SYSTEMS.rxnorm, code: '617312', display: 'atorvastatin 20 MG Oral Tablet' }, status: 'active', startedAt: dayOffset(index, -rng.int(30, 2000)), endedAt: null });
  }

  const windowDays = (addYears(index, SYNTHETIC_OUTCOME.years).getTime() - index.getTime()) / 86_400_000;
  const followUpEndsAt = rng.chance(dropOutRate) ? dayOffset(index, rng.int(1, windowDays - 1)) : EXTRACT_DATE;
  const onset = rng.chance(trueRisk) ? dayOffset(index, rng.int(1, windowDays)) : rng.chance(0.3) ? dayOffset(index, windowDays + rng.int(1, 300)) : null;
  // An outcome after the patient left is not in the record.
  if (onset !== null && onset <= followUpEndsAt) conditions.push({ code: { system: SNOMED, code: '22298006' }, clinicalStatus: 'active', onsetAt: onset });

  return {
    history: {
      id: `synthetic-${id}`,
      birthDate: `${index.getUTCFullYear() - age - 1}-${String(rng.int(1, 12)).padStart(2, '0')}-15`,
      sex: male ? 'MALE' : 'FEMALE',
      race,
      observations,
      conditions,
      medications,
      followUpEndsAt,
    },
    trueRisk,
  };
}

/** A cohort at SYNTHETIC_INDEX_DATE. */
export function syntheticCohort(options: SyntheticOptions): SyntheticPatient[] {
  const rng = seededRandom(options.seed, 8);
  const missingRate = options.missingRate ?? 0.05;
  const dropOutRate = options.dropOutRate ?? 0.1;
  return Array.from({ length: options.patients }, (_, i) => syntheticPatient(rng, i, missingRate, dropOutRate));
}
