import type { MigrationBuilder } from 'node-pg-migrate';
import { backFlagObservations } from '../repository/observation-back-flag';

/*
 * Observations stored before 1733420000000 (observation flags) judged by today's catalogue, in the
 * migration's transaction: see repository/observation-back-flag.ts. The ranges come from
 * lib/contracts/reference/loinc-catalogue.ts itself, not a copy in SQL, so the two cannot disagree. Idempotent: only
 * unflagged rows are read.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  await backFlagObservations(pgm.db);
}

// Flags cannot be told apart from those ingestion set since; values normalised keep their original.
export function down(): void {}
