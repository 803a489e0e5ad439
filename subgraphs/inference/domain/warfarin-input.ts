/**
 * The IWPC warfarin inputs read from a patient's record: age, the latest height (LOINC 8302-2, cm) and
 * weight (29463-7, kg), race, the VKORC1 c.-1639 genotype and CYP2C9 diplotype the genomics subgraph
 * called, and current medications (IWPC "enzyme inducer status": carbamazepine, phenytoin, rifampin;
 * amiodarone). A medication list that is empty says nothing about those drugs: they are then unknown.
 */
import { ageOn, type ClinicalSnapshot } from './cardiovascular';
import { isCurrent, isMedicationOf, type PgxCall } from './drug-response';
import type { Vkorc1Genotype, WarfarinInput, WarfarinRace } from './warfarin';

const ENZYME_INDUCERS = ['carbamazepine', 'phenytoin', 'rifampin', 'rifampicin'];
const HEIGHT_LOINC = '8302-2';
const WEIGHT_LOINC = '29463-7';

const RACE: Record<string, WarfarinRace> = {
  WHITE: 'WHITE',
  BLACK_OR_AFRICAN_AMERICAN: 'BLACK',
  ASIAN: 'ASIAN',
  AMERICAN_INDIAN_OR_ALASKA_NATIVE: 'OTHER',
  NATIVE_HAWAIIAN_OR_OTHER_PACIFIC_ISLANDER: 'OTHER',
  OTHER: 'OTHER',
};

/** The latest usable value: flagged ones (Observation.excludedReason) never feed a dose. */
function latest(snapshot: ClinicalSnapshot, code: string, unit: string): number | null {
  let best: { value: number; at: string } | null = null;
  for (const o of snapshot.observations) {
    if (o.code === code && o.value !== null && o.unit === unit && !o.excludedReason && (!best || o.effectiveAt > best.at)) best = { value: o.value, at: o.effectiveAt };
  }
  return best?.value ?? null;
}

/** "-1639 AG" (the genomics subgraph's CPIC phenotype for VKORC1) → AG; anything else → unknown. */
function vkorc1(calls: PgxCall[]): Vkorc1Genotype | null {
  const phenotype = calls.find((c) => c.gene === 'VKORC1')?.phenotype ?? '';
  const m = /^-1639 (GG|AG|AA)$/.exec(phenotype.trim());
  return (m?.[1] as Vkorc1Genotype | undefined) ?? null;
}

export function warfarinInputFromRecord(snapshot: ClinicalSnapshot, calls: PgxCall[], at: Date): WarfarinInput {
  const current = snapshot.medications.filter(isCurrent);
  const taking = (names: string[]) =>
    snapshot.medications.length === 0 ? null : current.some((m) => names.some((name) => isMedicationOf(m, { id: `name:${name}`, name })));
  const cyp2c9 = calls.find((c) => c.gene === 'CYP2C9')?.diplotype ?? null;
  return {
    age: snapshot.birthDate ? ageOn(snapshot.birthDate, at) : null,
    heightCm: latest(snapshot, HEIGHT_LOINC, 'cm'),
    weightKg: latest(snapshot, WEIGHT_LOINC, 'kg'),
    race: snapshot.race ? (RACE[snapshot.race] ?? 'OTHER') : null,
    vkorc1Rs9923231: vkorc1(calls),
    cyp2c9Diplotype: cyp2c9,
    enzymeInducer: taking(ENZYME_INDUCERS),
    amiodarone: taking(['amiodarone']),
  };
}
