import { createLogger } from '../lib/logger';
import { startHub, type Hub } from '../scripts/hub';
import { asserted, bearer } from './support/auth';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, settle, wsClient } from './support/graphql';
import { runOnlyLabValue } from './support/run-values';

const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const ORG_A = `org-a-${TAG}`;
const ORG_B = `org-b-${TAG}`;
/** A total cholesterol value of this run only (mg/dL), so the cohort counts only this file's patients. */
const CHOLESTEROL = runOnlyLabValue();

describe('organisations, research consent and small cells', () => {
  let hub: Hub;
  let clinicianA: Record<string, string>;
  let clinicianB: Record<string, string>;
  let researcher: Record<string, string>;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    clinicianA = await bearer({ role: 'clinician', org: ORG_A, sub: `dr-a-${TAG}` });
    clinicianB = await bearer({ role: 'clinician', org: ORG_B, sub: `dr-b-${TAG}` });
    researcher = await bearer({ role: 'researcher', sub: `res-${TAG}` });
  });

  afterAll(async () => {
    await hub?.close();
  });

  async function createPatient(headers: Record<string, string>, name: string, extra = ''): Promise<string> {
    const response = await gql<{ createPatient: { id: string; organization: string } }>(
      hub.gateway.url,
      `mutation ($name: String!) { createPatient(input: { name: $name, birthDate: "1960-05-05", sex: FEMALE ${extra} }) { id organization } }`,
      { name },
      headers,
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.createPatient.id;
  }

  it('gives a clinician their own organisation’s patients and refuses the others’, by id, in lists and for writes', async () => {
    const id = await createPatient(clinicianA, `Ada ${TAG}`, `, identifiers: [{ system: "urn:mrn", value: "ADA-${TAG}" }]`);
    const own = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { name organization } }`, { id }, clinicianA);
    expect(own).toEqual({ data: { patient: { name: `Ada ${TAG}`, organization: ORG_A } } });

    const other = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { name variants { id } risk { cardiovascular { pce10y } } } }`, { id }, clinicianB);
    expect(other.errors?.[0]).toMatchObject({ message: `patient ${id} is not in the care of organisation ${ORG_B}`, extensions: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(other)).not.toContain(`Ada ${TAG}`);

    const list = `query { patients(first: 100, filter: { identifier: "ADA-${TAG}" }) { totalCount } }`;
    const count = async (headers: Record<string, string>) => (await gql<{ patients: { totalCount: number } }>(hub.gateway.url, list, {}, headers)).data?.patients.totalCount;
    expect([await count(clinicianA), await count(clinicianB)]).toEqual([1, 0]);

    const write = await gql(hub.gateway.url, `mutation ($id: ID!) { addObservation(patientId: $id, input: { code: "8480-6", value: 130, unit: "mm[Hg]" }) { id } }`, { id }, clinicianB);
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const variants = await gql(hub.gateway.url, `mutation ($id: ID!) { addVariantCalls(patientId: $id, calls: []) { genotype } }`, { id }, clinicianB);
    expect(variants.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const misplaced = await gql(hub.gateway.url, `mutation { createPatient(input: { name: "Elsewhere", organization: "${ORG_B}" }) { id } }`, {}, clinicianA);
    expect(misplaced.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', field: 'organization' } });
  });

  it('makes the genomics and inference subgraphs refuse another organisation’s patient even when reached directly', async () => {
    const id = await createPatient(clinicianA, `Direct ${TAG}`);
    const asB = await asserted({ subject: `dr-b-${TAG}`, role: 'clinician', client: 'tests', organisation: ORG_B });
    const asA = await asserted({ subject: `dr-a-${TAG}`, role: 'clinician', client: 'tests', organisation: ORG_A });
    const entities = (selection: string) =>
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { ${selection} } } }`;
    const representations = { r: [{ __typename: 'Patient', id }] };
    for (const [url, selection] of [
      [hub.genomics.url, 'variants { id }'],
      [hub.inference.url, 'risk { cardiovascular { pce10y } }'],
    ] as const) {
      const refused = await gql(url, entities(selection), representations, asB);
      expect(refused.errors?.[0]).toMatchObject({ message: `patient ${id} is not in the care of organisation ${ORG_B}`, extensions: { code: 'FORBIDDEN' } });
      const allowed = await gql(url, entities(selection), representations, asA);
      expect(allowed.errors).toBeUndefined();
    }
  });

  it('filters cohorts and patient lists by gene and by variant, counted within the caller’s organisation', async () => {
    const BRAF_V600E = 'GRCh38:7:140753336:A:T';
    const carriers: string[] = [];
    for (const [n, call] of [
      [0, { chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' }],
      [1, { chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' }],
      [2, { chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '1/1' }],
      [3, { chrom: '12', pos: 25245350, ref: 'C', alt: 'A', genotype: '0/1' }],
    ] as const) {
      const id = await createPatient(clinicianA, `Carrier ${TAG} ${n}`);
      const added = await gql(hub.gateway.url, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, { id, calls: [call] }, clinicianA);
      expect(added.errors).toBeUndefined();
      carriers.push(id);
    }
    const count = async (headers: Record<string, string>, filter: string) => {
      const response = await gql<{ cohort: { count: number }; patients: { totalCount: number } }>(
        hub.gateway.url,
        `{ cohort(filter: ${filter}) { count } patients(filter: ${filter}, first: 1) { totalCount } }`,
        {},
        headers,
      );
      expect(response.errors).toBeUndefined();
      return [response.data!.cohort.count, response.data!.patients.totalCount];
    };
    expect(await count(clinicianA, `{ gene: "BRAF" }`)).toEqual([3, 3]);
    expect(await count(clinicianA, `{ variant: "${BRAF_V600E}" }`)).toEqual([3, 3]);
    expect(await count(clinicianA, `{ gene: "KRAS" }`)).toEqual([1, 1]);
    expect(await count(clinicianA, `{ gene: "BRAF", sex: FEMALE, ageMin: 60 }`)).toEqual([3, 3]);
    expect(await count(clinicianB, `{ gene: "BRAF" }`)).toEqual([0, 0]);
    const malformed = await gql(hub.gateway.url, `{ cohort(filter: { variant: "BRAF V600E" }) { count } }`, {}, clinicianA);
    expect(malformed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.variant' } });
  });

  it('reads the managing organisation from a FHIR bundle', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: `urn:uuid:${TAG}-p`,
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:mrn', value: `FHIR-ORG-${TAG}` }],
            name: [{ given: ['Grace'], family: `Hopper${TAG}` }],
            gender: 'female',
            birthDate: '1950-12-09',
            managingOrganization: { reference: `Organization/${ORG_A}` },
          },
        },
      ],
    };
    const report = await gql<{ ingestFhirBundle: { patientIds: string[] } }>(hub.gateway.url, `mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { patientIds } }`, { b: bundle });
    const [id] = report.data!.ingestFhirBundle.patientIds;
    const read = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { organization } }`, { id }, clinicianA);
    expect(read).toEqual({ data: { patient: { organization: ORG_A } } });
  });

  it('counts only consenting patients for researchers, hides cohorts under 11, and honours a withdrawal at once', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 12; n += 1) {
      const id = await createPatient(clinicianA, `Cohort ${TAG} ${n}`);
      await gql(hub.gateway.url, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "2093-3", value: $v, unit: "mg/dL" }) { id } }`, { id, v: CHOLESTEROL }, clinicianA);
      ids.push(id);
    }
    // This run's patients are the only ones whose latest total cholesterol is exactly CHOLESTEROL.
    const cohortQuery = `{ cohort(filter: { observation: { code: "2093-3", min: ${CHOLESTEROL}, max: ${CHOLESTEROL} } }) {
      count suppressed sexDistribution { key count } labPercentiles(code: "2093-3") { n p50 } } }`;
    const cohort = async (headers: Record<string, string>) => (await gql<{ cohort: Record<string, unknown> }>(hub.gateway.url, cohortQuery, {}, headers)).data!.cohort;

    expect(await cohort(clinicianA)).toMatchObject({ count: 12, suppressed: false });
    expect(await cohort(clinicianB)).toMatchObject({ count: 0, suppressed: false });
    expect(await cohort(researcher)).toEqual({ count: null, suppressed: true, sexDistribution: [], labPercentiles: null });

    for (const id of ids.slice(0, 11)) {
      const consent = await gql(hub.gateway.url, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true, source: "Consent/${TAG}") { granted } }`, { id }, clinicianA);
      expect(consent).toEqual({ data: { recordResearchConsent: { granted: true } } });
    }
    expect(await cohort(researcher)).toEqual({ count: 11, suppressed: false, sexDistribution: [{ key: 'FEMALE', count: 11 }], labPercentiles: { n: 11, p50: CHOLESTEROL } });

    // Their risk distribution: counted the same way; no patient has what the equations need (HDL, SBP ...).
    const riskQuery = `{ cohortRiskDistribution(cohort: { observation: { code: "2093-3", min: ${CHOLESTEROL}, max: ${CHOLESTEROL} } }) { patients suppressed notApplicable bins { from to count } } }`;
    const distribution = async (headers: Record<string, string>) =>
      (await gql<{ cohortRiskDistribution: { patients: number | null; suppressed: boolean; notApplicable: number | null; bins: { count: number | null }[] } }>(hub.gateway.url, riskQuery, {}, headers)).data!
        .cohortRiskDistribution;
    expect(await distribution(researcher)).toMatchObject({ patients: 11, suppressed: false, notApplicable: 11 });
    expect((await distribution(researcher)).bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await distribution(clinicianA)).toMatchObject({ patients: 12, notApplicable: 12 });
    expect(await distribution(clinicianB)).toMatchObject({ patients: 0, notApplicable: 0 });

    // The same consenting patients as de-identified rows: pseudonym, age, sex, shifted dates, no identifiers.
    const rows = `{ researchCohort(filter: { observation: { code: "2093-3", min: ${CHOLESTEROL}, max: ${CHOLESTEROL} } }, first: 6) {
      totalCount suppressed endCursor patients { pseudonym ageYears sex observations(code: "2093-3") { value unit shiftedDate } } } }`;
    type Rows = { researchCohort: { totalCount: number | null; suppressed: boolean; endCursor: string | null; patients: { pseudonym: string; ageYears: number; sex: string; observations: { value: number; unit: string; shiftedDate: string }[] }[] } };
    const firstPage = (await gql<Rows>(hub.gateway.url, rows, {}, researcher)).data!.researchCohort;
    expect(firstPage).toMatchObject({ totalCount: 11, suppressed: false });
    const nextPage = (await gql<Rows>(hub.gateway.url, rows.replace('first: 6)', `first: 6, after: "${firstPage.endCursor}")`), {}, researcher)).data!.researchCohort;
    const everyone = [...firstPage.patients, ...nextPage.patients];
    expect(new Set(everyone.map((p) => p.pseudonym)).size).toBe(11);
    const today = Date.now();
    for (const row of everyone) {
      expect(row).toMatchObject({ pseudonym: expect.stringMatching(/^R-/), ageYears: 66, sex: 'FEMALE', observations: [{ value: CHOLESTEROL, unit: 'mg/dL' }] });
      const shiftedDays = (today - Date.parse(row.observations[0]!.shiftedDate)) / 86_400_000;
      expect(shiftedDays).toBeGreaterThan(0);
      expect(shiftedDays).toBeLessThan(367);
    }
    const body = JSON.stringify(everyone);
    for (const id of ids) expect(body).not.toContain(id);
    expect(body).not.toContain('Cohort ');
    expect(body).not.toContain('1960-05-05');
    const again = (await gql<Rows>(hub.gateway.url, rows, {}, researcher)).data!.researchCohort;
    expect(again.patients.map((p) => p.pseudonym)).toEqual(firstPage.patients.map((p) => p.pseudonym));
    const forClinician = await gql(hub.gateway.url, rows, {}, clinicianA);
    expect(forClinician.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const withdrawn = await gql<{ recordResearchConsent: { granted: boolean; history: { granted: boolean; recordedBy: string; source: string }[] } }>(
      hub.gateway.url,
      `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: false) { granted history { granted recordedBy source } } }`,
      { id: ids[0] },
      clinicianA,
    );
    expect(withdrawn.data!.recordResearchConsent).toEqual({
      granted: false,
      history: [
        { granted: false, recordedBy: `dr-a-${TAG}`, source: 'api' },
        { granted: true, recordedBy: `dr-a-${TAG}`, source: `Consent/${TAG}` },
      ],
    });
    expect(await cohort(researcher)).toEqual({ count: null, suppressed: true, sexDistribution: [], labPercentiles: null });
    expect(await distribution(researcher)).toEqual({ patients: null, suppressed: true, notApplicable: null, bins: [] });
    expect((await gql<Rows>(hub.gateway.url, rows, {}, researcher)).data!.researchCohort).toEqual({ totalCount: null, suppressed: true, endCursor: null, patients: [] });
  });

  it('hides a lone small cell and its complement from a researcher: 11 women and 1 man show no sex, and the man’s risk bin hides the not-applicable count', async () => {
    // This test's own cohort: the patients whose latest total cholesterol is exactly COMPLEMENT_CHOLESTEROL.
    const COMPLEMENT_CHOLESTEROL = runOnlyLabValue();
    const ids: string[] = [];
    for (let n = 0; n < 11; n += 1) {
      const id = await createPatient(clinicianA, `Eleven ${TAG} ${n}`);
      const added = await gql(hub.gateway.url, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "2093-3", value: $v, unit: "mg/dL" }) { id } }`, { id, v: COMPLEMENT_CHOLESTEROL }, clinicianA);
      expect(added.errors).toBeUndefined();
      ids.push(id);
    }
    // One man with everything the Pooled Cohort Equations need: his risk lands in a bin of its own.
    const now = new Date().toISOString();
    const subject = { reference: `urn:uuid:man-${TAG}` };
    const observation = (code: string, value: Record<string, unknown>) => ({
      resource: { resourceType: 'Observation', status: 'final', subject, effectiveDateTime: now, code: { coding: [{ system: 'http://loinc.org', code }] }, ...value },
    });
    const quantity = (value: number, unit: string) => ({ valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit } });
    const man = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: subject.reference,
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:mrn', value: `MAN-${TAG}` }],
            name: [{ given: ['Alan'], family: `Turing${TAG}` }],
            gender: 'male',
            birthDate: '1960-05-05',
            managingOrganization: { reference: `Organization/${ORG_A}` },
            extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3' } }] }],
          },
        },
        { resource: { resourceType: 'Condition', subject, code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] }, clinicalStatus: { coding: [{ code: 'active' }] } } },
        { resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076', display: 'lisinopril 10 MG Oral Tablet' }] } } },
        observation('2093-3', quantity(COMPLEMENT_CHOLESTEROL, 'mg/dL')),
        observation('2085-9', quantity(50, 'mg/dL')),
        observation('8480-6', quantity(142, 'mm[Hg]')),
        observation('72166-2', { valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '266919005' }] } }),
      ],
    };
    const ingested = await gql<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(hub.gateway.url, `mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { patientIds rejected { resource field reason } } }`, { b: man }, clinicianA);
    expect(ingested.errors).toBeUndefined();
    expect(ingested.data!.ingestFhirBundle.rejected).toEqual([]);
    ids.push(...ingested.data!.ingestFhirBundle.patientIds);
    for (const id of ids) {
      const consent = await gql(hub.gateway.url, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, { id }, clinicianA);
      expect(consent).toEqual({ data: { recordResearchConsent: { granted: true } } });
    }

    const filter = `{ observation: { code: "2093-3", min: ${COMPLEMENT_CHOLESTEROL}, max: ${COMPLEMENT_CHOLESTEROL} } }`;
    const query = `{ cohort(filter: ${filter}) { count suppressed sexDistribution { key count } labPercentiles(code: "2093-3") { n p50 } }
      cohortRiskDistribution(cohort: ${filter}) { patients suppressed notApplicable bins { from to count } } }`;
    type Answer = { cohort: unknown; cohortRiskDistribution: { patients: number; notApplicable: number | null; bins: { from: number; to: number | null; count: number | null }[] } };
    const asClinician = await gql<Answer>(hub.gateway.url, query, {}, clinicianA);
    expect(asClinician.errors).toBeUndefined();
    const exact = asClinician.data!.cohortRiskDistribution;
    // Every count for the clinician: the man alone in one bin, the eleven women outside the equations.
    expect(asClinician.data!.cohort).toEqual({ count: 12, suppressed: false, sexDistribution: [{ key: 'FEMALE', count: 11 }, { key: 'MALE', count: 1 }], labPercentiles: { n: 12, p50: COMPLEMENT_CHOLESTEROL } });
    expect([exact.patients, exact.notApplicable, exact.bins.map((b) => b.count).sort()]).toEqual([12, 11, [0, 0, 0, 0, 0, 0, 0, 0, 1]]);

    // The researcher: the man's cell hidden, and with it the next smallest of each dimension.
    expect(await gql(hub.gateway.url, query, {}, researcher)).toEqual({
      data: {
        cohort: { count: 12, suppressed: false, sexDistribution: [], labPercentiles: { n: 12, p50: COMPLEMENT_CHOLESTEROL } },
        cohortRiskDistribution: { patients: 12, suppressed: false, notApplicable: null, bins: exact.bins.map((b) => ({ ...b, count: b.count === 0 ? 0 : null })) },
      },
    });
  });

  it('sends research portals risk updates of consenting patients only, and none after a withdrawal', async () => {
    // Two women of different ages (age bands 65-69 and 85-89): only the younger consents.
    const consenting = await createPatient(clinicianA, `Live ${TAG}`);
    const declining = (
      await gql<{ createPatient: { id: string } }>(hub.gateway.url, `mutation { createPatient(input: { name: "Quiet ${TAG}", birthDate: "1939-02-02", sex: FEMALE }) { id } }`, {}, clinicianA)
    ).data!.createPatient.id;
    await gql(hub.gateway.url, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, { id: consenting }, clinicianA);
    const client = wsClient(hub.gateway.url, researcher);
    const portal = collect<{ cohortRiskUpdated: { sex: string; ageBand: string; reason: string } }>(
      client,
      `subscription { cohortRiskUpdated(filter: { sex: FEMALE }) { sex ageBand reason } }`,
      {},
    );
    const sbp = (id: string, value: number) =>
      gql(hub.gateway.url, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "8480-6", value: $v, unit: "mm[Hg]" }) { id } }`, { id, v: value }, clinicianA);
    const bands = () => portal.messages.map((m) => m.data?.cohortRiskUpdated.ageBand);
    try {
      await settle(800);
      await sbp(declining, 141);
      await sbp(consenting, 137);
      await settle(2500);
      // Consent is new with this file: no other test file's woman consents, so these are all ours.
      expect(bands()).toEqual(['65-69']);

      await gql(hub.gateway.url, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: false) { granted } }`, { id: consenting }, clinicianA);
      await sbp(consenting, 139);
      await settle(2500);
      expect(bands()).toEqual(['65-69']);
    } finally {
      portal.dispose();
      await client.dispose();
    }
  });
});
