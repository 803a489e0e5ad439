import fs from 'node:fs';
import path from 'node:path';
import type { QueryResult, RecordShape } from 'neo4j-driver';
import { ErrorCode, HubError } from '../../lib/errors';
import { Neo4jExecutor } from '../executor';
import { CIVIC_REQUIRED_COLUMNS, importCivic } from './civic';
import { ImportInputError } from './common';
import { countTagged, importRun, randomDigits, randomTag, runsWithVersion, tempDir, testExecutor } from './test-support';

// The current nightly ClinicalEvidenceSummaries.tsv header (molecular-profile model).
const HEADER = [
  'molecular_profile', 'molecular_profile_id', 'disease', 'doid', 'phenotypes', 'therapies', 'therapy_interaction_type',
  'evidence_type', 'evidence_direction', 'evidence_level', 'significance', 'evidence_statement', 'citation_id', 'source_type',
  'asco_abstract_id', 'citation', 'nct_ids', 'rating', 'evidence_status', 'evidence_id', 'variant_origin', 'last_review_date',
  'evidence_civic_url', 'molecular_profile_civic_url', 'is_flagged',
];

const INJECTION = `Melanoma"}) MATCH (n) DETACH DELETE n // ' OR 1=1 --`;

function civicFile(tag: string, opts: { drop?: string } = {}) {
  const doid = randomDigits(8);
  const eid = randomDigits(8);
  const mp = randomDigits(8);
  const row = (over: Record<string, string>) => HEADER.map((h) => over[h] ?? '').join('\t');
  const base = {
    disease: `Melanoma ${tag}`, doid, evidence_type: 'Predictive', evidence_direction: 'Supports', evidence_level: 'A',
    significance: 'Sensitivity/Response', citation_id: '21639808', source_type: 'PubMed', citation: 'Chapman et al., 2011, N. Engl. J. Med.',
    evidence_status: 'accepted', rating: '5', variant_origin: 'Somatic', last_review_date: '2024-01-05 12:00:00 UTC',
  };
  const rows = [
    row({ ...base, molecular_profile: `BRAF${tag} V600E`, molecular_profile_id: mp, therapies: `Vemurafenib${tag}, Cobimetinib${tag}`,
      therapy_interaction_type: 'Combination', evidence_statement: 'Phase 3 trial.', evidence_id: `${eid}1`, nct_ids: 'NCT01006980' }),
    row({ ...base, molecular_profile: `BRAF${tag} V600E`, molecular_profile_id: mp, therapies: `Dabrafenib${tag}`, evidence_id: `${eid}2`, evidence_level: 'B' }),
    row({ ...base, molecular_profile: `EGFR${tag} Exon 19 Deletion`, molecular_profile_id: `${mp}9`, evidence_type: 'Prognostic',
      significance: 'Better Outcome', evidence_id: `${eid}3`, disease: INJECTION, doid: `${doid}7` }),
    row({ ...base, molecular_profile: `BRAF${tag} V600E`, molecular_profile_id: mp, therapies: `X${tag}`, evidence_id: `${eid}4`, evidence_status: 'submitted' }),
    row({ ...base, molecular_profile: `BRAF${tag} V600E AND KRAS${tag} G12D`, molecular_profile_id: `${mp}8`, therapies: `Y${tag}`, evidence_id: `${eid}5` }),
    row({ ...base, molecular_profile: `KRAS${tag} G12C`, molecular_profile_id: `${mp}7`, therapies: `Z${tag}`, evidence_id: `${eid}6`, doid: '' }),
  ];
  const header = opts.drop ? HEADER.filter((h) => h !== opts.drop) : HEADER;
  const dropAt = opts.drop ? HEADER.indexOf(opts.drop) : -1;
  const lines = opts.drop ? rows.map((r) => r.split('\t').filter((_, i) => i !== dropAt).join('\t')) : rows;
  const file = path.join(tempDir(), '01-Nov-2026-ClinicalEvidenceSummaries.tsv');
  fs.writeFileSync(file, [header.join('\t'), ...lines].join('\n') + '\n');
  return { file, doid, eid, mp };
}

/** Fails every UNWIND batch after the first `ok` ones, as a Neo4j that went away would. */
class FlakyExecutor extends Neo4jExecutor {
  private batches = 0;
  constructor(
    inner: Neo4jExecutor,
    private readonly ok: number,
  ) {
    super(inner.driver, 'bolt://flaky');
  }
  override write<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    if (cypher.includes('UNWIND $rows') && ++this.batches > this.ok) {
      return Promise.reject(new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'Neo4j unreachable at bolt://flaky'));
    }
    return super.write<R>(cypher, params);
  }
}

describe('CIViC importer', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('imports accepted evidence with its variant, drugs and disease, records the run, and re-imports without change', async () => {
    const tag = randomTag();
    const { file, doid, eid, mp } = civicFile(tag);
    const result = await importCivic(executor, file, { batchSize: 2 });

    expect(result.status).toBe('completed');
    expect(result.version).toBe('01-Nov-2026');
    expect(result.counts).toMatchObject({ rows: 6, evidence: 3, skipped: 3 });
    expect(result.skipped.map((s) => s.reason).sort()).toEqual([
      'complex molecular profile (AND/OR/NOT)',
      'evidence_status "submitted" (only accepted evidence is imported)',
      'no DOID for the disease',
    ]);

    const res = await executor.read(
      `MATCH (e:Evidence {id: $id})-[:ABOUT_VARIANT]->(v:Variant)-[:IN_GENE]->(g:Gene), (e)-[:IN_DISEASE]->(x:Disease)
       OPTIONAL MATCH (e)-[:FOR_DRUG]->(d:Drug)
       RETURN properties(e) AS e, properties(v) AS v, g.symbol AS gene, properties(x) AS x, collect(d.id) AS drugs`,
      { id: `civic:EID${eid}1` },
    );
    const r = res.records[0]!;
    expect(r.get('e')).toMatchObject({
      level: 'A', type: 'PREDICTIVE', direction: 'SUPPORTS', significance: 'Sensitivity/Response', response: 'SENSITIVITY',
      citation: 'Chapman et al., 2011, N. Engl. J. Med. PubMed:21639808', lastReviewed: '2024-01-05 12:00:00 UTC',
      source: 'CIViC 01-Nov-2026', importRun: result.runId, nctIds: ['NCT01006980'], sourceRecordId: `EID${eid}1`,
      sourceUrl: `https://civicdb.org/evidence/${eid}1/summary`, interaction: 'COMBINATION',
    });
    expect(r.get('v')).toMatchObject({
      id: `BRAF${tag}:V600E`, gene: `BRAF${tag}`, proteinChange: 'p.V600E', name: 'V600E', level: 'protein', civicId: `civic:molecular-profile:${mp}`,
    });
    expect(r.get('gene')).toBe(`BRAF${tag}`);
    expect(r.get('x')).toMatchObject({ id: `DOID:${doid}`, name: `Melanoma ${tag}` });
    expect((r.get('drugs') as string[]).sort()).toEqual([`name:cobimetinib${tag.toLowerCase()}`, `name:vemurafenib${tag.toLowerCase()}`]);

    const exon = await executor.read('MATCH (v:Variant {gene: $gene}) RETURN v.proteinChange AS p', { gene: `EGFR${tag}` });
    expect(exon.records[0]!.get('p')).toBe('exon 19 deletion');

    const run = await importRun(executor, result.runId);
    expect(run).toMatchObject({ source: 'civic', version: '01-Nov-2026', status: 'completed' });
    expect(JSON.parse(run.counts as string)).toMatchObject({ evidence: 3, skipped: 3 });
    expect(run.finishedAt).toBeDefined();

    const before = await countTagged(executor, tag);
    const again = await importCivic(executor, file, { batchSize: 2 });
    expect(again).toMatchObject({ status: 'already-imported', runId: result.runId });
    const forced = await importCivic(executor, file, { batchSize: 2, force: true });
    expect(forced.status).toBe('completed');
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('puts evidence on the protein-level variant the seed uses, which the seed GRCh38 variant encodes, and reuses the RxNorm drug', async () => {
    const eid = randomDigits(9);
    const values: Record<string, string> = {
      molecular_profile: 'BRAF V600E', molecular_profile_id: randomDigits(8), disease: 'Melanoma', doid: '1909', therapies: 'Vemurafenib',
      evidence_type: 'Predictive', evidence_direction: 'Supports', evidence_level: 'A', significance: 'Sensitivity/Response',
      citation_id: '21639808', source_type: 'PubMed', citation: 'Chapman et al., 2011', evidence_status: 'accepted', evidence_id: eid,
    };
    const file = path.join(tempDir(), 'nightly-ClinicalEvidenceSummaries.tsv');
    fs.writeFileSync(file, `${HEADER.join('\t')}\n${HEADER.map((h) => values[h] ?? '').join('\t')}\n`);
    await importCivic(executor, file, { version: 'test-seed-reuse' });
    try {
      const res = await executor.read(
        `MATCH (e:Evidence {id: $id}) RETURN [(e)-[:ABOUT_VARIANT]->(v) | v.id] AS variants, [(e)-[:FOR_DRUG]->(d) | d.id] AS drugs,
                [(e)-[:IN_DISEASE]->(x) | x.name] AS diseases,
                [(e)-[:ABOUT_VARIANT]->(:Variant)<-[:ENCODES]-(g) | g.id] AS encodedBy`,
        { id: `civic:EID${eid}` },
      );
      expect(res.records[0]!.toObject()).toEqual({
        variants: ['BRAF:V600E'], drugs: ['1147220'], diseases: ['melanoma'], encodedBy: ['GRCh38:7:140753336:A:T'],
      });
    } finally {
      await executor.write('MATCH (e:Evidence {id: $id}) DETACH DELETE e', { id: `civic:EID${eid}` });
    }
  });

  it('stores a Cypher-injection attempt in a disease name literally', async () => {
    const tag = randomTag();
    const { file, doid } = civicFile(tag);
    await importCivic(executor, file);
    const res = await executor.read('MATCH (x:Disease {id: $id}) RETURN x.name AS name', { id: `DOID:${doid}7` });
    expect(res.records[0]!.get('name')).toBe(INJECTION);
    // The graph (seed included) is still there.
    expect((await executor.read('MATCH (g:Gene {symbol: "BRAF"}) RETURN count(g) AS n')).records[0]!.get('n')).toBe(1);
  });

  it.each(['evidence_status', 'molecular_profile', 'doid'])('refuses a file without the %s column and writes nothing', async (column) => {
    const tag = randomTag();
    const { file } = civicFile(tag, { drop: column });
    const version = `test-${tag}`;
    await expect(importCivic(executor, file, { version })).rejects.toThrow(ImportInputError);
    await expect(importCivic(executor, file, { version })).rejects.toThrow(new RegExp(`missing required column "${column}"`));
    expect(await runsWithVersion(executor, version)).toBe(0);
    expect(await countTagged(executor, tag)).toEqual({ nodes: 0, rels: 0 });
  });

  it('lists the required columns', () => {
    expect(CIVIC_REQUIRED_COLUMNS).toEqual(expect.arrayContaining(['evidence_status', 'evidence_id', 'therapies', 'doid']));
  });

  it('marks the run failed when Neo4j goes away mid-import, and a re-run completes it', async () => {
    const tag = randomTag();
    const { file } = civicFile(tag);
    const flaky = new FlakyExecutor(executor, 1);
    await expect(importCivic(flaky, file, { batchSize: 1 })).rejects.toThrow(/unreachable/);
    const failed = await executor.read<{ status: string; counts: string }>(
      `MATCH (r:ImportRun {source: 'civic'}) WHERE r.id STARTS WITH 'civic:01-Nov-2026:' AND r.status = 'failed' AND r.error CONTAINS 'flaky'
       RETURN r.status AS status, r.counts AS counts ORDER BY r.startedAt DESC LIMIT 1`,
    );
    expect(failed.records[0]!.get('status')).toBe('failed');
    expect(JSON.parse(failed.records[0]!.get('counts'))).toMatchObject({ evidence: 1 });
    const partial = await executor.read<{ n: number }>('MATCH (e:Evidence)-[:ABOUT_VARIANT]->(:Variant {gene: $gene}) RETURN count(e) AS n', {
      gene: `BRAF${tag}`,
    });
    expect(partial.records[0]!.get('n')).toBe(1); // the first batch committed; the second rolled back

    const resumed = await importCivic(executor, file, { batchSize: 1 });
    expect(resumed.status).toBe('completed');
    const all = await executor.read<{ n: number }>('MATCH (e:Evidence)-[:ABOUT_VARIANT]->(v:Variant) WHERE v.gene IN $genes RETURN count(e) AS n', {
      genes: [`BRAF${tag}`, `EGFR${tag}`],
    });
    expect(all.records[0]!.get('n')).toBe(3);
  });

  it('skips malformed rows with their code and line, imports the rest, and records the codes on the run', async () => {
    const tag = randomTag();
    const eid = randomDigits(8);
    const row = (over: Record<string, string>) =>
      HEADER.map((h) => ({
        molecular_profile: `BRAF${tag} V600E`, molecular_profile_id: randomDigits(8), disease: `Melanoma ${tag}`, doid: randomDigits(8), therapies: `Drug${tag}`,
        evidence_type: 'Predictive', evidence_direction: 'Supports', evidence_level: 'A', significance: 'Sensitivity/Response', citation_id: '21639808',
        source_type: 'PubMed', citation: 'Chapman et al., 2011', evidence_status: 'accepted', rating: '4', ...over,
      })[h] ?? '').join('\t');
    const file = path.join(tempDir(), '01-Nov-2026-ClinicalEvidenceSummaries.tsv');
    fs.writeFileSync(
      file,
      [
        HEADER.join('\t'),
        row({ evidence_id: `${eid}1` }),
        row({ evidence_id: `${eid}2`, molecular_profile: `braf${tag.toLowerCase()} V600E` }),
        row({ evidence_id: `${eid}3`, nct_ids: 'NCT0100698' }),
        row({ evidence_id: `${eid}4`, rating: 'NaN' }),
        row({ evidence_id: `${eid}5`, evidence_statement: 'Clears the screen \u001b[2J' }),
        row({ evidence_id: `${eid}6`, disease: 'x'.repeat(2001) }),
        row({ evidence_id: `${eid}7`, doid: 'melanoma' }),
      ].join('\n') + '\n',
    );
    const result = await importCivic(executor, file);
    expect(result.counts).toMatchObject({ rows: 7, evidence: 1, skipped: 6 });
    expect(result.skipped.map(({ code, examples }) => [code, examples])).toEqual([
      ['INVALID_GENE_SYMBOL', ['line 3']],
      ['INVALID_NCT_ID', ['line 4']],
      ['NON_FINITE_NUMBER', ['line 5']],
      ['CONTROL_CHARACTER', ['line 6']],
      ['TEXT_TOO_LONG', ['line 7']],
      ['INVALID_IDENTIFIER', ['line 8']],
    ]);
    expect(result.skipped[0]!.reason).toBe(`gene "braf${tag.toLowerCase()}" is not an HGNC gene symbol`);
    const run = await importRun(executor, result.runId);
    expect(JSON.parse(run.counts as string).skippedCodes).toEqual({
      INVALID_GENE_SYMBOL: 1, INVALID_NCT_ID: 1, NON_FINITE_NUMBER: 1, CONTROL_CHARACTER: 1, TEXT_TOO_LONG: 1, INVALID_IDENTIFIER: 1,
    });
    const stored = await executor.read<{ n: number }>('MATCH (e:Evidence) WHERE e.id STARTS WITH $prefix RETURN count(e) AS n', { prefix: `civic:EID${eid}` });
    expect(stored.records[0]!.get('n')).toBe(1);
  });
});
