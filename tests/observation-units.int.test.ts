import { randomInt } from 'node:crypto';
import { createLogger } from '../lib/logger';
import { startHub, type Hub } from '../scripts/hub';
import { exampleBundle } from '../subgraphs/patient/ingest/fixtures/example-bundle';
import { bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/**
 * Units and plausibility through the gateway (issue 16): what addObservation refuses or flags, what a
 * bundle's report says, and that flagged values never reach a risk estimate.
 */
const log = createLogger('test', 'silent');
const RUN = `OU${randomInt(1e5, 1e6 - 1)}`;
const ORG = `org-${RUN}`;
const ADD = `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { code value unit originalValue originalUnit normalised excludedReason } }`;
const ADD_WITH_WARNINGS = `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { id value unit excludedReason warnings { resource field reason code } } }`;

describe('units and plausibility through the gateway', () => {
  let hub: Hub;
  let clinician: Record<string, string>;
  let patientId: string;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    clinician = await bearer({ role: 'clinician', org: ORG, sub: `dr-${RUN}` });
    const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Units ${RUN}", birthDate: "1961-12-10", sex: MALE }) { id } }`, {}, clinician);
    patientId = created.data!.createPatient.id;
  });

  afterAll(async () => {
    await hub?.close();
  });

  it('accepts blood glucose 2339-0 in mmol/L and answers it in mg/dL', async () => {
    const response = await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '2339-0', value: 5.5, unit: 'mmol/L', effectiveAt: '2026-03-01T09:00:00Z' } }, clinician);
    expect(response).toEqual({
      data: { addObservation: { code: '2339-0', value: 99.0858, unit: 'mg/dL', originalValue: 5.5, originalUnit: 'mmol/L', normalised: true, excludedReason: null } },
    });
  });

  it.each([
    [{ code: '2093-3', value: -5, unit: 'mg/dL' }, 'IMPOSSIBLE_VALUE', 'value', 'input value: total cholesterol -5 mg/dL is impossible (must not be below 0)'],
    [{ code: '8480-6', value: 0, unit: 'mm[Hg]' }, 'IMPOSSIBLE_VALUE', 'value', 'input value: systolic blood pressure 0 mm[Hg] is impossible (must be above 0)'],
    [{ code: '2345-7', value: 5, unit: 'mm[Hg]' }, 'UNIT_NOT_ALLOWED', 'unit', expect.stringContaining('input unit: "mm[Hg]" unknown for LOINC 2345-7')],
  ])('refuses addObservation %j with %s naming the field', async (input, code, field, message) => {
    const response = await gql(hub.gateway.url, ADD, { id: patientId, input: { ...input, effectiveAt: '2026-03-01T09:00:00Z' } }, clinician);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code, field }) })]);
  });

  it('stores an implausible total cholesterol with the reason it is excluded, and risk leaves it out', async () => {
    const added = await gql(hub.gateway.url, ADD, { id: patientId, input: { code: '2093-3', value: 5.2, unit: 'mg/dL', effectiveAt: '2026-04-01T09:00:00Z' } }, clinician);
    const reason = 'total cholesterol 5.2 mg/dL is implausible (outside 40–1000 mg/dL)';
    expect(added).toEqual({
      data: { addObservation: { code: '2093-3', value: 5.2, unit: 'mg/dL', originalValue: 5.2, originalUnit: 'mg/dL', normalised: true, excludedReason: reason } },
    });
    const risk = await gql<{ patient: { risk: { cardiovascular: { inputs: { totalCholesterol: number | null }; excludedValues: unknown[]; missing: string[] } } } }>(
      hub.gateway.url,
      `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { inputs { totalCholesterol } missing excludedValues { input value unit reason } } } } }`,
      { id: patientId },
      clinician,
    );
    expect(risk.errors).toBeUndefined();
    const cardiovascular = risk.data!.patient.risk.cardiovascular;
    expect(cardiovascular.inputs.totalCholesterol).toBeNull();
    expect(cardiovascular.missing).toContain('totalCholesterol');
    expect(cardiovascular.excludedValues).toEqual([{ input: 'totalCholesterol', value: 5.2, unit: 'mg/dL', reason }]);
  });

  it('answers addObservation of an implausible value with an IMPLAUSIBLE_VALUE warning, and a usable one with none', async () => {
    const implausible = await gql<{ addObservation: { id: string } }>(
      hub.gateway.url,
      ADD_WITH_WARNINGS,
      { id: patientId, input: { code: '8480-6', value: 1200, unit: 'mm[Hg]', effectiveAt: '2026-04-02T09:00:00Z' } },
      clinician,
    );
    const id = implausible.data!.addObservation.id;
    const reason = 'systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])';
    expect(implausible).toEqual({
      data: {
        addObservation: {
          id,
          value: 1200,
          unit: 'mm[Hg]',
          excludedReason: reason,
          warnings: [{ resource: `Observation/${id}`, field: 'value', reason: `stored and left out of calculations: ${reason}`, code: 'IMPLAUSIBLE_VALUE' }],
        },
      },
    });
    const usable = await gql<{ addObservation: { warnings: unknown[] } }>(
      hub.gateway.url,
      ADD_WITH_WARNINGS,
      { id: patientId, input: { code: '8480-6', value: 128, unit: 'mm[Hg]', effectiveAt: '2026-04-02T09:05:00Z' } },
      clinician,
    );
    expect(usable.data!.addObservation.warnings).toEqual([]);
  });

  it('answers addObservation of eGFR in mL/min with a UNIT_ANNOTATION_ASSUMED warning, as a bundle reports it', async () => {
    const added = await gql<{ addObservation: { id: string } }>(
      hub.gateway.url,
      ADD_WITH_WARNINGS,
      { id: patientId, input: { code: '33914-3', value: 71.2, unit: 'mL/min', effectiveAt: '2026-04-03T09:00:00Z' } },
      clinician,
    );
    const id = added.data!.addObservation.id;
    expect(added).toEqual({
      data: {
        addObservation: {
          id,
          value: 71.2,
          unit: 'mL/min/{1.73_m2}',
          excludedReason: null,
          warnings: [{ resource: `Observation/${id}`, field: 'unit', reason: expect.stringContaining('"mL/min" taken as mL/min/{1.73_m2}'), code: 'UNIT_ANNOTATION_ASSUMED' }],
        },
      },
    });
  });

  it('reports warnings from ingestFhirBundle: eGFR in mL/min accepted, a lab in a unit that does not convert kept as sent', async () => {
    const suffix = String(randomInt(1e11, 1e12 - 1));
    const bundle = exampleBundle(`MRN-${RUN}-${suffix}`, suffix);
    const subject = { reference: bundle.entry![0]!.fullUrl! };
    // Synthea R4 writes eGFR 33914-3 with "unit": "mL/min", "code": "mL/min".
    const lab = (id: string, code: string, value: number, unit: string) => ({
      fullUrl: `urn:uuid:${id}`,
      resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] }, subject, effectiveDateTime: '2026-03-01T09:30:00-05:00', valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit } },
    });
    bundle.entry!.push(lab(`${suffix}-egfr`, '33914-3', 71.2, 'mL/min') as never, lab(`${suffix}-tg`, '2571-8', 1.7, 'mm[Hg]') as never);
    const admin = await bearer({ role: 'admin', sub: `admin-${RUN}` });
    const response = await gql<{ ingestFhirBundle: { rejected: unknown[]; warnings: { resource: string; field: string; code: string }[] } }>(
      hub.gateway.url,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { rejected { resource } warnings { resource field code } } }`,
      { bundle },
      admin,
    );
    expect(response).toEqual({
      data: {
        ingestFhirBundle: {
          rejected: [],
          warnings: [
            { resource: `Observation/${suffix}-egfr`, field: 'valueQuantity.unit', code: 'UNIT_ANNOTATION_ASSUMED' },
            { resource: `Observation/${suffix}-tg`, field: 'valueQuantity.unit', code: 'UNIT_NOT_CONVERTIBLE' },
          ],
        },
      },
    });
  });
});
