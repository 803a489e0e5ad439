/**
 * What the evaluation ranks against: the graph's HPO corpus read by the knowledge-graph subgraph's own
 * repository (`phenotypeCorpus`, the Cypher behind the `phenotypeCorpus` query that inference reads) and
 * indexed by inference's `buildPhenotypeIndex`, as `Patient.rareDiseaseCandidates` does; and the releases
 * the annotations come from, so every figure names the data it was measured on.
 */
import type { Neo4jExecutor } from '../executor';
import { HPO_SOURCE } from '../seed/curated/hpo-rare-diseases';
import { diseaseAnnotations, Neo4jKnowledgeRepository, type AnnotatedDiseaseRow } from '../../subgraphs/knowledge-graph/repository/knowledge-repository';
import { buildPhenotypeIndex, type PhenotypeIndex } from '../../subgraphs/inference/domain/phenotype-similarity';

export interface AnnotationRelease {
  /** e.g. "HPO 2023-01-27", or the seed's sources. */
  release: string;
  /** HAS_PHENOTYPE edges from it. */
  annotations: number;
  diseases: number;
}

export interface RankingCorpus {
  index: PhenotypeIndex;
  releases: AnnotationRelease[];
  terms: number;
  diseases: number;
}

// Importer edges carry source ("HPO 2023-01-27") + sourceVersion (importers/hpo.ts); the seed's carry neither.
const ANNOTATION_RELEASES = `
  MATCH (d:Disease)-[r:HAS_PHENOTYPE]->(:Phenotype)
  WITH CASE WHEN r.sourceVersion IS NULL THEN null WHEN r.source ENDS WITH r.sourceVersion THEN r.source
            ELSE coalesce(r.source, 'HPO') + ' ' + r.sourceVersion END AS release, r, d
  RETURN release, count(r) AS annotations, count(DISTINCT d) AS diseases
  ORDER BY annotations DESC`;

export const SEED_RELEASE = `seed: HPO annotations ${HPO_SOURCE.annotations.repository.replace('https://github.com/', '')}@${HPO_SOURCE.annotations.commit.slice(0, 8)} (2015-09-03), hp.obo ${HPO_SOURCE.ontology.dataVersion}`;

/*
 * One imported release alone (`--release "HPO 2023-01-27"`): its terms, its is_a edges, its annotations, its modes of
 * inheritance and its gene links (genes_to_disease read with it), i.e. the corpus a graph holding only that release would give. The
 * importer MERGEs a release over the seed without removing what the release no longer says, so the graph's
 * whole corpus mixes the seed's 2015 ontology with the release's (knowledge-graph/eval/README.md, "Figures on
 * the full HPO release"); this reads the release's edges only. Importer edges carry `source` = "HPO <version>".
 */
const RELEASE_TERMS = `
  MATCH (p:Phenotype) WHERE p.source = $release
  RETURN p.id AS id, p.name AS name, [(p)-[r:IS_A]->(parent:Phenotype) WHERE r.source = $release | parent.id] AS parents`;
const RELEASE_DISEASES = `
  MATCH (x:Disease) WHERE EXISTS { (x)-[r:HAS_PHENOTYPE]->(:Phenotype) WHERE r.source = $release }
  RETURN x.id AS id, x.name AS name, [(x)-[r:HAS_PHENOTYPE]->(p:Phenotype) WHERE r.source = $release | [p.id, r.frequency]] AS annotations,
         [(x)-[r:ASSOCIATED_GENE]->(g:Gene) WHERE r.source = $release | g.symbol] AS genes,
         COLLECT { MATCH (x)-[r:HAS_INHERITANCE]->(m:Phenotype) WHERE r.source = $release RETURN DISTINCT m.id AS mode ORDER BY mode } AS inheritance
  ORDER BY x.id`;

async function releaseCorpus(executor: Neo4jExecutor, release: string) {
  const [terms, diseases] = await Promise.all([
    executor.read<{ id: string; name: string; parents: string[] }>(RELEASE_TERMS, { release }),
    executor.read<AnnotatedDiseaseRow>(RELEASE_DISEASES, { release }),
  ]);
  return { terms: terms.records.map((r) => r.toObject()), diseases: diseases.records.map((r) => diseaseAnnotations(r.toObject())) };
}

/**
 * The corpus the API reads (`phenotypeCorpus`: every term, is_a edge and annotation the graph holds), or with
 * `release` only that imported release's (see RELEASE_TERMS).
 */
export async function loadRankingCorpus(executor: Neo4jExecutor, release?: string): Promise<RankingCorpus> {
  const [corpus, releases] = await Promise.all([
    release === undefined ? new Neo4jKnowledgeRepository(executor).phenotypeCorpus() : releaseCorpus(executor, release),
    executor.read<{ release: string | null; annotations: number; diseases: number }>(ANNOTATION_RELEASES),
  ]);
  if (release !== undefined && corpus.diseases.length === 0) {
    throw new Error(`--release "${release}": the graph holds no annotation of that release (${releases.records.map((r) => r.get('release') ?? 'seed').join(', ')})`);
  }
  const index = buildPhenotypeIndex(corpus.terms, corpus.diseases);
  return {
    index,
    terms: index.termsByOrdinal.length,
    diseases: index.diseases.length,
    releases: releases.records
      .map((r) => ({
        release: r.get('release') ?? SEED_RELEASE,
        annotations: Number(r.get('annotations')),
        diseases: Number(r.get('diseases')),
      }))
      .filter((r) => release === undefined || r.release === release),
  };
}
