import { randomInt } from 'node:crypto';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createLogger } from '../lib/logger';
import { startHub, type Hub } from '../scripts/hub';
import { exampleBundle } from '../subgraphs/patient/ingest/fixtures/example-bundle';
import { EXAMPLE_RECORDS, vcf } from '../subgraphs/genomics/ingest/fixtures/vcf';
import { asserted, bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/**
 * Writes are scoped like reads (issue 15): what outsiders did with tokens of two organisations, each
 * case as they found it. Identifiers are per organisation (docs/architecture.md): the same MRN in two
 * organisations names two patients, so neither matching nor an error ever reveals the other's.
 */
const log = createLogger('test', 'silent');
const RUN = `WS${randomInt(1e5, 1e6 - 1)}`;
const DEMO = `demo-${RUN}`;
const OTHER = `other-${RUN}`;
const suffix = () => String(randomInt(1e11, 1e12 - 1));

const INGEST = `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds created updated linked { id } rejected { resource field reason } } }`;
const READ = `query ($id: ID!) { patient(id: $id) { id name organization observations { code } identifiers { system value } } }`;

interface IngestResult {
  ingestFhirBundle: { patientIds: string[]; created: number; updated: number; linked: { id: string }[]; rejected: unknown[] };
}
interface PatientView {
  patient: { id: string; name: string; organization: string | null; observations: unknown[]; identifiers: { system: string; value: string }[] } | null;
}

describe('writes scoped to the caller’s organisation', () => {
  let hub: Hub;
  let demoClinician: Record<string, string>;
  let otherClinician: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    demoClinician = await bearer({ role: 'clinician', org: DEMO, sub: `dr-demo-${RUN}` });
    otherClinician = await bearer({ role: 'clinician', org: OTHER, sub: `dr-other-${RUN}` });
    admin = await bearer({ role: 'admin', sub: `admin-${RUN}` });
  });

  afterAll(async () => {
    await hub?.close();
  });

  /** A patient of org `other`, ingested by its own clinician: the one the attacks aim at. */
  async function otherOrganisationsPatient(mrn: string): Promise<{ id: string; bundle: Bundle }> {
    const bundle = exampleBundle(mrn, suffix());
    (bundle.entry![0]!.resource as Patient).managingOrganization = { reference: `Organization/${OTHER}` };
    const ingested = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle }, otherClinician);
    expect(ingested.errors).toBeUndefined();
    return { id: ingested.data!.ingestFhirBundle.patientIds[0]!, bundle };
  }

  const readAs = (headers: Record<string, string>, id: string) => gql<PatientView>(hub.gateway.url, READ, { id }, headers);

  it('never takes over another organisation’s patient through its identifier, with or without managingOrganization', async () => {
    const mrn = `MRN-${RUN}-1`;
    const victim = await otherOrganisationsPatient(mrn);
    const before = (await readAs(otherClinician, victim.id)).data!.patient!;

    for (const organisation of [undefined, DEMO]) {
      const attack = exampleBundle(mrn, suffix());
      const patient = attack.entry![0]!.resource as Patient;
      patient.name = [{ given: ['Mallory'], family: 'Takeover' }];
      if (organisation) patient.managingOrganization = { reference: `Organization/${organisation}` };
      const response = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle: attack }, demoClinician);
      expect(response.errors).toBeUndefined();
      // A patient of the caller's own organisation: the identifier is demo's MRN, not other's.
      const [ownId] = response.data!.ingestFhirBundle.patientIds;
      expect(ownId).not.toBe(victim.id);
      expect(JSON.stringify(response)).not.toContain(victim.id);
      expect((await readAs(demoClinician, ownId!)).data!.patient).toMatchObject({ name: 'Mallory Takeover', organization: DEMO });
    }
    // The other organisation's patient is as it was, and still theirs.
    expect((await readAs(otherClinician, victim.id)).data!.patient).toEqual(before);
  });

  it('never links by demographics to another organisation’s patient', async () => {
    const victim = await otherOrganisationsPatient(`MRN-${RUN}-2`);
    const before = (await readAs(admin, victim.id)).data!.patient!;
    const victimPatient = victim.bundle.entry![0]!.resource as Patient;
    // The same person (name, birth date, sex, phone, address) under another MRN, from demo.
    const attack = exampleBundle(`MRN-${RUN}-2b`, suffix());
    const patient = attack.entry![0]!.resource as Patient;
    patient.telecom = victimPatient.telecom;
    patient.address = victimPatient.address;
    for (let n = 0; n < 2; n++) {
      const response = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle: attack }, demoClinician);
      expect(response.data!.ingestFhirBundle).toMatchObject({ linked: [], rejected: [] });
      expect(response.data!.ingestFhirBundle.patientIds).not.toContain(victim.id);
    }
    expect((await readAs(admin, victim.id)).data!.patient).toEqual(before);
  });

  it('lands a bundle without managingOrganization in the clinician’s own organisation, readable at once', async () => {
    const bundle = exampleBundle(`MRN-${RUN}-3`, suffix());
    expect((bundle.entry![0]!.resource as Patient).managingOrganization).toBeUndefined();
    const response = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle }, demoClinician);
    const [id] = response.data!.ingestFhirBundle.patientIds;
    expect((await readAs(demoClinician, id!)).data!.patient).toMatchObject({ id, organization: DEMO });
  });

  it('refuses a clinician’s bundle naming another organisation, saying why, and writes nothing', async () => {
    const mrn = `MRN-${RUN}-4`;
    const bundle = exampleBundle(mrn, suffix());
    (bundle.entry![0]!.resource as Patient).managingOrganization = { reference: `Organization/${OTHER}` };
    const response = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle }, demoClinician);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: `Patient/${bundle.entry![0]!.resource!.id} managingOrganization: a clinician of ${DEMO} writes only patients of ${DEMO}, not of ${OTHER}`,
        extensions: expect.objectContaining({ code: 'FORBIDDEN', field: 'managingOrganization' }),
      }),
    ]);
    const found = await gql<{ patients: { totalCount: number } }>(hub.gateway.url, `query ($v: String!) { patients(filter: { identifier: $v }) { totalCount } }`, { v: mrn }, admin);
    expect(found.data!.patients.totalCount).toBe(0);
    // An admin may place it there (hub services and admins write for any organisation).
    const placed = await gql<IngestResult>(hub.gateway.url, INGEST, { bundle }, admin);
    expect((await readAs(otherClinician, placed.data!.ingestFhirBundle.patientIds[0]!)).data!.patient!.organization).toBe(OTHER);
  });

  it('links across organisations only for an admin who asks, recorded, audited and undone into the source’s organisation', async () => {
    const victim = await otherOrganisationsPatient(`MRN-${RUN}-7`);
    const victimPatient = victim.bundle.entry![0]!.resource as Patient;
    const mrn = `MRN-${RUN}-7b`;
    const same = exampleBundle(mrn, suffix());
    const patient = same.entry![0]!.resource as Patient;
    patient.telecom = victimPatient.telecom;
    patient.address = victimPatient.address;
    patient.managingOrganization = { reference: `Organization/${DEMO}` };
    const across = `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle, linkAcrossOrganisations: true) { patientIds linked { id linkedBy acrossOrganisations } rejected { reason } } }`;

    const refused = await gql(hub.gateway.url, across, { bundle: same }, demoClinician);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: 'linkAcrossOrganisations: only an admin links or unlinks records across organisations, not the clinician role',
        extensions: expect.objectContaining({ code: 'FORBIDDEN', field: 'linkAcrossOrganisations' }),
      }),
    ]);
    const count = async () =>
      (await gql<{ patients: { totalCount: number } }>(hub.gateway.url, `query ($v: String!) { patients(filter: { identifier: $v }) { totalCount } }`, { v: mrn }, admin)).data!.patients.totalCount;
    expect(await count()).toBe(0);

    const linked = await gql<{ ingestFhirBundle: { patientIds: string[]; linked: { id: string; linkedBy: string; acrossOrganisations: boolean }[] } }>(
      hub.gateway.url,
      across,
      { bundle: same },
      admin,
    );
    expect(linked.data!.ingestFhirBundle).toEqual({
      patientIds: [victim.id],
      linked: [{ id: expect.any(String), linkedBy: `admin-${RUN}`, acrossOrganisations: true }],
      rejected: [],
    });
    const trail = await gql<{ auditTrail: { subject: string; fields: string[] }[] }>(
      hub.gateway.url,
      `query ($id: ID!) { auditTrail(patientId: $id) { subject fields } }`,
      { id: victim.id },
      admin,
    );
    expect(trail.data!.auditTrail).toContainEqual({ subject: `admin-${RUN}`, fields: ['Mutation.ingestFhirBundle.linked'] });

    const unlink = `mutation ($id: ID!) { unlinkPatient(linkId: $id) { id organization } }`;
    const linkId = linked.data!.ingestFhirBundle.linked[0]!.id;
    const byClinician = await gql(hub.gateway.url, unlink, { id: linkId }, otherClinician);
    expect(byClinician.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const undone = await gql<{ unlinkPatient: { id: string; organization: string } }>(hub.gateway.url, unlink, { id: linkId }, admin);
    expect(undone.data!.unlinkPatient.organization).toBe(DEMO);
    expect((await readAs(demoClinician, undone.data!.unlinkPatient.id)).data!.patient!.identifiers).toEqual([{ system: 'urn:oid:2.16.840.1.113883.19.5', value: mrn }]);
  });

  it('gives createPatient no hint that another organisation uses an identifier, and refuses a duplicate within its own', async () => {
    const mrn = `MRN-${RUN}-5`;
    await otherOrganisationsPatient(mrn);
    const create = `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id organization } }`;
    const input = { name: 'Same Mrn', identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: mrn }] };
    const first = await gql<{ createPatient: { id: string; organization: string } }>(hub.gateway.url, create, { input }, demoClinician);
    expect(first.errors).toBeUndefined();
    expect(first.data!.createPatient.organization).toBe(DEMO);
    const again = await gql(hub.gateway.url, create, { input }, demoClinician);
    expect(again.errors).toEqual([
      expect.objectContaining({
        message: `identifiers: urn:oid:2.16.840.1.113883.19.5|${mrn} already names another patient of organisation ${DEMO}`,
        extensions: expect.objectContaining({ code: 'IDENTIFIER_IN_USE', field: 'identifiers' }),
      }),
    ]);
  });

  it('answers variant(id) the same for a variant only another organisation’s patient carries as for one nobody carries', async () => {
    const { id } = await otherOrganisationsPatient(`MRN-${RUN}-6`);
    const carried = 'GRCh38:7:140753336:A:T';
    const ingested = await gql(hub.gateway.url, `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants } }`, { id, vcf: vcf(EXAMPLE_RECORDS.slice(0, 1)) }, otherClinician);
    expect(ingested.errors).toBeUndefined();
    const query = `query ($id: ID!) { variant(id: $id) { id build chrom pos ref alt } }`;
    const nobody = 'GRCh38:7:140753337:C:G';
    const answers = await Promise.all([carried, nobody].map((v) => gql(hub.gateway.url, query, { id: v }, demoClinician)));
    expect(answers).toEqual([
      { data: { variant: { id: carried, build: 'GRCh38', chrom: '7', pos: 140753336, ref: 'A', alt: 'T' } } },
      { data: { variant: { id: nobody, build: 'GRCh38', chrom: '7', pos: 140753337, ref: 'C', alt: 'G' } } },
    ]);
  });

  it('tells a partner without an organisation why it reads no patients, with a code', async () => {
    const identity = { subject: `partner-${RUN}`, role: 'partner' as const, client: `partner-${RUN}`, contracts: ['matrix'] };
    const response = await gql(hub.patient.url, `{ patients(first: 5) { totalCount } }`, {}, await asserted(identity));
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'a partner without an organisation reads no patients: its API key or token must name one (org)',
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
  });
});
