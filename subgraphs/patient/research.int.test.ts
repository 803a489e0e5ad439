import { randomUUID } from 'node:crypto';
import type { RunningService } from '../../lib/apollo-http';
import type { Identity } from '../../lib/identity';
import { createLogger } from '../../lib/logger';
import { asserted, testAssertions } from '../../tests/support/auth';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { startPatientService } from './server';

const log = createLogger('test', 'silent');
const TAG = randomUUID().slice(0, 8);
const ORG = `org-research-${TAG}`;
const ADMIN: Identity = { subject: 'admin-research', role: 'admin', client: 'tests' };
const RESEARCHER: Identity = { subject: 'res-research', role: 'researcher', client: 'tests' };
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** Text a person typed into the sending system: none of it may reach a researcher. */
const TYPED = `John Smith MRN 12345 seen by Dr Jones ${TAG}`;
const TYPED_WORDS = ['Smith', 'MRN', '12345', 'Jones', TAG];

/** Born `years` and 30 days ago: that many whole years old today. */
const bornYearsAgo = (years: number) => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() - 30);
  return date.toISOString().slice(0, 10);
};

/** Eleven women of 45 with a total cholesterol, one man of 72 without: a cohort of 12 whose one man is a cell of 1. */
const PEOPLE = Array.from({ length: 12 }, (_, n) => (n < 11 ? { gender: 'female', age: 45, cholesterol: true } : { gender: 'male', age: 72, cholesterol: false }));

/**
 * One patient whose every free-text element carries TYPED: condition displays and texts, a clinical
 * status typed as its code, an observation display, a unit outside the catalogue, a coded value's text.
 */
function patientEntries(n: number, person: (typeof PEOPLE)[number], marker: string) {
  const ref = `urn:uuid:${randomUUID()}`;
  const subject = { reference: ref };
  const resource = (body: Record<string, unknown>) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: body });
  const condition = (system: string, code: string, status: string, onset: string | undefined) =>
    resource({
      resourceType: 'Condition',
      subject,
      code: { coding: [{ system, code, display: TYPED }], text: TYPED },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }], text: TYPED },
      ...(onset ? { onsetDateTime: onset } : {}),
    });
  const observation = (code: string, at: string, value: Record<string, unknown>) =>
    resource({ resourceType: 'Observation', status: 'final', subject, effectiveDateTime: at, code: { coding: [{ system: LOINC, code, display: TYPED }], text: TYPED }, ...value });
  return [
    {
      fullUrl: ref,
      resource: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:test:mrn', value: `MRN-12345-${TAG}-${n}` }],
        name: [{ given: ['John'], family: `Smith${TAG}${n}` }],
        gender: person.gender,
        birthDate: bornYearsAgo(person.age),
        managingOrganization: { reference: `Organization/${ORG}` },
      },
    },
    condition(SNOMED, '44054006', 'active', '2021-03-01T00:00:00Z'),
    condition(ICD10CM, 'E11.9', TYPED, '2019-06-01T00:00:00Z'),
    // The run's marker: a local code system research does not show (the filter still selects by it).
    condition('urn:test:research', marker, 'active', undefined),
    ...(person.cholesterol ? [observation('2093-3', '2026-10-01T09:00:00Z', { valueQuantity: { value: 213, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' } })] : []),
    // Glucose in blood: a LOINC code outside the unit catalogue, so its unit is stored as typed.
    observation('2339-0', '2026-09-01T09:00:00Z', { valueQuantity: { value: 99, unit: TYPED } }),
    observation('72166-2', '2026-08-01T09:00:00Z', { valueCodeableConcept: { coding: [{ system: SNOMED, code: '8517006', display: TYPED }], text: TYPED } }),
  ];
}

describe('research output: codes, not text; small cells protected against their complement', () => {
  const marker = `research-${TAG}`;
  let service: RunningService;
  const call = async <T>(identity: Identity, query: string, variables: Record<string, unknown> = {}) => gql<T>(service.url, query, variables, await asserted(identity));

  beforeAll(async () => {
    service = await startPatientService({ databaseUrl: TEST_DATABASE_URL, host: '127.0.0.1', port: 0, log, assertions: testAssertions() });
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: PEOPLE.flatMap((person, n) => patientEntries(n, person, marker)) };
    const report = await call<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(ADMIN, `mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { patientIds rejected { resource field reason } } }`, { b: bundle });
    expect(report.errors).toBeUndefined();
    expect(report.data!.ingestFhirBundle.rejected).toEqual([]);
    expect(report.data!.ingestFhirBundle.patientIds).toHaveLength(PEOPLE.length);
    for (const id of report.data!.ingestFhirBundle.patientIds) {
      const consent = await call(ADMIN, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, { id });
      expect(consent).toEqual({ data: { recordResearchConsent: { granted: true } } });
    }
  });

  afterAll(async () => {
    await service?.close();
  });

  it('gives researchCohort rows as codes and systems with the code system’s own display, never the text that came with them', async () => {
    const response = await call<{ researchCohort: { patients: { sex: string }[] } }>(
      RESEARCHER,
      `query ($marker: String!) { researchCohort(filter: { conditionCode: $marker }) { totalCount suppressed endCursor
        patients { pseudonym ageYears sex
          conditions { code { system code display } clinicalStatus shiftedOnsetDate }
          observations { code system display value unit valueCode { system code display } shiftedDate } } } }`,
      { marker },
    );
    const date = expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/);
    const row = (sex: string, ageYears: number, cholesterol: boolean) => ({
      pseudonym: expect.stringMatching(/^R-/),
      ageYears,
      sex,
      // Newest onset first; the local marker and the typed clinical status are left out.
      conditions: [
        { code: { system: SNOMED, code: '44054006', display: null }, clinicalStatus: 'active', shiftedOnsetDate: date },
        { code: { system: ICD10CM, code: 'E11.9', display: null }, clinicalStatus: null, shiftedOnsetDate: date },
      ],
      // Newest first; glucose in blood (unit as typed) is left out.
      observations: [
        ...(cholesterol
          ? [{ code: '2093-3', system: LOINC, display: 'Cholesterol [Mass/volume] in Serum or Plasma', value: 213, unit: 'mg/dL', valueCode: null, shiftedDate: date }]
          : []),
        { code: '72166-2', system: LOINC, display: null, value: null, unit: null, valueCode: { system: SNOMED, code: '8517006', display: null }, shiftedDate: date },
      ],
    });
    const patients = [...(response.data?.researchCohort.patients ?? [])].sort((a, b) => a.sex.localeCompare(b.sex));
    expect({ ...response, data: { researchCohort: { ...response.data?.researchCohort, patients } } }).toEqual({
      data: {
        researchCohort: {
          totalCount: 12,
          suppressed: false,
          endCursor: null,
          patients: [...Array.from({ length: 11 }, () => row('FEMALE', 45, true)), row('MALE', 72, false)],
        },
      },
    });
    const body = JSON.stringify(response);
    for (const word of TYPED_WORDS) expect([word, body.includes(word)]).toEqual([word, false]);
  });

  it('hides a lone small cell and its complement from a researcher: 12 patients, 11 women and 1 man show no sex, no age band and no lab', async () => {
    const COHORT = `query ($filter: PatientFilter) { cohort(filter: $filter) {
      count suppressed ageDistribution { key count } sexDistribution { key count } labPercentiles(code: "2093-3") { n p50 } } }`;
    expect(await call(RESEARCHER, COHORT, { filter: { conditionCode: marker } })).toEqual({
      data: { cohort: { count: 12, suppressed: false, ageDistribution: [], sexDistribution: [], labPercentiles: null } },
    });
    // The eleven women alone: no small cell, nothing hidden.
    expect(await call(RESEARCHER, COHORT, { filter: { conditionCode: marker, sex: 'FEMALE' } })).toEqual({
      data: {
        cohort: { count: 11, suppressed: false, ageDistribution: [{ key: '40-49', count: 11 }], sexDistribution: [{ key: 'FEMALE', count: 11 }], labPercentiles: { n: 11, p50: 213 } },
      },
    });
    // An admin sees every count.
    expect(await call(ADMIN, COHORT, { filter: { conditionCode: marker } })).toEqual({
      data: {
        cohort: {
          count: 12,
          suppressed: false,
          ageDistribution: [
            { key: '40-49', count: 11 },
            { key: '70-79', count: 1 },
          ],
          sexDistribution: [
            { key: 'FEMALE', count: 11 },
            { key: 'MALE', count: 1 },
          ],
          labPercentiles: { n: 11, p50: 213 },
        },
      },
    });
  });
});
