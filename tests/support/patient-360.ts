import { gql, type GraphQLResponse } from './graphql';

/**
 * The patient-360 query of issue 16's fault reports: one patient's record from every subgraph —
 * demographics and labs (patient), variants (genomics), their therapies (knowledge graph), risk
 * (inference).
 */
export const PATIENT_360 = `
  query ($id: ID!) {
    patient(id: $id) {
      name
      observations { code value unit }
      variants { id therapies { drug { name } evidenceLevel } }
      risk { cardiovascular { pce10y missing } }
    }
  }`;

export interface Patient360 {
  patient: {
    name: string;
    observations: { code: string; value: number; unit: string }[];
    variants: { id: string; therapies: { drug: { name: string }; evidenceLevel: string }[] }[] | null;
    risk: { cardiovascular: { pce10y: number | null; missing: string[] } } | null;
  } | null;
}

/** A patient with a total cholesterol and BRAF V600E (which the knowledge graph has therapies for); returns its id. */
export async function createPatient360(gateway: string): Promise<string> {
  const mrn = `MRN-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await gql<{ createPatient: { id: string } }>(
    gateway,
    `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
    { input: { name: 'Rosalind Franklin', birthDate: '1960-07-25', sex: 'FEMALE', race: 'WHITE', identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: mrn }] } },
  );
  if (created.errors) throw new Error(`createPatient: ${JSON.stringify(created.errors)}`);
  const id = created.data!.createPatient.id;
  const observation = await gql(gateway, `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { code } }`, {
    id,
    input: { code: '2093-3', value: 210, unit: 'mg/dL', effectiveAt: '2026-01-10T09:00:00Z' },
  });
  if (observation.errors) throw new Error(`addObservation: ${JSON.stringify(observation.errors)}`);
  const calls = await gql(gateway, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, {
    id,
    calls: [{ chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' }],
  });
  if (calls.errors) throw new Error(`addVariantCalls: ${JSON.stringify(calls.errors)}`);
  return id;
}

/** Sends the patient-360 query and measures how long the answer took. */
export async function timedPatient360(gateway: string, id: string): Promise<{ ms: number; response: GraphQLResponse<Patient360> }> {
  const started = performance.now();
  const response = await gql<Patient360>(gateway, PATIENT_360, { id });
  return { ms: performance.now() - started, response };
}

/** Polls `probe` every `everyMs` until it returns true; the time it took, or an error after `withinMs`. */
export async function waitUntil(probe: () => Promise<boolean>, withinMs: number, everyMs = 250): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
