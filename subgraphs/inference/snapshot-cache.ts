import { LRUCache } from 'lru-cache';
import type { ClinicalSnapshot } from './domain/cardiovascular';

/**
 * Clinical records (the InferencePatientSnapshot the decisions read) kept across requests, keyed by patient and
 * record version (Patient.recordVersion: the newest event the patient subgraph announced about the patient, which
 * every write to the record changes in its own transaction). A request whose representation carries the version
 * the gateway read with the patient (@requires) is answered from here without a call to the patient subgraph.
 *
 * Why a hit is never staler than the version asked for: an entry is stored under the version its request carried,
 * which the gateway read before this service read the record, so the record stored is that version or newer; a
 * write commits a new version first, and every request after it carries that one and misses. Read-your-writes
 * holds: a clinician who adds an observation and reads the risk next gets it computed with the observation.
 * The organisation is never taken from here: access is decided on the representation's (read fresh per request).
 * The record is read as the inference service, and the patient subgraph audits that read when it happens: once per
 * version of the record, not once per request (a clinician's own reads are audited where they are made).
 * Entries are shared between requests and never changed: the decisions only read them.
 */
export class SnapshotCache {
  private readonly entries: LRUCache<string, ClinicalSnapshot>;
  hits = 0;
  misses = 0;

  constructor(maxEntries: number, maxCharacters = SNAPSHOT_CACHE_CHARACTERS) {
    // Bounded by count and by size: a patient with years of device readings has a record thousands of times larger
    // than most. The size is the record's JSON length, computed once when it is stored (after a read over HTTP).
    this.entries = new LRUCache({ max: maxEntries, maxSize: maxCharacters, sizeCalculation: (record) => Math.max(1, JSON.stringify(record).length) });
  }

  get(patientId: string, version: string): ClinicalSnapshot | undefined {
    const found = this.entries.get(`${patientId}\u0000${version}`);
    if (found) this.hits += 1;
    else this.misses += 1;
    return found;
  }

  set(patientId: string, version: string, snapshot: ClinicalSnapshot): void {
    this.entries.set(`${patientId}\u0000${version}`, snapshot);
  }
}

/** Records of this many patients at most. */
export const SNAPSHOT_CACHE_ENTRIES = 5_000;
/** And 32 million characters of JSON in all (the objects held take a small multiple of that); a larger record is not kept. */
export const SNAPSHOT_CACHE_CHARACTERS = 32 * 1024 * 1024;
