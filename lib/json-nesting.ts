/**
 * How deep JSON arguments may nest (objects and arrays), the same at the gateway (every variable of
 * every operation) and in the patient subgraph (a FHIR bundle). Real R4 bundles stay far below it: a
 * Synthea bundle reaches ~10 levels, a Questionnaire nesting its items 20 deep ~50. Code that walks a
 * value recursively runs out of stack on deeper ones: the gateway's HTTP executor (looking for file
 * uploads in the variables) failed on a bundle nested 2,000 deep, which came back as "the patient
 * subgraph could not be reached"; FHIR validation (Ajv's compiled validators) failed as an internal error.
 */
export const MAX_JSON_NESTING = 100;

/** Whether `value` nests objects/arrays more than `max` levels deep (`value` itself is level 1); iterative, so no depth can overflow it. */
export function nestedDeeperThan(value: unknown, max: number = MAX_JSON_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (depth > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item as object)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}
