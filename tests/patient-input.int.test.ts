import { randomInt } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import { createLogger } from '../lib/logger';
import { startHub, type Hub } from '../scripts/hub';
import { exampleBundle } from '../subgraphs/patient/ingest/fixtures/example-bundle';
import { bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/**
 * Bad values outsiders sent (issue 16), through the gateway: each gets a coded error naming the field
 * and stores nothing; the hub answers the next request.
 */
const log = createLogger('test', 'silent');
const RUN = `PI${randomInt(1e5, 1e6 - 1)}`;
const ORG = `org-${RUN}`;

describe('patient input is checked before anything is stored', () => {
  let hub: Hub;
  let clinician: Record<string, string>;
  let patientId: string;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    clinician = await bearer({ role: 'clinician', org: ORG, sub: `dr-${RUN}` });
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Input ${RUN}" }) { id } }`, {}, clinician);
    patientId = created.data!.createPatient.id;
  });

  afterAll(async () => {
    await hub?.close();
  });

  const observations = async () =>
    (await gql<{ patient: { observations: unknown[] } }>(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { observations { code } } }`, { id: patientId }, clinician)).data!
      .patient.observations;

  it.each([
    [{ code: '2093-3', value: 1e308, unit: 'mmol/L' }, 'input value: 1e+308 mmol/L is out of range once converted to mg/dL', 'value'],
    [{ code: '8480-6', value: 120, unit: 'mm[Hg]', effectiveAt: '2099-01-01T00:00:00Z' }, 'input.effectiveAt: 2099-01-01T00:00:00Z is out of range (1900 to now): in the future', 'effectiveAt'],
    [{ code: '8480-6', value: 120, unit: 'mm[Hg]', effectiveAt: '0001-01-01T00:00:00Z' }, 'input.effectiveAt: 0001-01-01T00:00:00Z is out of range (1900 to now): before 1900', 'effectiveAt'],
    [{ code: '8480-6', value: 120, unit: 'mm[Hg]', effectiveAt: '2026-02-30T10:00:00Z' }, 'input.effectiveAt: "2026-02-30T10:00:00Z": 2026-02-30 is not a calendar date', 'effectiveAt'],
  ])('refuses addObservation %j with a coded error and stores nothing', async (input, message, field) => {
    const response = await gql(hub.gateway.url, `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { code } }`, { id: patientId, input }, clinician);
    expect(response.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
    expect(await observations()).toEqual([]);
  });

  it.each([
    [{ name: `Nul\u0000${RUN}` }, 'input.name: contains a control character'],
    [{ name: 'x'.repeat(1_000_000) }, 'input.name: 1000000 characters, more than 200'],
    [{ name: `Id ${RUN}`, identifiers: [{ system: 'urn:mrn', value: `A\u0000${RUN}` }] }, 'input.identifiers[0].value: contains a control character'],
    [{ name: `Born ${RUN}`, birthDate: '2026-02-30' }, 'input.birthDate: "2026-02-30": 2026-02-30 is not a calendar date'],
  ])('refuses createPatient %# with a coded error naming the field', async (input, message) => {
    const response = await gql(hub.gateway.url, `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`, { input }, clinician);
    expect(response.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    const listed = await gql<{ patients: { totalCount: number } }>(hub.gateway.url, `{ patients { totalCount } }`, {}, clinician);
    expect(listed.data!.patients.totalCount).toBe(1);
  });

  it('rejects a bundle whose birth date does not exist, naming resource and field, and writes nothing', async () => {
    const mrn = `MRN-${RUN}`;
    const bundle = exampleBundle(mrn, String(randomInt(1e11, 1e12 - 1)));
    const patient = bundle.entry![0]!.resource as Patient;
    patient.birthDate = '1961-02-30';
    const response = await gql<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(
      hub.gateway.url,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { resource field reason code } } }`,
      { bundle },
      clinician,
    );
    expect(response.data!.ingestFhirBundle).toEqual({
      patientIds: [],
      rejected: [{ resource: `Patient/${patient.id}`, field: 'birthDate', reason: '"1961-02-30": 1961-02-30 is not a calendar date', code: 'INVALID_DATE' }],
    });
  });

  const INGEST = `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { resource field reason code } } }`;
  const cholesterol = (bundle: ReturnType<typeof exampleBundle>) =>
    bundle.entry!.find((e) => e.resource?.resourceType === 'Observation' && JSON.stringify(e.resource).includes('2093-3'))!.resource as {
      id: string;
      valueQuantity: { value: number; unit: string; code: string };
    };

  it.each([
    ['a unit and a UCUM code that name different units', (q: { value: number; unit: string; code: string }) => Object.assign(q, { unit: 'mmol/L', code: 'mg/dL' }), 'valueQuantity.unit', 'unit "mmol/L" and code "mg/dL" name different units for LOINC 2093-3', 'UNIT_CONFLICT'],
    ['a value that overflows in conversion', (q: { value: number; unit: string; code: string }) => Object.assign(q, { value: 1e308 }), 'valueQuantity.value', '1e+308 mmol/L is out of range once converted to mg/dL', 'NON_FINITE_VALUE'],
  ])('rejects a bundle with %s, naming the observation and coding why, and writes nothing', async (_, spoil, field, reason, code) => {
    const bundle = exampleBundle(`MRN-${RUN}-q${field}`, String(randomInt(1e11, 1e12 - 1)));
    const observation = cholesterol(bundle);
    spoil(observation.valueQuantity);
    const response = await gql<{ ingestFhirBundle: unknown }>(hub.gateway.url, INGEST, { bundle }, clinician);
    expect(response.data!.ingestFhirBundle).toEqual({ patientIds: [], rejected: [{ resource: `Observation/${observation.id}`, field, reason, code }] });
  });

  it('rejects a bundle in which two Patients share one fullUrl', async () => {
    const bundle = exampleBundle(`MRN-${RUN}-dup`, String(randomInt(1e11, 1e12 - 1)));
    const first = bundle.entry![0]!;
    const second = { ...first, resource: { ...(first.resource as Patient), id: `${(first.resource as Patient).id}-2`, name: [{ family: 'Other' }] } };
    bundle.entry!.splice(1, 0, second);
    const response = await gql<{ ingestFhirBundle: unknown }>(hub.gateway.url, INGEST, { bundle }, clinician);
    expect(response.data!.ingestFhirBundle).toEqual({
      patientIds: [],
      rejected: [{ resource: `Patient/${second.resource.id}`, field: 'fullUrl', reason: `"${first.fullUrl}" is the fullUrl of another entry too`, code: 'DUPLICATE_FULL_URL' }],
    });
  });

  it('rejects a bundle with a NUL byte in a condition display and one with a megabyte-long name, naming where', async () => {
    const withNul = exampleBundle(`MRN-${RUN}-nul`, String(randomInt(1e11, 1e12 - 1)));
    const condition = withNul.entry!.find((e) => e.resource?.resourceType === 'Condition')!.resource as { id: string; code: { coding: { display?: string }[] } };
    condition.code.coding[0]!.display = 'Hypertension\u0000';
    const nul = await gql<{ ingestFhirBundle: unknown }>(hub.gateway.url, INGEST, { bundle: withNul }, clinician);
    expect(nul.data!.ingestFhirBundle).toEqual({ patientIds: [], rejected: [{ resource: `Condition/${condition.id}`, field: 'code.coding[0].display', reason: 'contains a NUL character', code: 'CONTROL_CHARACTER' }] });

    const longName = exampleBundle(`MRN-${RUN}-long`, String(randomInt(1e11, 1e12 - 1)));
    const patient = longName.entry![0]!.resource as Patient;
    patient.name = [{ text: 'x'.repeat(1_000_000) }];
    const long = await gql<{ ingestFhirBundle: unknown }>(hub.gateway.url, INGEST, { bundle: longName }, clinician);
    expect(long.data!.ingestFhirBundle).toEqual({ patientIds: [], rejected: [{ resource: `Patient/${patient.id}`, field: 'name', reason: '1000000 characters, more than 200', code: 'TEXT_TOO_LONG' }] });
  });
});
