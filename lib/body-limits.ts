/**
 * One request-body limit for the whole hub. The gateway refuses bodies over MAX_REQUEST_BODY_BYTES
 * (413 REQUEST_ENTITY_TOO_LARGE); every subgraph accepts SUBGRAPH_MAX_REQUEST_BODY_BYTES, more than the
 * gateway forwards for any body it accepted, so a request the gateway lets through is never refused
 * below it (issue 16: 5-16 MiB bundles passed the gateway and failed in the patient subgraph).
 * Pure, no imports: the gateway's limits config, lib/apollo-http.ts and the inference server read it.
 */

/** FHIR bundles and small VCFs go through the gateway (a Synthea bundle is 0.5-5 MiB); whole genomes use the CLI. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/**
 * What the gateway forwards is not the client's body: it re-serialises the variables (whitespace
 * dropped and `\u00e9` escapes decoded, so text never grows) under the query plan's own document
 * (bounded by the gateway's 3,000-token limit, a few kB). Only numbers grow: JSON.stringify writes
 * `1e20` as 21 digits. Twice the gateway's limit covers a body of which a quarter is such numbers;
 * beyond that the subgraph still answers with a coded 413, never a fault.
 */
export const SUBGRAPH_MAX_REQUEST_BODY_BYTES = 2 * MAX_REQUEST_BODY_BYTES;
