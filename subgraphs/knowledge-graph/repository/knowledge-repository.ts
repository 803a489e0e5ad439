import neo4j from 'neo4j-driver';
import type { Neo4jExecutor } from '../../../knowledge-graph/executor';
import { guidelineVersionKey } from '../../../knowledge-graph/guideline-versions';

/** LIMIT takes an integer; JavaScript numbers reach Cypher as floats. */
const neo4jInt = (n: number) => neo4j.int(n);

export interface GeneRecord {
  symbol: string;
  name: string | null;
  hgncId: string | null;
}

export interface VariantKnowledge {
  id: string;
  gene: GeneRecord | null;
  proteinChange: string | null;
  /** Knowledge-base variants this one ENCODES (protein change, codon). */
  encodes: string[];
}

export interface EvidenceRecord {
  id: string;
  type: string | null;
  level: string;
  direction: string | null;
  significance: string | null;
  response: string | null;
  rating: number | null;
  statement: string | null;
  disease: { id: string; name: string } | null;
  drugs: { id: string; name: string }[];
  interaction: string | null;
  citation: string;
  lastReviewed: string | null;
  evidenceFor: string;
  source: { name: string; recordId: string; url: string | null; version: string | null };
}

export interface GuidelineRecord {
  id: string;
  name: string | null;
  url: string | null;
  drug: { id: string; name: string };
  /** JSON object gene → phenotype. */
  phenotypes: string;
  /** JSON object gene → lookup value (phenotype or activity score). */
  lookupKey: string | null;
  recommendation: string;
  classification: string | null;
  population: string | null;
  /** JSON object gene → CPIC's implication text. */
  implications: string | null;
  comments: string | null;
  citations: string[] | null;
  source: string;
  sourceVersion: string | null;
}

export interface DrugGeneInteractionRecord {
  gene: string;
  kind: string;
  count: number;
  bestLevel: string | null;
  sources: string[];
}

export interface KnowledgeBaseVersionRecord {
  source: string;
  version: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: string | null;
  /** sha256 of the input the run read (importers); null for the seed. */
  checksum: string | null;
  files: string[] | null;
}

export interface TrialSiteRecord {
  facility: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  status: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface TrialEligibilityRecord {
  minimumAge: number | null;
  maximumAge: number | null;
  sex: string | null;
  requiredVariants: string[];
  excludedVariants: string[];
  /** JSON list of lab criteria, as the importer stores it. */
  labCriteria: string | null;
  text: string | null;
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
  /** Which release of the knowledge base the evidence came from (seed version or import run). */
  sourceVersion: string | null;
  citation: string;
  /** The variant the evidence is recorded for: the variant itself, or the protein change or category it encodes. */
  evidenceFor: string;
}

export interface TrialRecord {
  nctId: string;
  title: string;
  phase: string | null;
  status: string | null;
  conditions: string[];
  source: string | null;
}

export interface TrialFilter {
  gene?: string | null;
  variant?: string | null;
  condition?: string | null;
  phase?: string | null;
  status?: string | null;
  near?: { latitude: number; longitude: number; radiusKm: number } | null;
}

export interface DiseaseRecord {
  id: string;
  name: string;
}

export interface DiseasePhenotypeRecord {
  phenotype: { id: string; name: string };
  frequency: string | null;
  evidence: string | null;
  reference: string | null;
}

export interface GeneDiseaseRecord {
  disease: DiseaseRecord;
  associationType: string | null;
  source: string | null;
  reference: string | null;
}

/** Data access for the knowledge-graph subgraph; every method takes a batch of keys. */
export interface KnowledgeRepository {
  genesBySymbols(symbols: readonly string[]): Promise<(GeneRecord | null)[]>;
  variantsByIds(ids: readonly string[]): Promise<(VariantKnowledge | null)[]>;
  therapiesByVariantIds(ids: readonly string[]): Promise<TherapyRecord[][]>;
  trialsByVariantIds(ids: readonly string[]): Promise<TrialRecord[][]>;
  drugsByIds(ids: readonly string[]): Promise<({ id: string; name: string } | null)[]>;
  trialsByNctIds(ids: readonly string[]): Promise<(TrialRecord | null)[]>;
  drugsBySearch(text: string, first: number): Promise<{ id: string; name: string }[]>;
  drugsByGenes(symbols: readonly string[]): Promise<{ id: string; name: string }[][]>;
  diseasesByGenes(symbols: readonly string[]): Promise<GeneDiseaseRecord[][]>;
  trialsByFilter(filter: TrialFilter, first: number, after?: string | null): Promise<TrialRecord[]>;
  diseasesByIds(ids: readonly string[]): Promise<(DiseaseRecord | null)[]>;
  phenotypesByDiseaseIds(ids: readonly string[]): Promise<DiseasePhenotypeRecord[][]>;
  phenotypesBySearch(text: string, first: number): Promise<{ id: string; name: string }[]>;
  evidenceByVariantIds(ids: readonly string[]): Promise<EvidenceRecord[][]>;
  guidelinesByGenes(symbols: readonly string[]): Promise<GuidelineRecord[][]>;
  guidelinesByDrugIds(ids: readonly string[]): Promise<GuidelineRecord[][]>;
  interactionsByDrugIds(ids: readonly string[]): Promise<DrugGeneInteractionRecord[][]>;
  eligibilityByNctIds(ids: readonly string[]): Promise<TrialEligibilityRecord[]>;
  sitesByNctIds(ids: readonly string[]): Promise<TrialSiteRecord[][]>;
  knowledgeBaseVersions(): Promise<KnowledgeBaseVersionRecord[]>;
  phenotypeCorpus(): Promise<PhenotypeCorpusRecord>;
  conceptDictionary(): Promise<ConceptRecord[]>;
}

export interface ConceptRecord {
  id: string;
  kind: 'drug' | 'gene' | 'condition' | 'phenotype' | 'variant';
  names: string[];
}

/** A disease of the corpus as its Cypher returns it (ANNOTATED_DISEASES; eval/corpus.ts reads one release the same way). */
export interface AnnotatedDiseaseRow {
  id: string;
  name: string;
  annotations: [string, string | null][];
  genes: string[];
  /** Distinct and sorted. */
  inheritance: string[];
}

/** A disease's annotations as the corpus gives them: `frequencies[i]` is the HPOA frequency of `phenotypes[i]`. */
export function diseaseAnnotations(row: AnnotatedDiseaseRow) {
  return {
    id: row.id,
    name: row.name,
    phenotypes: row.annotations.map((a) => a[0]),
    frequencies: row.annotations.map((a) => a[1] ?? null),
    genes: row.genes,
    inheritance: row.inheritance,
  };
}

export interface PhenotypeCorpusRecord {
  terms: { id: string; name: string; parents: string[] }[];
  /**
   * `phenotypes` may repeat an id (one HAS_PHENOTYPE edge per reference); `frequencies` is parallel to it.
   * `inheritance`: the modes of inheritance (HAS_INHERITANCE, HPOA aspect I), distinct and sorted.
   */
  diseases: { id: string; name: string; phenotypes: string[]; frequencies: (string | null)[]; genes: string[]; inheritance: string[] }[];
}

const GENES_BY_SYMBOLS = `
  UNWIND $keys AS key MATCH (g:Gene {symbol: key})
  RETURN key, g {.symbol, .name, .hgncId} AS value`;
const VARIANTS_BY_IDS = `
  UNWIND $keys AS key MATCH (v:Variant {id: key})
  OPTIONAL MATCH (v)-[:IN_GENE]->(g:Gene)
  RETURN key, {id: v.id, proteinChange: v.proteinChange, gene: CASE WHEN g IS NULL THEN null ELSE g {.symbol, .name, .hgncId} END,
               encodes: [(v)-[:ENCODES]->(p:Variant) | p.id]} AS value`;
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
    AND e.response IN ['SENSITIVITY', 'REDUCED_SENSITIVITY', 'RESISTANCE', 'ADVERSE_RESPONSE']
  ORDER BY e.level, CASE e.response WHEN 'SENSITIVITY' THEN 0 WHEN 'REDUCED_SENSITIVITY' THEN 1 WHEN 'RESISTANCE' THEN 2 ELSE 3 END,
           coalesce(e.rating, 0) DESC, drugs[0].name, e.id
  RETURN key, collect({
    drug: drugs[0], drugs: drugs, interaction: e.interaction, evidenceLevel: e.level, response: e.response,
    disease: CASE WHEN x IS NULL THEN null ELSE x {.id, .name} END, source: e.source,
    sourceRecordId: e.sourceRecordId, sourceUrl: e.sourceUrl, citation: e.citation,
    sourceVersion: coalesce(e.sourceVersion, e.importRun),
    evidenceFor: coalesce(target.name, target.proteinChange, target.id)
  }) AS value`;
const TRIALS_BY_VARIANT_IDS = `
  UNWIND $keys AS key
  MATCH (:Variant {id: key})<-[:REQUIRES_VARIANT]-(t:Trial)
  WITH key, t ORDER BY t.nctId
  RETURN key, collect(t {.nctId, .title, .phase, .status, .source, conditions: coalesce(t.conditions, [])}) AS value`;
const DRUGS_BY_IDS = `UNWIND $keys AS key MATCH (d:Drug {id: key}) RETURN key, d {.id, .name} AS value`;
const TRIALS_BY_NCT_IDS = `
  UNWIND $keys AS key MATCH (t:Trial {nctId: key})
  RETURN key, t {.nctId, .title, .phase, .status, .source, conditions: coalesce(t.conditions, [])} AS value`;
// Search text is a parameter, never spliced into Cypher.
const DRUGS_BY_SEARCH = `
  MATCH (d:Drug) WHERE toLower(d.name) CONTAINS toLower($text)
  RETURN d {.id, .name} AS drug ORDER BY d.name LIMIT $first`;
const DRUGS_BY_GENES = `
  UNWIND $keys AS key
  MATCH (:Gene {symbol: key})<-[:IN_GENE]-(:Variant)<-[:ABOUT_VARIANT]-(e:Evidence {response: 'SENSITIVITY'})-[:FOR_DRUG]->(d:Drug)
  WITH key, d ORDER BY d.name
  RETURN key, collect(DISTINCT d {.id, .name}) AS value`;
const DISEASES_BY_GENES = `
  UNWIND $keys AS key
  MATCH (:Gene {symbol: key})<-[r:ASSOCIATED_GENE]-(x:Disease)
  WITH key, r, x ORDER BY x.name, x.id, r.associationType, r.source
  RETURN key, collect({disease: x {.id, .name}, associationType: r.associationType, source: r.source, reference: r.reference}) AS value`;
const TRIALS_BY_FILTER = `
  MATCH (t:Trial)
  WHERE ($after IS NULL OR t.nctId > $after)
    AND ($phase IS NULL OR t.phase = $phase)
    AND ($status IS NULL OR t.status = $status)
    AND ($near IS NULL OR EXISTS {
      MATCH (t)-[:AT_SITE]->(s:TrialSite)
      WHERE point.distance(s.location, point({latitude: $near.latitude, longitude: $near.longitude})) <= $near.radiusKm * 1000
    })
    AND ($condition IS NULL OR any(c IN coalesce(t.conditions, []) WHERE toLower(c) CONTAINS toLower($condition)))
    AND ($gene IS NULL OR EXISTS { (t)-[:REQUIRES_VARIANT]->(:Variant {gene: $gene}) })
    AND ($variant IS NULL OR EXISTS {
      MATCH (t)-[:REQUIRES_VARIANT]->(v:Variant)
      WHERE v.id = $variant OR v.name = $variant OR v.proteinChange = $variant OR v.proteinChange = 'p.' + $variant
         OR EXISTS { (:Variant {id: $variant})-[:ENCODES]->(v) }
    })
  RETURN t {.nctId, .title, .phase, .status, .source, conditions: coalesce(t.conditions, [])} AS trial ORDER BY t.nctId LIMIT $first`;
const DISEASES_BY_IDS = `UNWIND $keys AS key MATCH (x:Disease {id: key}) RETURN key, x {.id, .name} AS value`;
const PHENOTYPES_BY_DISEASE_IDS = `
  UNWIND $keys AS key
  MATCH (:Disease {id: key})-[r:HAS_PHENOTYPE]->(p:Phenotype)
  WITH key, r, p ORDER BY p.name
  RETURN key, collect({phenotype: p {.id, .name}, frequency: r.frequency, evidence: r.evidence, reference: r.reference}) AS value`;
const PHENOTYPES_BY_SEARCH = `
  MATCH (p:Phenotype) WHERE toLower(p.name) CONTAINS toLower($text)
  RETURN p {.id, .name} AS phenotype ORDER BY size(p.name), p.name LIMIT $first`;

// Every evidence item for the variant and what it ENCODES, best level first. Evidence.source leads
// back to the record: the knowledge base's record id and URL, else the evidence id (the project's own
// seed records; the resolver then links the PubMed page of the citation).
const EVIDENCE_BY_VARIANT_IDS = `
  UNWIND $keys AS key
  MATCH (v:Variant {id: key})
  OPTIONAL MATCH (v)-[:ENCODES]->(p:Variant)
  WITH key, v, collect(p) AS encoded
  UNWIND [v] + encoded AS target
  MATCH (target)<-[:ABOUT_VARIANT]-(e:Evidence)
  OPTIONAL MATCH (e)-[:IN_DISEASE]->(x:Disease)
  WITH key, target, e, x, [(e)-[:FOR_DRUG]->(d:Drug) | d {.id, .name}] AS drugs
  ORDER BY e.level, coalesce(e.rating, 0) DESC, e.id
  RETURN key, collect({
    id: e.id, type: e.type, level: e.level, direction: e.direction, significance: coalesce(e.significance, e.response),
    response: e.response, rating: e.rating, statement: e.statement,
    disease: CASE WHEN x IS NULL THEN null ELSE x {.id, .name} END,
    drugs: drugs, interaction: e.interaction, citation: coalesce(e.citation, ''), lastReviewed: toString(e.lastReviewed),
    evidenceFor: coalesce(target.name, target.proteinChange, target.id),
    source: {name: coalesce(e.source, 'unknown'), recordId: coalesce(e.sourceRecordId, e.id), url: e.sourceUrl,
             version: coalesce(e.sourceVersion, e.importRun)}
  }) AS value`;
const GUIDELINE_FIELDS = `.id, .name, .url, .phenotypes, .lookupKey, .recommendation, .classification, .population, .implications, .comments, .citations, .source, .sourceVersion`;
// Of one gene–drug pair (the drug and the guideline's whole gene set), only the newest CPIC version answers: the
// seed and an imported release, or two releases, hold the pair under different ids and may disagree; each answer
// keeps its sourceVersion, naming the release. Newest by the dates the data states (knowledge-graph/guideline-versions.ts).
const NEWEST_CPIC_VERSION_PER_PAIR = `
  CALL (r) {
    MATCH (r)-[:FOR_GENE]->(g:Gene)
    WITH g.symbol AS symbol ORDER BY symbol
    RETURN collect(symbol) AS pairGenes
  }
  WITH key, d, r, pairGenes, ${guidelineVersionKey('r')} AS version
  WITH key, d, pairGenes, max(version) AS newest, collect({r: r, version: version}) AS versions
  UNWIND versions AS candidate
  WITH key, d, candidate.r AS r WHERE candidate.version = newest`;
const GUIDELINES_BY_GENES = `
  UNWIND $keys AS key
  MATCH (:Gene {symbol: key})<-[:FOR_GENE]-(r:Guideline)-[:FOR_DRUG]->(d:Drug)
  ${NEWEST_CPIC_VERSION_PER_PAIR}
  WITH key, r, d ORDER BY d.name, r.id
  RETURN key, collect(r {${GUIDELINE_FIELDS}, drug: d {.id, .name}}) AS value`;
const GUIDELINES_BY_DRUG_IDS = `
  UNWIND $keys AS key
  MATCH (d:Drug {id: key})<-[:FOR_DRUG]-(r:Guideline)
  ${NEWEST_CPIC_VERSION_PER_PAIR}
  WITH key, r, d ORDER BY r.id
  RETURN key, collect(r {${GUIDELINE_FIELDS}, drug: d {.id, .name}}) AS value`;
// Drug–gene interactions in the DGIdb sense: a gene whose variants (predictive evidence, by response)
// or phenotypes (CPIC guidelines) change the response to the drug.
const INTERACTIONS_BY_DRUG_IDS = `
  UNWIND $keys AS key
  MATCH (d:Drug {id: key})
  CALL (d) {
    MATCH (d)<-[:FOR_DRUG]-(e:Evidence)-[:ABOUT_VARIANT]->(:Variant)-[:IN_GENE]->(g:Gene)
    WHERE e.response IS NOT NULL
    RETURN g.symbol AS gene, e.response AS kind, count(DISTINCT e) AS n, min(e.level) AS bestLevel, collect(DISTINCT e.source) AS sources
    UNION
    // The newest CPIC version of each pair only, as Drug.guidelines answers (a superseded one is not counted).
    MATCH (d)<-[:FOR_DRUG]-(r:Guideline)
    WITH d.id AS key, d, r
    ${NEWEST_CPIC_VERSION_PER_PAIR}
    MATCH (r)-[:FOR_GENE]->(g:Gene)
    RETURN g.symbol AS gene, 'PHARMACOGENOMIC' AS kind, count(DISTINCT r) AS n, null AS bestLevel, collect(DISTINCT r.source) AS sources
  }
  WITH key, gene, kind, n, bestLevel, sources ORDER BY gene, kind
  RETURN key, collect({gene: gene, kind: kind, count: n, bestLevel: bestLevel, sources: sources}) AS value`;
const ELIGIBILITY_BY_NCT_IDS = `
  UNWIND $keys AS key
  MATCH (t:Trial {nctId: key})
  RETURN key, {minimumAge: t.minimumAgeYears, maximumAge: t.maximumAgeYears, sex: t.sex, labCriteria: t.labCriteria,
               text: t.eligibilityText,
               requiredVariants: [(t)-[:REQUIRES_VARIANT]->(v:Variant) | v.id],
               excludedVariants: [(t)-[:EXCLUDES_VARIANT]->(v:Variant) | v.id]} AS value`;
const SITES_BY_NCT_IDS = `
  UNWIND $keys AS key
  MATCH (:Trial {nctId: key})-[:AT_SITE]->(s:TrialSite)
  WITH key, s ORDER BY s.id
  RETURN key, collect(s {.facility, .city, .state, .country, .status, latitude: s.location.latitude, longitude: s.location.longitude}) AS value`;
const KNOWLEDGE_BASE_VERSIONS = `
  MATCH (r:ImportRun)
  RETURN r {.source, .version, .status, .counts, .checksum, .files, startedAt: toString(r.startedAt), finishedAt: toString(r.finishedAt)} AS run
  ORDER BY r.startedAt DESC, r.id`;

const PHENOTYPE_TERMS = `
  MATCH (p:Phenotype)
  RETURN p.id AS id, p.name AS name, [(p)-[:IS_A]->(parent:Phenotype) | parent.id] AS parents`;
// One list of [id, frequency] pairs, split in phenotypeCorpus: two comprehensions need not list edges in the same
// order. `frequency` is HPOA's (importers/hpo.ts), null on the seed's edges and where a row states none. Modes of
// inheritance once each: the importer writes one HAS_INHERITANCE edge per reference.
const ANNOTATED_DISEASES = `
  MATCH (x:Disease) WHERE EXISTS { (x)-[:HAS_PHENOTYPE]->(:Phenotype) }
  RETURN x.id AS id, x.name AS name, [(x)-[r:HAS_PHENOTYPE]->(p:Phenotype) | [p.id, r.frequency]] AS annotations,
         [(x)-[:ASSOCIATED_GENE]->(g:Gene) | g.symbol] AS genes,
         COLLECT { MATCH (x)-[:HAS_INHERITANCE]->(m:Phenotype) RETURN DISTINCT m.id AS mode ORDER BY mode } AS inheritance
  ORDER BY x.id`;

const CONCEPT_DICTIONARY = `
  MATCH (d:Drug) RETURN d.id AS id, 'drug' AS kind, [d.name] AS names
  UNION ALL
  MATCH (g:Gene) RETURN g.symbol AS id, 'gene' AS kind, [g.symbol] + CASE WHEN g.name IS NULL THEN [] ELSE [g.name] END AS names
  UNION ALL
  MATCH (x:Disease) RETURN x.id AS id, 'condition' AS kind, [x.name] AS names
  UNION ALL
  MATCH (p:Phenotype) RETURN p.id AS id, 'phenotype' AS kind, [p.name] AS names
  UNION ALL
  MATCH (v:Variant) WHERE v.level IN ['protein', 'codon'] AND v.gene IS NOT NULL
  RETURN v.id AS id, 'variant' AS kind, [v.gene + ' ' + v.name] AS names`;

/**
 * The by-key reads a patient page makes, through the gateway (a variant's gene and therapies) and
 * through inference (evidence, guidelines, trials): what warmUp runs once at start-up.
 */
export const PATIENT_PAGE_READS = [
  GENES_BY_SYMBOLS, VARIANTS_BY_IDS, THERAPIES_BY_VARIANT_IDS, TRIALS_BY_VARIANT_IDS, DRUGS_BY_IDS, TRIALS_BY_NCT_IDS,
  EVIDENCE_BY_VARIANT_IDS, GUIDELINES_BY_GENES, GUIDELINES_BY_DRUG_IDS, INTERACTIONS_BY_DRUG_IDS, ELIGIBILITY_BY_NCT_IDS,
  SITES_BY_NCT_IDS, DISEASES_BY_IDS,
];

export class Neo4jKnowledgeRepository implements KnowledgeRepository {
  constructor(private readonly executor: Neo4jExecutor) {}

  /**
   * Runs each patient-page read once for a key no node has (issue 19): Neo4j plans a Cypher statement
   * on its first run (then caches the plan by its text), and the first run of each also pays for the
   * driver's session and the JVM's cold code: ~2.7 s for the first therapies read after start-up
   * against 60–140 ms after. Paid here, at start-up, rather than by the first clinician to open a
   * patient. Reads, so safe to run while requests are served.
   */
  async warmUp(): Promise<void> {
    for (const cypher of PATIENT_PAGE_READS) await this.executor.read(cypher, { keys: ['warm-up: no such node'] });
  }

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
  drugsByGenes(symbols: readonly string[]) {
    return this.byKey<{ id: string; name: string }[]>(DRUGS_BY_GENES, symbols, []);
  }
  diseasesByGenes(symbols: readonly string[]) {
    return this.byKey<GeneDiseaseRecord[]>(DISEASES_BY_GENES, symbols, []);
  }
  diseasesByIds(ids: readonly string[]) {
    return this.byKey<DiseaseRecord | null>(DISEASES_BY_IDS, ids, null);
  }
  phenotypesByDiseaseIds(ids: readonly string[]) {
    return this.byKey<DiseasePhenotypeRecord[]>(PHENOTYPES_BY_DISEASE_IDS, ids, []);
  }

  evidenceByVariantIds(ids: readonly string[]) {
    return this.byKey<EvidenceRecord[]>(EVIDENCE_BY_VARIANT_IDS, ids, []);
  }
  guidelinesByGenes(symbols: readonly string[]) {
    return this.byKey<GuidelineRecord[]>(GUIDELINES_BY_GENES, symbols, []);
  }
  guidelinesByDrugIds(ids: readonly string[]) {
    return this.byKey<GuidelineRecord[]>(GUIDELINES_BY_DRUG_IDS, ids, []);
  }
  interactionsByDrugIds(ids: readonly string[]) {
    return this.byKey<DrugGeneInteractionRecord[]>(INTERACTIONS_BY_DRUG_IDS, ids, []);
  }
  eligibilityByNctIds(ids: readonly string[]) {
    const none: TrialEligibilityRecord = { minimumAge: null, maximumAge: null, sex: null, requiredVariants: [], excludedVariants: [], labCriteria: null, text: null };
    return this.byKey<TrialEligibilityRecord>(ELIGIBILITY_BY_NCT_IDS, ids, none);
  }
  sitesByNctIds(ids: readonly string[]) {
    return this.byKey<TrialSiteRecord[]>(SITES_BY_NCT_IDS, ids, []);
  }

  async knowledgeBaseVersions() {
    const result = await this.executor.read<{ run: KnowledgeBaseVersionRecord }>(KNOWLEDGE_BASE_VERSIONS);
    return result.records.map((r) => r.get('run'));
  }

  async phenotypeCorpus(): Promise<PhenotypeCorpusRecord> {
    const [terms, diseases] = await Promise.all([
      this.executor.read<{ id: string; name: string; parents: string[] }>(PHENOTYPE_TERMS),
      this.executor.read<AnnotatedDiseaseRow>(ANNOTATED_DISEASES),
    ]);
    return {
      terms: terms.records.map((r) => r.toObject()),
      diseases: diseases.records.map((r) => diseaseAnnotations(r.toObject())),
    };
  }

  async conceptDictionary(): Promise<ConceptRecord[]> {
    const result = await this.executor.read<ConceptRecord>(CONCEPT_DICTIONARY);
    return result.records.map((r) => r.toObject()).filter((c) => c.names.every((n) => typeof n === 'string' && n.length > 0));
  }

  async drugsBySearch(text: string, first: number) {
    const result = await this.executor.read<{ drug: { id: string; name: string } }>(DRUGS_BY_SEARCH, { text, first: neo4jInt(first) });
    return result.records.map((r) => r.get('drug'));
  }

  async trialsByFilter(filter: TrialFilter, first: number, after: string | null = null) {
    const result = await this.executor.read<{ trial: TrialRecord }>(TRIALS_BY_FILTER, {
      gene: filter.gene ?? null,
      variant: filter.variant ?? null,
      condition: filter.condition ?? null,
      phase: filter.phase ?? null,
      status: filter.status ?? null,
      near: filter.near ?? null,
      after,
      first: neo4jInt(first),
    });
    return result.records.map((r) => r.get('trial'));
  }

  async phenotypesBySearch(text: string, first: number) {
    const result = await this.executor.read<{ phenotype: { id: string; name: string } }>(PHENOTYPES_BY_SEARCH, { text, first: neo4jInt(first) });
    return result.records.map((r) => r.get('phenotype'));
  }
}
