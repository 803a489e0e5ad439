import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { withLocalSecrets, type SecuredConfig } from '../lib/local-secrets';
import { gql } from '../tests/support/graphql';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET } from '../tests/support/auth';

/**
 * The configuration every bench starts its hub with: the tests' secrets (so tests/support/auth.ts
 * tokens work), every port ephemeral, an embedded Neo4j in a temp folder, and no per-client rate limit
 * (one machine plays every client; the limit would measure itself). `env` overrides, then the
 * process environment, then these defaults.
 */
export function benchHubConfig(env: Record<string, string> = {}): SecuredConfig {
  return withLocalSecrets(
    loadConfig({
      HUB_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      JWT_SECRET: TEST_JWT_SECRET,
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/precision_hub_bench',
      NEO4J_DATA_DIR: process.env.NEO4J_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-neo4j-')),
      NEO4J_BOLT_PORT: process.env.NEO4J_BOLT_PORT ?? '0',
      GATEWAY_RATE_LIMIT_PER_SECOND: process.env.GATEWAY_RATE_LIMIT_PER_SECOND ?? '0',
      PORT: '0',
      PATIENT_PORT: '0',
      GENOMICS_PORT: '0',
      KNOWLEDGE_GRAPH_PORT: '0',
      INFERENCE_PORT: '0',
      ...env,
    }),
  );
}

/**
 * The skeleton issue's bench patient through the gateway: three observations (total and HDL
 * cholesterol, SBP, so risk is computed) and three variants (BRAF V600E, EGFR L858R, KRAS G12C).
 */
export async function createBenchPatient(gatewayUrl: string): Promise<string> {
  const created = await gql<{ createPatient: { id: string } }>(
    gatewayUrl,
    `mutation { createPatient(input: { name: "Bench Patient", birthDate: "1965-05-05", sex: FEMALE, race: WHITE }) { id } }`,
  );
  const id = created.data?.createPatient.id;
  if (!id) throw new Error(`could not create the bench patient: ${JSON.stringify(created.errors)}`);
  for (const [code, value, unit] of [['2093-3', 210, 'mg/dL'], ['2085-9', 48, 'mg/dL'], ['8480-6', 132, 'mm[Hg]']] as const) {
    await gql(gatewayUrl, `mutation ($id: ID!, $c: String!, $v: Float!, $u: String!) { addObservation(patientId: $id, input: { code: $c, value: $v, unit: $u }) { id } }`, {
      id,
      c: code,
      v: value,
      u: unit,
    });
  }
  await gql(gatewayUrl, `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [
    { chrom: "7", pos: 140753336, ref: "A", alt: "T" }, { chrom: "7", pos: 55191822, ref: "T", alt: "G" },
    { chrom: "12", pos: 25245351, ref: "C", alt: "A" }]) { genotype } }`, { id });
  return id;
}
