import type { Pool } from '../../../lib/postgres';
import type { PromotionDecision, TrainedRiskModel } from './training';

export interface StoredRiskModel {
  name: string;
  version: string;
  status: 'promoted' | 'candidate' | 'retired';
  createdAt: Date;
  model: TrainedRiskModel;
  decision: PromotionDecision;
}

const SELECT_PROMOTED = `SELECT name, version, status, created_at, model, decision FROM inference.risk_models WHERE name = ANY($1::text[]) AND status = 'promoted'`;
const SELECT_VERSION = `SELECT name, version, status, created_at, model, decision FROM inference.risk_models WHERE name = $1 AND version = $2`;
const SELECT_ALL = `SELECT name, version, status, created_at, model, decision FROM inference.risk_models ORDER BY name, created_at DESC`;
const RETIRE_PROMOTED = `UPDATE inference.risk_models SET status = 'retired' WHERE name = $1 AND status = 'promoted'`;
const INSERT_MODEL = `INSERT INTO inference.risk_models (name, version, status, model, decision) VALUES ($1, $2, $3, $4, $5)`;

const row = (r: { name: string; version: string; status: StoredRiskModel['status']; created_at: Date; model: TrainedRiskModel; decision: PromotionDecision }): StoredRiskModel => ({
  name: r.name, version: r.version, status: r.status, createdAt: r.created_at, model: r.model, decision: r.decision,
});

/** Every trained version is kept; promotion retires the previous promoted version in the same transaction. */
export class RiskModelRegistry {
  constructor(private readonly pool: Pool) {}

  async promoted(names: readonly string[]): Promise<Map<string, StoredRiskModel>> {
    const { rows } = await this.pool.query(SELECT_PROMOTED, [names]);
    return new Map(rows.map((r) => [r.name as string, row(r)]));
  }

  async version(name: string, version: string): Promise<StoredRiskModel | null> {
    const { rows } = await this.pool.query(SELECT_VERSION, [name, version]);
    return rows[0] ? row(rows[0]) : null;
  }

  async all(): Promise<StoredRiskModel[]> {
    return (await this.pool.query(SELECT_ALL)).rows.map(row);
  }

  async save(model: TrainedRiskModel, decision: PromotionDecision): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (decision.promote) await client.query(RETIRE_PROMOTED, [model.name]);
      await client.query(INSERT_MODEL, [model.name, model.version, decision.promote ? 'promoted' : 'candidate', model, decision]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
