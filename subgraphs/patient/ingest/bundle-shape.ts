import { MAX_JSON_NESTING, nestedDeeperThan } from '../../../lib/json-nesting';

export interface BundleShapeProblem {
  /** Where, e.g. `bundle.entry[3]`. */
  field: string;
  problem: string;
}

/** Deepest JSON nesting (objects and arrays) a bundle may have (lib/json-nesting.ts says why). */
export const MAX_BUNDLE_NESTING = MAX_JSON_NESTING;

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/**
 * The argument's shape, before any resource is read: a JSON object with resourceType "Bundle" whose
 * `entry`, when present, is a list of objects. Anything else is the wrong argument (a coded error
 * naming what was sent), not a bundle to report on resource by resource. Used by ingestFhirBundle
 * (a BAD_USER_INPUT) and the ingest CLI (the file is refused, the others go on).
 */
export function bundleShapeProblem(bundle: unknown): BundleShapeProblem | null {
  const refuse = (field: string, problem: string): BundleShapeProblem => ({ field, problem });
  if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle)) {
    return refuse('bundle', `expected a FHIR Bundle (a JSON object with "resourceType": "Bundle"), got ${kindOf(bundle)}`);
  }
  const { resourceType, entry } = bundle as { resourceType?: unknown; entry?: unknown };
  if (resourceType !== 'Bundle') {
    return refuse('bundle.resourceType', resourceType === undefined ? 'is missing; expected "Bundle"' : `expected "Bundle", got ${JSON.stringify(resourceType)?.slice(0, 60)}`);
  }
  if (entry === undefined || entry === null) return null;
  if (!Array.isArray(entry)) return refuse('bundle.entry', `expected an array of entries, got ${kindOf(entry)}`);
  const index = entry.findIndex((e) => e === null || typeof e !== 'object' || Array.isArray(e));
  if (index >= 0) return refuse(`bundle.entry[${index}]`, `expected an entry object, got ${kindOf(entry[index])}`);
  if (nestedDeeperThan(bundle, MAX_BUNDLE_NESTING)) return refuse('bundle', `nests objects and arrays more than ${MAX_BUNDLE_NESTING} levels deep`);
  return null;
}
