import { randomUUID } from 'node:crypto';
import type { RunningService } from '../../lib/apollo-http';
import { createLogger } from '../../lib/logger';
import { createPool, migrate, type Pool } from '../../lib/postgres';
import type { Identity } from '../../lib/identity';
import { TEST_DATABASE_URL } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { asserted, testAssertions } from '../../tests/support/auth';
import { PATIENT_MIGRATIONS, startPatientService } from './server';

const log = createLogger('test', 'silent');
const TAG = randomUUID().slice(0, 8);
/** This run's organisations: the shared test database holds other files' Müllers too. */
const ORG = `org-search-${TAG}`;
const OTHER_ORG = `org-search-other-${TAG}`;

interface Seed {
  name: string;
  birthDate: string;
  organisation: string;
  mrn: string;
}

const SEEDS: Seed[] = [
  { name: 'Anna Müller', birthDate: '1958-03-02', organisation: ORG, mrn: `MRN-${TAG}-1` },
  { name: 'Jörg Mueller', birthDate: '1961-07-14', organisation: ORG, mrn: `MRN-${TAG}-2` },
  { name: 'Bernd Muller-Lüdenscheidt', birthDate: '1958-03-02', organisation: ORG, mrn: `MRN-${TAG}-3` },
  { name: 'María Martínez', birthDate: '1990-01-31', organisation: ORG, mrn: `MRN-${TAG}-4` },
  { name: 'Mark O’Brien', birthDate: '1975-12-24', organisation: ORG, mrn: `MRN-${TAG}-5` },
  { name: 'Anna Müller', birthDate: '1958-03-02', organisation: OTHER_ORG, mrn: `MRN-${TAG}-1` },
];

const INSERT = `
  WITH p AS (INSERT INTO patient.patients (name, birth_date, sex, managing_organization) VALUES ($1, $2, 'female', $3) RETURNING id)
  INSERT INTO patient.identifiers (system, value, patient_id) SELECT 'urn:test:mrn', $4, p.id FROM p RETURNING patient_id`;

const SEARCH = `query ($filter: PatientFilter, $first: Int, $after: String) {
  patients(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name birthDate } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface SearchData {
  patients: { edges: { cursor: string; node: { id: string; name: string; birthDate: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const clinician: Identity = { subject: `dr-${TAG}`, role: 'clinician', client: 'tests', organisation: ORG };

describe('Query.patients: search by name, birth date and identifier', () => {
  let pool: Pool;
  let service: RunningService;
  const ids = new Map<Seed, string>();
  const idOf = (name: string, organisation = ORG) => ids.get(SEEDS.find((s) => s.name === name && s.organisation === organisation)!)!;

  beforeAll(async () => {
    await migrate(TEST_DATABASE_URL, 'patient', PATIENT_MIGRATIONS);
    pool = createPool(TEST_DATABASE_URL, 2);
    for (const seed of SEEDS) {
      const { rows } = await pool.query<{ patient_id: string }>(INSERT, [seed.name, seed.birthDate, seed.organisation, seed.mrn]);
      ids.set(seed, rows[0]!.patient_id);
    }
    service = await startPatientService({ assertions: testAssertions(), databaseUrl: TEST_DATABASE_URL, host: '127.0.0.1', port: 0, log });
  });

  afterAll(async () => {
    await service?.close();
    await pool?.end();
  });

  async function search(filter: Record<string, unknown>, identity: Identity = clinician, first = 20, after?: string) {
    return gql<SearchData>(service.url, SEARCH, { filter, first, after }, await asserted(identity));
  }
  const names = async (filter: Record<string, unknown>, identity?: Identity) => {
    const response = await search(filter, identity);
    expect(response.errors).toBeUndefined();
    return response.data!.patients.edges.map((e) => e.node.name);
  };

  it('finds the start of a given or family name whatever the case, accents and German spelling, in the caller’s organisation only', async () => {
    expect((await names({ name: 'müll' })).sort()).toEqual(['Anna Müller', 'Bernd Muller-Lüdenscheidt', 'Jörg Mueller']);
    // "muell" is how Müller is typed without umlauts: Müller and Mueller, not Muller.
    expect((await names({ name: 'MUELL' })).sort()).toEqual(['Anna Müller', 'Jörg Mueller']);
    expect(await names({ name: 'martinez' })).toEqual(['María Martínez']);
    expect(await names({ name: 'obrien' })).toEqual(['Mark O’Brien']);
    expect(await names({ name: 'lüdensch' })).toEqual(['Bernd Muller-Lüdenscheidt']);
    expect(await names({ name: 'muller-lud' })).toEqual(['Bernd Muller-Lüdenscheidt']);
  });

  it('needs every word to start some part of the name, and lists a patient once however many parts match', async () => {
    expect(await names({ name: 'anna mü' })).toEqual(['Anna Müller']);
    expect(await names({ name: 'mü anna' })).toEqual(['Anna Müller']);
    expect(await names({ name: 'anna jörg' })).toEqual([]);
    // "mar" starts both María and Martínez, and Mark: each patient once, ordered by the part matched.
    expect(await names({ name: 'mar' })).toEqual(['María Martínez', 'Mark O’Brien']);
  });

  it('finds by exact birth date, alone or with a name, and by any identifier value', async () => {
    expect((await names({ birthDate: '1958-03-02' })).sort()).toEqual(['Anna Müller', 'Bernd Muller-Lüdenscheidt']);
    expect(await names({ birthDate: '1958-03-02', name: 'bernd' })).toEqual(['Bernd Muller-Lüdenscheidt']);
    expect(await names({ birthDate: '1961-07-14', name: 'anna' })).toEqual([]);
    expect(await names({ identifier: `MRN-${TAG}-4` })).toEqual(['María Martínez']);
  });

  it('lets an admin search every organisation', async () => {
    const admin: Identity = { subject: 'admin', role: 'admin', client: 'tests' };
    const response = await search({ name: 'anna', birthDate: '1958-03-02', identifier: `MRN-${TAG}-1` }, admin);
    expect(response.data!.patients.edges.map((e) => e.node.id).sort()).toEqual([idOf('Anna Müller'), idOf('Anna Müller', OTHER_ORG)].sort());
  });

  it('pages a name search by its own cursors: every match once, in order, with the same totalCount', async () => {
    const all = (await search({ name: 'm' }, clinician, 100)).data!.patients.edges.map((e) => e.node.id);
    expect(all).toHaveLength(5);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const response = await search({ name: 'm' }, clinician, 2, after);
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo } = response.data!.patients;
      seen.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor!;
    }
    expect(seen).toEqual(all);
    const counted = await gql<{ patients: { totalCount: number } }>(
      service.url,
      `{ patients(filter: { name: "m" }) { totalCount } }`,
      {},
      await asserted(clinician),
    );
    expect(counted.data).toEqual({ patients: { totalCount: 5 } });
  });

  it('follows a renamed or moved patient', async () => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO patient.patients (name, managing_organization) VALUES ($1, $2) RETURNING id`,
      [`Renée Before${TAG}`, ORG],
    );
    const id = rows[0]!.id;
    expect(await names({ name: `before${TAG}` })).toEqual([`Renée Before${TAG}`]);
    await pool.query(`UPDATE patient.patients SET name = $2 WHERE id = $1`, [id, `Renée After${TAG}`]);
    expect(await names({ name: `before${TAG}` })).toEqual([]);
    expect(await names({ name: `after${TAG} rene` })).toEqual([`Renée After${TAG}`]);
    await pool.query(`UPDATE patient.patients SET managing_organization = $2 WHERE id = $1`, [id, OTHER_ORG]);
    expect(await names({ name: `after${TAG}` })).toEqual([]);
  });

  it.each([
    [{ name: '   ' }, 'filter.name', 'filter.name: must not be empty'],
    [{ name: "- ' -" }, 'filter.name', `filter.name: "- ' -" has no letter or digit to search for`],
    [{ name: 'a b c d e f' }, 'filter.name', 'filter.name: has 6 words; at most 5'],
    [{ name: 'x'.repeat(101) }, 'filter.name', 'filter.name: is 101 characters long; at most 100'],
    [{ birthDate: '1958-02-30' }, 'filter.birthDate', 'filter.birthDate: "1958-02-30" is not a date YYYY-MM-DD'],
    [{ birthDate: '02/03/1958' }, 'filter.birthDate', 'filter.birthDate: "02/03/1958" is not a date YYYY-MM-DD'],
  ])('refuses %j with BAD_USER_INPUT naming %s', async (filter, field, message) => {
    const response = await search(filter);
    expect(response).toEqual({
      data: null,
      errors: [{ message, locations: expect.any(Array), path: ['patients'], extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } }],
    });
  });

  it("refuses another search's cursor, and a name or birth date in cohorts", async () => {
    const listed = await gql<SearchData>(service.url, SEARCH, { filter: { identifier: `MRN-${TAG}-1` }, first: 1 }, await asserted(clinician));
    const idCursor = listed.data!.patients.edges[0]!.cursor;
    expect((await search({ name: 'anna' }, clinician, 1, idCursor)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const nameCursor = (await search({ name: 'anna' }, clinician, 1)).data!.patients.edges[0]!.cursor;
    expect((await search({ identifier: `MRN-${TAG}-1` }, clinician, 1, nameCursor)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const cohort = await gql(service.url, `{ cohort(filter: { name: "anna" }) { count } }`, {}, await asserted(clinician));
    expect(cohort.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.name' });
  });

  it('refuses a partner a search by name or birth date (partners read no names)', async () => {
    const partner: Identity = { subject: 'partner', role: 'partner', client: 'portal', organisation: ORG };
    const response = await gql(service.url, `{ patients(filter: { name: "anna" }) { edges { node { id } } } }`, {}, await asserted(partner));
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'filter.name' });
  });
});
