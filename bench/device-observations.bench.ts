/**
 * Device-stream ingestion throughput into the real PostgreSQL.
 *
 *   npx tsx bench/device-observations.bench.ts [--readings 200000] [--per-call 10000]
 */
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { PATIENT_MIGRATIONS } from '../subgraphs/patient/server';
import { PostgresPatientRepository } from '../subgraphs/patient/repository/patient-repository';
import { DeviceObservationIngestor } from '../subgraphs/patient/ingest/device-observations';
import { heartRateStream } from '../subgraphs/patient/ingest/fixtures/device-stream';
import { numberOption } from './options';

const READINGS = numberOption('readings', 200_000);
const PER_CALL = numberOption('per-call', 10_000);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench';

async function main() {
  await ensureDatabase(DATABASE_URL);
  await migrate(DATABASE_URL, 'patient', PATIENT_MIGRATIONS, createLogger('bench', 'warn'));
  const pool = createPool(DATABASE_URL);
  try {
    const { id } = await new PostgresPatientRepository(pool).createPatient({ name: 'Bench Wearer', birthDate: '1975-01-01', sex: 'female', race: null, identifiers: [] });
    const ingestor = new DeviceObservationIngestor(pool);
    const stream = heartRateStream(`bench-${id}`, READINGS);
    const rssBefore = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    let created = 0;
    for (let start = 0; start < READINGS; start += PER_CALL) {
      created += (await ingestor.ingest(id, stream.slice(start, start + PER_CALL))).created;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const resendStarted = process.hrtime.bigint();
    let skipped = 0;
    for (let start = 0; start < READINGS; start += PER_CALL) skipped += (await ingestor.ingest(id, stream.slice(start, start + PER_CALL))).skipped;
    const resendSeconds = Number(process.hrtime.bigint() - resendStarted) / 1e9;
    const events = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM patient.outbox WHERE patient_id = $1', [id]);
    console.log(
      [
        `| readings | per call | new: readings/s | re-sent (all skipped): readings/s | outbox events | RSS growth |`,
        `| ---: | ---: | ---: | ---: | ---: | ---: |`,
        `| ${created} | ${PER_CALL} | ${(created / seconds).toFixed(0)} | ${(skipped / resendSeconds).toFixed(0)} | ${events.rows[0]!.n} | ${((process.memoryUsage().rss - rssBefore) / 1048576).toFixed(0)} MB |`,
      ].join('\n'),
    );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
