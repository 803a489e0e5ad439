/**
 * npm run eval:phenopackets -- [--cases <file.json|file.jsonl[.gz|.xz]|dir>] [--limit N] [--sample per-cohort|all]
 *                              [--json <file>] [--scoring likelihood-ratio|similarity] [--gene-likelihood-ratio G] [--score-negative-findings]
 *                              [--omit-gene-covered-orphanet]
 *                              [--negative-finding-penalty P] [--gene-boost B] [--release "HPO <version>"]
 *
 * Ranks published rare-disease cases (GA4GH phenopackets) with the hub's rare-disease ranking against the
 * hub's Neo4j (NEO4J_URI, else the embedded one, as `npm start` and `kg:import` use it), twice per case:
 * phenotypes only, then with the causal gene as the patient's variant gene. Prints a Markdown table and writes
 * every case's ranks as JSON (default test-output/phenopacket-eval.json).
 * Default cases: <KG_RELEASES_DIR>/phenopackets/phenopacket-store.jsonl.xz (docs/knowledge-releases/phenopackets.md).
 * Default sample: per-cohort (the first case of each of Phenopacket Store's gene/disease folders).
 * --release: rank against one imported HPO release alone (its terms, is_a edges, annotations and gene links)
 * instead of the whole graph (corpus.ts).
 * Exit code 0: evaluated; 1: input refused or Neo4j unusable; 2: usage (`--help` prints it). Arguments, help and
 * exit codes go through lib/cli.ts like every other command-line tool of the hub: no stack trace for a user's mistake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { integerOption, parseCommandLine, runTool, UsageError } from '../../lib/cli';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { ensureKnowledgeGraph } from '../bootstrap';
import { createDriver, Neo4jExecutor } from '../executor';
import { releasesDirFrom } from '../releases';
import { loadRankingCorpus } from './corpus';
import {
  DEFAULT_GENE_BOOST,
  DEFAULT_GENE_LIKELIHOOD_RATIO,
  DEFAULT_NEGATIVE_FINDING_PENALTY,
  DEFAULT_SCORE_NEGATIVE_FINDINGS,
  DEFAULT_SCORING,
  type RareDiseaseScoring,
} from '../../subgraphs/inference/domain/rare-disease-ranking';
import { evaluateCases } from './evaluate';
import { isSkip, PhenopacketInputError, readPhenopackets, type PhenopacketCase, type PhenopacketSkip } from './phenopackets';
import { markdownReport, type EvaluationReport } from './report';

export const USAGE = `usage: npm run eval:phenopackets -- [--cases <file.json | file.jsonl[.gz|.xz] | dir>] [--limit N] [--sample per-cohort|all]
                                 [--json <out.json>] [--scoring likelihood-ratio|similarity] [--gene-likelihood-ratio G]
                                 [--score-negative-findings] [--omit-gene-covered-orphanet] [--negative-finding-penalty P] [--gene-boost B] [--release "HPO <version>"]
                                 [--ignore-zygosity] [--carrier-decoys N]
  --omit-gene-covered-orphanet: leave out ORPHA entries whose genes all belong to OMIM entries (experiment)
  --scoring, --gene-likelihood-ratio, --score-negative-findings (likelihood-ratio scoring), --negative-finding-penalty, --gene-boost (similarity
  scoring): for experiments; default the API's (rareDiseaseCandidates) values
  --release: rank against that imported release alone (e.g. "HPO 2023-01-27"), not the whole graph
  --ignore-zygosity: give the causal genes without their zygosity, so every gene counts whatever the mode of
  inheritance (the ranking before genotype-fit.ts; for comparison)
  --carrier-decoys N: add N heterozygous variants per case in genes of autosomal-recessive-only diseases (carrier
  states every genome holds) to the gene run: how often a carrier state outranks the diagnosis`;

const API_DEFAULTS = {
  scoring: DEFAULT_SCORING,
  geneLikelihoodRatio: DEFAULT_GENE_LIKELIHOOD_RATIO,
  scoreNegativeFindings: DEFAULT_SCORE_NEGATIVE_FINDINGS,
  geneBoost: DEFAULT_GENE_BOOST,
  negativeFindingPenalty: DEFAULT_NEGATIVE_FINDING_PENALTY,
};

export { UsageError };

export interface EvalArgs {
  cases: string;
  limit?: number;
  sample: 'all' | 'per-cohort';
  json: string;
  /** Ranking options other than the API's defaults (experiments). */
  ranking: { negativeFindingPenalty?: number; geneBoost?: number; geneLikelihoodRatio?: number; scoreNegativeFindings?: boolean; scoring?: RareDiseaseScoring; omitGeneCoveredOrphanet?: boolean };
  /** Rank against this imported release alone (e.g. "HPO 2023-01-27"); the whole graph when absent. */
  release?: string;
  /** Causal genes without their zygosity (every gene counts): the ranking before genotype fits, for comparison. */
  ignoreZygosity?: boolean;
  /** Heterozygous carrier variants added per case to the gene run (evaluate.ts, carrierDecoys). */
  carrierDecoys?: number;
}

export function defaultCasesPath(): string {
  return path.join(releasesDirFrom(process.env), 'phenopackets', 'phenopacket-store.jsonl.xz');
}

export function parseEvalArgs(argv: string[]): EvalArgs {
  const parsed = parseCommandLine({
    args: argv,
    options: {
      cases: { type: 'string' },
      limit: { type: 'string' },
      sample: { type: 'string' },
      json: { type: 'string' },
      'negative-finding-penalty': { type: 'string' },
      'gene-boost': { type: 'string' },
      'gene-likelihood-ratio': { type: 'string' },
      scoring: { type: 'string' },
      'score-negative-findings': { type: 'boolean' },
      'omit-gene-covered-orphanet': { type: 'boolean' },
      release: { type: 'string' },
      'ignore-zygosity': { type: 'boolean' },
      'carrier-decoys': { type: 'string' },
    },
  });
  const v = parsed.values;
  const sample = v.sample ?? 'per-cohort';
  if (sample !== 'all' && sample !== 'per-cohort') throw new UsageError(`--sample "${sample}": expected per-cohort or all`);
  const limit = v.limit === undefined ? undefined : integerOption('limit', v.limit, 1);
  const cases = v.cases ?? defaultCasesPath();
  if (!fs.existsSync(cases)) {
    throw new UsageError(
      `${cases}: no such file or directory` +
        (v.cases ? '' : ' (the phenopacket release is not committed: place phenopacket-store.jsonl.xz under KG_RELEASES_DIR/phenopackets, see docs/knowledge-releases/phenopackets.md, or give --cases)'),
    );
  }
  const ranking: EvalArgs['ranking'] = {};
  for (const [flag, key, max] of [['negative-finding-penalty', 'negativeFindingPenalty', 1], ['gene-boost', 'geneBoost', Infinity]] as const) {
    const raw = v[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) throw new UsageError(`--${flag} "${raw}" is not a number from 0 to ${max}`);
    ranking[key] = value;
  }
  const geneLr = v['gene-likelihood-ratio'];
  if (geneLr !== undefined) {
    const value = Number(geneLr);
    if (geneLr.trim() === '' || !Number.isFinite(value) || value < 1) throw new UsageError(`--gene-likelihood-ratio "${geneLr}" is not a number ≥ 1`);
    ranking.geneLikelihoodRatio = value;
  }
  if (v['score-negative-findings']) ranking.scoreNegativeFindings = true;
  if (v['omit-gene-covered-orphanet']) ranking.omitGeneCoveredOrphanet = true;
  if (v.scoring !== undefined) {
    if (v.scoring !== 'likelihood-ratio' && v.scoring !== 'similarity') throw new UsageError(`--scoring "${v.scoring}": expected likelihood-ratio or similarity`);
    ranking.scoring = v.scoring;
  }
  if (v.release !== undefined && v.release.trim() === '') throw new UsageError('--release: give a release name, e.g. "HPO 2023-01-27"');
  return { cases, limit, sample, json: v.json ?? path.join('test-output', 'phenopacket-eval.json'), ranking, ...(v.release ? { release: v.release } : {}), ...(v['ignore-zygosity'] ? { ignoreZygosity: true } : {}),
    ...(v['carrier-decoys'] !== undefined ? { carrierDecoys: integerOption('carrier-decoys', v['carrier-decoys'], 0) } : {}),
  };
}

/**
 * Reads the cases in input order: all, or the first of each cohort (Phenopacket Store's gene/disease folder),
 * up to `limit`; every skip is kept with its place and code.
 */
export async function readCases(input: string, sample: 'all' | 'per-cohort', limit?: number): Promise<{ cases: PhenopacketCase[]; skipped: PhenopacketSkip[] }> {
  const skipped: PhenopacketSkip[] = [];
  async function* usable() {
    for await (const parsed of readPhenopackets(input)) {
      if (isSkip(parsed)) skipped.push(parsed);
      else yield parsed;
    }
  }
  const cases: PhenopacketCase[] = [];
  const seen = new Set<string>();
  for await (const c of usable()) {
    if (limit !== undefined && cases.length >= limit) break;
    if (sample === 'per-cohort') {
      if (seen.has(c.cohort)) continue;
      seen.add(c.cohort);
    }
    cases.push(c);
  }
  return { cases, skipped };
}

/** The whole evaluation against a graph: read, rank twice per case, report. */
export async function runEvaluation(executor: Neo4jExecutor, args: EvalArgs): Promise<EvaluationReport> {
  const readStarted = performance.now();
  const { cases, skipped } = await readCases(args.cases, args.sample, args.limit);
  const readMs = performance.now() - readStarted;
  const corpus = await loadRankingCorpus(executor, args.release);
  const evaluation = evaluateCases(corpus.index, cases, { ranking: args.ranking, ignoreZygosity: args.ignoreZygosity ?? false, carrierDecoys: args.carrierDecoys ?? 0 });
  const skippedByCode: Record<string, number> = {};
  for (const s of skipped) skippedByCode[s.code] = (skippedByCode[s.code] ?? 0) + 1;
  return {
    generatedAt: new Date().toISOString(),
    input: args.cases,
    sample: args.sample,
    limit: args.limit ?? null,
    ranking: { ...API_DEFAULTS, ...args.ranking },
    genotypes: { ignoreZygosity: args.ignoreZygosity ?? false, carrierDecoys: args.carrierDecoys ?? 0 },
    corpus: args.release ? `release ${args.release} alone` : 'whole graph',
    graph: { terms: corpus.terms, rankableDiseases: corpus.diseases, annotationReleases: corpus.releases },
    read: { cases: cases.length, skipped: skipped.length, skippedByCode, skipExamples: skipped.slice(0, 20) },
    readMs,
    runs: evaluation.runs,
    cases: evaluation.cases,
  };
}

async function main(argv: string[]): Promise<number> {
  const args = parseEvalArgs(argv);
  const config = loadConfig();
  const log = createLogger('eval-phenopackets', process.env.LOG_LEVEL ?? 'warn');
  // The hub's graph as it is: no release is loaded by the evaluation itself.
  const store = await ensureKnowledgeGraph(config.neo4j, log, undefined, { releasesDir: null });
  const executor = new Neo4jExecutor(createDriver(store.connection), store.connection.uri);
  try {
    const report = await runEvaluation(executor, args);
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(markdownReport(report));
    console.log(`\nEvery case's ranks: ${args.json}`);
    return 0;
  } catch (error) {
    if (error instanceof PhenopacketInputError) {
      console.error(`refused (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await executor.close();
    await store.close();
  }
}

if (require.main === module) runTool({ name: 'eval:phenopackets', usage: USAGE }, main);
