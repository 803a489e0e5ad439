import DataLoader from 'dataloader';
import { ErrorCode, HubError } from '../errors';
import { isHubId } from '../ids';
import type { Pool } from '../postgres';

/**
 * The patient service's access directory: the view `patient.access_directory` (its migration
 * 1733800000000_access-directory.sql), read by genomics and inference to decide row access without
 * calling the patient subgraph back (issue 19 item 3; the decision is in docs/architecture.md, "Who
 * calls whom for access"). A contract like the outbox: the patient service owns the view and keeps its
 * columns; other services read it only through this module, and read nothing else of the patient schema.
 */
export interface PatientDirectoryEntry {
  /** The managing organisation (FHIR Patient.managingOrganization); null when none is recorded. */
  organization: string | null;
  /** Research consent currently granted (the newest decision; never asked: false). */
  researchConsent: boolean;
}

export interface PatientDirectory {
  /** Each id's entry, in order; undefined for an id that names no patient. One query for all. */
  entriesOf(ids: readonly string[]): Promise<(PatientDirectoryEntry | undefined)[]>;
}

const SELECT_ENTRIES = `SELECT patient_id, organization, research_consent FROM patient.access_directory WHERE patient_id = ANY($1::uuid[])`;
const UNDEFINED_TABLE = '42P01';

interface EntryRow {
  patient_id: string;
  organization: string | null;
  research_consent: boolean;
}

export class PostgresPatientDirectory implements PatientDirectory {
  constructor(private readonly pool: Pool) {}

  async entriesOf(ids: readonly string[]): Promise<(PatientDirectoryEntry | undefined)[]> {
    // Anything but a hub id names no patient, and must not reach the uuid cast.
    const valid = [...new Set(ids.filter(isHubId).map((id) => id.toLowerCase()))];
    if (!valid.length) return ids.map(() => undefined);
    const rows = await this.pool.query<EntryRow>(SELECT_ENTRIES, [valid]).then(
      (result) => result.rows,
      (error: unknown) => {
        if ((error as { code?: string }).code === UNDEFINED_TABLE) {
          throw new HubError(
            ErrorCode.DEPENDENCY_UNAVAILABLE,
            'the patient access directory (patient.access_directory) is missing: the patient service has not yet migrated this database',
          );
        }
        throw error;
      },
    );
    const byId = new Map(rows.map((row) => [row.patient_id, { organization: row.organization, researchConsent: row.research_consent }]));
    return ids.map((id) => (isHubId(id) ? byId.get(id.toLowerCase()) : undefined));
  }
}

/** Whether each of `ids` is a known patient, in order. */
export async function patientsExist(directory: PatientDirectory, ids: readonly string[]): Promise<boolean[]> {
  return (await directory.entriesOf(ids)).map((entry) => entry !== undefined);
}

/**
 * The directory as one request sees it: every id asked in the same tick is read in one query, and each
 * id once (a write's existence check and its access check share a read). `keep: false` batches without
 * keeping answers, for a long-lived connection's context.
 */
export function perRequest(directory: PatientDirectory, options: { keep?: boolean } = {}): PatientDirectory {
  const loader = new DataLoader((ids: readonly string[]) => directory.entriesOf(ids), { cache: options.keep ?? true });
  return { entriesOf: (ids) => Promise.all(ids.map((id) => loader.load(id))) };
}
