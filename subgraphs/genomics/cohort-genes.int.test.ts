import { createLogger } from '../../lib/logger';
import type { RunningService } from '../../lib/apollo-http';
import type { Identity } from '../../lib/identity';
import { MIN_RESEARCH_CELL } from '../../lib/patient-access';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { runOnlyLabValue } from '../../tests/support/run-values';
import { asserted, testAssertions } from '../../tests/support/auth';
import { gql } from '../../tests/support/graphql';
import { startPatientService } from '../patient/server';
import { startGenomicsService } from './server';

const log = createLogger('test', 'silent');
const TAG = Math.random().toString(36).slice(2, 8);
const ORG = `org-genes-${TAG}`;
const ADMIN: Identity = { subject: 'admin-genes', role: 'admin', client: 'tests' };
const CLINICIAN: Identity = { subject: 'dr-genes', role: 'clinician', client: 'tests', organisation: ORG };
const RESEARCHER: Identity = { subject: 'res-genes', role: 'researcher', client: 'tests' };
const PARTNER: Identity = { subject: 'partner-genes', role: 'partner', client: 'tests', organisation: ORG, contracts: ['genes'] };
/** IDH1 R132H and its neighbour (GRCh38): no other test stores calls in IDH1, so its counts move only here. */
const IDH1_R132H = { chrom: '2', pos: 208248388, ref: 'C', alt: 'T' };
const IDH1_NEIGHBOUR = { chrom: '2', pos: 208248389, ref: 'G', alt: 'A' };
/** A position inside IDH2's span (GRCh38 15:90,083,045-90,102,477); no other test stores calls in IDH2. */
const IDH2_CALL = { chrom: '15', pos: 90088702, ref: 'C', alt: 'T' };
/** An organisation of consenting IDH2 carriers: the researcher's population beside the IDH1 carriers. */
const OTHER_ORG = `org-genes-other-${TAG}`;

interface GeneCount {
  gene: { symbol: string };
  patients: number;
}

/** Query.cohortGenes through the subgraph itself, as the gateway would ask it for each role. */
describe('Query.cohortGenes per role', () => {
  let patient: RunningService;
  let genomics: RunningService;

  const call = async <T>(service: RunningService, identity: Identity, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(service.url, query, variables, await asserted(identity));
  const topGenes = async (identity: Identity, first = 100) => {
    const response = await call<{ cohortGenes: GeneCount[] }>(genomics, identity, `query ($first: Int) { cohortGenes(first: $first) { gene { symbol } patients } }`, { first });
    expect(response.errors).toBeUndefined();
    return response.data!.cohortGenes;
  };
  const idh1 = (genes: GeneCount[]) => genes.find((g) => g.gene.symbol === 'IDH1')?.patients;
  const consent = async (id: string) => {
    const response = await call(patient, ADMIN, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, { id });
    expect(response.errors).toBeUndefined();
  };

  beforeAll(async () => {
    // The patient subgraph answers gene filters by asking genomics, which starts after it.
    patient = await startPatientService({ databaseUrl: TEST_DATABASE_URL, host: '127.0.0.1', port: 0, log, assertions: testAssertions(), genomicsUrl: () => genomics?.url });
    genomics = await startGenomicsService({ databaseUrl: TEST_DATABASE_URL, patientUrl: patient.url, host: '127.0.0.1', port: 0, log, assertions: testAssertions() });
  });

  afterAll(async () => {
    await genomics?.close();
    await patient?.close();
  });

  it('ranks genes by carrying patients: all for an admin, the organisation for a clinician, consenting and 11 or more for a researcher', async () => {
    // A researcher counts carriers among the consenting carriers of any gene, and a gene's non-carriers
    // are a cell too: with 1 to 10 of them (whatever other test files stored at the time) IDH1 would be
    // hidden. Eleven consenting IDH2 carriers of another organisation make that cell 11 or more here.
    for (let n = 0; n < MIN_RESEARCH_CELL; n++) {
      const created = await call<{ createPatient: { id: string } }>(patient, ADMIN, `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`, {
        input: { name: `Other Carrier ${TAG} ${n}`, organization: OTHER_ORG },
      });
      expect(created.errors).toBeUndefined();
      const id = created.data!.createPatient.id;
      const calls = await call(genomics, ADMIN, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, { id, calls: [IDH2_CALL] });
      expect(calls.errors).toBeUndefined();
      await consent(id);
    }
    const before = { admin: idh1(await topGenes(ADMIN)), researcher: idh1(await topGenes(RESEARCHER)) };
    // 14 patients of a new organisation carry IDH1 R132H (one carries a second IDH1 variant: still one patient).
    const ids: string[] = [];
    for (let n = 0; n < 14; n++) {
      const created = await call<{ createPatient: { id: string } }>(patient, ADMIN, `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`, {
        input: { name: `Gene Carrier ${TAG} ${n}`, organization: ORG },
      });
      expect(created.errors).toBeUndefined();
      const id = created.data!.createPatient.id;
      ids.push(id);
      const calls = await call(genomics, ADMIN, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, {
        id,
        calls: n === 0 ? [IDH1_R132H, IDH1_NEIGHBOUR] : [IDH1_R132H],
      });
      expect(calls.errors).toBeUndefined();
    }

    expect(await topGenes(CLINICIAN)).toEqual([{ gene: { symbol: 'IDH1' }, patients: 14 }]);
    expect(idh1(await topGenes(ADMIN))).toBe((before.admin ?? 0) + 14);

    // Ten consenting carriers: a cell under 11 stays hidden from researchers (or grows by 10 when already shown).
    for (const id of ids.slice(0, 10)) await consent(id);
    expect(idh1(await topGenes(RESEARCHER))).toBe(before.researcher === undefined ? undefined : before.researcher + 10);
    // Two more: twelve consenting carriers; the two who never consented are not counted.
    for (const id of ids.slice(10, 12)) await consent(id);
    const researcher = await topGenes(RESEARCHER);
    expect(idh1(researcher)).toBe((before.researcher ?? 0) + 12);
    expect(researcher.every((g) => g.patients >= MIN_RESEARCH_CELL)).toBe(true);
    const counts = researcher.map((g) => g.patients);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('counts Gene.variantsInCohort by the same rules: organisation for a clinician, consenting and 11 or more for a researcher', async () => {
    const counts = async (identity: Identity) => {
      const response = await call<{ _entities: { variantsInCohort: { patients: number | null; variants: number | null; suppressed: boolean } }[] }>(
        genomics,
        identity,
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Gene { variantsInCohort { patients variants suppressed } } } }`,
        { r: [{ __typename: 'Gene', symbol: 'IDH1' }] },
      );
      expect(response.errors).toBeUndefined();
      return response.data!._entities[0]!.variantsInCohort;
    };
    // The first test left 14 carriers in ORG (12 consenting); the clinician of ORG counts exactly those.
    expect(await counts(CLINICIAN)).toEqual({ patients: 14, variants: 2, suppressed: false });
    const researcher = await counts(RESEARCHER);
    expect(researcher.suppressed || (researcher.patients ?? 0) >= MIN_RESEARCH_CELL).toBe(true);
    const outsider = await counts({ subject: 'dr-elsewhere', role: 'clinician', client: 'tests', organisation: `elsewhere-${TAG}` });
    expect(outsider).toEqual({ patients: 0, variants: 0, suppressed: false });
  });

  it('narrows the ranking to a cohort filter, read through the patient subgraph', async () => {
    const ranked = async (identity: Identity, cohort: Record<string, unknown>) => {
      const response = await call<{ cohortGenes: GeneCount[] }>(genomics, identity, `query ($cohort: NoteSearchCohort) { cohortGenes(first: 100, cohort: $cohort) { gene { symbol } patients } }`, { cohort });
      expect(response.errors).toBeUndefined();
      return response.data!.cohortGenes;
    };
    // The first test's 14 carriers: their own patients, named by identifier-free filters the patient subgraph applies.
    expect(await ranked(CLINICIAN, { gene: 'IDH1' })).toEqual([{ gene: { symbol: 'IDH1' }, patients: 14 }]);
    expect(await ranked(CLINICIAN, { gene: 'IDH1', ageMin: 200 })).toEqual([]);
    expect(idh1(await ranked(ADMIN, { gene: 'IDH1' }))).toBeGreaterThanOrEqual(14);
  });

  it('hides from a researcher a gene carried by all but a few of the cohort (its non-carriers are a small cell), and shows it once none are left', async () => {
    // A cohort of this test only: 13 consenting patients whose latest total cholesterol is CHOLESTEROL; 12 carry BBS1.
    const CHOLESTEROL = runOnlyLabValue();
    const BBS1 = { chrom: '11', pos: 66520000, ref: 'C', alt: 'T' };
    const ids: string[] = [];
    for (let n = 0; n < 13; n++) {
      const created = await call<{ createPatient: { id: string } }>(patient, ADMIN, `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id } }`, {
        input: { name: `Complement ${TAG} ${n}`, organization: ORG },
      });
      expect(created.errors).toBeUndefined();
      const id = created.data!.createPatient.id;
      ids.push(id);
      const observed = await call(patient, ADMIN, `mutation ($id: ID!, $v: Float!) { addObservation(patientId: $id, input: { code: "2093-3", value: $v, unit: "mg/dL" }) { id } }`, { id, v: CHOLESTEROL });
      expect(observed.errors).toBeUndefined();
      await consent(id);
    }
    const carry = async (id: string) => {
      const added = await call(genomics, ADMIN, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, { id, calls: [BBS1] });
      expect(added.errors).toBeUndefined();
    };
    for (const id of ids.slice(0, 12)) await carry(id);
    const cohort = { observation: { code: '2093-3', min: CHOLESTEROL, max: CHOLESTEROL } };
    const ranked = (identity: Identity) =>
      call(genomics, identity, `query ($cohort: NoteSearchCohort) { cohortGenes(first: 100, cohort: $cohort) { gene { symbol } patients } }`, { cohort });

    // 12 carriers of 13: the one non-carrier would be the cohort's count (13, Query.cohort) minus 12.
    expect(await ranked(RESEARCHER)).toEqual({ data: { cohortGenes: [] } });
    expect(await ranked(CLINICIAN)).toEqual({ data: { cohortGenes: [{ gene: { symbol: 'BBS1' }, patients: 12 }] } });
    await carry(ids[12]!);
    expect(await ranked(RESEARCHER)).toEqual({ data: { cohortGenes: [{ gene: { symbol: 'BBS1' }, patients: 13 }] } });
  });

  it('returns at most `first` genes and refuses a `first` outside 1..100', async () => {
    expect((await topGenes(ADMIN, 1)).length).toBeLessThanOrEqual(1);
    const refused = await call(genomics, ADMIN, `{ cohortGenes(first: 0) { patients } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a partner (no aggregate scope)', async () => {
    const refused = await call<{ cohortGenes: GeneCount[] | null }>(genomics, PARTNER, `{ cohortGenes { patients } }`);
    expect(refused.data?.cohortGenes ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
