/**
 * One request-body limit for the whole hub. The gateway refuses bodies over MAX_REQUEST_BODY_BYTES
 * (413 REQUEST_ENTITY_TOO_LARGE); every subgraph accepts SUBGRAPH_MAX_REQUEST_BODY_BYTES, more than the
 * gateway forwards for any body it accepted, so a request the gateway lets through is never refused
 * below it (issue 16: 5-16 MiB bundles passed the gateway and failed in the patient subgraph).
 * Pure, no imports: the gateway's limits config, lib/apollo-http.ts and the inference server read it.
 */

/**
 * FHIR bundles and small VCFs go through the gateway; whole genomes use the CLI. Real Synthea 3.3.0
 * patients (`npm run synthea:generate`, 51 bundles aged 55-80, tests/fixtures/synthea-3.3.0/SOURCE.md)
 * are 1.2-42 MiB, median 3.6 MiB; 4 of the 51 (27-42 MiB, 19-30 MiB as compact JSON) are over this
 * limit: decades of visits (the 42 MiB one: 36 % Observations, 35 % Claims and ExplanationOfBenefits,
 * which the hub skips). Those go through the ingest CLI
 * (`npm run ingest -- fhir <file>`: the 42 MiB one in 6 s, 450 MiB peak RSS), which has no body limit.
 * The limit stays: a body is parsed whole in memory, by the gateway and again by the patient subgraph
 * (the CLI's 450 MiB peak for a 42 MiB file is ~10 times the file), for every request in flight.
 */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/**
 * What the gateway forwards is not the client's body: it re-serialises the variables (whitespace
 * dropped and `\u00e9` escapes decoded, so text never grows) under the query plan's own document
 * (bounded by the gateway's 3,000-token limit, a few kB). Only numbers grow: JSON.stringify writes
 * `1e20` as 21 digits. Twice the gateway's limit covers a body of which a quarter is such numbers;
 * beyond that the subgraph still answers with a coded 413, never a fault.
 */
export const SUBGRAPH_MAX_REQUEST_BODY_BYTES = 2 * MAX_REQUEST_BODY_BYTES;
