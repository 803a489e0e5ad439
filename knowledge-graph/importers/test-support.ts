/** Helpers for the importer integration tests (real Neo4j from the jest global setup). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { QueryResult, RecordShape } from 'neo4j-driver';
import { ErrorCode, HubError } from '../../lib/errors';
import { createDriver, Neo4jExecutor } from '../executor';

export function testExecutor(): Neo4jExecutor {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set: tests/global-setup.ts starts the embedded Neo4j');
  return new Neo4jExecutor(createDriver({ uri, user: process.env.NEO4J_USER || undefined, password: process.env.NEO4J_PASSWORD }), uri);
}

/** Counts UNWIND batches written; fails every batch after the first `ok`, as a Neo4j that went away would. */
export class CountingExecutor extends Neo4jExecutor {
  batches = 0;
  writes = 0;
  constructor(
    inner: Neo4jExecutor,
    private readonly ok = Infinity,
  ) {
    super(inner.driver, 'bolt://counting');
  }
  override write<R extends RecordShape = RecordShape>(cypher: string, params: Record<string, unknown> = {}): Promise<QueryResult<R>> {
    this.writes += 1;
    if (cypher.includes('UNWIND $rows') && ++this.batches > this.ok) {
      return Promise.reject(new HubError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'Neo4j unreachable at bolt://counting'));
    }
    return super.write<R>(cypher, params);
  }
}

/** Six random upper-case letters (four sometimes occurred inside real HPO names): put into every gene symbol / name a test creates. */
export function randomTag(): string {
  return Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
}

/** A random number of `digits` digits starting with 9 (ids unlikely to meet real data). */
export function randomDigits(digits: number): string {
  let s = '9';
  while (s.length < digits) s += Math.floor(Math.random() * 10);
  return s;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kg-import-test-'));
}

const COUNT_TAGGED = `
  MATCH (n)
  WHERE NOT n:ImportRun AND any(v IN [n.id, n.symbol, n.nctId, n.name, n.gene] WHERE toLower(v) CONTAINS toLower($tag))
  OPTIONAL MATCH (n)-[r]-(m)
  WITH collect(DISTINCT n) + collect(DISTINCT m) AS nodes, collect(DISTINCT r) AS rels
  RETURN size(reduce(seen = [], x IN nodes | CASE WHEN x IN seen THEN seen ELSE seen + x END)) AS nodes, size(rels) AS rels`;

/** Nodes carrying the tag, their neighbours, and the relationships between them. */
export async function countTagged(executor: Neo4jExecutor, tag: string): Promise<{ nodes: number; rels: number }> {
  const rec = (await executor.read<{ nodes: number; rels: number }>(COUNT_TAGGED, { tag })).records[0]!;
  return { nodes: rec.get('nodes'), rels: rec.get('rels') };
}

export async function importRun(executor: Neo4jExecutor, id: string): Promise<Record<string, unknown>> {
  const res = await executor.read('MATCH (r:ImportRun {id: $id}) RETURN properties(r) AS r', { id });
  return res.records[0]!.get('r') as Record<string, unknown>;
}

export async function runsWithVersion(executor: Neo4jExecutor, version: string): Promise<number> {
  const res = await executor.read<{ n: number }>('MATCH (r:ImportRun {version: $version}) RETURN count(r) AS n', { version });
  return res.records[0]!.get('n');
}

/**
 * A record in the flattened export layout (docs/knowledge-releases/knowledge-bases.md, "Clinical trials"),
 * written for this test: the field names and value styles of that layout, not a real trial's content.
 */
export function snapshotRecord(nctId: string, tag: string) {
  return {
    nct_id: nctId,
    title: `Adagrasib ${tag} in KRAS G12C-mutant solid tumours`,
    phase: 'Phase 1/Phase 2',
    status: 'Not yet recruiting',
    study_type: 'Interventional',
    conditions: [`Lung Cancer ${tag}`],
    interventions: [`Adagrasib ${tag}`, 'Tumour biopsy'],
    molecular_targets: null,
    sponsor: 'Test sponsor',
    collaborators: [],
    enrollment_count: 40,
    start_date: '2026-01-05',
    completion_date: null,
    locations: ['Germany', 'Japan'],
    summary: 'A test record.',
    source_url: `https://clinicaltrials.gov/study/${nctId}`,
    eligibility: {
      raw_text: `Inclusion Criteria:\n\n* KRAS${tag} G12C mutation\n* Hemoglobin >= 9 g/dL\n\nExclusion Criteria:\n\n* EGFR${tag} L858R mutation`,
      minimum_age: '18 Years',
      maximum_age: null,
      sex: 'ALL',
      accepts_healthy_volunteers: false,
    },
    confidence_flags: { needs_review: false, review_reasons: [] },
  };
}

/**
 * A guideline document in PharmGKB's guideline-annotation layout (cpic-pharmgkb.ts), written for the tests:
 * the layout's field names and value styles (HTML text with an "Other Considerations" section and a table,
 * "GENE: text" implications, two-gene lookup keys), not any guideline's content. Gene symbols and the drug
 * name carry `tag`; `ids` are the recommendations' PharmGKB ids (PA + digits).
 */
export function pharmgkbGuideline(tag: string, ids: [string, string], source = 'CPIC') {
  const [a, b] = [`GENEA${tag}`, `GENEB${tag}`];
  return {
    guideline: { id: 'PA990000001', name: `Annotation of ${source} Guideline for testdrug ${tag}`, source, version: 3, url: 'https://www.pharmgkb.org/guidelineAnnotation/PA990000001', recommendation: true },
    recommendations: [
      {
        id: ids[0],
        name: `Recommendation ${ids[0]}`,
        population: 'general ',
        classification: { term: 'Strong', termId: 'guidelineStrength:1' },
        relatedChemicals: [{ id: 'PA990000002', name: `testdrug ${tag}`, symbol: null }],
        text: {
          id: 1,
          html: `<p>Reduce the starting dose by 50 % if &quot;${a}&quot; activity &lt; 1</p>\n<h4 id="other-considerations">Other Considerations</h4>\n<table><thead><tr><th>Dose</th><th>Level</th></tr></thead><tbody><tr><td>&gt;= 10 mg</td><td>high</td></tr></tbody></table>\n<p>Monitor.</p>\n`,
        },
        implications: [`${a}: Reduced activity`, `${b}: Normal activity`, 'Applies to adults only'],
        lookupKey: { [a]: 'Intermediate Metabolizer', [b]: '2.0' },
        dosingInformation: true,
        alternateDrugAvailable: false,
        otherPrescribingGuidance: false,
      },
      { id: ids[1], population: 'general', classification: { term: 'Optional' }, relatedChemicals: [], text: { html: '<p>x</p>' }, implications: [], lookupKey: { [a]: 'Poor Metabolizer' } },
    ],
    citations: [{ pmid: '99000001', title: 'Test guideline', authors: ['A'], journal: 'J', year: 2024 }],
    version: '2024-03-25-16-13',
  };
}

/** CIViC's VariantSummaries.tsv header (01-Aug-2024 release), for rows the tests write themselves. */
export const CIVIC_VARIANT_HEADER = [
  'variant_id', 'variant_civic_url', 'gene', 'entrez_id', 'variant', 'variant_groups', 'chromosome', 'start', 'stop', 'reference_bases',
  'variant_bases', 'representative_transcript', 'ensembl_version', 'reference_build', 'chromosome2', 'start2', 'stop2',
  'representative_transcript2', 'variant_types', 'hgvs_descriptions', 'last_review_date', 'allele_registry_id', 'clinvar_ids',
  'variant_aliases', 'is_flagged', 'single_variant_molecular_profile_id',
];

/** One VariantSummaries row from the named fields (others empty), in the header's order. */
export function civicVariantLine(fields: Partial<Record<(typeof CIVIC_VARIANT_HEADER)[number], string>>): string {
  return CIVIC_VARIANT_HEADER.map((column) => (fields as Record<string, string>)[column] ?? '').join('\t');
}
