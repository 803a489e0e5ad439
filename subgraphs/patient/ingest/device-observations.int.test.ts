import { createLogger } from '../../../lib/logger';
import { createPool, migrate, type Pool } from '../../../lib/postgres';
import { TEST_DATABASE_URL } from '../../../tests/support/config';
import { PATIENT_MIGRATIONS } from '../server';
import { PostgresPatientRepository } from '../repository/patient-repository';
import { DeviceObservationIngestor } from './device-observations';
import { heartRateStream } from './fixtures/device-stream';

describe('DeviceObservationIngestor', () => {
  let pool: Pool;
  let ingestor: DeviceObservationIngestor;
  let patients: PostgresPatientRepository;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS, createLogger('test', 'silent'));
    pool = createPool(TEST_DATABASE_URL);
    ingestor = new DeviceObservationIngestor(pool);
    patients = new PostgresPatientRepository(pool);
  });

  afterAll(async () => {
    await pool.end();
  });

  const newPatient = () => patients.createPatient({ name: 'Wearable Wearer', birthDate: '1980-01-01', sex: 'male', race: null, identifiers: [] });
  const outboxEvents = async (patientId: string) =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM patient.outbox WHERE patient_id = $1', [patientId])).rows[0]!.n;

  it('stores a burst of 12,000 readings in batches and announces it once', async () => {
    const { id } = await newPatient();
    const stream = heartRateStream(`hr-${id}`, 12_000);
    expect(await ingestor.ingest(id, stream)).toEqual({ created: 12_000, updated: 0, skipped: 0, rejected: [], warnings: [] });
    expect(await outboxEvents(id)).toBe(1);

    expect(await ingestor.ingest(id, stream)).toEqual({ created: 0, updated: 0, skipped: 12_000, rejected: [], warnings: [] });
    expect(await outboxEvents(id)).toBe(1);
    const stored = await pool.query('SELECT count(*)::int AS n, min(value) AS min, max(value) AS max FROM patient.observations WHERE patient_id = $1', [id]);
    expect(stored.rows[0]).toEqual({ n: 12_000, min: 55, max: 114 });
  });

  it('keeps the good readings and counts each bad one with its reason', async () => {
    const { id } = await newPatient();
    const [good, noUnit, wrongType] = heartRateStream(`bad-${id}`, 3) as Record<string, unknown>[];
    (noUnit!.valueQuantity as Record<string, unknown>) = { value: 80 };
    wrongType!.resourceType = 'Patient';
    const report = await ingestor.ingest(id, [good, noUnit, wrongType, 'not json object']);
    expect(report).toEqual({
      created: 1,
      updated: 0,
      skipped: 0,
      rejected: [
        { resource: `Observation/bad-${id}-1`, field: 'valueQuantity.unit', reason: 'value 80 has no unit', code: 'MISSING_ELEMENT' },
        { resource: 'line 3', field: 'resourceType', reason: 'expected an Observation, got Patient', code: 'WRONG_RESOURCE_TYPE' },
        { resource: 'line 4', field: 'resourceType', reason: 'expected an Observation, got string', code: 'WRONG_RESOURCE_TYPE' },
      ],
      warnings: [],
    });
  });

  it('stores an implausible reading flagged, out of calculations, and reports it as a warning', async () => {
    const { id } = await newPatient();
    const [reading] = heartRateStream(`flag-${id}`, 1) as Record<string, unknown>[];
    (reading!.valueQuantity as Record<string, unknown>).value = 900;
    const report = await ingestor.ingest(id, [reading]);
    const reason = 'heart rate 900 /min is implausible (outside 20–300 /min)';
    expect(report).toEqual({
      created: 1,
      updated: 0,
      skipped: 0,
      rejected: [],
      warnings: [{ resource: `Observation/flag-${id}-0`, field: 'valueQuantity.value', reason: `stored and left out of calculations: ${reason}`, code: 'IMPLAUSIBLE_VALUE' }],
    });
    const stored = await pool.query('SELECT value, unit, flag, flag_reason FROM patient.observations WHERE patient_id = $1', [id]);
    expect(stored.rows).toEqual([{ value: 900, unit: '/min', flag: 'implausible', flag_reason: reason }]);
  });

  it('refuses readings for a patient the hub does not know', async () => {
    await expect(ingestor.ingest('00000000-0000-4000-8000-000000000000', heartRateStream('x', 1))).rejects.toThrow('not found');
  });
});
