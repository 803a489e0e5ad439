import { createHash } from 'node:crypto';
import type { Neo4jExecutor } from '../executor';
import { CIVIC_SOURCE, CURATED_EVIDENCE } from './curated/civic-evidence';
import { CPIC_GUIDELINES } from './curated/cpic-guidelines';
import { CURATED_DISEASE_GENES } from './curated/disease-genes';
import { HPO_SOURCE, HPO_TERMS, RARE_DISEASES } from './curated/hpo-rare-diseases';
import { CURATED_TRIALS } from './curated/trials';
import { loadCuratedSeed } from './load-curated';
import { loadSeed } from './load-seed';
import * as skeleton from './skeleton-seed';

/**
 * Bumped when the Cypher that loads the seed changes shape (new properties, new edges), so a graph
 * loaded by an older loader is loaded again even though the data files did not change.
 */
const SEED_LOADER_REVISION = 5;

/**
 * The seed's version as the graph records it (`ImportRun {id: 'seed'}`): the releases it was taken from
 * and a digest of every seed record, so any change to the data or the loader reloads it.
 */
export function seedVersion(): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([SEED_LOADER_REVISION, skeleton, CURATED_EVIDENCE, CPIC_GUIDELINES, HPO_TERMS, RARE_DISEASES, CURATED_DISEASE_GENES, CURATED_TRIALS]))
    .digest('hex')
    .slice(0, 12);
  return (
    `${skeleton.SEED_VERSION}; CIViC @ ${CIVIC_SOURCE.commit.slice(0, 7)}; CPIC v1.20.0; ` +
    `HPO ${HPO_SOURCE.ontology.dataVersion}; sha256:${digest}`
  );
}

const READ_SEED_RUN = `MATCH (r:ImportRun {id: 'seed'}) RETURN r.version AS version, r.status AS status`;
// The seed's own records still in the graph: fewer than it loaded means a damaged graph (nodes deleted,
// a partial restore) even though the run says completed.
const COUNT_SEED_RECORDS = `
  CALL { MATCH (e:Evidence) WHERE e.id IN $evidence RETURN count(e) AS evidence }
  CALL { MATCH (t:Trial) WHERE t.nctId IN $trials RETURN count(t) AS trials }
  CALL { MATCH (p:Phenotype) WHERE p.id IN $phenotypes RETURN count(p) AS phenotypes }
  RETURN evidence + trials + phenotypes AS n`;

function seedKeys() {
  return {
    evidence: [...new Set([...skeleton.EVIDENCE.map((e) => e.id), ...CURATED_EVIDENCE.map((e) => e.id)])],
    trials: [...new Set([...skeleton.TRIALS.map((t) => t.nctId), ...CURATED_TRIALS.map((t) => t.nctId)])],
    phenotypes: [...new Set(HPO_TERMS.map((t) => t.id))],
  };
}
const START_SEED_RUN = `
  MERGE (r:ImportRun {id: 'seed'})
  SET r.source = 'seed', r.version = $version, r.status = 'running', r.startedAt = datetime(), r.finishedAt = null`;
const FINISH_SEED_RUN = `
  MATCH (r:ImportRun {id: 'seed'})
  SET r.status = 'completed', r.finishedAt = datetime(), r.counts = $counts`;

/**
 * Loads the skeleton and curated seed unless the graph already holds this exact seed version, complete
 * (start-up then costs two reads instead of ~6 s of MERGEs). Loading is idempotent, so an interrupted
 * load (status still `running`) or a damaged one (a completed run whose evidence, trials or phenotypes
 * are no longer all there) is simply loaded again.
 */
export async function ensureSeed(executor: Neo4jExecutor): Promise<'loaded' | 'current' | 'repaired'> {
  const version = seedVersion();
  const current = (await executor.read<{ version: string; status: string }>(READ_SEED_RUN)).records[0];
  let damaged = false;
  if (current?.get('version') === version && current.get('status') === 'completed') {
    const keys = seedKeys();
    const found = (await executor.read<{ n: number }>(COUNT_SEED_RECORDS, keys)).records[0]!.get('n');
    if (found === keys.evidence.length + keys.trials.length + keys.phenotypes.length) return 'current';
    damaged = true;
  }
  await executor.write(START_SEED_RUN, { version });
  await loadSeed(executor);
  await loadCuratedSeed(executor);
  const counts = {
    evidence: skeleton.EVIDENCE.length + CURATED_EVIDENCE.length,
    guidelines: CPIC_GUIDELINES.length,
    trials: skeleton.TRIALS.length + CURATED_TRIALS.length,
    diseases: RARE_DISEASES.length,
    diseaseGenes: CURATED_DISEASE_GENES.reduce((n, d) => n + d.genes.length, 0),
    phenotypes: HPO_TERMS.length,
  };
  await executor.write(FINISH_SEED_RUN, { counts: JSON.stringify(counts) });
  return damaged ? 'repaired' : 'loaded';
}
