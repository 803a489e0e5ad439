import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { importTrials, trialRow } from './trials';
import { extractGenomicMentions } from './variants';
import { countTagged, importRun, randomDigits, randomTag, snapshotRecord, tempDir, testExecutor } from './test-support';

const INJECTION = `'); MATCH (n) DETACH DELETE n; // "}) RETURN 1`;

function study(tag: string, nctId: string | undefined, extra: { title?: string } = {}) {
  return {
    protocolSection: {
      identificationModule: { ...(nctId ? { nctId } : {}), briefTitle: extra.title ?? `Sotorasib ${tag} in KRAS G12C NSCLC`, officialTitle: 'Official' },
      statusModule: { overallStatus: 'RECRUITING' },
      designModule: { studyType: 'INTERVENTIONAL', phases: ['PHASE1', 'PHASE2'] },
      conditionsModule: { conditions: [`Lung Cancer ${tag}`, 'Something Unmapped'], keywords: [`EGFR${tag} exon 19 deletion`] },
      eligibilityModule: {
        eligibilityCriteria: `Inclusion Criteria:\n\n* Histologically confirmed NSCLC with KRAS${tag} G12C mutation\n* ECOG 0-1\n* Absolute neutrophil count ≥ 1,500/mm3\n\nExclusion Criteria:\n\n* Known BRAF${tag} V600E mutation`,
        healthyVolunteers: false,
        sex: 'ALL',
        minimumAge: '18 Years',
        maximumAge: '75 Years',
      },
      contactsLocationsModule: {
        locations: [
          { facility: 'Charité', city: 'Berlin', country: 'Germany', status: 'RECRUITING', geoPoint: { lat: 52.52437, lon: 13.41053 } },
          { facility: 'No coordinates', city: 'Somewhere', country: 'Nowhere' },
        ],
      },
      armsInterventionsModule: {
        interventions: [
          { type: 'DRUG', name: `Sotorasib ${tag}` },
          { type: 'PROCEDURE', name: 'Biopsy' },
        ],
      },
    },
    hasResults: false,
  };
}

describe('ClinicalTrials.gov importer', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('extracts gene + protein change mentions with the documented regex', () => {
    expect(extractGenomicMentions('KRAS G12C or EGFR exon 19 deletion; BRAF p.V600E; EGFR Exon 20 insertions; not with TP53')).toEqual([
      { gene: 'KRAS', proteinChange: 'p.G12C', mention: 'KRAS G12C' },
      { gene: 'EGFR', proteinChange: 'exon 19 deletion', mention: 'EGFR exon 19 deletion' },
      { gene: 'BRAF', proteinChange: 'p.V600E', mention: 'BRAF p.V600E' },
      { gene: 'EGFR', proteinChange: 'exon 20 insertion', mention: 'EGFR Exon 20 insertions' },
    ]);
    expect(trialRow({ protocolSection: { identificationModule: { briefTitle: 'x' } } })).toEqual({
      skip: 'no protocolSection.identificationModule.nctId',
      code: 'MISSING_FIELD',
    });
  });

  it('imports studies, links existing variants/drugs/diseases, skips bad files, and re-imports without change', async () => {
    const tag = randomTag();
    await executor.write(
      `MERGE (k:Variant {id: $k}) SET k.gene = $kg, k.proteinChange = 'p.G12C'
       MERGE (e:Variant {id: $e}) SET e.gene = $eg, e.proteinChange = 'exon 19 deletion'
       MERGE (b:Variant {id: $b}) SET b.gene = $bg, b.proteinChange = 'p.V600E'
       MERGE (x:Disease {id: $x}) SET x.name = $xn`,
      {
        k: `test:${tag}:k`, kg: `KRAS${tag}`, e: `test:${tag}:e`, eg: `EGFR${tag}`, b: `test:${tag}:b`, bg: `BRAF${tag}`,
        x: `DOID:${randomDigits(8)}`, xn: `lung cancer ${tag.toLowerCase()}`,
      },
    );
    const dir = tempDir();
    const nct = `NCT${randomDigits(8)}`;
    const nct2 = `NCT${randomDigits(8)}`;
    fs.writeFileSync(path.join(dir, `${nct}.json`), JSON.stringify(study(tag, nct)));
    fs.mkdirSync(path.join(dir, 'more'));
    fs.writeFileSync(path.join(dir, 'more', `${nct2}.json`), JSON.stringify(study(tag, nct2, { title: INJECTION })));
    fs.writeFileSync(path.join(dir, 'no-id.json'), JSON.stringify(study(tag, undefined)));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"protocolSection": ');

    const result = await importTrials(executor, dir, { version: '2026-11-29' });
    expect(result.counts).toMatchObject({ files: 4, trials: 2, skipped: 2 });
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { code: 'MISSING_FIELD', reason: 'no protocolSection.identificationModule.nctId', count: 1, examples: ['no-id.json'] },
        expect.objectContaining({ code: 'INVALID_JSON', reason: 'not valid JSON', count: 1 }),
      ]),
    );

    const res = await executor.read(
      `MATCH (t:Trial {nctId: $nct})
       RETURN properties(t) AS t,
              [(t)-[:REQUIRES_VARIANT]->(v) | v.id] AS variants,
              [(t)-[:TESTS_DRUG]->(d) | d.id] AS drugs,
              [(t)-[:STUDIES]->(x) | x.name] AS diseases,
              [(t)-[:EXCLUDES_VARIANT]->(v) | v.id] AS excluded,
              [(t)-[:AT_SITE]->(s) | s {.id, .city, lat: s.location.latitude}] AS sites`,
      { nct },
    );
    const r = res.records[0]!;
    expect(r.get('t')).toMatchObject({
      title: `Sotorasib ${tag} in KRAS G12C NSCLC`, phase: 'PHASE1/PHASE2', status: 'RECRUITING', sex: 'ALL',
      minimumAge: '18 Years', maximumAge: '75 Years', minimumAgeYears: 18, maximumAgeYears: 75,
      conditions: [`Lung Cancer ${tag}`, 'Something Unmapped'],
      source: 'ClinicalTrials.gov 2026-11-29', importRun: result.runId,
    });
    expect((r.get('t') as { eligibilityText: string }).eligibilityText).toContain('Exclusion Criteria');
    // Inclusion KRAS and keyword EGFR are required; the BRAF mention in the exclusion criteria excludes.
    expect((r.get('variants') as string[]).sort()).toEqual([`test:${tag}:e`, `test:${tag}:k`]);
    expect(r.get('drugs')).toEqual([`name:sotorasib ${tag.toLowerCase()}`]);
    expect(r.get('diseases')).toEqual([`lung cancer ${tag.toLowerCase()}`]);
    expect(r.get('excluded')).toEqual([`test:${tag}:b`]);
    expect(JSON.parse((r.get('t') as { labCriteria: string }).labCriteria)).toEqual([
      expect.objectContaining({ loinc: '751-8', comparator: '>=', value: 1.5, unit: '10*3/uL', section: 'inclusion' }),
    ]);
    expect((r.get('sites') as { id: string }[]).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: `${nct}#1`, city: 'Berlin', lat: 52.52437 },
      { id: `${nct}#2`, city: 'Somewhere', lat: null },
    ]);

    const injected = await executor.read('MATCH (t:Trial {nctId: $nct}) RETURN t.title AS title', { nct: nct2 });
    expect(injected.records[0]!.get('title')).toBe(INJECTION);
    expect((await importRun(executor, result.runId)).status).toBe('completed');

    const before = await countTagged(executor, tag);
    const sitesBefore = await executor.read('MATCH (:Trial {nctId: $nct})-[:AT_SITE]->(s) RETURN count(s) AS n', { nct });
    await importTrials(executor, dir, { version: '2026-11-29' });
    expect(await countTagged(executor, tag)).toEqual(before);
    const sitesAfter = await executor.read('MATCH (:Trial {nctId: $nct})-[:AT_SITE]->(s) RETURN count(s) AS n', { nct });
    expect(sitesAfter.records[0]!.get('n')).toBe(sitesBefore.records[0]!.get('n'));
  });

  it('skips studies with a malformed NCT id, control characters or overlong criteria, naming code and file, and imports the rest', async () => {
    const tag = randomTag();
    const dir = tempDir();
    const good = `NCT${randomDigits(8)}`;
    fs.writeFileSync(path.join(dir, 'a-good.json'), JSON.stringify(study(tag, good)));
    fs.writeFileSync(path.join(dir, 'b-short-id.json'), JSON.stringify(study(tag, 'NCT1234567')));
    fs.writeFileSync(path.join(dir, 'c-escape.json'), JSON.stringify(study(tag, `NCT${randomDigits(8)}`, { title: `Trial ${tag}\u001b[31m` })));
    const long = study(tag, `NCT${randomDigits(8)}`);
    long.protocolSection.eligibilityModule.eligibilityCriteria = 'Inclusion Criteria:\n' + 'x'.repeat(100_001);
    fs.writeFileSync(path.join(dir, 'd-long.json'), JSON.stringify(long));
    const result = await importTrials(executor, dir, { version: '2026-12-06' });
    expect(result.counts).toMatchObject({ files: 4, trials: 1, skipped: 3 });
    expect(result.skipped).toEqual([
      { code: 'INVALID_NCT_ID', reason: 'nctId "NCT1234567" is not NCT followed by 8 digits', count: 1, examples: ['b-short-id.json'] },
      { code: 'CONTROL_CHARACTER', reason: 'briefTitle contains a control character', count: 1, examples: ['c-escape.json'] },
      { code: 'TEXT_TOO_LONG', reason: 'eligibilityCriteria: 100021 characters, more than 100000', count: 1, examples: ['d-long.json'] },
    ]);
    const stored = await executor.read<{ n: number }>('MATCH (t:Trial {nctId: $nct}) RETURN count(t) AS n', { nct: good });
    expect(stored.records[0]!.get('n')).toBe(1);
  });
});

describe('ClinicalTrials.gov importer, JSON Lines of flattened export records', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('streams a gzipped JSON Lines file, links interventions only to drugs the graph holds, names bad lines, and re-imports without change', async () => {
    const tag = randomTag();
    await executor.write(`MERGE (d:Drug {id: $id}) SET d.name = $name`, { id: `test:${tag}:drug`, name: `adagrasib ${tag.toLowerCase()}` });
    const dir = tempDir();
    const [flat, v2] = [`NCT${randomDigits(8)}`, `NCT${randomDigits(8)}`];
    const lines = [JSON.stringify(snapshotRecord(flat, tag)), '{"nct_id": ', '', JSON.stringify(study(tag, v2)), JSON.stringify({ ...snapshotRecord('NCT1', tag) })];
    fs.writeFileSync(path.join(dir, 'trials.jsonl.gz'), zlib.gzipSync(`${lines.join('\n')}\n`));

    const result = await importTrials(executor, dir, { version: 'snapshot-2026-01-05' });
    expect(result.counts).toMatchObject({ jsonLinesFiles: 1, records: 4, trials: 2, skipped: 2 });
    expect(result.counts.files).toBeUndefined();
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'INVALID_JSON', examples: [expect.stringMatching(/^trials\.jsonl\.gz:2: /)] }),
        { code: 'INVALID_NCT_ID', reason: 'nctId "NCT1" is not NCT followed by 8 digits', count: 1, examples: ['trials.jsonl.gz:5'] },
      ]),
    );
    const res = await executor.read(
      `MATCH (t:Trial {nctId: $flat})
       RETURN t {.phase, .status, .minimumAgeYears, .genomicCriteria, .sourceUrl} AS t, [(t)-[:TESTS_DRUG]->(d) | d.id] AS drugs,
              [(t)-[:AT_SITE]->(s) | s.country] AS countries,
              COUNT { (d:Drug {name: 'Tumour biopsy'}) } AS createdDrugs`,
      { flat },
    );
    const r = res.records[0]!;
    expect(r.get('t')).toEqual({
      phase: 'PHASE1/PHASE2', status: 'NOT_YET_RECRUITING', minimumAgeYears: 18, genomicCriteria: [`KRAS${tag} p.G12C`], sourceUrl: `https://clinicaltrials.gov/study/${flat}`,
    });
    expect(r.get('drugs')).toEqual([`test:${tag}:drug`]);
    expect((r.get('countries') as string[]).sort()).toEqual(['Germany', 'Japan']);
    expect(r.get('createdDrugs')).toBe(0);
    const v2Trial = await executor.read('MATCH (t:Trial {nctId: $v2}) RETURN t.title AS title', { v2 });
    expect(v2Trial.records[0]!.get('title')).toBe(`Sotorasib ${tag} in KRAS G12C NSCLC`);

    const before = await countTagged(executor, tag);
    expect((await importTrials(executor, dir, { version: 'snapshot-2026-01-05' })).status).toBe('already-imported');
    await importTrials(executor, dir, { version: 'snapshot-2026-01-05', force: true });
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('refuses an .xz file before writing anything, with the command that unpacks it', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'trials.jsonl.xz'), 'x');
    await expect(importTrials(executor, dir)).rejects.toThrow(expect.objectContaining({ name: 'ImportInputError', message: expect.stringContaining('xz -dk') }));
  });
});
