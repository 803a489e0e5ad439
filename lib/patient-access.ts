import { ErrorCode, HubError } from './errors';
import type { Identity } from './identity';
import { perRequest, type PatientDirectory } from './contracts/patient-directory';

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
  if (identity.role !== 'clinician' && identity.role !== 'partner') return undefined;
  if (identity.organisation === undefined) {
    // Every API-key partner lacks one unless its key names it; a list narrowed to "no organisation" is
    // a configuration mistake to name, not an empty answer (nor a query with an impossible value).
    throw new HubError(ErrorCode.FORBIDDEN, `a ${identity.role} without an organisation reads no patients: its API key or token must name one (org)`);
  }
  return identity.organisation;
}

/**
 * The write rule, in one place for every mutation and ingestion path (FHIR bundles, device streams,
 * VCF, variant calls, consent, unlink; docs/architecture.md "Who may write what"): least privilege,
 * HIPAA §164.308(a)(4) access authorization applied to changes as to reads.
 * - admins and hub services write for any organisation (an admin placing or moving a patient, a
 *   service ingesting for a site);
 * - a clinician writes only into its own organisation: into its patients, and new patients land in it;
 * - researchers and partners write nothing (partners run read contracts; researchers see
 *   de-identified aggregates only).
 */
export function mayWritePatient(identity: Identity, patient: { organization: string | null }): boolean {
  switch (identity.role) {
    case 'admin':
    case 'service':
      return true;
    case 'clinician':
      return identity.organisation !== undefined && patient.organization === identity.organisation;
    case 'partner':
    case 'researcher':
      return false;
  }
}

export function assertMayWritePatient(identity: Identity, patient: { id: string; organization: string | null }): void {
  if (mayWritePatient(identity, patient)) return;
  throw new HubError(
    ErrorCode.FORBIDDEN,
    identity.role === 'clinician'
      ? `patient ${patient.id} is not in the care of organisation ${identity.organisation ?? '(none)'}, so a clinician of it cannot change the record`
      : `the ${identity.role} role changes no patient record`,
    { patientId: patient.id },
  );
}

/**
 * The organisation a new or re-ingested patient is written into, from the organisation its input
 * names (`createPatient`'s organization, a bundle's Patient.managingOrganization) and the caller:
 * a clinician's input without one lands in the clinician's own organisation (so it can read what it
 * wrote), one naming another is refused; admins and services write what the input names, else into
 * their own organisation if they have one (the ingest CLI's --org), else none (a patient only admins see). `where` says which input a refusal is about, `field` is its element.
 */
export function organisationForWrite(identity: Identity, requested: string | null | undefined, where: string, field: string): string | null {
  const named = requested?.trim() || null;
  if (identity.role === 'admin' || identity.role === 'service') return named ?? identity.organisation ?? null;
  if (identity.role !== 'clinician') throw new HubError(ErrorCode.FORBIDDEN, `the ${identity.role} role registers no patients`, { field });
  const own = identity.organisation;
  if (!own) throw new HubError(ErrorCode.FORBIDDEN, 'a clinician without an organisation registers no patients: its token must name one (org)', { field });
  if (named && named !== own) {
    throw new HubError(ErrorCode.FORBIDDEN, `${where}: a clinician of ${own} writes only patients of ${own}, not of ${named}`, { field });
  }
  return own;
}

/**
 * Small cells are suppressed for researchers: aggregates over fewer than 11 patients are not shown
 * (CMS cell size suppression policy: counts 1–10 may not be displayed; a common de-identification
 * threshold for aggregate health data).
 */
export const MIN_RESEARCH_CELL = 11;

/**
 * Demographic linkage looks within the organisation a patient is written into; only admins and hub
 * services may ask it to look across organisations (a merge of two organisations' records of one
 * person, which the link records with who made it, and unlinkPatient undoes).
 */
export function assertMayLinkAcrossOrganisations(identity: Identity): void {
  if (identity.role === 'admin' || identity.role === 'service') return;
  throw new HubError(ErrorCode.FORBIDDEN, `linkAcrossOrganisations: only an admin links or unlinks records across organisations, not the ${identity.role} role`, {
    field: 'linkAcrossOrganisations',
  });
}

/**
 * The organisations of patients this request has already learned from the patient subgraph, which
 * owns them: from the entity representations the gateway sends (genomics declares
 * `Patient.organization` @external and its patient fields @requires it, so the query planner fetches
 * it in the same patient fetch), or from a read of the patient's record this request makes anyway
 * (inference's clinical snapshot). Row access is then decided without a call back (issue 19).
 *
 * Representations are trusted as the gateway's: a subgraph answers only requests carrying the
 * gateway's signed identity assertion (lib/service-host/edge.ts), and the gateway's API has no
 * `_entities`, so a client cannot send representations of its own. Two different organisations for
 * one patient in one request fail closed (null: only admins and services may read it).
 */
export class KnownOrganisations {
  private readonly byPatient = new Map<string, string | null>();

  /** Records what a representation or record says; one without an `organization` member records nothing. */
  note(record: unknown): void {
    if (typeof record !== 'object' || record === null || !('organization' in record)) return;
    const { id, organization } = record as { id?: unknown; organization?: unknown };
    if (typeof id !== 'string') return;
    const value = typeof organization === 'string' ? organization : null;
    const held = this.byPatient.get(id);
    this.byPatient.set(id, held !== undefined && held !== value ? null : value);
  }

  /** The patient's organisation (null: none), or undefined when this request has not learned it. */
  get(patientId: string): string | null | undefined {
    return this.byPatient.get(patientId);
  }
}

export interface PatientAccess {
  /** FORBIDDEN unless the caller may see this patient. */
  check(patientId: string): Promise<void>;
  /** FORBIDDEN unless the caller may change this patient's record (the write rule). */
  checkWrite(patientId: string): Promise<void>;
  /** The ids among `ids` the caller may see, in order. */
  filter(ids: readonly string[]): Promise<string[]>;
}

/**
 * Row-level access for one request's caller, decided from the patient's organisation: as this request
 * already knows it (`known`: the gateway's entity representation, or a record read anyway), else as the
 * patient service's access directory holds it (lib/contracts/patient-directory.ts: a read of its view,
 * batched per request, never a call back to the patient subgraph). Writes always take the directory's
 * current value. Unknown patients pass (they have no data; their fields answer PATIENT_NOT_FOUND).
 */
export function accessFor(directory: PatientDirectory, identity: Identity, known?: KnownOrganisations, options: { keep?: boolean } = {}): PatientAccess {
  const everyone = identity.role === 'admin' || identity.role === 'service';
  // Batched per tick; kept for the context's life unless `keep: false` (a long-lived connection's context).
  const entries = perRequest(directory, options);
  const directoryOrganisation = async (patientId: string) => (await entries.entriesOf([patientId]))[0]?.organization;
  const organisationOf = async (patientId: string) => {
    const held = known?.get(patientId);
    return held !== undefined ? held : directoryOrganisation(patientId);
  };
  return {
    async check(patientId) {
      if (everyone) return;
      const organization = await organisationOf(patientId);
      if (organization !== undefined) assertPatientAccess(identity, { id: patientId, organization });
    },
    async checkWrite(patientId) {
      if (everyone) return;
      const organization = await directoryOrganisation(patientId);
      if (organization !== undefined) assertMayWritePatient(identity, { id: patientId, organization });
    },
    async filter(ids) {
      if (everyone) return [...ids];
      // A failed read hides those patients (as it always has), it does not fail the list.
      const found = await Promise.all(ids.map((id) => organisationOf(id).catch(() => undefined)));
      return ids.filter((_, i) => {
        const organization = found[i];
        return typeof organization === 'string' && mayAccessPatient(identity, { organization });
      });
    },
  };
}

/** Ids per directory read when listing consented patients (a bound on one statement's array). */
export const DIRECTORY_BATCH = 10_000;

/**
 * The patients among `ids` whose research consent is currently granted (never asked counts as not
 * granted; unknown ids are left out), in order, from the patient service's access directory.
 */
export async function researchConsented(directory: PatientDirectory, ids: readonly string[]): Promise<string[]> {
  const granted: string[] = [];
  for (let start = 0; start < ids.length; start += DIRECTORY_BATCH) {
    const batch = ids.slice(start, start + DIRECTORY_BATCH);
    const entries = await directory.entriesOf(batch);
    batch.forEach((id, i) => {
      if (entries[i]?.researchConsent) granted.push(id);
    });
  }
  return granted;
}

/**
 * The patients among `ids` an aggregate for this caller may count, as Query.cohort counts them: all for
 * admins and hub services, the organisation's for clinicians and partners, research-consented ones for
 * researchers.
 */
export async function countable(directory: PatientDirectory, identity: Identity, ids: readonly string[]): Promise<string[]> {
  if (identity.role === 'admin' || identity.role === 'service') return [...ids];
  if (identity.role === 'researcher') return researchConsented(directory, ids);
  return accessFor(directory, identity).filter(ids);
}
