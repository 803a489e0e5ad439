import fs from 'node:fs';
import path from 'node:path';
import { importCpic } from './cpic';
import { countTagged, importRun, randomDigits, randomTag, tempDir, testExecutor } from './test-support';

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
