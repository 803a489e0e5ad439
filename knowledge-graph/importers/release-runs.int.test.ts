import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { importCivic } from './civic';
import { ImportInputError } from './common';
import { importHpo } from './hpo';
import { CountingExecutor, countTagged, importRun, randomDigits, randomTag, tempDir, testExecutor } from './test-support';

// ClinicalEvidenceSummaries.tsv header of CIViC's molecular-profile releases (as in the 01-Aug-2024 file).
const HEADER = [
  'molecular_profile', 'molecular_profile_id', 'disease', 'doid', 'phenotypes', 'therapies', 'therapy_interaction_type',
  'evidence_type', 'evidence_direction', 'evidence_level', 'significance', 'evidence_statement', 'citation_id', 'source_type',
  'asco_abstract_id', 'citation', 'nct_ids', 'rating', 'evidence_status', 'evidence_id', 'variant_origin', 'last_review_date',
  'evidence_civic_url', 'molecular_profile_civic_url', 'is_flagged',
];

/** A synthetic CIViC release: `accepted` evidence rows (lines 2..n+1) then two rows that are skipped. */
function civicRelease(dir: string, release: string, tag: string, ids: { doid: string; eid: string; mp: string }, accepted: number, level = 'B') {
  const row = (over: Record<string, string>) => HEADER.map((h) => over[h] ?? '').join('\t');
  const base = {
    disease: `Melanoma ${tag}`, doid: ids.doid, evidence_type: 'Predictive', evidence_direction: 'Supports', evidence_level: level,
    significance: 'Sensitivity/Response', citation_id: '21639808', source_type: 'PubMed', citation: 'Chapman et al., 2011',
    evidence_status: 'accepted', molecular_profile: `BRAF${tag} V600E`, molecular_profile_id: ids.mp,
  };
  const rows = Array.from({ length: accepted }, (_, i) => row({ ...base, therapies: `Drug${tag}${i}`, evidence_id: `${ids.eid}${i}` }));
  rows.push(row({ ...base, evidence_id: `${ids.eid}98`, evidence_status: 'submitted' }), row({ ...base, evidence_id: `${ids.eid}99`, doid: '' }));
  const file = path.join(dir, `${release}-ClinicalEvidenceSummaries.tsv`);
  fs.writeFileSync(file, [HEADER.join('\t'), ...rows].join('\n') + '\n');
  return file;
}

const ids = () => ({ doid: randomDigits(8), eid: randomDigits(8), mp: randomDigits(8) });

describe('import runs of a release', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('resumes an interrupted import from its checkpoint: same ImportRun, only the rest written, counts of one whole run, no duplicates', async () => {
    const tag = randomTag();
    const file = civicRelease(tempDir(), '01-Nov-2026', tag, ids(), 5);
    const flaky = new CountingExecutor(executor, 2);
    await expect(importCivic(flaky, file, { batchSize: 1 })).rejects.toThrow('bolt://counting');
    const failed = await executor.read<{ id: string; checkpoint: string }>(
      `MATCH (r:ImportRun {source: 'civic', status: 'failed'}) WHERE r.files = [$name] AND r.error CONTAINS 'counting' RETURN r.id AS id, r.checkpoint AS checkpoint`,
      { name: path.basename(file) },
    );
    expect(failed.records).toHaveLength(1);
    // Lines 2 and 3 committed; line 4 was in flight.
    expect(JSON.parse(failed.records[0]!.get('checkpoint'))).toMatchObject({ phase: 'evidence', position: 3, report: { counts: { rows: 2, evidence: 2 } } });

    const rerun = new CountingExecutor(executor);
    const resumed = await importCivic(rerun, file, { batchSize: 1 });
    expect(resumed).toMatchObject({ status: 'completed', runId: failed.records[0]!.get('id'), resumedFrom: 'evidence 3' });
    expect(rerun.batches).toBe(3); // lines 4, 5, 6 only
    expect(resumed.counts).toEqual({ rows: 7, evidence: 5, skipped: 2 });
    const run = await importRun(executor, resumed.runId);
    expect(run).toMatchObject({ status: 'completed', resumes: 1 });
    expect(run.checkpoint).toBeUndefined();
    expect(JSON.parse(run.counts as string)).toMatchObject({ rows: 7, evidence: 5, skipped: 2 });

    // The same graph as an uninterrupted import gives: a forced re-import MERGEs onto it without adding anything.
    const after = await countTagged(executor, tag);
    expect(after.nodes).toBe(1 + 1 + 1 + 5 + 5); // gene, variant, disease, 5 evidence, 5 drugs
    await importCivic(executor, file, { force: true });
    expect(await countTagged(executor, tag)).toEqual(after);
  });

  it('does nothing when the same release is imported again (same checksum), unless --force', async () => {
    const tag = randomTag();
    const dir = tempDir();
    const file = civicRelease(dir, '01-Nov-2026', tag, ids(), 2);
    const first = await importCivic(executor, file);
    // The same bytes under another path: still the same release.
    const copy = path.join(tempDir(), path.basename(file));
    fs.copyFileSync(file, copy);
    const counting = new CountingExecutor(executor);
    const again = await importCivic(counting, copy);
    expect(again).toMatchObject({ status: 'already-imported', runId: first.runId, version: '01-Nov-2026', counts: { rows: 4, evidence: 2, skipped: 2 } });
    expect(counting.writes).toBe(0);
    const runs = await executor.read<{ n: number }>('MATCH (r:ImportRun {checksum: $checksum}) RETURN count(r) AS n', { checksum: first.checksum });
    expect(runs.records[0]!.get('n')).toBe(1);
  });

  it('updates a newer release in place and records both releases; evidence names the release it came from', async () => {
    const tag = randomTag();
    const dir = tempDir();
    const same = ids();
    const older = await importCivic(executor, civicRelease(dir, '01-Nov-2026', tag, same, 2, 'B'));
    const before = await countTagged(executor, tag);
    const newer = await importCivic(executor, civicRelease(dir, '01-Dec-2026', tag, same, 2, 'A'));
    expect(newer.status).toBe('completed');
    expect(newer.checksum).not.toBe(older.checksum);
    expect(await countTagged(executor, tag)).toEqual(before);

    const evidence = await executor.read('MATCH (e:Evidence) WHERE e.id STARTS WITH $prefix RETURN e {.level, .source, .sourceVersion, .importRun} AS e', {
      prefix: `civic:EID${same.eid}`,
    });
    expect(evidence.records.map((r) => r.get('e'))).toEqual([
      { level: 'A', source: 'CIViC 01-Dec-2026', sourceVersion: '01-Dec-2026', importRun: newer.runId },
      { level: 'A', source: 'CIViC 01-Dec-2026', sourceVersion: '01-Dec-2026', importRun: newer.runId },
    ]);
    expect(await importRun(executor, older.runId)).toMatchObject({ version: '01-Nov-2026', status: 'completed', checksum: older.checksum });
    expect(await importRun(executor, newer.runId)).toMatchObject({ version: '01-Dec-2026', status: 'completed', checksum: newer.checksum });
  });

  it('imports HPO from gzipped hp.json (OBO Graphs) and phenotype.hpoa, the release taken from hp.json', async () => {
    const tag = randomTag();
    const n = Number(randomDigits(7)) - 10;
    const hp = (i: number) => `HP:${String(n + i).padStart(7, '0')}`;
    const iri = (i: number) => `http://purl.obolibrary.org/obo/HP_${String(n + i).padStart(7, '0')}`;
    const dir = tempDir();
    const graph = {
      graphs: [{
        id: 'http://purl.obolibrary.org/obo/hp.json',
        meta: { version: 'http://purl.obolibrary.org/obo/hp/releases/2099-02-28/hp.json' },
        nodes: [
          { id: iri(0), lbl: `Root ${tag}`, type: 'CLASS' },
          { id: iri(1), lbl: `Abnormality ${tag}`, type: 'CLASS', meta: { synonyms: [{ pred: 'hasExactSynonym', val: `Odd ${tag}` }] } },
          { id: iri(2), lbl: `obsolete Old ${tag}`, type: 'CLASS', meta: { deprecated: true } },
        ],
        edges: [{ sub: iri(1), pred: 'is_a', obj: iri(0) }],
      }],
    };
    fs.writeFileSync(path.join(dir, 'hp.json.gz'), zlib.gzipSync(JSON.stringify(graph)));
    const omim = `OMIM:${randomDigits(6)}`;
    // The 2023 layout: column names on the last comment line.
    const hpoa = [
      '#description: HPO annotations for rare diseases [8181 OMIM; 47 DECIPHER; 4242 ORPHANET]',
      '#date: 2099-02-28',
      '#DatabaseID\tDiseaseName\tQualifier\tHPO_ID\tReference\tEvidence\tOnset\tFrequency\tSex\tModifier\tAspect\tBiocuration',
      `${omim}\tSyndrome ${tag}\t\t${hp(1)}\t${omim}\tTAS\t\t1/2\t\t\tP\tHPO:test[2099-01-01]`,
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa.gz'), zlib.gzipSync(hpoa + '\n'));

    const result = await importHpo(executor, path.join(dir, 'hp.json.gz'), path.join(dir, 'phenotype.hpoa.gz'));
    expect(result).toMatchObject({ status: 'completed', version: '2099-02-28' });
    expect(result.counts).toMatchObject({ terms: 3, phenotypes: 2, annotationRows: 1, annotations: 1, skipped: 1 });
    const rows = await executor.read(
      'MATCH (d:Disease {id: $omim})-[r:HAS_PHENOTYPE]->(p:Phenotype)-[:IS_A]->(q:Phenotype) RETURN p.synonyms AS synonyms, q.id AS parent, r.frequency AS frequency, r.sourceVersion AS release',
      { omim },
    );
    expect(rows.records.map((r) => r.toObject())).toEqual([{ synonyms: [`Odd ${tag}`], parent: hp(0), frequency: '1/2', release: '2099-02-28' }]);
  });

  it('refuses .xz input with the command that unpacks it, writing nothing', async () => {
    const file = path.join(tempDir(), '01-Nov-2026-ClinicalEvidenceSummaries.tsv.xz');
    fs.writeFileSync(file, 'not read');
    await expect(importCivic(executor, file)).rejects.toThrow(ImportInputError);
    await expect(importCivic(executor, file)).rejects.toThrow(`unpack it first (xz -dk ${file})`);
  });
});
