import fs from 'node:fs';
import path from 'node:path';
import type { RunningService } from '../../lib/apollo-http';
import { createLogger } from '../../lib/logger';
import { startKnowledgeGraphService } from '../../subgraphs/knowledge-graph/server';
import { testAssertions } from '../../tests/support/auth';
import { testNeo4j } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { importCpic } from './cpic';
import { countTagged, importRun, pharmgkbGuideline, randomDigits, randomTag, tempDir, testExecutor } from './test-support';

describe('CPIC importer', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('imports recommendations as Guideline nodes linked to gene and drug, reports skipped rows, and re-imports without change', async () => {
    const tag = randomTag();
    const gene = `CYP2C19${tag}`;
    const rxnorm = randomDigits(9);
    const [id1, id2, id3, id4] = [1, 2, 3, 4].map((i) => `${randomDigits(7)}${i}`);
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'clopidogrel.json'),
      JSON.stringify([
        {
          id: Number(id1),
          guidelineid: 100416,
          drugid: `RxNorm:${rxnorm}`,
          drug: { name: `clopidogrel ${tag}` },
          implications: { [gene]: 'Significantly reduced CYP2C19 activity' },
          drugrecommendation: 'Avoid standard dose clopidogrel if possible. Use prasugrel or ticagrelor.',
          classification: 'Strong',
          phenotypes: { [gene]: 'Poor Metabolizer' },
          lookupkey: { [gene]: 'Poor Metabolizer' },
          population: 'CV ACS PCI',
          guideline: { name: `CPIC Guideline for Clopidogrel ${tag}`, url: 'https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/' },
          citations: ['PMID:35034351'],
        },
        { id: Number(id2), drugid: `RxNorm:${rxnorm}`, lookupkey: { [gene]: 'Normal Metabolizer' }, classification: 'Strong' },
        { id: Number(id3), drugrecommendation: 'x', lookupkey: {}, drug: { name: 'y' } },
      ]),
    );
    fs.mkdirSync(path.join(dir, 'more'));
    fs.writeFileSync(
      path.join(dir, 'more', 'one.json'),
      JSON.stringify({
        id: Number(id4),
        drug: { name: `Warfarin ${tag}` },
        lookupkey: { [`CYP2C9${tag}`]: '1.0', [`VKORC1${tag}`]: 'rs9923231 reference (C)/variant (T)' },
        drugRecommendation: 'Use the dosing algorithm.',
        classification: 'Moderate',
        citation: "Johnson JA et al. 2017 '); MATCH (n) DETACH DELETE n //",
      }),
    );
    fs.writeFileSync(path.join(dir, 'bad.json'), 'not json');

    const result = await importCpic(executor, dir, { version: 'v1-2026-11' });
    expect(result.counts).toMatchObject({ files: 3, recommendations: 4, guidelines: 2, skipped: 3 });
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { code: 'MISSING_FIELD', reason: 'no drugrecommendation', count: 1, examples: ['clopidogrel.json[1]'] },
        { code: 'MISSING_FIELD', reason: 'no gene (lookupkey/phenotypes empty)', count: 1, examples: ['clopidogrel.json[2]'] },
        expect.objectContaining({ code: 'INVALID_JSON', reason: 'not valid JSON', count: 1 }),
      ]),
    );

    const res = await executor.read(
      `MATCH (g:Guideline) WHERE g.id IN $ids
       RETURN g.id AS id, properties(g) AS g, [(g)-[:FOR_GENE]->(x) | x.symbol] AS genes, [(g)-[:FOR_DRUG]->(d) | d.id] AS drugs ORDER BY id`,
      { ids: [`cpic:recommendation:${id1}`, `cpic:recommendation:${id4}`] },
    );
    // Pick each by its id: the random ids do not sort in a fixed order.
    const byId = new Map(res.records.map((r) => [r.get('id') as string, r.toObject()]));
    const clopidogrel = byId.get(`cpic:recommendation:${id1}`);
    const warfarin = byId.get(`cpic:recommendation:${id4}`);
    expect(clopidogrel).toMatchObject({
      genes: [gene],
      drugs: [rxnorm],
      g: {
        phenotypes: JSON.stringify({ [gene]: 'Poor Metabolizer' }),
        classification: 'Strong',
        population: 'CV ACS PCI',
        implications: JSON.stringify({ [gene]: 'Significantly reduced CYP2C19 activity' }),
        recommendation: 'Avoid standard dose clopidogrel if possible. Use prasugrel or ticagrelor.',
        citations: ['PMID:35034351'],
        url: 'https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/',
        source: 'CPIC',
        sourceVersion: 'CPIC v1-2026-11',
        importRun: result.runId,
      },
    });
    expect((warfarin!.genes as string[]).sort()).toEqual([`CYP2C9${tag}`, `VKORC1${tag}`]);
    expect(warfarin!.drugs).toEqual([`name:warfarin ${tag.toLowerCase()}`]);
    expect((warfarin!.g as Record<string, unknown>).citations).toEqual(["Johnson JA et al. 2017 '); MATCH (n) DETACH DELETE n //"]);
    expect((await importRun(executor, result.runId)).status).toBe('completed');

    const before = await countTagged(executor, tag);
    await importCpic(executor, dir, { version: 'v1-2026-11' });
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('skips recommendations with a gene that is not an HGNC symbol or a drug id that is not an RxNorm CUI, and imports the rest', async () => {
    const tag = randomTag();
    const [id1, id2, id3] = [1, 2, 3].map((i) => `${randomDigits(7)}${i}`);
    const base = { drug: { name: `drug ${tag}` }, drugrecommendation: 'Use the label dose.', classification: 'Strong' };
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'recs.json'),
      JSON.stringify([
        { ...base, id: Number(id1), lookupkey: { [`CYP2D6${tag}`]: 'Normal Metabolizer' } },
        { ...base, id: Number(id2), lookupkey: { [`cyp2d6 ${tag}`]: 'Normal Metabolizer' } },
        { ...base, id: Number(id3), drugid: 'RxNorm:abc', lookupkey: { [`CYP2D6${tag}`]: 'Poor Metabolizer' } },
      ]),
    );
    const result = await importCpic(executor, dir, { version: 'v-bad-records' });
    expect(result.counts).toMatchObject({ recommendations: 3, guidelines: 1, skipped: 2 });
    expect(result.skipped).toEqual([
      { code: 'INVALID_GENE_SYMBOL', reason: `lookupkey gene "cyp2d6 ${tag}" is not an HGNC gene symbol`, count: 1, examples: ['recs.json[1]'] },
      { code: 'INVALID_IDENTIFIER', reason: 'drugid "abc" is not an RxNorm CUI', count: 1, examples: ['recs.json[2]'] },
    ]);
  });
});

describe("CPIC importer, PharmGKB's guideline-annotation files", () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('imports each recommendation of a CPIC guideline file under the release the files state, links the known drug by name, skips DPWG', async () => {
    const tag = randomTag();
    const drugId = `test:${tag}:drug`;
    await executor.write('MERGE (d:Drug {id: $id}) SET d.name = $name', { id: drugId, name: `testdrug ${tag.toLowerCase()}` });
    const [pa1, pa2] = [`PA9${randomDigits(8)}`, `PA9${randomDigits(8)}`];
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, `CPIC_testdrug_${tag}.json`), JSON.stringify(pharmgkbGuideline(tag, [pa1, pa2])));
    fs.writeFileSync(path.join(dir, `DPWG_testdrug_${tag}.json`), JSON.stringify(pharmgkbGuideline(tag, [`PA9${randomDigits(8)}`, `PA9${randomDigits(8)}`], 'DPWG')));

    const result = await importCpic(executor, dir);
    expect(result).toMatchObject({ status: 'completed', version: 'pharmgkb-2024-03-25-16-13' });
    expect(result.counts).toMatchObject({ files: 2, recommendations: 4, guidelines: 1, skipped: 3 });
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { code: 'NOT_IMPORTED', reason: 'guideline source "DPWG" is not CPIC', count: 2, examples: [`DPWG_testdrug_${tag}.json recommendations[0]`, `DPWG_testdrug_${tag}.json recommendations[1]`] },
        { code: 'MISSING_FIELD', reason: 'no drug (relatedChemicals[0].name)', count: 1, examples: [`CPIC_testdrug_${tag}.json recommendations[1]`] },
      ]),
    );
    const res = await executor.read(
      `MATCH (g:Guideline {id: $id}) RETURN g {.recommendation, .classification, .lookupKey, .sourceVersion, .citations} AS g,
         [(g)-[:FOR_DRUG]->(d) | d.id] AS drugs, [(g)-[:FOR_GENE]->(x) | x.symbol] AS genes`,
      { id: `cpic:pharmgkb:${pa1}` },
    );
    const r = res.records[0]!;
    expect(r.get('g')).toEqual({
      recommendation: `Reduce the starting dose by 50 % if "GENEA${tag}" activity < 1`,
      classification: 'Strong',
      lookupKey: JSON.stringify({ [`GENEA${tag}`]: 'Intermediate Metabolizer', [`GENEB${tag}`]: '2.0' }),
      sourceVersion: 'CPIC pharmgkb-2024-03-25-16-13',
      citations: ['PMID:99000001'],
    });
    expect(r.get('drugs')).toEqual([drugId]);
    expect((r.get('genes') as string[]).sort()).toEqual([`GENEA${tag}`, `GENEB${tag}`]);
    expect((await importCpic(executor, dir)).status).toBe('already-imported');
  });
});

/**
 * Two CPIC versions of one gene–drug pair in the graph (the seed and an imported release, or two releases):
 * the answers, read through the knowledge-graph subgraph, come from the newest version whichever was imported
 * last, and name the release they come from. Each test uses its own genes and drug (a random tag), so the seed
 * and other tests are untouched. In this file rather than beside the subgraph's tests: "already imported" above
 * compares with the newest completed CPIC run in the graph, which CPIC imports of another file running at the
 * same time would change; a file's tests run one after another.
 */

const OLD_RELEASE = { version: '2021-05-20-09-30', year: 2020, text: 'Old advice: use the label dose.' };
const NEW_RELEASE = { version: '2024-03-25-16-13', year: 2022, text: 'New advice: reduce the starting dose by 50 %.' };

/** One PharmGKB guideline file (cpic-pharmgkb.ts layout) of a release, with that release's recommendation text. */
function pharmgkbRelease(tag: string, ids: [string, string], release: typeof OLD_RELEASE): string {
  const doc = pharmgkbGuideline(tag, ids);
  doc.version = release.version;
  doc.citations = [{ ...doc.citations[0]!, year: release.year }];
  doc.recommendations[0]!.text.html = `<p>${release.text}</p>`;
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, `CPIC_testdrug_${tag}.json`), JSON.stringify(doc));
  return dir;
}

/** The same recommendation (genes, lookup, drug) in the CPIC API layout (cpic.ts), with its own CPIC id. */
function cpicApiRelease(tag: string, id: string, text: string): string {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'recommendations.json'),
    JSON.stringify([
      {
        id: Number(id),
        drug: { name: `testdrug ${tag}` },
        lookupkey: { [`GENEA${tag}`]: 'Intermediate Metabolizer', [`GENEB${tag}`]: '2.0' },
        drugrecommendation: text,
        classification: 'Strong',
        population: 'general',
        guideline: { name: `CPIC Guideline for testdrug ${tag}`, url: 'https://cpicpgx.org/guidelines/' },
      },
    ]),
  );
  return dir;
}

interface Answer {
  id: string;
  recommendation: string;
  source: string;
  sourceVersion: string | null;
}

describe('CPIC recommendations when two versions of a gene–drug pair are in the graph', () => {
  const executor = testExecutor();
  let service: RunningService;

  beforeAll(async () => {
    service = await startKnowledgeGraphService({ neo4j: testNeo4j(), host: '127.0.0.1', port: 0, log: createLogger('test', 'silent'), assertions: testAssertions() });
  });

  afterAll(async () => {
    await service.close();
    await executor.close();
  });

  /** The pair's recommendations as Gene.guidelines and Drug.guidelines answer them, and the drug's interactions. */
  async function answers(tag: string, drugId: string): Promise<{ byGene: Answer[]; byDrug: Answer[]; interactions: unknown[] }> {
    const response = await gql<{ gene: { guidelines: Answer[] }; drug: { guidelines: Answer[]; interactions: unknown[] } }>(
      service.url,
      `query ($gene: String!, $drug: ID!) {
         gene(symbol: $gene) { guidelines { id recommendation source sourceVersion } }
         drug(id: $drug) { guidelines { id recommendation source sourceVersion } interactions { gene { symbol } kind count sources } } }`,
      { gene: `GENEA${tag}`, drug: drugId },
    );
    expect(response.errors).toBeUndefined();
    return { byGene: response.data!.gene.guidelines, byDrug: response.data!.drug.guidelines, interactions: response.data!.drug.interactions };
  }
  /** The pair (both genes of the recommendation) as Drug.interactions counts it: the newest version's one recommendation, not every release's. */
  const oneInteraction = (tag: string) =>
    [`GENEA${tag}`, `GENEB${tag}`].map((symbol) => ({ gene: { symbol }, kind: 'PHARMACOGENOMIC', count: 1, sources: ['CPIC'] }));

  async function testDrug(tag: string): Promise<string> {
    const drugId = `test:${tag}:drug`;
    await executor.write('MERGE (d:Drug {id: $id}) SET d.name = $name', { id: drugId, name: `testdrug ${tag.toLowerCase()}` });
    return drugId;
  }

  it.each([
    ['the older release first', [OLD_RELEASE, NEW_RELEASE]],
    ['the newer release first', [NEW_RELEASE, OLD_RELEASE]],
  ] as const)('answers the newer of two releases that share record ids (PharmGKB keeps them), %s', async (_order, releases) => {
    const tag = randomTag();
    const drugId = await testDrug(tag);
    const ids: [string, string] = [`PA9${randomDigits(8)}`, `PA9${randomDigits(8)}`];
    for (const release of releases) {
      expect((await importCpic(executor, pharmgkbRelease(tag, ids, release))).status).toBe('completed');
    }
    const expected = [{ id: `cpic:pharmgkb:${ids[0]}`, recommendation: NEW_RELEASE.text, source: 'CPIC', sourceVersion: `CPIC pharmgkb-${NEW_RELEASE.version}` }];
    expect(await answers(tag, drugId)).toEqual({ byGene: expected, byDrug: expected, interactions: oneInteraction(tag) });
  });

  it.each([
    ['the older release first', ['old', 'new']],
    ['the newer release first', ['new', 'old']],
  ] as const)('answers the newer of two releases with different record ids for the pair (as the seed and an import have), %s', async (_order, order) => {
    const tag = randomTag();
    const drugId = await testDrug(tag);
    const cpicId = randomDigits(8);
    const paIds: [string, string] = [`PA9${randomDigits(8)}`, `PA9${randomDigits(8)}`];
    const imports = {
      // The CPIC API's recommendation rows carry no date: the release is dated by --version.
      old: () => importCpic(executor, cpicApiRelease(tag, cpicId, OLD_RELEASE.text), { version: `v1.10.0 (${OLD_RELEASE.version.slice(0, 10)})` }),
      new: () => importCpic(executor, pharmgkbRelease(tag, paIds, NEW_RELEASE)),
    };
    for (const which of order) expect((await imports[which]()).status).toBe('completed');
    const expected = [{ id: `cpic:pharmgkb:${paIds[0]}`, recommendation: NEW_RELEASE.text, source: 'CPIC', sourceVersion: `CPIC pharmgkb-${NEW_RELEASE.version}` }];
    expect(await answers(tag, drugId)).toEqual({ byGene: expected, byDrug: expected, interactions: oneInteraction(tag) });
  });

  it("dates the seed's recommendations by their CPIC release and latest publication, so an imported release is compared with them", async () => {
    // Clopidogrel/CYP2C19 in the seed: CPIC v1.20.0 as PharmCAT bundled it on 2022-09-15, guideline of 2022 (Lee CR et al., PMID:35034351).
    const res = await executor.read(
      `MATCH (:Gene {symbol: 'CYP2C19'})<-[:FOR_GENE]-(r:Guideline)-[:FOR_DRUG]->(:Drug {id: '32968'}) WHERE r.id STARTS WITH 'cpic:clopidogrel:'
       RETURN DISTINCT r.releasedOn AS releasedOn, r.publishedYear AS publishedYear`,
    );
    expect(res.records.map((r) => r.toObject())).toEqual([{ releasedOn: '2022-09-15', publishedYear: 2022 }]);
  });
});
