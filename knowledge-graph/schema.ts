import type { Neo4jExecutor } from './executor';

/** Uniqueness constraints double as the lookup indexes for every MERGE on an id. */
export const CONSTRAINTS = [
  'CREATE CONSTRAINT gene_symbol IF NOT EXISTS FOR (g:Gene) REQUIRE g.symbol IS UNIQUE',
  'CREATE CONSTRAINT variant_id IF NOT EXISTS FOR (v:Variant) REQUIRE v.id IS UNIQUE',
  'CREATE CONSTRAINT drug_id IF NOT EXISTS FOR (d:Drug) REQUIRE d.id IS UNIQUE',
  'CREATE CONSTRAINT disease_id IF NOT EXISTS FOR (d:Disease) REQUIRE d.id IS UNIQUE',
  'CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (e:Evidence) REQUIRE e.id IS UNIQUE',
  'CREATE CONSTRAINT trial_nct IF NOT EXISTS FOR (t:Trial) REQUIRE t.nctId IS UNIQUE',
  // Knowledge-base importers (knowledge-graph/importers).
  'CREATE CONSTRAINT phenotype_id IF NOT EXISTS FOR (p:Phenotype) REQUIRE p.id IS UNIQUE',
  'CREATE CONSTRAINT guideline_id IF NOT EXISTS FOR (g:Guideline) REQUIRE g.id IS UNIQUE',
  'CREATE CONSTRAINT trial_site_id IF NOT EXISTS FOR (s:TrialSite) REQUIRE s.id IS UNIQUE',
  'CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (r:ImportRun) REQUIRE r.id IS UNIQUE',
  // One start-up marker per knowledge base (releases.ts).
  'CREATE CONSTRAINT source_release_source IF NOT EXISTS FOR (s:SourceRelease) REQUIRE s.source IS UNIQUE',
];

export const INDEXES = [
  'CREATE INDEX variant_protein IF NOT EXISTS FOR (v:Variant) ON (v.gene, v.proteinChange)',
  'CREATE INDEX drug_name IF NOT EXISTS FOR (d:Drug) ON (d.name)',
  // Importers link trial conditions to diseases by name, and list runs per source.
  'CREATE INDEX disease_name IF NOT EXISTS FOR (d:Disease) ON (d.name)',
  // trials(filter: {near}): distance from a point to trial sites.
  'CREATE POINT INDEX trial_site_location IF NOT EXISTS FOR (s:TrialSite) ON (s.location)',
  'CREATE INDEX trial_status IF NOT EXISTS FOR (t:Trial) ON (t.status)',
  'CREATE INDEX import_run_source IF NOT EXISTS FOR (r:ImportRun) ON (r.source, r.startedAt)',
];

export async function applySchema(executor: Neo4jExecutor): Promise<void> {
  for (const statement of [...CONSTRAINTS, ...INDEXES]) await executor.write(statement);
}
