import { isHubId } from '../../../lib/ids';
import type { Pool } from '../../../lib/postgres';
import { inTransaction } from '../../../lib/postgres';
import { ErrorCode, HubError } from '../../../lib/errors';
import { announce, PatientTopic } from '../../../lib/contracts/events';
import { parseDeviceObservations } from './fhir-mapping';
import type { IngestReject, IngestWarning } from './fhir-records';
import { observationColumns, upsertSql } from './ingest-bundle';

export interface DeviceIngestReport {
  created: number;
  updated: number;
  skipped: number;
  rejected: IngestReject[];
  /** Stored with a caveat (fhir-records.ts IngestWarningCode). */
  warnings: IngestWarning[];
}

/** Rows per statement: large enough to amortise the round trip, small enough for PostgreSQL's parameter arrays. */
export const DEVICE_BATCH_ROWS = 5000;

const PATIENT_EXISTS = `SELECT 1 FROM patient.patients WHERE id = $1 FOR SHARE`;

/**
 * Bulk path for wearable and device streams: batched upserts keyed by each reading's id (re-sending
 * a stream changes nothing), and ONE outbox event per call, so a burst of thousands of readings
 * causes one risk recomputation, not thousands.
 */
export class DeviceObservationIngestor {
  constructor(private readonly pool: Pool) {}

  async ingest(patientId: string, resources: unknown[], source = 'device'): Promise<DeviceIngestReport> {
    if (!isHubId(patientId)) throw notFound(patientId);
    const parsed = parseDeviceObservations(resources, `${source}:${patientId}`);
    const report: DeviceIngestReport = { created: 0, updated: 0, skipped: parsed.skipped, rejected: parsed.rejects, warnings: parsed.warnings };
    if (!parsed.rows.length) return report;
    await inTransaction(this.pool, async (client) => {
      if (!(await client.query(PATIENT_EXISTS, [patientId])).rowCount) throw notFound(patientId);
      for (let start = 0; start < parsed.rows.length; start += DEVICE_BATCH_ROWS) {
        const batch = parsed.rows.slice(start, start + DEVICE_BATCH_ROWS);
        const { rows } = await client.query<{ inserted: boolean }>(upsertSql('observations'), observationColumns(batch, () => patientId));
        const created = rows.filter((r) => r.inserted).length;
        report.created += created;
        report.updated += rows.length - created;
        report.skipped += batch.length - rows.length;
      }
      if (report.created || report.updated) {
        await announce(client, 'patient.outbox', PatientTopic.DEVICE_OBSERVATIONS_INGESTED, patientId, { created: report.created, updated: report.updated });
      }
    });
    return report;
  }
}

const notFound = (patientId: string) =>
  new HubError(ErrorCode.PATIENT_NOT_FOUND, `Patient "${patientId}" not found: create it first or check the hub id`, { field: 'patientId' });
