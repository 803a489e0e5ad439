import type { Logger } from '../../../lib/logger';
import type { Pool } from '../../../lib/postgres';
import type { SubgraphClient } from '../../../lib/subgraph-client';
import { InferenceOutcomeCountDocument } from '../../../lib/contracts/generated/patient/graphql';
import { RISK_MODEL_DEFINITIONS, type RiskModelDefinition } from './model-definitions';
import type { RiskModelRegistry } from './registry';
import { runTraining } from './training-job';

// One replica trains a model at a time; the others skip the check while it runs.
const TRY_LOCK = `SELECT pg_try_advisory_lock(hashtextextended('risk-model-training:' || $1, 0)) AS locked`;
const UNLOCK = `SELECT pg_advisory_unlock(hashtextextended('risk-model-training:' || $1, 0))`;

/** Patients with an outcome code now (cohort counts summed over the codes; a patient coded twice counts twice). */
export async function countOutcomePatients(patients: SubgraphClient, definition: RiskModelDefinition): Promise<number> {
  let total = 0;
  for (const code of new Set(definition.outcome.codes.map((c) => c.code))) {
    const data = await patients.execute(InferenceOutcomeCountDocument, { code });
    // Suppressed counts are null (small cohorts for researchers); the hub service is never suppressed, and null adds nothing, as before.
    total += data.cohort.count ?? 0;
  }
  return total;
}

/**
 * Re-learns a model when enough new outcomes have arrived: the number of patients with an outcome code
 * (the patient subgraph's cohort count, summed over the codes) has grown by the definition's
 * `retrainAfterOutcomes` since the newest stored version was trained (or no version exists yet and
 * there are that many). Training promotes only a version that is not worse (runTraining).
 */
export class TrainingScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly opts: {
      pool: Pool;
      patients: SubgraphClient;
      registry: RiskModelRegistry;
      log: Logger;
      intervalMs: number;
      definitions?: RiskModelDefinition[];
    },
  ) {}

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.checkOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.opts.log.error({ err: error }, 'training check failed; it runs again at the next interval'))
      .finally(() => (this.running = undefined));
    await this.running;
  }


  /** Checks every model once; returns the names of those trained. */
  async checkOnce(): Promise<string[]> {
    const trained: string[] = [];
    const all = await this.opts.registry.all();
    for (const definition of this.opts.definitions ?? Object.values(RISK_MODEL_DEFINITIONS)) {
      const outcomes = await countOutcomePatients(this.opts.patients, definition);
      const newest = all.find((m) => m.name === definition.name);
      const before = newest?.decision.outcomesAtTraining ?? 0;
      if (outcomes - before < definition.retrainAfterOutcomes) continue;
      const client = await this.opts.pool.connect();
      try {
        if (!(await client.query<{ locked: boolean }>(TRY_LOCK, [definition.name])).rows[0]!.locked) continue;
        try {
          this.opts.log.info({ model: definition.name, outcomes, before }, 'enough new outcomes: training');
          await runTraining({ definition, patients: this.opts.patients, registry: this.opts.registry, log: this.opts.log, outcomesAtTraining: outcomes });
          trained.push(definition.name);
        } finally {
          await client.query(UNLOCK, [definition.name]);
        }
      } finally {
        client.release();
      }
    }
    return trained;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
