import { ErrorCode, HubError } from './errors';
import type { Identity } from './identity';

/**
 * Row-level access to a patient's record (the architecture's "clinician: identified data of patients
 * in their care"): admins and hub services see every patient; clinicians and partners the patients
 * their organisation manages (FHIR Patient.managingOrganization); researchers no single patient
 * (they read consented aggregates and de-identified streams only).
 */
export function mayAccessPatient(identity: Identity, patient: { organization: string | null }): boolean {
  switch (identity.role) {
    case 'admin':
    case 'service':
      return true;
    case 'clinician':
    case 'partner':
      return identity.organisation !== undefined && patient.organization === identity.organisation;
    case 'researcher':
      return false;
  }
}

export function assertPatientAccess(identity: Identity, patient: { id: string; organization: string | null }): void {
  if (mayAccessPatient(identity, patient)) return;
  throw new HubError(
    ErrorCode.FORBIDDEN,
    identity.organisation
      ? `patient ${patient.id} is not in the care of organisation ${identity.organisation}`
      : `patient ${patient.id}: the ${identity.role} role reads no individual patient`,
    { patientId: patient.id },
  );
}

/** The organisation a list of patients is narrowed to for this caller (undefined: no narrowing). */
export function organisationScope(identity: Identity): string | undefined {
  if (identity.role === 'clinician' || identity.role === 'partner') return identity.organisation ?? '\u0000no organisation';
  return undefined;
}

/**
 * Small cells are suppressed for researchers: aggregates over fewer than 11 patients are not shown
 * (CMS cell size suppression policy: counts 1–10 may not be displayed; a common de-identification
 * threshold for aggregate health data).
 */
export const MIN_RESEARCH_CELL = 11;
