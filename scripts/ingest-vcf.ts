/**
 *   npm run ingest -- vcf <file.vcf | file.vcf.gz> --patient <hub patient id> [--sample NAME] [--assume-grch38]
 *
 * Streams one VCF into the genomics tables for one patient, with a progress bar in records/s. The
 * file lands whole or not at all; exit 0 when it landed, 1 when it was refused, 2 on a usage error.
 */
import fs from 'node:fs';
import { parseCommandLine, UsageError } from '../lib/cli';
import cliProgress from 'cli-progress';
import { loadConfig } from '../lib/config';
import { withLocalSecrets } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { patientsExist, PostgresPatientDirectory } from '../lib/contracts/patient-directory';
import { GENOMICS_MIGRATIONS } from '../subgraphs/genomics/server';
import { VcfIngestor, type VcfIngestReport } from '../subgraphs/genomics/ingest/ingest-vcf';

export const VCF_USAGE = 'usage: npm run ingest -- vcf <file.vcf | file.vcf.gz> --patient <hub patient id> [--sample NAME] [--assume-grch38]';

export interface VcfCliOptions {
  file: string;
  patientId: string;
  sample: string | null;
  assumeGrch38: boolean;
}

export function parseVcfArgs(argv: string[]): VcfCliOptions {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: { patient: { type: 'string' }, sample: { type: 'string' }, 'assume-grch38': { type: 'boolean' } },
  });
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('no VCF file given');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
  if (!values.patient) throw new UsageError('--patient <hub patient id> is required');
  return { file, patientId: values.patient, sample: values.sample ?? null, assumeGrch38: values['assume-grch38'] ?? false };
}

export function summariseVcf(file: string, report: VcfIngestReport, seconds: number): string {
  if (report.rejected.length) {
    return [
      `${file}: refused, nothing stored (${report.rejected.length} problem${report.rejected.length > 1 ? 's' : ''})`,
      ...report.rejected.slice(0, 20).map((r) => `  ${r.code}: ${r.reason}`),
    ].join('\n');
  }
  return [
    `${file}: ${report.records} records, ${report.variants} calls stored, ${report.skipped} symbolic/reference alleles skipped`,
    `  sample ${report.sample}, build ${report.build}, ${(report.records / seconds).toFixed(0)} records/s`,
  ].join('\n');
}

export async function runVcfCli(argv: string[]): Promise<number> {
  // A usage error propagates to the tool runner (lib/cli.ts): message, usage, exit 2.
  const options = parseVcfArgs(argv);
  const config = withLocalSecrets(loadConfig());
  const log = createLogger('ingest', config.logLevel);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl, 'genomics', GENOMICS_MIGRATIONS, log);
  const pool = createPool(config.databaseUrl, 2);
  // The patient service's access directory says whether the patient exists (lib/contracts/patient-directory.ts).
  const [known] = await patientsExist(new PostgresPatientDirectory(pool), [options.patientId]).catch((error: unknown) => {
    console.error(`${(error as Error).message}\n(start the hub once, npm start, so the patient service sets up its tables)`);
    return [false];
  });
  if (!known) {
    console.error(`--patient ${options.patientId}: no such hub patient`);
    await pool.end();
    return 2;
  }
  const bar = new cliProgress.SingleBar({ format: '{bar} {percentage}% of the file | {records} records | {rate} records/s', hideCursor: true }, cliProgress.Presets.shades_classic);
  const size = fs.statSync(options.file).size;
  const input = fs.createReadStream(options.file);
  const started = performance.now();
  bar.start(size, 0, { records: 0, rate: '0' });
  try {
    const report = await new VcfIngestor(pool, { log }).ingest(options.patientId, input, {
      sample: options.sample,
      assumeBuild: options.assumeGrch38 ? 'GRCh38' : null,
      onProgress: (records) => bar.update(input.bytesRead, { records, rate: (records / ((performance.now() - started) / 1000)).toFixed(0) }),
    });
    bar.update(size);
    bar.stop();
    console.log(summariseVcf(options.file, report, (performance.now() - started) / 1000));
    return report.rejected.length ? 1 : 0;
  } finally {
    bar.stop();
    await pool.end();
  }
}
