import fs from 'node:fs';
import { runner } from 'node-pg-migrate';
import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { startHub, type Hub } from '../scripts/hub';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { backFlagObservations } from '../subgraphs/patient/repository/observation-back-flag';
import { bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';
import { ownDatabase, type OwnDatabase } from './support/own-database';

/**
 * Rows stored before the observation flags (migration 1733420000000) are judged by migration
 * 1733520000000 (issue 16): the database is migrated up to the flags, old-style rows are written as
 * the code of that time wrote them (nothing judged), then the hub starts and migrates the rest.
 * A database of this file's own: the back-flag judges every row of its database.
 */
const log = createLogger('test', 'silent');
const FLAGS_MIGRATION = '1733420000000_observation-flags.sql';

describe('observations stored before the flags are judged by the back-flag migration', () => {
  let database: OwnDatabase;
  let pool: Pool;
  let hub: Hub;
  let admin: Record<string, string>;
  let patientId: string;

  beforeAll(async () => {
    database = await ownDatabase('back_flag');
    const files = fs.readdirSync(PATIENT_MIGRATIONS).sort();
    await runner({
      databaseUrl: database.url,
      dir: PATIENT_MIGRATIONS,
      direction: 'up',
      count: files.indexOf(FLAGS_MIGRATION) + 1,
      schema: 'patient',
      createSchema: true,
      migrationsSchema: 'patient',
      createMigrationsSchema: true,
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      log: () => undefined,
    });
    pool = createPool(database.url);
    const { rows } = await pool.query<{ id: string }>(`INSERT INTO patient.patients (name, birth_date, sex) VALUES ('Old Rows', '1961-12-10', 'male') RETURNING id`);
    patientId = rows[0]!.id;
    // As addObservation and ingestion stored them before issue 16: unjudged, and 2339-0 outside the catalogue then.
    const old = `INSERT INTO patient.observations (patient_id, code, value, unit, original_value, original_unit, effective_at, normalised)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
    await pool.query(old, [patientId, '2093-3', 5.2, 'mg/dL', 5.2, 'mg/dL', '2026-04-01T09:00:00Z', true]);
    await pool.query(old, [patientId, '2093-3', 181, 'mg/dL', 181, 'mg/dL', '2026-03-01T09:00:00Z', true]);
    await pool.query(old, [patientId, '8480-6', -120, 'mm[Hg]', -120, 'mm[Hg]', '2026-04-01T09:00:00Z', true]);
    await pool.query(old, [patientId, '2339-0', 5.5, 'mmol/L', 5.5, 'mmol/L', '2026-04-01T09:00:00Z', false]);
    await pool.query(old, [patientId, '2085-9', 50, 'mg/dL', 50, 'mg/dL', '2026-04-01T09:00:00Z', true]);
    hub = await startHub(testConfig({ databaseUrl: database.url }), testNeo4j(), log);
    admin = await bearer({ role: 'admin', sub: 'admin-back-flag' });
  });

  afterAll(async () => {
    await hub?.close();
    await pool?.end();
    await database?.drop();
  });

  it('flags the implausible and the impossible, normalises what converts now, and leaves the usable alone', async () => {
    const response = await gql<{ patient: { observations: unknown[] } }>(
      hub.gateway.url,
      `query ($id: ID!) { patient(id: $id) { observations { code value unit normalised excludedReason warnings { code } } } }`,
      { id: patientId },
      admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.patient.observations).toEqual(
      expect.arrayContaining([
        { code: '2093-3', value: 5.2, unit: 'mg/dL', normalised: true, excludedReason: 'total cholesterol 5.2 mg/dL is implausible (outside 40–1000 mg/dL)', warnings: [{ code: 'IMPLAUSIBLE_VALUE' }] },
        { code: '2093-3', value: 181, unit: 'mg/dL', normalised: true, excludedReason: null, warnings: [] },
        { code: '8480-6', value: -120, unit: 'mm[Hg]', normalised: true, excludedReason: 'systolic blood pressure -120 mm[Hg] is impossible (must be above 0)', warnings: [{ code: 'IMPLAUSIBLE_VALUE' }] },
        { code: '2339-0', value: 99.0858, unit: 'mg/dL', normalised: true, excludedReason: null, warnings: [] },
        { code: '2085-9', value: 50, unit: 'mg/dL', normalised: true, excludedReason: null, warnings: [] },
      ]),
    );
  });

  it('keeps a back-flagged value out of the observation filter and out of risk', async () => {
    // The latest usable total cholesterol is 181 (March): the April 5.2 no longer answers for it.
    const filtered = await gql<{ patients: { edges: { node: { id: string } }[] } }>(
      hub.gateway.url,
      `query ($min: Float, $max: Float) { patients(filter: { observation: { code: "2093-3", min: $min, max: $max } }, first: 100) { edges { node { id } } } }`,
      { min: 0, max: 39 },
      admin,
    );
    expect(filtered.data!.patients.edges).toEqual([]);
    const usable = await gql<{ patients: { edges: { node: { id: string } }[] } }>(
      hub.gateway.url,
      `query ($min: Float, $max: Float) { patients(filter: { observation: { code: "2093-3", min: $min, max: $max } }, first: 100) { edges { node { id } } } }`,
      { min: 180, max: 182 },
      admin,
    );
    expect(usable.data!.patients.edges).toEqual([{ node: { id: patientId } }]);
    const risk = await gql<{ patient: { risk: { cardiovascular: { inputs: { totalCholesterol: number | null }; excludedValues: { input: string; reason: string }[] } } } }>(
      hub.gateway.url,
      `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { inputs { totalCholesterol } excludedValues { input reason } } } } }`,
      { id: patientId },
      admin,
    );
    expect(risk.errors).toBeUndefined();
    expect(risk.data!.patient.risk.cardiovascular.inputs.totalCholesterol).toBe(181);
    expect(risk.data!.patient.risk.cardiovascular.excludedValues).toEqual(
      expect.arrayContaining([{ input: 'totalCholesterol', reason: 'total cholesterol 5.2 mg/dL is implausible (outside 40–1000 mg/dL)' }]),
    );
  });

  it('changes nothing when run again', async () => {
    const counts = await backFlagObservations(pool, 2);
    expect(counts).toEqual({ examined: 3, normalised: 0, flagged: 0 });
  });
});
