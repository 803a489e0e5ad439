import { ErrorCode, HubError } from '../../../lib/errors';
import { bundleShapeProblem } from '../ingest/bundle-shape';
import { normaliseQuantity } from '../domain/loinc';
import type { PatientContext } from '../context';
import { assertMayLinkAcrossOrganisations, assertMayWritePatient, organisationForWrite } from '../../../lib/patient-access';
import type { Sex } from '../repository/patient-repository';
import { clinicalInstant } from '../domain/clinical-time';
import { MAX_CONSENT_SOURCE_LENGTH, MAX_IDENTIFIER_LENGTH, MAX_NAME_LENGTH, textProblem } from '../domain/text-limits';

interface CreatePatientArgs {
  input: {
    name: string;
    birthDate?: string | null;
    sex?: Sex | null;
    race?: string | null;
    organization?: string | null;
    identifiers?: { system: string; value: string }[] | null;
  };
}

/** The write rule (lib/patient-access.ts); an unknown id stays PATIENT_NOT_FOUND (from the write). */
async function assertCanWrite(patientId: string, ctx: PatientContext): Promise<void> {
  const patient = await ctx.loaders.patient.load(patientId);
  if (patient) assertMayWritePatient(ctx.identity, patient);
}

interface AddObservationArgs {
  patientId: string;
  input: { code: string; value: number; unit: string; effectiveAt?: string | null; idempotencyKey?: string | null };
}

/** ObservationInput.idempotencyKey: what a client-made UUID or request id looks like, nothing that needs escaping. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// A reading is ~0.4 kB of JSON: 10,000 stay under the 5 MB request cap; larger streams go through the CLI.
export const MAX_DEVICE_OBSERVATIONS = 10_000;

function parseBirthDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const checked = ISO_DATE.test(value) ? clinicalInstant(value) : { problem: `"${value}" is not a date (YYYY-MM-DD)` };
  if ('problem' in checked) throw new HubError(ErrorCode.BAD_USER_INPUT, `input.birthDate: ${checked.problem}`, { field: 'birthDate' });
  return value;
}

function parseInstant(value: string | null | undefined): Date {
  if (value === null || value === undefined) return new Date();
  // ISO 8601 with an explicit zone: a local time without one is ambiguous across sites.
  const checked = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? clinicalInstant(value) : { problem: `"${value}" is not an ISO 8601 instant with a time zone` };
  if ('problem' in checked) throw new HubError(ErrorCode.BAD_USER_INPUT, `input.effectiveAt: ${checked.problem}`, { field: 'effectiveAt' });
  return checked.instant;
}

function checkedText(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  const problem = textProblem(trimmed, max);
  if (problem) throw new HubError(ErrorCode.BAD_USER_INPUT, `${field}: ${problem}`, { field });
  return trimmed;
}

/** A bundle argument of the wrong shape is the wrong argument: a coded error naming what was sent. */
function checkBundleArgument(bundle: unknown): void {
  const problem = bundleShapeProblem(bundle);
  if (problem) throw new HubError(ErrorCode.BAD_USER_INPUT, `${problem.field}: ${problem.problem}`, { field: problem.field });
}

export const Mutation = {
  async createPatient(_: unknown, { input }: CreatePatientArgs, ctx: PatientContext) {
    const organization = organisationForWrite(ctx.identity, input.organization, 'input.organization', 'organization');
    const name = checkedText(input.name, 'input.name', MAX_NAME_LENGTH);
    const identifiers = (input.identifiers ?? []).map((i, index) => ({
      system: checkedText(i.system, `input.identifiers[${index}].system`, MAX_IDENTIFIER_LENGTH),
      value: checkedText(i.value, `input.identifiers[${index}].value`, MAX_IDENTIFIER_LENGTH),
    }));
    return ctx.repository.createPatient({
      name,
      birthDate: parseBirthDate(input.birthDate),
      sex: input.sex ?? null,
      race: input.race ?? null,
      organization,
      identifiers,
    });
  },

  async recordResearchConsent(_: unknown, args: { patientId: string; granted: boolean; source?: string | null }, ctx: PatientContext) {
    const patient = await ctx.loaders.patient.load(args.patientId);
    if (!patient) throw new HubError(ErrorCode.PATIENT_NOT_FOUND, `no patient with id "${args.patientId}"`, { patientId: args.patientId });
    assertMayWritePatient(ctx.identity, patient);
    const source = args.source?.trim() ? checkedText(args.source, 'source', MAX_CONSENT_SOURCE_LENGTH) : 'api';
    await ctx.consents.record(patient.id, args.granted, ctx.identity.subject, source);
    const history = await ctx.consents.historyByPatientIds([patient.id]);
    return { granted: history[0]![0]?.granted ?? false, history: history[0]! };
  },

  async ingestFhirBundle(_: unknown, args: { bundle: unknown; linkAcrossOrganisations?: boolean | null }, ctx: PatientContext) {
    checkBundleArgument(args.bundle);
    const report = await ctx.ingestor.ingestBundle(args.bundle, ctx.identity, { linkAcrossOrganisations: args.linkAcrossOrganisations ?? false });
    // A link joins (and answers with) identified records of an existing patient: audited like a read.
    for (const link of report.linked) ctx.access?.record(link.patientId, 'Mutation.ingestFhirBundle.linked');
    const linked = await Promise.all(
      report.linked.map(async (l) => (await ctx.loaders.links.load(l.patientId)).find((link) => link.id === l.linkId)!),
    );
    return {
      ...report,
      linked,
      skippedTypes: Object.entries(report.skippedTypes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([resourceType, count]) => ({ resourceType, count })),
    };
  },

  async addObservations(_: unknown, args: { patientId: string; observations: unknown[] }, ctx: PatientContext) {
    if (args.observations.length > MAX_DEVICE_OBSERVATIONS) {
      throw new HubError(
        ErrorCode.BAD_USER_INPUT,
        `observations: ${args.observations.length} readings exceed ${MAX_DEVICE_OBSERVATIONS} per call; split the stream or use the ingest CLI`,
        { field: 'observations' },
      );
    }
    await assertCanWrite(args.patientId, ctx);
    return ctx.devices.ingest(args.patientId, args.observations);
  },

  async unlinkPatient(_: unknown, { linkId }: { linkId: string }, ctx: PatientContext) {
    const { newPatientId } = await ctx.links.unlinkPatient(linkId, async (patientId, acrossOrganisations) => {
      // Undoing an admin's cross-organisation link writes into the source's organisation too.
      if (acrossOrganisations) assertMayLinkAcrossOrganisations(ctx.identity);
      await assertCanWrite(patientId, ctx);
    });
    return ctx.loaders.patient.load(newPatientId);
  },

  async addObservation(_: unknown, { patientId, input }: AddObservationArgs, ctx: PatientContext) {
    const quantity = normaliseQuantity(input.code, input.value, input.unit, 'input');
    const key = input.idempotencyKey ?? undefined;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, 'input.idempotencyKey: 1-128 characters of A-Z a-z 0-9 . _ : - (e.g. a UUID made per reading)', {
        field: 'input.idempotencyKey',
      });
    }
    await assertCanWrite(patientId, ctx);
    const given = input.effectiveAt !== null && input.effectiveAt !== undefined;
    return ctx.repository.addObservation(patientId, quantity, parseInstant(input.effectiveAt), key === undefined ? undefined : { key, effectiveAtGiven: given });
  },
};
