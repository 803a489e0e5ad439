import { randomUUID } from 'node:crypto';
import { createLogger } from '../lib/logger';
import { assertionsOf } from '../lib/local-secrets';
import { createPool, type Pool } from '../lib/postgres';
import type { RunningService } from '../lib/service-host';
import { startPatientService } from '../subgraphs/patient/server';
import { startGenomicsService } from '../subgraphs/genomics/server';
import { startKnowledgeGraphService } from '../subgraphs/knowledge-graph/server';
import { startInferenceService } from '../subgraphs/inference/server';
import { startGateway } from '../gateway/server';
import { asserted, bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, wsClient } from './support/graphql';
import { countingProxy } from './support/counting-proxy';

/**
 * Issue 19: genomics and inference must not call the patient subgraph back for a patient's
 * organisation on every request. Genomics gets it in the gateway's representation (@requires
 * `Patient.organization`, fetched with the patient); inference reads it with the record it reads
 * anyway. Genomics and inference reach the patient subgraph here through a proxy that counts requests.
 */
const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const ORG_A = `org-a-${TAG}`;
const ORG_B = `org-b-${TAG}`;

describe('row access without call-backs to the patient subgraph', () => {
  const config = testConfig();
  const assertions = assertionsOf(config);
  const services: { close(): Promise<void> }[] = [];
  let gateway: RunningService;
  let genomics: RunningService;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let pool: Pool;
  let clinicianA: Record<string, string>;
  let clinicianB: Record<string, string>;
  let patientId: string;

  beforeAll(async () => {
    const { host, databaseUrl } = config;
    const patient = await startPatientService({ assertions, databaseUrl, host, port: 0, log });
    services.push(patient);
    proxy = await countingProxy(() => patient.url);
    services.push(proxy);
    genomics = await startGenomicsService({ assertions, databaseUrl, host, port: 0, patientUrl: proxy.url, log });
    services.push(genomics);
    const knowledgeGraph = await startKnowledgeGraphService({ assertions, neo4j: testNeo4j(), host, port: 0, log });
    services.push(knowledgeGraph);
    const inference = await startInferenceService({
      assertions,
      databaseUrl,
      host,
      port: 0,
      patientUrl: proxy.url,
      genomicsUrl: genomics.url,
      knowledgeGraphUrl: knowledgeGraph.url,
      modelDir: config.modelDir,
      modelId: config.nlpModelId,
      consumeEvents: false,
      log,
    });
    services.push(inference);
    gateway = await startGateway({
      host,
      port: 0,
      log,
      subgraphUrls: { patient: patient.url, genomics: genomics.url, 'knowledge-graph': knowledgeGraph.url, inference: inference.url },
      auth: { jwt: config.auth.jwt, assertions },
    });
    services.push(gateway);
    pool = createPool(databaseUrl, 1);
    clinicianA = await bearer({ role: 'clinician', org: ORG_A, sub: `dr-a-${TAG}` });
    clinicianB = await bearer({ role: 'clinician', org: ORG_B, sub: `dr-b-${TAG}` });
    const created = await gql<{ createPatient: { id: string } }>(gateway.url, `mutation { createPatient(input: { name: "Ada ${TAG}", birthDate: "1960-05-05", sex: FEMALE }) { id } }`, {}, clinicianA);
    patientId = created.data!.createPatient.id;
    const calls = await gql(gateway.url, `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "7", pos: 140753336, ref: "A", alt: "T" }]) { genotype } }`, { id: patientId }, clinicianA);
    expect(calls.errors).toBeUndefined();
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    for (const service of services.reverse()) await service.close().catch(() => undefined);
  });

  /** Requests genomics and inference made to the patient subgraph while `work` ran. */
  async function patientCallsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const before = proxy.bodies.length;
    await work();
    return proxy.bodies.slice(before);
  }

  const GENOMICS_READ = `query ($id: ID!) { patient(id: $id) { id variants { id } pharmacogenomics { gene status } } }`;

  it("answers a clinician's genomics read of a patient with no request to the patient subgraph", async () => {
    let response: Awaited<ReturnType<typeof gql>> | undefined;
    const calls = await patientCallsDuring(async () => (response = await gql(gateway.url, GENOMICS_READ, { id: patientId }, clinicianA)));
    expect(response?.errors).toBeUndefined();
    expect((response?.data as { patient: { variants: { id: string }[] } }).patient.variants).toEqual([{ id: 'GRCh38:7:140753336:A:T' }]);
    expect(calls).toEqual([]);
  });

  it("answers a clinician's risk read with one request to the patient subgraph, the record it reads, carrying the organisation", async () => {
    let response: Awaited<ReturnType<typeof gql>> | undefined;
    const calls = await patientCallsDuring(async () => (response = await gql(gateway.url, `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { pce10y } } } }`, { id: patientId }, clinicianA)));
    expect(response?.errors).toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/organization/);
    expect(calls[0]).toMatch(/observations/);
  });

  it("answers the same risk again with no request to the patient subgraph while the record is unchanged, and reads it again after a write", async () => {
    const RISK = `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { pce10y missing } } } }`;
    const other = await gql<{ createPatient: { id: string } }>(gateway.url, `mutation { createPatient(input: { name: "Kept ${TAG}", birthDate: "1960-05-05", sex: FEMALE }) { id } }`, {}, clinicianA);
    const id = other.data!.createPatient.id;
    let first: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (first = await gql(gateway.url, RISK, { id }, clinicianA)))).toHaveLength(1);
    let again: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (again = await gql(gateway.url, RISK, { id }, clinicianA)))).toEqual([]);
    expect(again).toEqual(first);
    // A new total cholesterol: the very next risk read has it (read-your-writes), not the kept record.
    const missingBefore = (first?.data as { patient: { risk: { cardiovascular: { missing: string[] } } } }).patient.risk.cardiovascular.missing;
    expect(missingBefore).toContain('totalCholesterol');
    const added = await gql(gateway.url, `mutation ($id: ID!) { addObservation(patientId: $id, input: { code: "2093-3", value: 190, unit: "mg/dL" }) { code } }`, { id }, clinicianA);
    expect(added.errors).toBeUndefined();
    let after: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (after = await gql(gateway.url, RISK, { id }, clinicianA)))).toHaveLength(1);
    expect((after?.data as { patient: { risk: { cardiovascular: { missing: string[] } } } }).patient.risk.cardiovascular.missing).not.toContain('totalCholesterol');
    // Moved to organisation B behind the hub's back (a direct database change, no event): the version changes with
    // the organisation, so the former carer is refused on the next request and the new one served.
    await pool.query(`UPDATE patient.patients SET managing_organization = $2 WHERE id = $1`, [id, ORG_B]);
    const formerCarer = await gql(gateway.url, RISK, { id }, clinicianA);
    expect(formerCarer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const newCarer = await gql(gateway.url, RISK, { id }, clinicianB);
    expect(newCarer.errors).toBeUndefined();
  });

  it('refuses another organisation’s clinician, in genomics and inference, without leaking data', async () => {
    const response = await gql(gateway.url, `query ($id: ID!) { patient(id: $id) { variants { id } risk { cardiovascular { pce10y } } } }`, { id: patientId }, clinicianB);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(response)).not.toContain('140753336');
  });

  it('takes a change of organisation into account on the very next request (no copy to go stale)', async () => {
    const other = await gql<{ createPatient: { id: string } }>(gateway.url, `mutation { createPatient(input: { name: "Moved ${TAG}", birthDate: "1970-01-01", sex: MALE }) { id } }`, {}, clinicianA);
    const id = other.data!.createPatient.id;
    await gql(gateway.url, `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "7", pos: 140753336, ref: "A", alt: "T" }]) { genotype } }`, { id }, clinicianA);
    expect((await gql(gateway.url, GENOMICS_READ, { id }, clinicianA)).errors).toBeUndefined();
    // The patient moves to organisation B (as an admin's re-registration would), in the patient subgraph's own table.
    await pool.query(`UPDATE patient.patients SET managing_organization = $2 WHERE id = $1`, [id, ORG_B]);
    const formerCarer = await gql(gateway.url, GENOMICS_READ, { id }, clinicianA);
    expect(formerCarer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(formerCarer)).not.toContain('140753336');
    const newCarer = await gql<{ patient: { variants: { id: string }[] } }>(gateway.url, GENOMICS_READ, { id }, clinicianB);
    expect(newCarer.errors).toBeUndefined();
    expect(newCarer.data?.patient.variants).toEqual([{ id: 'GRCh38:7:140753336:A:T' }]);
  });

  it('gives a client no way to send representations of its own: the gateway has no _entities', async () => {
    const forged = await gql(
      gateway.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { variants { id } } } }`,
      { r: [{ __typename: 'Patient', id: patientId, organization: ORG_B }] },
      clinicianB,
    );
    expect(forged.data ?? null).toBeNull();
    expect(forged.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('decides from the access directory when a representation lacks the organisation (never trusts its absence), with no call back', async () => {
    const headers = await asserted({ subject: `dr-b-${TAG}`, role: 'clinician', client: 'test', organisation: ORG_B });
    let response: Awaited<ReturnType<typeof gql>> | undefined;
    const calls = await patientCallsDuring(
      async () =>
        (response = await gql(genomics.url, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { variants { id } } } }`, { r: [{ __typename: 'Patient', id: patientId }] }, headers)),
    );
    expect(response?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(response)).not.toContain('140753336');
    expect(calls).toEqual([]);
  });

  const ADD_CALLS = `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "12", pos: 25245350, ref: "C", alt: "A" }]) { genotype } }`;

  it("writes a clinician's variant calls to its own patient, and refuses another organisation's, with no call back (issue 19: writes)", async () => {
    let own: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (own = await gql(gateway.url, ADD_CALLS, { id: patientId }, clinicianA)))).toEqual([]);
    expect(own?.errors).toBeUndefined();
    let other: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (other = await gql(gateway.url, ADD_CALLS, { id: patientId }, clinicianB)))).toEqual([]);
    expect(other?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // An unknown patient is refused as before, from the directory too.
    let unknown: Awaited<ReturnType<typeof gql>> | undefined;
    expect(await patientCallsDuring(async () => (unknown = await gql(gateway.url, ADD_CALLS, { id: '00000000-0000-4000-8000-000000000000' }, clinicianA)))).toEqual([]);
    expect(unknown?.errors?.[0]?.extensions?.code).toBe('PATIENT_NOT_FOUND');
  });

  it('checks a riskUpdated subscription at subscribe time with no call back, refusing another organisation', async () => {
    const SUBSCRIBE = `subscription ($id: ID!) { riskUpdated(patientId: $id) { reason computedAt } }`;
    const probe = async (headers: Record<string, string>) => {
      const client = wsClient(gateway.url, headers);
      const subscription = collect(client, SUBSCRIBE, { id: patientId });
      try {
        // A refused subscription answers at once; an accepted one stays silent until an event.
        return await subscription.next(1500).catch(() => null);
      } finally {
        subscription.dispose();
        await client.dispose();
      }
    };
    let refused: Awaited<ReturnType<typeof probe>> | undefined;
    let accepted: Awaited<ReturnType<typeof probe>> | undefined;
    const calls = await patientCallsDuring(async () => {
      refused = await probe(clinicianB);
      accepted = await probe(clinicianA);
    });
    expect(refused?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(accepted).toBeNull();
    expect(calls).toEqual([]);
  });

  it('decides each subscription on a long-lived connection afresh: a patient moved away is refused on the same connection', async () => {
    const SUBSCRIBE = `subscription ($id: ID!) { riskUpdated(patientId: $id) { reason } }`;
    const moved = await gql<{ createPatient: { id: string } }>(gateway.url, `mutation { createPatient(input: { name: "Watched ${TAG}", birthDate: "1960-05-05", sex: FEMALE }) { id } }`, {}, clinicianA);
    const id = moved.data!.createPatient.id;
    const client = wsClient(gateway.url, clinicianA);
    try {
      const first = collect(client, SUBSCRIBE, { id });
      // Accepted: silent until an event.
      await expect(first.next(1500)).rejects.toThrow(/no subscription message/);
      first.dispose();
      await pool.query(`UPDATE patient.patients SET managing_organization = $2 WHERE id = $1`, [id, ORG_B]);
      // The same connection (and upstream, the same connection to inference): nothing kept from the first check.
      const second = collect(client, SUBSCRIBE, { id });
      const refused = await second.next(3000);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      second.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('accepts on a long-lived connection a subscription to a patient registered after the same connection was told it did not exist', async () => {
    const SUBSCRIBE = `subscription ($id: ID!) { riskUpdated(patientId: $id) { reason } }`;
    const id = randomUUID();
    const client = wsClient(gateway.url, clinicianA);
    try {
      const early = collect(client, SUBSCRIBE, { id });
      expect((await early.next(3000)).errors?.[0]?.extensions?.code).toBe('PATIENT_NOT_FOUND');
      early.dispose();
      await pool.query(`INSERT INTO patient.patients (id, name, birth_date, sex, managing_organization) VALUES ($1, $2, '1960-05-05', 'female', $3)`, [id, `Late ${TAG}`, ORG_A]);
      const later = collect(client, SUBSCRIBE, { id });
      // Accepted: silent until an event.
      await expect(later.next(1500)).rejects.toThrow(/no subscription message/);
      later.dispose();
    } finally {
      await client.dispose();
    }
  });

  it("counts a researcher's consented carriers and a clinician's own patients with no call back (consent and organisation for aggregates)", async () => {
    const researcher = await bearer({ role: 'researcher', sub: `res-${TAG}` });
    const GENES = `{ cohortGenes(first: 5) { gene { symbol } patients } }`;
    let forResearcher: Awaited<ReturnType<typeof gql>> | undefined;
    let forClinician: Awaited<ReturnType<typeof gql>> | undefined;
    const calls = await patientCallsDuring(async () => {
      forResearcher = await gql(gateway.url, GENES, {}, researcher);
      forClinician = await gql(gateway.url, GENES, {}, clinicianA);
    });
    expect(forResearcher?.errors).toBeUndefined();
    expect(forClinician?.errors).toBeUndefined();
    // Clinician A's organisation has this file's patients only: BRAF and KRAS, one carrier each.
    expect((forClinician?.data as { cohortGenes: unknown[] }).cohortGenes).toEqual([
      { gene: { symbol: 'BRAF' }, patients: 1 },
      { gene: { symbol: 'KRAS' }, patients: 1 },
    ]);
    expect(calls).toEqual([]);
  });
});
