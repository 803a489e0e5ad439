import { isHubId } from '../../../lib/ids';
import type { Pool } from '../../../lib/postgres';

export interface ImagingStudyRecord {
  id: string;
  patientId: string;
  studyUid: string | null;
  status: string | null;
  modalities: string[];
  bodySites: string[];
  seriesCount: number | null;
  instanceCount: number | null;
  startedAt: string | null;
  description: string | null;
  reportText: string | null;
}

export interface ImagingRepository {
  imagingStudiesByPatientIds(ids: readonly string[]): Promise<ImagingStudyRecord[][]>;
}

const SELECT_IMAGING_STUDIES_BY_PATIENT_IDS = `
  SELECT id, patient_id, study_uid, status, modalities, body_sites, series_count, instance_count, started_at, description, report_text
  FROM patient.imaging_studies WHERE patient_id = ANY($1::uuid[]) ORDER BY started_at DESC NULLS LAST, id`;


interface ImagingRow {
  id: string;
  patient_id: string;
  study_uid: string | null;
  status: string | null;
  modalities: string[];
  body_sites: string[];
  series_count: number | null;
  instance_count: number | null;
  started_at: Date | null;
  description: string | null;
  report_text: string | null;
}

export class PostgresImagingRepository implements ImagingRepository {
  constructor(private readonly pool: Pool) {}

  async imagingStudiesByPatientIds(ids: readonly string[]): Promise<ImagingStudyRecord[][]> {
    const { rows } = await this.pool.query<ImagingRow>(SELECT_IMAGING_STUDIES_BY_PATIENT_IDS, [ids.filter(isHubId)]);
    const byPatient = new Map<string, ImagingStudyRecord[]>(ids.map((id) => [id, []]));
    for (const r of rows) {
      byPatient.get(r.patient_id)?.push({
        id: r.id,
        patientId: r.patient_id,
        studyUid: r.study_uid,
        status: r.status,
        modalities: r.modalities,
        bodySites: r.body_sites,
        seriesCount: r.series_count,
        instanceCount: r.instance_count,
        startedAt: r.started_at?.toISOString() ?? null,
        description: r.description,
        reportText: r.report_text,
      });
    }
    return ids.map((id) => byPatient.get(id) ?? []);
  }
}
