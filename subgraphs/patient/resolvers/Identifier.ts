import { ErrorCode, HubError } from '../../../lib/errors';
import type { PatientContext } from '../context';
import { identifierKind, maskIdentifierValue } from '../domain/identifier-kinds';
import { MAX_IDENTIFIER_LENGTH } from '../domain/text-limits';
import type { PatientRecord } from '../repository/patient-repository';

/** An identifier as stored (patient.identifiers) or as a link kept it (patient_links.identifiers). */
interface StoredIdentifier {
  system: string;
  value: string;
  /** HL7 v2-0203 type as ingested; absent on links made before it was kept. */
  type?: string | null;
}

const kindOf = (identifier: StoredIdentifier) => identifierKind(identifier.system, identifier.type ?? null);

/**
 * Masking happens here, in the API, for every caller and every place an Identifier appears (a patient's
 * identifiers, a link's): a browser that hides a value it was sent has already leaked it.
 */
export const Identifier = {
  value: (identifier: StoredIdentifier) => (kindOf(identifier).masked ? maskIdentifierValue(identifier.value) : identifier.value),
  label: (identifier: StoredIdentifier) => kindOf(identifier).label,
  typeCode: (identifier: StoredIdentifier) => kindOf(identifier).typeCode,
  masked: (identifier: StoredIdentifier) => kindOf(identifier).masked,
};

/**
 * Patient.revealIdentifier. The role check and the access-log entry `Patient.revealIdentifier` come from
 * the schema's @requiresScopes (lib/authorization.ts); the system revealed is added to the same record
 * only when the patient has it, so a caller cannot write arbitrary text into the log.
 */
export const PatientIdentifierReveal = {
  async revealIdentifier(patient: PatientRecord, args: { system: string }, ctx: PatientContext): Promise<string[]> {
    const system = args.system.trim();
    if (!system || system.length > MAX_IDENTIFIER_LENGTH) {
      throw new HubError(ErrorCode.BAD_USER_INPUT, `system: must be 1..${MAX_IDENTIFIER_LENGTH} characters`, { field: 'system' });
    }
    const values = (await ctx.loaders.identifiers.load(patient.id)).filter((i) => i.system === system).map((i) => i.value);
    if (values.length) ctx.access?.record(patient.id, `Patient.revealIdentifier(system: ${JSON.stringify(system)})`);
    return values;
  },
};
