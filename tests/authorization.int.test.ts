import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../lib/logger';
import { isAllowed, protectedFields } from '../lib/authorization';
import type { Role } from '../lib/identity';
import { startHub, type Hub } from '../scripts/hub';
import { SUBGRAPHS } from '../schema/compose';
import { asserted, bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, settle, wsClient, type GraphQLResponse } from './support/graphql';

const log = createLogger('test', 'silent');
const TAG = `MTX${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
const NAME = `Matrix Patient ${TAG}`;
const MRN = `MRN-${TAG}`;
const BIRTH_DATE = '1961-07-14';
const UNKNOWN_PATIENT = '00000000-0000-4000-8000-000000000000';

/** Every field a subgraph protects with @requiresScopes, from the four subgraph SDLs. */
const PROTECTED = new Map(SUBGRAPHS.flatMap((s) => [...protectedFields(fs.readFileSync(path.join(__dirname, '..', 'schema', `${s.name}.graphql`), 'utf8'))]));

const ROLES: { role: Role; claims: Parameters<typeof bearer>[0] }[] = [
  { role: 'clinician', claims: { role: 'clinician', org: 'org-matrix', sub: 'dr-matrix' } },
  { role: 'researcher', claims: { role: 'researcher', sub: 'res-matrix' } },
  { role: 'partner', claims: { role: 'partner', org: 'org-matrix', sub: 'partner-matrix', contracts: ['matrix'] } },
  { role: 'admin', claims: { role: 'admin', sub: 'admin-matrix' } },
];

/** Arguments for fields that require them: well-typed, harmless (unknown ids, empty lists). */
const ARGUMENTS: Record<string, string> = {
  'Query.patient': '(id: $id)',
  'Query.searchNotes': '(query: "chest pain", patientIds: [$id])',
  'Query.auditTrail': '(patientId: $id)',
  'Mutation.recordResearchConsent': `(patientId: "${UNKNOWN_PATIENT}", granted: true)`,
  'Mutation.createPatient': `(input: { name: "Matrix Created ${TAG}" })`,
  'Mutation.addObservation': `(patientId: "${UNKNOWN_PATIENT}", input: { code: "8480-6", value: 120, unit: "mm[Hg]" })`,
  'Mutation.ingestFhirBundle': '(bundle: { resourceType: "Bundle", type: "collection", entry: [] })',
  'Mutation.addObservations': `(patientId: "${UNKNOWN_PATIENT}", observations: [])`,
  'Mutation.unlinkPatient': `(linkId: "${UNKNOWN_PATIENT}")`,
  'Mutation.addVariantCalls': `(patientId: "${UNKNOWN_PATIENT}", calls: [])`,
  'Mutation.ingestVcf': `(patientId: "${UNKNOWN_PATIENT}", vcf: "")`,
  'Patient.riskWhatIf': '(changes: { stopSmoking: true })',
  'Patient.rareDiseaseCandidates': '(phenotypes: ["HP:0001250"])',
  'Patient.revealIdentifier': '(system: "urn:mrn")',
  'Subscription.riskUpdated': '(patientId: $id)',
  'Subscription.findingsUpdated': '(patientId: $id)',
};

interface Probe {
  /** Every protected coordinate on the way to the field, the field last. */
  path: string[];
  document: string;
  subscription: boolean;
}

function probeFor(coordinate: string, leaf: boolean): Probe {
  const [type, field] = coordinate.split('.') as [string, string];
  const selection = `${field}${ARGUMENTS[coordinate] ?? ''}${leaf ? '' : ' { __typename }'}`;
  const variables = selection.includes('$id') ? '($id: ID!) ' : '';
  switch (type) {
    case 'Query':
      return { path: [coordinate], document: `query ${variables}{ ${selection} }`, subscription: false };
    case 'Mutation':
      return { path: [coordinate], document: `mutation { ${selection} }`, subscription: false };
    case 'Subscription':
      return { path: [coordinate], document: `subscription ${variables}{ ${selection} }`, subscription: true };
    case 'Patient':
      return { path: ['Query.patient', coordinate], document: `query ($id: ID!) { patient(id: $id) { id ${selection} } }`, subscription: false };
    case 'PatientLink':
      return { path: ['Query.patient', 'Patient.links', coordinate], document: `query ($id: ID!) { patient(id: $id) { links { ${selection} } } }`, subscription: false };
    case 'Gene':
      return { path: [coordinate], document: `query { gene(symbol: "BRAF") { ${selection} } }`, subscription: false };
    default:
      throw new Error(`no probe for ${coordinate}: add its parent path to tests/authorization.int.test.ts`);
  }
}

describe('role × field matrix over the whole supergraph', () => {
  let hub: Hub;
  let patientId: string;
  let leafFields: Set<string>;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    const created = await gql<{ createPatient: { id: string } }>(
      hub.gateway.url,
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
      { input: { name: NAME, birthDate: BIRTH_DATE, sex: 'FEMALE', organization: 'org-matrix', identifiers: [{ system: 'urn:mrn', value: MRN }] } },
    );
    patientId = created.data!.createPatient.id;
    // Which protected fields are leaves (no sub-selection): read from the gateway's own schema.
    const types = await gql<{ __schema: { types: { name: string; fields: { name: string; type: { kind: string; ofType: unknown } }[] | null }[] } }>(
      hub.gateway.url,
      `{ __schema { types { name fields { name type { kind ofType { kind ofType { kind ofType { kind ofType { kind } } } } } } } } }`,
    );
    const leafKind = (type: { kind: string; ofType?: unknown }): boolean =>
      type.kind === 'NON_NULL' || type.kind === 'LIST' ? leafKind(type.ofType as { kind: string }) : type.kind === 'SCALAR' || type.kind === 'ENUM';
    leafFields = new Set(
      types.data!.__schema.types.flatMap((t) => (t.fields ?? []).filter((f) => leafKind(f.type)).map((f) => `${t.name}.${f.name}`)),
    );
  });

  afterAll(async () => {
    await hub?.close();
  });

  it('protects the identified fields the architecture names', () => {
    for (const coordinate of ['Patient.name', 'Patient.birthDate', 'Patient.identifiers', 'Patient.notes', 'Query.searchNotes', 'Subscription.riskUpdated']) {
      expect(PROTECTED.get(coordinate)).toEqual([['clinician'], ['admin']]);
    }
    expect(PROTECTED.get('Subscription.cohortRiskUpdated')).toEqual([['researcher'], ['admin']]);
  });

  async function run(probe: Probe, headers: Record<string, string>): Promise<GraphQLResponse<unknown>> {
    if (!probe.subscription) return gql(hub.gateway.url, probe.document, probe.document.includes('$id') ? { id: patientId } : {}, headers);
    const client = wsClient(hub.gateway.url, headers);
    const subscription = collect(client, probe.document, probe.document.includes('$id') ? { id: patientId } : {});
    try {
      // A refused subscription answers at once; an accepted one stays silent until an event.
      return await subscription.next(1500).catch(() => ({ data: null }));
    } finally {
      subscription.dispose();
      await client.dispose();
      await settle(20);
    }
  }

  it.each(ROLES)('$role sees exactly the fields its role allows, and nothing identified leaks otherwise', async ({ role, claims }) => {
    const headers = await bearer(claims);
    const outcomes: string[] = [];
    for (const [coordinate] of PROTECTED) {
      const probe = probeFor(coordinate, leafFields.has(coordinate));
      // Partners run persisted operations only: every ad-hoc document is refused before it runs
      // (tests/persisted-queries.int.test.ts); the field rules still hold in the subgraphs (below).
      const expectedAllowed = role !== 'partner' && probe.path.every((step) => isAllowed(PROTECTED.get(step) ?? [[role]], role));
      const response = await run(probe, headers);
      const forbidden = (response.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'PERSISTED_QUERY_ONLY');
      const body = JSON.stringify(response);
      const leaked = [NAME, MRN, BIRTH_DATE].filter((secret) => body.includes(secret));
      if (expectedAllowed && forbidden) outcomes.push(`${coordinate}: refused but the role allows it (${body.slice(0, 200)})`);
      if (!expectedAllowed && !forbidden) outcomes.push(`${coordinate}: not refused with FORBIDDEN (${body.slice(0, 200)})`);
      if (!expectedAllowed && leaked.length) outcomes.push(`${coordinate}: leaked ${leaked.join(', ')}`);
    }
    expect(outcomes).toEqual([]);
  });

  it('names the field and the role in a refusal (a researcher asking for a name)', async () => {
    // A partner's identity as the gateway would assert it, straight at the patient subgraph.
    const partnerAssertion = await asserted({ subject: 'partner-matrix', role: 'partner', client: 'matrix', organisation: 'org-matrix' });
    const partner = await gql(hub.patient.url, `query ($id: ID!) { patient(id: $id) { id name } }`, { id: patientId }, partnerAssertion);
    expect(partner.errors).toEqual([
      expect.objectContaining({
        message: 'Patient.name is not available to the partner role (it needs clinician or admin)',
        extensions: expect.objectContaining({ code: 'FORBIDDEN', field: 'Patient.name', role: 'partner' }),
      }),
    ]);
    const researcher = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { name } }`, { id: patientId }, await bearer(ROLES[1]!.claims));
    expect(researcher.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(researcher)).not.toContain(NAME);
  });

  it('never lets a researcher share the answer a clinician gets to the same query sent at the same moment', async () => {
    const clinician = await bearer(ROLES[0]!.claims);
    const researcher = await bearer(ROLES[1]!.claims);
    const query = `query ($id: ID!) { patient(id: $id) { name } }`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, n) => gql(hub.gateway.url, query, { id: patientId }, n % 2 === 0 ? clinician : researcher)),
    );
    responses.forEach((response, n) => {
      if (n % 2 === 0) expect(response).toEqual({ data: { patient: { name: NAME } } });
      else expect(JSON.stringify(response)).not.toContain(NAME);
    });
  });
});
