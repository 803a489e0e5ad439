import { createHash } from 'node:crypto';
import { ErrorCode, HubError } from '../../../lib/errors';
import type { PatientContext } from '../context';
import { assertPatientAccess } from '../../../lib/patient-access';
import type { ObservationRecord, PatientRecord } from '../repository/patient-repository';

interface ObservationArgs {
  code?: string | null;
  since?: string | null;
  until?: string | null;
  latestOnly?: boolean | null;
}

function instantArg(value: string | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new HubError(ErrorCode.BAD_USER_INPUT, `${name}: "${value}" is not an ISO 8601 instant`, { field: name });
  return time;
}

/** Narrows the patient's observations (already newest first) without another query. */
export function selectObservations(all: ObservationRecord[], args: ObservationArgs): ObservationRecord[] {
  const since = instantArg(args.since, 'since');
  const until = instantArg(args.until, 'until');
  let selected = all.filter((o) => {
    const at = Date.parse(o.effectiveAt);
    return (!args.code || o.code === args.code) && (since === null || at >= since) && (until === null || at < until);
  });
  if (args.latestOnly) {
    const seen = new Set<string>();
    selected = selected.filter((o) => !seen.has(o.code) && seen.add(o.code));
  }
  return selected;
}

export const Patient = {
  // Every way into a patient's record (entities for the other subgraphs included) checks the caller's access.
  async __resolveReference(ref: { id: string }, ctx: PatientContext) {
    const patient = await ctx.loaders.patient.load(ref.id);
    if (patient) assertPatientAccess(ctx.identity, patient);
    return patient;
  },
  async researchConsent(patient: PatientRecord, _: unknown, ctx: PatientContext) {
    const history = await ctx.loaders.consents.load(patient.id);
    return { granted: history[0]?.granted ?? false, history };
  },
  identifiers: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.identifiers.load(patient.id),
  observations: async (patient: PatientRecord, args: ObservationArgs, ctx: PatientContext) =>
    selectObservations(await ctx.loaders.observations.load(patient.id), args),
  conditions: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.conditions.load(patient.id),
  procedures: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.procedures.load(patient.id),
  medications: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.medications.load(patient.id),
  allergies: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.allergies.load(patient.id),
  notes: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.notes.load(patient.id),
  imagingStudies: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.imagingStudies.load(patient.id),
  links: (patient: PatientRecord, _: unknown, ctx: PatientContext) => ctx.loaders.links.load(patient.id),
  // The organisation is part of the version: a patient moved between organisations (by any path, a direct database
  // change included) gets a new version, so no reader keeps deciding access on the old one.
  recordVersion: async (patient: PatientRecord, _: unknown, ctx: PatientContext) =>
    `${await ctx.loaders.recordVersions.load(patient.id)}.${createHash('sha256').update(patient.organization ?? '').digest('base64url').slice(0, 12)}`,
};
