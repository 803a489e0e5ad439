import { ALLOWED_RATIO_GROWTH, contains, newestIngestionCommit, readVcfIngestHistory } from './vcf/ingest-history';

/*
 * The per-commit regression check issue 16 asked for: every commit that changes VCF ingestion has a
 * bench run recorded on it (or on a later commit), and no recorded run is more than
 * ALLOWED_RATIO_GROWTH slower, relative to bcftools, than the run before it at the same size unless
 * its note says why. Rows are added by `npx tsx bench/vcf-ingest.bench.ts --records 1000000 --record`.
 */
const newest = newestIngestionCommit();
const history = readVcfIngestHistory();

describe('the VCF ingestion bench record (bench/history/vcf-ingest.tsv)', () => {
  (newest ? test : test.skip)('holds a run on the newest commit that changed ingestion, or a later one', () => {
    const covering = history.filter((run) => contains(run.commit, newest!));
    if (!covering.length) {
      throw new Error(`commit ${newest} changed VCF ingestion but no bench run covers it: run npx tsx bench/vcf-ingest.bench.ts --records 1000000 --record and commit bench/history/vcf-ingest.tsv`);
    }
  });

  test('has no run slower than the one before it at the same size, relative to bcftools, without a note', () => {
    const regressions: string[] = [];
    history.forEach((run, i) => {
      const previous = history.slice(0, i).reverse().find((r) => r.records === run.records);
      if (previous && !run.note && run.hubOverBcftools > previous.hubOverBcftools * ALLOWED_RATIO_GROWTH) {
        regressions.push(`${run.commit.slice(0, 10)}: ${run.hubOverBcftools}× bcftools after ${previous.hubOverBcftools}× at ${previous.commit.slice(0, 10)}`);
      }
    });
    expect(regressions).toEqual([]);
  });
});
