import type { Pool } from '../../../lib/postgres';
import {
  AGE_YEARS,
  LATEST_OBSERVATION_ORDER,
  patientFilterSql,
  type PatientCriteria,
  type PatientFilterSql,
  type Sex,
} from './patient-repository';

export interface CohortDistributions {
  count: number;
  /** Per 10-year band: `bandStart` 40 is ages 40-49; null is patients without a birth date. */
  ageBands: { bandStart: number | null; count: number }[];
  /** Per sex as stored; null is patients without one. */
  sexes: { sex: Sex | null; count: number }[];
}

export interface LabPercentilesRecord {
  /** Patients whose latest observation of the code has a numeric value. */
  n: number;
  /** Null when n is 0. */
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

/** Population-health aggregates over the patients a filter selects; never patient-level rows. */
export interface CohortRepository {
  distributions(criteria: PatientCriteria): Promise<CohortDistributions>;
  /** Over each patient's latest observation of the LOINC code (as the observation filter reads "latest"). */
  labPercentiles(criteria: PatientCriteria, loincCode: string): Promise<LabPercentilesRecord>;
}

/**
 * Count, age bands and sexes in one statement: GROUPING SETS aggregates the filtered patients three
 * ways, and GROUPING() tells the rows apart (a NULL band or sex is a real "not recorded" group).
 * `filter` from patientFilterSql with paramOffset 0.
 */
const selectCohortDistributions = (filter: PatientFilterSql) => `
  WITH cohort AS (
    SELECT (${AGE_YEARS} / 10) * 10 AS band_start, p.sex
    FROM patient.patients p
    WHERE ${filter.where})
  SELECT GROUPING(band_start, sex) AS grouping, band_start, sex, count(*)::int AS patients
  FROM cohort
  GROUP BY GROUPING SETS ((band_start), (sex), ())`;

/** GROUPING(band_start, sex) sets a bit per column aggregated away: band_start 2, sex 1. */
const AGE_BAND_ROW = 1;
const SEX_ROW = 2;

/**
 * percentile_cont interpolates between the ordered values, so a percentile need not be a value
 * anyone had. Flagged values (unconverted, implausible) are left out: each patient's latest usable one
 * counts. `filter` from patientFilterSql with paramOffset 1: $1 is the LOINC code.
 */
const selectLabPercentiles = (filter: PatientFilterSql) => `
  WITH latest AS (
    SELECT DISTINCT ON (o.patient_id) o.value
    FROM patient.patients p
    JOIN patient.observations o ON o.patient_id = p.id
    WHERE o.code_system = 'http://loinc.org' AND o.code = $1::text AND o.flag IS NULL
      AND ${filter.where}
    ORDER BY o.patient_id, ${LATEST_OBSERVATION_ORDER})
  SELECT count(*)::int AS n,
         percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY value) AS percentiles
  FROM latest
  WHERE value IS NOT NULL`;

interface DistributionRow {
  grouping: number;
  band_start: number | null;
  sex: Sex | null;
  patients: number;
}

export class PostgresCohortRepository implements CohortRepository {
  constructor(private readonly pool: Pool) {}

  async distributions(criteria: PatientCriteria): Promise<CohortDistributions> {
    const filter = patientFilterSql(criteria);
    const { rows } = await this.pool.query<DistributionRow>(selectCohortDistributions(filter), filter.params);
    const result: CohortDistributions = { count: 0, ageBands: [], sexes: [] };
    for (const row of rows) {
      if (row.grouping === AGE_BAND_ROW) result.ageBands.push({ bandStart: row.band_start, count: row.patients });
      else if (row.grouping === SEX_ROW) result.sexes.push({ sex: row.sex, count: row.patients });
      else result.count = row.patients;
    }
    return result;
  }

  async labPercentiles(criteria: PatientCriteria, loincCode: string): Promise<LabPercentilesRecord> {
    const filter = patientFilterSql(criteria, 1);
    const { rows } = await this.pool.query<{ n: number; percentiles: number[] | null }>(selectLabPercentiles(filter), [
      loincCode,
      ...filter.params,
    ]);
    const n = rows[0]?.n ?? 0;
    const [p10, p25, p50, p75, p90] = rows[0]?.percentiles ?? [];
    return { n, p10: p10 ?? null, p25: p25 ?? null, p50: p50 ?? null, p75: p75 ?? null, p90: p90 ?? null };
  }
}
