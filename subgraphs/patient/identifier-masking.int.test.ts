/**
 * Issue 21: government ids (SSN, passport, driver's licence) leave the patient subgraph masked, named by
 * type, and whole only through Patient.revealIdentifier, which only clinicians of the patient's
 * organisation and admins may call and which the access log records with the system revealed. The
 * patient is a real Synthea 3.3.0 bundle (tests/fixtures/synthea-3.3.0, SOURCE.md), fresh UUIDs per run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RunningService } from '../../lib/apollo-http';
import { createLogger } from '../../lib/logger';
import type { Identity } from '../../lib/identity';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { asserted, testAssertions } from '../../tests/support/auth';
import { gql } from '../../tests/support/graphql';
import { startPatientService } from './server';

const log = createLogger('test', 'silent');
const ORG = `org-identifiers-${randomUUID()}`;
const KEN = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'synthea-3.3.0', 'Ken316_Barton704_ec6a8f56-8923-954c-0da6-efc18758232b.json.gz');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SSN = 'http://hl7.org/fhir/sid/us-ssn';
const ADMIN: Identity = { subject: 'admin-identifiers', role: 'admin', client: 'tests' };
const CLINICIAN: Identity = { subject: 'dr-identifiers', role: 'clinician', client: 'ward-app', organisation: ORG };

interface Bundle { entry: { resource: Record<string, unknown> & { resourceType: string } }[] }

function kenBundle(): { bundle: Bundle; identifiers: { system: string; value: string }[] } {
  const fresh = new Map<string, string>();
  const text = gunzipSync(readFileSync(KEN)).toString('utf8').replace(UUID, (u) => fresh.get(u) ?? (fresh.set(u, randomUUID()), fresh.get(u)!));
  const bundle = JSON.parse(text) as Bundle;
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
  patient.managingOrganization = { reference: `Organization/${ORG}` };
  return { bundle, identifiers: patient.identifier as { system: string; value: string }[] };
}

const TRAIL = `query ($id: ID!) { auditTrail(patientId: $id) { subject role fields } }`;

describe('identifiers masked by type, revealed with an audit record', () => {
  let service: RunningService;
  let patientId: string;
  let sent: { system: string; value: string }[];

  beforeAll(async () => {
    service = await startPatientService({ assertions: testAssertions(), databaseUrl: TEST_DATABASE_URL, host: '127.0.0.1', port: 0, log });
    const ken = kenBundle();
    sent = ken.identifiers;
    const ingest = await gql<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(
      service.url,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { reason } } }`,
      { bundle: ken.bundle },
      await asserted(ADMIN),
    );
    expect(ingest.data?.ingestFhirBundle.rejected).toEqual([]);
    patientId = ingest.data!.ingestFhirBundle.patientIds[0]!;
  }, 60_000);

  afterAll(async () => {
    await service?.close();
  });

  const valueOf = (system: string) => sent.find((i) => i.system === system)!.value;

  it('answers the SSN, passport and driver\'s licence with their last four only, each named by type, and the MRN whole', async () => {
    const read = await gql<{ patient: { identifiers: Record<string, unknown>[] } }>(
      service.url,
      `query ($id: ID!) { patient(id: $id) { identifiers { system value label typeCode masked } } }`,
      { id: patientId },
      await asserted(CLINICIAN),
    );
    expect(read.errors).toBeUndefined();
    const mrn = 'http://hospital.smarthealthit.org';
    expect(read.data!.patient.identifiers).toEqual([
      { system: 'http://hl7.org/fhir/sid/passport-USA', value: '••••••587X', label: 'Passport number (USA)', typeCode: 'PPN', masked: true },
      { system: SSN, value: '•••-••-4896', label: 'Social Security number (US)', typeCode: 'SS', masked: true },
      { system: mrn, value: valueOf(mrn), label: 'Medical record number (hospital.smarthealthit.org)', typeCode: 'MR', masked: false },
      { system: 'https://github.com/synthetichealth/synthea', value: valueOf('https://github.com/synthetichealth/synthea'), label: 'github.com/synthetichealth/synthea', typeCode: null, masked: false },
      { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: '•••••9826', label: "Driver's license number (Massachusetts)", typeCode: 'DL', masked: true },
    ]);
    // The whole SSN is nowhere in the response.
    expect(JSON.stringify(read)).not.toContain(valueOf(SSN));
  });

  it('reveals the whole SSN to a clinician of the patient\'s organisation and records it in the access log', async () => {
    const reveal = await gql<{ patient: { revealIdentifier: string[] } }>(
      service.url,
      `query ($id: ID!, $system: String!) { patient(id: $id) { revealIdentifier(system: $system) } }`,
      { id: patientId, system: SSN },
      await asserted(CLINICIAN),
    );
    expect(reveal).toEqual({ data: { patient: { revealIdentifier: ['999-94-4896'] } } });
    expect(valueOf(SSN)).toBe('999-94-4896');
    const trail = await gql<{ auditTrail: Record<string, unknown>[] }>(service.url, TRAIL, { id: patientId }, await asserted(ADMIN));
    expect(trail.data!.auditTrail[0]).toEqual({
      subject: 'dr-identifiers',
      role: 'clinician',
      fields: ['Patient.revealIdentifier', `Patient.revealIdentifier(system: "${SSN}")`],
    });
  });

  it('refuses the reveal to a clinician of another organisation, a researcher and a partner', async () => {
    for (const identity of [
      { subject: 'dr-elsewhere', role: 'clinician', client: 'ward-app', organisation: `${ORG}-other` },
      { subject: 'researcher', role: 'researcher', client: 'portal' },
      { subject: 'partner', role: 'partner', client: 'partner-app', organisation: ORG },
    ] as Identity[]) {
      const reveal = await gql(service.url, `query ($id: ID!) { patient(id: $id) { revealIdentifier(system: "${SSN}") } }`, { id: patientId }, await asserted(identity));
      expect({ role: identity.role, data: reveal.data?.patient ?? null, code: reveal.errors?.[0]?.extensions?.code }).toEqual({ role: identity.role, data: null, code: 'FORBIDDEN' });
    }
  });

  it('answers an empty list for a system the patient has none of, and names no such system in the log', async () => {
    const reveal = await gql(service.url, `query ($id: ID!) { patient(id: $id) { revealIdentifier(system: "urn:made-up") } }`, { id: patientId }, await asserted(CLINICIAN));
    expect(reveal).toEqual({ data: { patient: { revealIdentifier: [] } } });
    const trail = await gql<{ auditTrail: { fields: string[] }[] }>(service.url, TRAIL, { id: patientId }, await asserted(ADMIN));
    expect(trail.data!.auditTrail[0]!.fields).toEqual(['Patient.revealIdentifier']);
  });
});
