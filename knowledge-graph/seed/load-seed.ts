import type { Neo4jExecutor } from '../executor';
import { DISEASES, DRUGS, EVIDENCE, GENES, SEED_SOURCE, SEED_VERSION, TRIALS, VARIANTS } from './skeleton-seed';

// MERGE on ids throughout: loading twice changes nothing.
const MERGE_GENES = `UNWIND $rows AS row MERGE (g:Gene {symbol: row.symbol}) SET g.name = row.name, g.hgncId = row.hgncId`;
const MERGE_VARIANTS = `
  UNWIND $rows AS row
  MERGE (v:Variant {id: row.id})
  SET v.gene = row.gene, v.proteinChange = row.proteinChange, v.hgvsC = row.hgvsC
  WITH v, row MATCH (g:Gene {symbol: row.gene}) MERGE (v)-[:IN_GENE]->(g)`;
const MERGE_DRUGS = `UNWIND $rows AS row MERGE (d:Drug {id: row.id}) SET d.name = row.name`;
const MERGE_DISEASES = `UNWIND $rows AS row MERGE (d:Disease {id: row.id}) SET d.name = row.name`;
const MERGE_EVIDENCE = `
  UNWIND $rows AS row
  MATCH (v:Variant {id: row.variantId}), (d:Drug {id: row.drugId}), (x:Disease {id: row.diseaseId})
  MERGE (e:Evidence {id: row.id})
  SET e.level = row.level, e.type = row.type, e.direction = row.direction, e.response = row.response,
      e.source = row.source, e.citation = row.citation, e.sourceVersion = $version
  MERGE (e)-[:ABOUT_VARIANT]->(v)
  MERGE (e)-[:FOR_DRUG]->(d)
  MERGE (e)-[:IN_DISEASE]->(x)`;
const MERGE_TRIALS = `
  UNWIND $rows AS row
  MERGE (t:Trial {nctId: row.nctId})
  SET t.title = row.title, t.phase = row.phase, t.source = $source
  WITH t, row
  CALL (t, row) {
    UNWIND row.requiresVariants AS variantId MATCH (v:Variant {id: variantId}) MERGE (t)-[:REQUIRES_VARIANT]->(v)
  }
  CALL (t, row) {
    UNWIND row.drugs AS drugId MATCH (d:Drug {id: drugId}) MERGE (t)-[:TESTS_DRUG]->(d)
  }
  CALL (t, row) {
    UNWIND row.conditions AS diseaseId MATCH (x:Disease {id: diseaseId}) MERGE (t)-[:STUDIES]->(x)
  }`;

export async function loadSeed(executor: Neo4jExecutor): Promise<void> {
  await executor.write(MERGE_GENES, { rows: GENES });
  await executor.write(MERGE_VARIANTS, { rows: VARIANTS });
  await executor.write(MERGE_DRUGS, { rows: DRUGS });
  await executor.write(MERGE_DISEASES, { rows: DISEASES });
  await executor.write(MERGE_EVIDENCE, { rows: EVIDENCE, version: SEED_VERSION });
  await executor.write(MERGE_TRIALS, { rows: TRIALS, source: SEED_SOURCE });
}
