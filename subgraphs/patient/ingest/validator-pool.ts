import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { IngestReject } from './fhir-records';
import type { NamedResource } from './fhir-validation';

/**
 * FHIR R4 validation in worker threads (piscina): validation costs ~0.1 ms a resource, several times
 * the database work of a bundle, so it runs beside the event loop instead of blocking it, and
 * bundles in flight are validated in parallel.
 */
export class FhirValidatorPool {
  private readonly pool: Piscina;

  constructor(threads = Math.max(1, os.availableParallelism() - 1)) {
    this.pool = new Piscina({
      filename: path.join(__dirname, 'fhir-validation.worker.js'),
      minThreads: threads,
      maxThreads: threads,
      // Each worker indexes the R4 definitions once; keep them rather than paying that again.
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  validate(items: NamedResource[]): Promise<IngestReject[][]> {
    return this.pool.run(items) as Promise<IngestReject[][]>;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
