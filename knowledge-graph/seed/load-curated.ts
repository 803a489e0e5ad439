import type { Neo4jExecutor } from '../executor';
import { DRUGS } from './skeleton-seed';
import { ENCODES_PREDICATE, knowledgeVariantId, variantLevel } from '../importers/variants';
import { CIVIC_SOURCE, CURATED_EVIDENCE } from './curated/civic-evidence';
import { latestYear } from '../guideline-versions';
import { CPIC_GUIDELINES, CPIC_SOURCE } from './curated/cpic-guidelines';
import { CURATED_DISEASE_GENES } from './curated/disease-genes';
import { HPO_SOURCE, HPO_TERMS, RARE_DISEASES } from './curated/hpo-rare-diseases';
import { CURATED_TRIALS } from './curated/trials';

/*
 * Loads the curated seed (knowledge-graph/seed/curated/, each file citing its sources) next to the
 * skeleton seed. CIViC names variants at protein or category level ("V600E", "V600", "ALK FUSIONS",
 * "AMPLIFICATION"): those become Variant nodes keyed `<GENE>:<name>`, and a genomic variant whose
 * protein change matches one ENCODES it, so a patient's GRCh38 variant reaches the evidence recorded
 * for its protein change (architecture note: protein-level variants match genomic ones through the
 * knowledge graph). Everything is MERGEd on ids: loading twice changes nothing.
 */

const BATCH = 1000;

/** Drug ids: the RxNorm CUI where the project has verified one, else `name:<lower-case name>`. */
const RXNORM_BY_NAME = new Map(DRUGS.map((d) => [d.name.toLowerCase(), d.id]));
export const drugId = (name: string, rxnormCui?: string): string => rxnormCui ?? RXNORM_BY_NAME.get(name.toLowerCase()) ?? `name:${name.toLowerCase()}`;
export const curatedVariantId = knowledgeVariantId;

const MERGE_CURATED_VARIANTS = `
  UNWIND $rows AS row
  MERGE (g:Gene {symbol: row.gene})
  MERGE (v:Variant {id: row.id})
  SET v.gene = row.gene, v.name = row.name, v.proteinChange = coalesce(v.proteinChange, row.proteinChange), v.level = row.level
  MERGE (v)-[:IN_GENE]->(g)`;
// A genomic variant encodes the protein-level variant with its protein change, and the codon-level one.
const LINK_ENCODED = `
  MATCH (p:Variant) WHERE p.level IN ['protein', 'codon']
  MATCH (g:Variant {gene: p.gene}) WHERE ${ENCODES_PREDICATE}
  MERGE (g)-[:ENCODES]->(p)`;
const MERGE_CURATED_EVIDENCE = `
  UNWIND $rows AS row
  MATCH (v:Variant {id: row.variantId})
  MERGE (x:Disease {id: row.disease.id}) ON CREATE SET x.name = row.disease.name
  MERGE (e:Evidence {id: row.id})
  SET e.level = row.level, e.type = row.type, e.direction = row.direction, e.response = row.response,
      e.source = row.source, e.sourceRecordId = row.sourceRecordId, e.sourceUrl = row.sourceUrl,
      e.citation = row.citation, e.lastReviewed = row.lastReviewed, e.rating = row.rating,
      e.interaction = row.interaction, e.variantName = row.variantName, e.sourceVersion = $version
  MERGE (e)-[:ABOUT_VARIANT]->(v)
  MERGE (e)-[:IN_DISEASE]->(x)
  WITH e, row
  UNWIND row.drugs AS drug
  MERGE (d:Drug {id: drug.id}) ON CREATE SET d.name = drug.name
  MERGE (e)-[:FOR_DRUG]->(d)`;
const MERGE_TRIALS = `
  UNWIND $rows AS row
  MERGE (t:Trial {nctId: row.nctId})
  SET t.title = row.title, t.phase = row.phase, t.conditions = row.conditions, t.source = row.source
  WITH t, row
  UNWIND row.variantIds AS variantId
  MATCH (v:Variant {id: variantId})
  MERGE (t)-[:REQUIRES_VARIANT]->(v)`;
const MERGE_GUIDELINES = `
  UNWIND $rows AS row
  MERGE (d:Drug {id: row.drugId}) ON CREATE SET d.name = row.drugName
  MERGE (r:Guideline {id: row.id})
  SET r.name = row.name, r.url = row.url, r.population = row.population, r.phenotypes = row.phenotypes, r.lookupKey = row.lookupKey,
      r.recommendation = row.recommendation, r.classification = row.classification, r.implications = row.implications,
      r.comments = row.comments, r.citations = row.citations, r.source = 'CPIC', r.sourceVersion = row.sourceVersion,
      r.releasedOn = row.releasedOn, r.publishedYear = row.publishedYear
  MERGE (r)-[:FOR_DRUG]->(d)
  WITH r, row
  UNWIND row.genes AS symbol
  MERGE (g:Gene {symbol: symbol})
  MERGE (r)-[:FOR_GENE]->(g)`;
const MERGE_PHENOTYPES = `
  UNWIND $rows AS row
  MERGE (p:Phenotype {id: row.id}) SET p.name = row.name, p.sourceVersion = $version`;
const MERGE_IS_A = `
  UNWIND $rows AS row
  MATCH (child:Phenotype {id: row.id})
  UNWIND row.isA AS parentId
  MATCH (parent:Phenotype {id: parentId})
  MERGE (child)-[:IS_A]->(parent)`;
const MERGE_DISEASE_PHENOTYPES = `
  UNWIND $rows AS row
  MERGE (x:Disease {id: row.id}) SET x.name = row.name, x.source = row.source
  WITH x, row
  UNWIND row.phenotypes AS annotation
  MATCH (p:Phenotype {id: annotation.hpoId})
  MERGE (x)-[r:HAS_PHENOTYPE]->(p)
  SET r.frequency = annotation.frequency, r.evidence = annotation.evidence, r.reference = annotation.reference`;
// After MERGE_DISEASE_PHENOTYPES: links only diseases the seed holds (curated.test.ts checks every id is one).
const MERGE_DISEASE_GENES = `
  UNWIND $rows AS row
  MATCH (x:Disease {id: row.diseaseId})
  UNWIND row.genes AS gene
  MERGE (g:Gene {symbol: gene.symbol})
  MERGE (x)-[r:ASSOCIATED_GENE {source: row.source}]->(g)
  SET r.reference = gene.reference`;


async function inBatches(executor: Neo4jExecutor, cypher: string, rows: unknown[], params: Record<string, unknown> = {}): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await executor.write(cypher, { ...params, rows: rows.slice(start, start + BATCH) });
}

export async function loadCuratedSeed(executor: Neo4jExecutor): Promise<void> {
  const variants = new Map<string, { id: string; gene: string; name: string; level: string; proteinChange: string | null }>();
  for (const e of CURATED_EVIDENCE) {
    const id = curatedVariantId(e.gene, e.variantName);
    const level = variantLevel(e.variantName);
    variants.set(id, { id, gene: e.gene, name: e.variantName, level, proteinChange: level === 'protein' ? `p.${e.variantName}` : null });
  }
  await inBatches(executor, MERGE_CURATED_VARIANTS, [...variants.values()]);
  await executor.write(LINK_ENCODED);
  await inBatches(
    executor,
    MERGE_CURATED_EVIDENCE,
    CURATED_EVIDENCE.map((e) => ({
      ...e,
      variantId: curatedVariantId(e.gene, e.variantName),
      interaction: e.drugInteractionType ?? null,
      rating: e.rating ?? null,
      lastReviewed: e.lastReviewed ?? null,
      drugs: e.drugs.map((d) => ({ id: drugId(d.name, d.rxnormCui), name: d.name.toLowerCase() })),
    })),
    { version: `CIViC nightly @ ${CIVIC_SOURCE.commit.slice(0, 7)}` },
  );
  await inBatches(
    executor,
    MERGE_TRIALS,
    CURATED_TRIALS.map((t) => ({
      nctId: t.nctId,
      title: t.title,
      phase: t.phase,
      conditions: t.conditions,
      source: t.sources.join(' | '),
      variantIds: t.genomicCriteria.map((c) => curatedVariantId(c.gene, c.variant)).filter((id) => variants.has(id)),
    })),
  );
  await inBatches(
    executor,
    MERGE_GUIDELINES,
    CPIC_GUIDELINES.map((g) => ({
      id: g.id,
      name: g.guidelineName,
      url: g.guidelineUrl,
      drugId: drugId(g.drug.name, g.drug.rxnormCui),
      drugName: g.drug.name.toLowerCase(),
      genes: g.genes,
      population: g.population,
      phenotypes: JSON.stringify(g.phenotypes),
      lookupKey: JSON.stringify(g.lookupKey),
      recommendation: g.recommendation,
      classification: g.classification,
      implications: JSON.stringify(g.implications),
      comments: g.comments ?? null,
      citations: g.citations.map((c) => `${c.title} (${c.year}). PMID:${c.pmid}`),
      sourceVersion: `CPIC v1.20.0 (PharmCAT @ ${CPIC_SOURCE.commit.slice(0, 7)})`,
      // Dated like an imported release, so the newest CPIC version of a pair answers (guideline-versions.ts).
      releasedOn: CPIC_SOURCE.released,
      publishedYear: latestYear(g.citations.map((c) => c.year)),
    })),
  );
  await inBatches(executor, MERGE_PHENOTYPES, HPO_TERMS, { version: `hp.obo 2015-01-27, annotations @ ${HPO_SOURCE.annotations.commit.slice(0, 7)}` });
  await inBatches(executor, MERGE_IS_A, HPO_TERMS);
  await inBatches(executor, MERGE_DISEASE_PHENOTYPES, RARE_DISEASES.map((d) => ({ ...d, phenotypes: d.phenotypes.map((p) => ({ ...p, frequency: p.frequency ?? null })) })));
  await inBatches(
    executor,
    MERGE_DISEASE_GENES,
    CURATED_DISEASE_GENES.map((d) => ({
      diseaseId: d.diseaseId,
      source: d.source,
      genes: d.genes.map((symbol) => ({ symbol, reference: d.geneEntries[symbol] ?? null })),
    })),
  );
}
