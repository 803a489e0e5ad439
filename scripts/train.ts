/**
 * `npm run train -- <model>`: trains a new version of one of the hub's risk models from every patient
 * the patient subgraph holds (PATIENT_URL, a running hub), evaluates it on a held-out split, and
 * promotes it only when it is not worse than the promoted version. Models: see
 * subgraphs/inference/learning/model-definitions.ts.
 */
import { parseCommandLine, runTool, UsageError } from '../lib/cli';
import { loadConfig } from '../lib/config';
import { assertionsOf, withLocalSecrets } from '../lib/local-secrets';
import { createLogger } from '../lib/logger';
import { createPool, ensureDatabase, migrate } from '../lib/postgres';
import { SubgraphClient } from '../lib/subgraph-client';
import { RISK_MODEL_DEFINITIONS, riskModelDefinition } from '../subgraphs/inference/learning/model-definitions';
import { RiskModelRegistry } from '../subgraphs/inference/learning/registry';
import { runTraining } from '../subgraphs/inference/learning/training-job';
import { countOutcomePatients } from '../subgraphs/inference/learning/training-scheduler';
import { INFERENCE_MIGRATIONS } from '../subgraphs/inference/server';

const USAGE = `usage: npm run train -- <model>
models: ${Object.keys(RISK_MODEL_DEFINITIONS).join(', ')}

  Trains a new version of the model from every patient of the running hub's patient subgraph
  (PATIENT_URL), evaluates it on a held-out split and promotes it only when it is not worse.`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseCommandLine({ args: argv, options: {}, allowPositionals: true });
  const [name, ...extra] = positionals;
  if (!name) throw new UsageError('no model given');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const definition = riskModelDefinition(name);
  if (!definition) throw new UsageError(`unknown model "${name}"`);
  const config = withLocalSecrets(loadConfig());
  const log = createLogger('train', config.logLevel);
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl, 'inference', INFERENCE_MIGRATIONS, log);
  const pool = createPool(config.databaseUrl);
  try {
    const patients = new SubgraphClient('patient', config.urls.patient, assertionsOf(config).forService('training'), 120_000);
    const outcomesAtTraining = await countOutcomePatients(patients, definition);
    const run = await runTraining({ definition, patients, registry: new RiskModelRegistry(pool), log, outcomesAtTraining });
    const m = run.model.heldOut;
    console.log(
      `${run.model.name} ${run.model.version}: ${run.examples} patients (excluded ${JSON.stringify(run.excluded)}); held-out AUROC ${m.auroc?.toFixed(3) ?? 'n/a'}, ` +
        `Brier ${m.brier.toFixed(4)}, calibration slope ${m.calibrationSlope?.toFixed(2) ?? 'n/a'}; ${run.decision.promote ? 'promoted' : 'kept as candidate'}: ${run.decision.reasons.join('; ')}`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}

runTool({ name: 'train', usage: USAGE }, main);
