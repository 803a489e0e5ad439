import type { Coding, Device, Observation, Patient, Reference } from '@medplum/fhirtypes';
import { LOINC, OBSERVATION_CATEGORY, UNIT, VITAL, type Code, type Unit } from './clinical-codes';
import { STREAM, seededRandom } from '../../lib/seeded-random';
import { clamp, concept, quantity, round } from './record-builder';
import { AS_OF, DAY, MINUTE, fhirDateTime, localMidnight } from './synthetic-time';

const VITAL_SIGNS: Coding = { system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital signs' };
const ACTIVITY: Coding = { system: OBSERVATION_CATEGORY, code: 'activity', display: 'Activity' };

const TICK = 5 * MINUTE;
const TICKS_PER_DAY = DAY / TICK;
const TICKS_PER_HOUR = (60 * MINUTE) / TICK;
/** Heart rate every tick, SpO2 hourly, steps daily. */
const OBSERVATIONS_PER_DAY = TICKS_PER_DAY + 24 + 1;

/**
 * A wrist-worn tracker's feed for one patient, as a bulk-data NDJSON export carries it: one Observation
 * per line, literal `Patient/<id>` and `Device/<id>` references (nothing to resolve them against).
 * Ends at AS_OF and reaches back as many days as `count` needs.
 */
export function* generateWearableObservations(seed: number, patientId: string, utcOffsetMinutes: number, count: number): Generator<Observation> {
  const rng = seededRandom(seed, 0, STREAM.wearables);
  const subject: Reference<Patient> = { reference: `Patient/${patientId}` };
  const device: Reference<Device> = { reference: `Device/${rng.uuid()}`, display: 'Wrist-worn activity tracker' };
  const observation = (category: Coding, code: Code, value: number, unit: Unit, at: number): Observation => ({
    resourceType: 'Observation',
    id: rng.uuid(),
    status: 'final',
    category: [{ coding: [category] }],
    code: concept(LOINC, code),
    subject,
    device,
    effectiveDateTime: fhirDateTime(at, utcOffsetMinutes),
    valueQuantity: quantity(value, unit),
  });

  const days = Math.ceil(count / OBSERVATIONS_PER_DAY);
  const start = localMidnight(AS_OF - days * DAY, utcOffsetMinutes);
  let emitted = 0;
  for (let tick = 0; emitted < count; tick++) {
    const at = start + tick * TICK;
    if (tick > 0 && tick % TICKS_PER_DAY === 0) {
      // The day's step total, stamped at the midnight that closes it.
      const steps = Math.round(clamp(rng.normal(7500, 2800), 300, 30000));
      yield observation(ACTIVITY, VITAL.steps, steps, UNIT.perDay, at);
      if (++emitted === count) return;
    }
    if (tick % TICKS_PER_HOUR === 0) {
      yield observation(VITAL_SIGNS, VITAL.oxygenSaturation, Math.round(clamp(rng.normal(97.2, 1), 88, 100)), UNIT.percent, at);
      if (++emitted === count) return;
    }
    const asleep = tick % TICKS_PER_DAY < 7 * TICKS_PER_HOUR;
    const exercising = !asleep && rng.chance(0.04);
    const heartRate = exercising ? rng.normal(128, 12) : rng.normal(asleep ? 58 : 76, 6);
    yield observation(VITAL_SIGNS, VITAL.heartRate, round(clamp(heartRate, 40, 190), 0), UNIT.perMinute, at);
    emitted++;
  }
}
