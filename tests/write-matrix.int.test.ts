import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { Kind, parse } from 'graphql';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createLogger } from '../lib/logger';
import type { Identity } from '../lib/identity';
import { startHub, type Hub } from '../scripts/hub';
import { SUBGRAPHS } from '../schema/compose';
import { exampleBundle } from '../subgraphs/patient/ingest/fixtures/example-bundle';
import { heartRateStream } from '../subgraphs/patient/ingest/fixtures/device-stream';
import { EXAMPLE_RECORDS, vcf } from '../subgraphs/genomics/ingest/fixtures/vcf';
import { createPool } from '../lib/postgres';
import { asserted, bearer } from './support/auth';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { gql, type GraphQLResponse } from './support/graphql';

/**
 * The write side of the authorization matrix (the read side is tests/authorization.int.test.ts):
 * every mutation of the supergraph × every kind of caller × a patient (or an input naming an
 * organisation) of the caller's own organisation and of another one. A write that is allowed must
 * land; a refused one must answer with the caller's refusal code and leave nothing behind.
 */
const log = createLogger('test', 'silent');
const RUN = `WM${randomInt(1e5, 1e6 - 1)}`;
const ORG_A = `org-a-${RUN}`;
const ORG_B = `org-b-${RUN}`;
const suffix = () => String(randomInt(1e11, 1e12 - 1));
let tags = 0;
const tag = () => `${RUN}-${++tags}`;

/** Every field of every subgraph's Mutation type, from the four SDLs. */
const MUTATIONS = SUBGRAPHS.flatMap((s) =>
  parse(fs.readFileSync(path.join(__dirname, '..', 'schema', `${s.name}.graphql`), 'utf8')).definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Mutation'
      ? (d.fields ?? []).map((f) => ({ subgraph: s.name, field: f.name.value }))
      : [],
  ),
);

/** What a write is aimed at: an organisation, and the patient (or link) of it the write touches. */
interface Target {
  organisation: string;
  patientId?: string;
  linkId?: string;
  /** A second source of the target's patient, from outside its organisation. */
  bundle?: Bundle;
  /** A dead letter of the event pipeline about the target's patient. */
  deadLetterId?: string;
  tag: string;
}

interface Row {
  /** Which subgraph owns the mutation (partners are also tried there directly, past the gateway). */
  subgraph: 'patient' | 'genomics' | 'inference';
  /** Makes a fresh target of `organisation` (as an admin). */
  prepare(organisation: string): Promise<Target>;
  /** The mutation aimed at the target. */
  operation(target: Target): { query: string; variables: Record<string, unknown> };
  /** Whether the write is there, read back as an admin. */
  landed(target: Target): Promise<boolean>;
  /** Only admins (and hub services) may make this write, in any organisation. */
  adminOnly?: boolean;
}

describe('role × mutation × organisation matrix over every write', () => {
  let hub: Hub;
  const pool = createPool(TEST_DATABASE_URL);
  const admin = () => bearer({ role: 'admin', sub: `admin-${RUN}` });
  const asAdmin = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await gql<T>(hub.gateway.url, query, variables, await admin());
    if (response.errors) throw new Error(`admin request failed: ${JSON.stringify(response.errors)}`);
    return response.data!;
  };

  const patientIn = async (organisation: string): Promise<Target> => {
    const t = tag();
    const { createPatient } = await asAdmin<{ createPatient: { id: string } }>(
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
      { input: { name: `Write Matrix ${t}`, birthDate: '1970-01-01', sex: 'MALE', organization: organisation, identifiers: [{ system: 'urn:write-matrix', value: t }] } },
    );
    return { organisation, patientId: createPatient.id, tag: t };
  };

  const patientData = <T>(target: Target, selection: string) =>
    asAdmin<{ patient: T | null }>(`query ($id: ID!) { patient(id: $id) { ${selection} } }`, { id: target.patientId }).then((d) => d.patient!);

  const countByIdentifier = async (value: string) =>
    (await asAdmin<{ patients: { totalCount: number } }>(`query ($v: String!) { patients(filter: { identifier: $v }) { totalCount } }`, { v: value })).patients.totalCount;

  /** A bundle of `organisation` for a new person, identified by the target's tag. */
  const bundleOf = (organisation: string, mrn: string): Bundle => {
    const bundle = exampleBundle(mrn, suffix());
    (bundle.entry![0]!.resource as Patient).managingOrganization = { reference: `Organization/${organisation}` };
    return bundle;
  };

  /** Two sources of the same person in `organisation`, joined by demographic linkage. */
  const linkIn = async (organisation: string): Promise<Target> => {
    const t = tag();
    const a = bundleOf(organisation, `${t}-a`);
    const b = bundleOf(organisation, `${t}-b`);
    const patientA = a.entry![0]!.resource as Patient;
    const patientB = b.entry![0]!.resource as Patient;
    patientB.identifier = [{ system: 'urn:oid:2.16.840.1.113883.19.6', value: `${t}-b` }];
    patientB.name = [{ use: 'official', given: ['Adah'], family: 'Lovelace' }];
    patientB.telecom = patientA.telecom;
    patientB.address = patientA.address;
    const ingest = `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds linked { id } rejected { reason } } }`;
    const first = await asAdmin<{ ingestFhirBundle: { patientIds: string[] } }>(ingest, { bundle: a });
    const second = await asAdmin<{ ingestFhirBundle: { linked: { id: string }[] } }>(ingest, { bundle: b });
    const linkId = second.ingestFhirBundle.linked[0]?.id;
    if (!linkId) throw new Error(`no link was made in ${organisation}: ${JSON.stringify(second)}`);
    return { organisation, patientId: first.ingestFhirBundle.patientIds[0]!, linkId, tag: t };
  };

  /** A patient of `organisation`, and a bundle of the same person under another MRN naming no organisation. */
  const linkTarget = async (organisation: string): Promise<Target> => {
    const t = tag();
    const a = bundleOf(organisation, `${t}-a`);
    const b = exampleBundle(`${t}-b`, suffix());
    const patientA = a.entry![0]!.resource as Patient;
    const patientB = b.entry![0]!.resource as Patient;
    patientB.identifier = [{ system: 'urn:oid:2.16.840.1.113883.19.6', value: `${t}-b` }];
    patientB.telecom = patientA.telecom;
    patientB.address = patientA.address;
    const first = await asAdmin<{ ingestFhirBundle: { patientIds: string[] } }>(`mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds } }`, { bundle: a });
    return { organisation, patientId: first.ingestFhirBundle.patientIds[0]!, bundle: b, tag: t };
  };

  /** The table: one row per mutation of the supergraph. A new mutation without a row fails the first test. */
  const ROWS: Record<string, Row> = {
    createPatient: {
      subgraph: 'patient',
      prepare: async (organisation) => ({ organisation, tag: tag() }),
      operation: (t) => ({
        query: `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`,
        variables: { input: { name: `Created ${t.tag}`, organization: t.organisation, identifiers: [{ system: 'urn:write-matrix', value: t.tag }] } },
      }),
      landed: async (t) => (await countByIdentifier(t.tag)) > 0,
    },
    ingestFhirBundle: {
      subgraph: 'patient',
      prepare: async (organisation) => ({ organisation, tag: tag() }),
      operation: (t) => ({
        query: `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { reason } } }`,
        variables: { bundle: bundleOf(t.organisation, t.tag) },
      }),
      landed: async (t) => (await countByIdentifier(t.tag)) > 0,
    },
    /** The same mutation with the admin-only argument: linkage joins a patient of the target organisation from outside it. */
    'ingestFhirBundle(linkAcrossOrganisations)': {
      subgraph: 'patient',
      adminOnly: true,
      prepare: linkTarget,
      operation: (t) => ({
        query: `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle, linkAcrossOrganisations: true) { patientIds rejected { reason } } }`,
        variables: { bundle: t.bundle },
      }),
      landed: async (t) => (await patientData<{ links: unknown[] }>(t, 'links { id }')).links.length > 0,
    },
    addObservation: {
      subgraph: 'patient',
      prepare: patientIn,
      operation: (t) => ({
        query: `mutation ($id: ID!) { addObservation(patientId: $id, input: { code: "8480-6", value: 121, unit: "mm[Hg]" }) { code } }`,
        variables: { id: t.patientId },
      }),
      landed: async (t) => (await patientData<{ observations: unknown[] }>(t, 'observations { code }')).observations.length > 0,
    },
    addObservations: {
      subgraph: 'patient',
      prepare: patientIn,
      operation: (t) => ({
        query: `mutation ($id: ID!, $observations: [JSON!]!) { addObservations(patientId: $id, observations: $observations) { created rejected { reason } } }`,
        variables: { id: t.patientId, observations: heartRateStream(t.tag, 2) },
      }),
      landed: async (t) => (await patientData<{ observations: unknown[] }>(t, 'observations { code }')).observations.length > 0,
    },
    unlinkPatient: {
      subgraph: 'patient',
      prepare: linkIn,
      operation: (t) => ({ query: `mutation ($id: ID!) { unlinkPatient(linkId: $id) { id } }`, variables: { id: t.linkId } }),
      landed: async (t) => (await patientData<{ links: { unlinkedAt: string | null }[] }>(t, 'links { unlinkedAt }')).links.some((l) => l.unlinkedAt !== null),
    },
    recordResearchConsent: {
      subgraph: 'patient',
      prepare: patientIn,
      operation: (t) => ({ query: `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, variables: { id: t.patientId } }),
      landed: async (t) => (await patientData<{ researchConsent: { granted: boolean } }>(t, 'researchConsent { granted }')).researchConsent.granted,
    },
    addVariantCalls: {
      subgraph: 'genomics',
      prepare: patientIn,
      operation: (t) => ({
        query: `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: [{ chrom: "7", pos: 140753336, ref: "A", alt: "T" }]) { genotype } }`,
        variables: { id: t.patientId },
      }),
      landed: async (t) => ((await patientData<{ variantCalls: unknown[] | null }>(t, 'variantCalls { genotype }')).variantCalls ?? []).length > 0,
    },
    /** Admins only, in any organisation: the event pipeline's dead letters are an operator's concern. */
    replayEventDeadLetters: {
      subgraph: 'inference',
      adminOnly: true,
      prepare: async (organisation) => {
        const target = await patientIn(organisation);
        // A dead letter as the pipeline leaves one, for a consumer group no replica runs (so it stays replaying).
        const { rows } = await pool.query<{ id: string }>(
          `INSERT INTO inference.event_dead_letters (consumer, source, event_id, txid, topic, patient_id, payload, event_created_at, error, attempts, first_failed_at, last_failed_at)
           VALUES ($1, 'patient.outbox', $2, '1', 'patient.observation.added', $3, '{}', now(), 'write matrix', 1, now(), now()) RETURNING id::text`,
          [`write-matrix-${RUN}`, ++tags, target.patientId],
        );
        return { ...target, deadLetterId: rows[0]!.id };
      },
      operation: (t) => ({ query: `mutation ($ids: [ID!]) { replayEventDeadLetters(ids: $ids) { requested { id } } }`, variables: { ids: [t.deadLetterId] } }),
      landed: async (t) =>
        (await pool.query(`SELECT 1 FROM inference.event_dead_letters WHERE id = $1 AND replay_requested_by IS NOT NULL`, [t.deadLetterId])).rowCount === 1,
    },
    ingestVcf: {
      subgraph: 'genomics',
      prepare: patientIn,
      operation: (t) => ({
        query: `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants rejected { reason } } }`,
        variables: { id: t.patientId, vcf: vcf(EXAMPLE_RECORDS.slice(0, 1)) },
      }),
      landed: async (t) => ((await patientData<{ variantCalls: unknown[] | null }>(t, 'variantCalls { genotype }')).variantCalls ?? []).length > 0,
    },
  };

  interface Caller {
    name: string;
    admin?: boolean;
    /** The organisation a write of "its own" aims at, and "another" one. */
    own: string;
    other: string;
    send(row: Row, operation: { query: string; variables: Record<string, unknown> }): Promise<GraphQLResponse<unknown>>;
    allowed: { own: boolean; other: boolean };
    /** The code a refused write answers with. */
    refusal: string;
  }

  const viaGateway = (headers: () => Promise<Record<string, string>>) => async (_: Row, op: { query: string; variables: Record<string, unknown> }) =>
    gql(hub.gateway.url, op.query, op.variables, await headers());
  /** Partners run persisted operations only at the gateway, so their writes are tried where the rule lives: at the subgraph. */
  const viaSubgraph = (identity: Identity) => async (row: Row, op: { query: string; variables: Record<string, unknown> }) =>
    gql(hub[row.subgraph].url, op.query, op.variables, await asserted(identity));

  const CALLERS: Caller[] = [
    { name: 'clinician of org A', own: ORG_A, other: ORG_B, allowed: { own: true, other: false }, refusal: 'FORBIDDEN', send: viaGateway(() => bearer({ role: 'clinician', org: ORG_A, sub: `dr-a-${RUN}` })) },
    { name: 'clinician of org B', own: ORG_B, other: ORG_A, allowed: { own: true, other: false }, refusal: 'FORBIDDEN', send: viaGateway(() => bearer({ role: 'clinician', org: ORG_B, sub: `dr-b-${RUN}` })) },
    { name: 'researcher', own: ORG_A, other: ORG_B, allowed: { own: false, other: false }, refusal: 'FORBIDDEN', send: viaGateway(() => bearer({ role: 'researcher', sub: `res-${RUN}` })) },
    {
      name: 'partner of org A',
      own: ORG_A,
      other: ORG_B,
      allowed: { own: false, other: false },
      refusal: 'FORBIDDEN',
      send: viaSubgraph({ subject: `partner-${RUN}`, role: 'partner', client: `partner-${RUN}`, organisation: ORG_A, contracts: ['matrix'] }),
    },
    { name: 'admin', admin: true, own: ORG_A, other: ORG_B, allowed: { own: true, other: true }, refusal: 'none', send: viaGateway(admin) },
    { name: 'no credentials', own: ORG_A, other: ORG_B, allowed: { own: false, other: false }, refusal: 'UNAUTHENTICATED', send: viaGateway(async () => ({})) },
  ];

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
  });

  afterAll(async () => {
    await hub?.close();
    await pool.end();
  });

  it('has a row for every mutation of the four subgraphs', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(8);
    expect(MUTATIONS.map((m) => m.field).filter((field) => !ROWS[field])).toEqual([]);
    for (const { subgraph, field } of MUTATIONS) expect(`${field}@${ROWS[field]!.subgraph}`).toBe(`${field}@${subgraph}`);
    // Rows for an argument of a mutation (`field(argument)`) name a field that exists.
    for (const key of Object.keys(ROWS)) expect(MUTATIONS.map((m) => m.field)).toContain(key.replace(/\(.*\)$/, ''));
  });

  it.each(CALLERS)('$name writes exactly where the rule allows, and a refused write leaves nothing', async (caller) => {
    const outcomes: string[] = [];
    for (const [mutation, row] of Object.entries(ROWS)) {
      for (const side of ['own', 'other'] as const) {
        const target = await row.prepare(caller[side]);
        const response = await caller.send(row, row.operation(target));
        const codes = (response.errors ?? []).map((e) => e.extensions?.code);
        const report = (response.data as Record<string, { rejected?: unknown[] }> | null | undefined)?.[mutation.replace(/\(.*\)$/, '')];
        const landed = await row.landed(target);
        const cell = `${mutation} on ${side === 'own' ? 'its own' : 'another'} organisation`;
        if (caller.allowed[side] && (!row.adminOnly || caller.admin)) {
          if (codes.length || (report?.rejected?.length ?? 0) > 0) outcomes.push(`${cell}: refused but allowed (${JSON.stringify(response).slice(0, 300)})`);
          if (!landed) outcomes.push(`${cell}: allowed but nothing was written`);
        } else {
          if (!codes.includes(caller.refusal)) outcomes.push(`${cell}: expected ${caller.refusal}, got ${JSON.stringify(response).slice(0, 300)}`);
          if (landed) outcomes.push(`${cell}: refused but written`);
        }
      }
    }
    expect(outcomes).toEqual([]);
  }, 180_000); // every mutation twice per caller, each followed by row counts: about a minute under the whole suite's load
});
