import type { Neo4jExecutor } from '../../../knowledge-graph/executor';

export interface GeneRecord {
  symbol: string;
  name: string | null;
  hgncId: string | null;
}

export interface VariantKnowledge {
  id: string;
  gene: GeneRecord | null;
  proteinChange: string | null;
}

export interface TherapyRecord {
  drug: { id: string; name: string };
  /** Every drug of the evidence item (a combination names several). */
  drugs: { id: string; name: string }[];
  interaction: string | null;
  evidenceLevel: string;
  response: 'SENSITIVITY' | 'RESISTANCE';
  disease: { id: string; name: string } | null;
  source: string;
  sourceRecordId: string | null;
  sourceUrl: string | null;
  citation: string;
  /** The variant the evidence is recorded for: the variant itself, or the protein change or category it encodes. */
  evidenceFor: string;
}

export interface TrialRecord {
  nctId: string;
  title: string;
  phase: string | null;
  source: string | null;
}

/** Data access for the knowledge-graph subgraph; every method takes a batch of keys. */
export interface KnowledgeRepository {
  genesBySymbols(symbols: readonly string[]): Promise<(GeneRecord | null)[]>;
  variantsByIds(ids: readonly string[]): Promise<(VariantKnowledge | null)[]>;
  therapiesByVariantIds(ids: readonly string[]): Promise<TherapyRecord[][]>;
  trialsByVariantIds(ids: readonly string[]): Promise<TrialRecord[][]>;
  drugsByIds(ids: readonly string[]): Promise<({ id: string; name: string } | null)[]>;
  trialsByNctIds(ids: readonly string[]): Promise<(TrialRecord | null)[]>;
}

const GENES_BY_SYMBOLS = `
  UNWIND $keys AS key MATCH (g:Gene {symbol: key})
  RETURN key, g {.symbol, .name, .hgncId} AS value`;
const VARIANTS_BY_IDS = `
  UNWIND $keys AS key MATCH (v:Variant {id: key})
  OPTIONAL MATCH (v)-[:IN_GENE]->(g:Gene)
  RETURN key, {id: v.id, proteinChange: v.proteinChange, gene: CASE WHEN g IS NULL THEN null ELSE g {.symbol, .name, .hgncId} END} AS value`;
// Evidence recorded for the variant itself and for the protein change or category it ENCODES (CIViC
// records "BRAF V600E" and "BRAF V600"). Best evidence first: level A..E, sensitivity before
// resistance, higher CIViC rating, then drug name and evidence id for a stable order.
const THERAPIES_BY_VARIANT_IDS = `
  UNWIND $keys AS key
  MATCH (v:Variant {id: key})
  OPTIONAL MATCH (v)-[:ENCODES]->(p:Variant)
  WITH key, v, collect(p) AS encoded
  WITH key, [v] + encoded AS targets
  UNWIND targets AS target
  MATCH (target)<-[:ABOUT_VARIANT]-(e:Evidence)
  CALL (e) {
    MATCH (e)-[:FOR_DRUG]->(d:Drug)
    WITH d ORDER BY d.name
    RETURN collect(d {.id, .name}) AS drugs
  }
  OPTIONAL MATCH (e)-[:IN_DISEASE]->(x:Disease)
  WITH key, target, e, drugs, x
  WHERE size(drugs) > 0
  ORDER BY e.level, CASE e.response WHEN 'SENSITIVITY' THEN 0 ELSE 1 END, coalesce(e.rating, 0) DESC, drugs[0].name, e.id
  RETURN key, collect({
    drug: drugs[0], drugs: drugs, interaction: e.interaction, evidenceLevel: e.level, response: e.response,
    disease: CASE WHEN x IS NULL THEN null ELSE x {.id, .name} END, source: e.source,
    sourceRecordId: e.sourceRecordId, sourceUrl: e.sourceUrl, citation: e.citation,
    evidenceFor: coalesce(target.name, target.proteinChange, target.id)
  }) AS value`;
const TRIALS_BY_VARIANT_IDS = `
  UNWIND $keys AS key
  MATCH (:Variant {id: key})<-[:REQUIRES_VARIANT]-(t:Trial)
  WITH key, t ORDER BY t.nctId
  RETURN key, collect(t {.nctId, .title, .phase, .source}) AS value`;
const DRUGS_BY_IDS = `UNWIND $keys AS key MATCH (d:Drug {id: key}) RETURN key, d {.id, .name} AS value`;
const TRIALS_BY_NCT_IDS = `UNWIND $keys AS key MATCH (t:Trial {nctId: key}) RETURN key, t {.nctId, .title, .phase, .source} AS value`;

export class Neo4jKnowledgeRepository implements KnowledgeRepository {
  constructor(private readonly executor: Neo4jExecutor) {}

  private async byKey<T>(cypher: string, keys: readonly string[], missing: T): Promise<T[]> {
    const result = await this.executor.read<{ key: string; value: T }>(cypher, { keys: [...new Set(keys)] });
    const byKey = new Map(result.records.map((r) => [r.get('key'), r.get('value')]));
    return keys.map((k) => byKey.get(k) ?? missing);
  }

  genesBySymbols(symbols: readonly string[]) {
    return this.byKey<GeneRecord | null>(GENES_BY_SYMBOLS, symbols, null);
  }
  variantsByIds(ids: readonly string[]) {
    return this.byKey<VariantKnowledge | null>(VARIANTS_BY_IDS, ids, null);
  }
  therapiesByVariantIds(ids: readonly string[]) {
    return this.byKey<TherapyRecord[]>(THERAPIES_BY_VARIANT_IDS, ids, []);
  }
  trialsByVariantIds(ids: readonly string[]) {
    return this.byKey<TrialRecord[]>(TRIALS_BY_VARIANT_IDS, ids, []);
  }
  drugsByIds(ids: readonly string[]) {
    return this.byKey<{ id: string; name: string } | null>(DRUGS_BY_IDS, ids, null);
  }
  trialsByNctIds(ids: readonly string[]) {
    return this.byKey<TrialRecord | null>(TRIALS_BY_NCT_IDS, ids, null);
  }
}
