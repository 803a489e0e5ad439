/** The evaluation as a Markdown table (for docs/benchmarks.md and the README) and as JSON (every case). */
import type { AnnotationRelease } from './corpus';
import type { Evaluation, RunSummary } from './evaluate';
import type { PhenopacketSkip } from './phenopackets';

export interface EvaluationReport {
  generatedAt: string;
  input: string;
  sample: 'all' | 'per-cohort';
  limit: number | null;
  /** The ranking options used (the API's defaults unless an experiment set them). */
  ranking: { scoring: 'likelihood-ratio' | 'similarity'; geneLikelihoodRatio: number; scoreNegativeFindings: boolean; geneBoost: number; negativeFindingPenalty: number; omitGeneCoveredOrphanet?: boolean };
  /** How the gene run's genotypes were given: without zygosity (the ranking before genotype fits), with carrier decoys. */
  genotypes: { ignoreZygosity: boolean; carrierDecoys: number };
  /** "whole graph" (what the API reads) or "release <name> alone" (--release). */
  corpus: string;
  graph: { terms: number; rankableDiseases: number; annotationReleases: AnnotationRelease[] };
  read: { cases: number; skipped: number; skippedByCode: Record<string, number>; skipExamples: PhenopacketSkip[] };
  readMs: number;
  runs: RunSummary[];
  cases: Evaluation['cases'];
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(1));

export function markdownReport(report: EvaluationReport): string {
  const releases = report.graph.annotationReleases.map((r) => `${r.release} (${r.annotations.toLocaleString('en')} annotations, ${r.diseases.toLocaleString('en')} diseases)`).join('; ');
  const lines = [
    `Rare-disease ranking on ${report.read.cases.toLocaleString('en')} published cases (${report.input}, sample ${report.sample}${report.limit ? `, limit ${report.limit}` : ''}); ` +
      `graph (${report.corpus}): ${report.graph.rankableDiseases.toLocaleString('en')} rankable diseases, ${report.graph.terms.toLocaleString('en')} HPO terms; annotations: ${releases}. ` +
      (report.ranking.scoring === 'likelihood-ratio'
        ? `Scoring: phenotype likelihood ratios (frequency-weighted, LIRICAL-style); gene match × ${report.ranking.geneLikelihoodRatio >= 1e6 ? report.ranking.geneLikelihoodRatio.toExponential() : report.ranking.geneLikelihoodRatio}; excluded terms ` +
          (report.ranking.scoreNegativeFindings ? 'scored by (1 − f_disease)/(1 − f_background).' : 'named per candidate with their ratios, not scored.') +
          (report.ranking.omitGeneCoveredOrphanet ? ' ORPHA entries whose genes all belong to OMIM entries left out.' : '')
        : `Scoring: similarity (symmetric BMA of Resnik); gene boost ×${1 + report.ranking.geneBoost}; excluded terms passed as negative findings (` +
          (report.ranking.negativeFindingPenalty > 0 ? `score × ${1 - report.ranking.negativeFindingPenalty} per one the disease shows).` : 'named per candidate, score unchanged).')) +
      (report.genotypes.ignoreZygosity ? ' Gene run: causal genes without zygosity (every gene counts, as before genotype fits).' : ' Gene run: causal variants with their zygosity.') +
      (report.genotypes.carrierDecoys ? ` Plus ${report.genotypes.carrierDecoys} heterozygous carrier variant(s) per case in autosomal-recessive-only genes.` : ''),
    '',
    '| run | cases | diagnosis in graph | top-1 | top-3 | top-10 | top-1 / top-3 / top-10 of in-graph | median rank (in graph) | median rank (all) | time | ms per ranked case |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.runs.map(
      (r) =>
        `| ${r.run} | ${r.cases} | ${r.inGraph} | ${pct(r.recall.top1)} | ${pct(r.recall.top3)} | ${pct(r.recall.top10)} | ` +
        `${pct(r.recallInGraph.top1)} / ${pct(r.recallInGraph.top3)} / ${pct(r.recallInGraph.top10)} | ${num(r.medianRankInGraph)} | ${num(r.medianRankAll)} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${r.inGraph ? (r.elapsedMs / r.inGraph).toFixed(1) : '—'} |`,
    ),
    '',
    `Diagnosis not in the graph (counted as misses): ${report.runs[0]?.notInGraph ?? 0}; cases without a known term: ${report.runs[0]?.noKnownPhenotype ?? 0}; ` +
      `without a causal gene: ${report.runs[0]?.withoutGene ?? 0}; packets skipped: ${report.read.skipped}` +
      (report.read.skipped ? ` (${Object.entries(report.read.skippedByCode).map(([c, n]) => `${c} ${n}`).join(', ')})` : '') +
      `; read in ${(report.readMs / 1000).toFixed(1)} s.`,
  ];
  return lines.join('\n');
}
