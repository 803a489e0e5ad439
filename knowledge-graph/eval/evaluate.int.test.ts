import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Neo4jExecutor } from '../executor';
import { importHpo } from '../importers/hpo';
import { randomDigits, testExecutor } from '../importers/test-support';
import { Neo4jKnowledgeRepository } from '../../subgraphs/knowledge-graph/repository/knowledge-repository';
import { loadRankingCorpus, SEED_RELEASE } from './corpus';
import { parseEvalArgs, runEvaluation, UsageError } from './cli';
import { medianWithMisses } from './evaluate';
import { markdownReport } from './report';

/*
 * Fourteen real published cases (fixtures/phenopackets/README.md) ranked against the seed graph the test
 * Neo4j holds (tests/global-setup.ts loads it as `npm start` does): eleven have a diagnosis among the seed's 40
 * rare diseases, three (KBG syndrome, Glass syndrome, familial ectopia lentis) do not. Other test files may add
 * diseases to the same Neo4j while this runs; theirs are made-up terms that share no ancestor with a case's, so
 * they score the floor (0.01 per patient term) and cannot pass a diagnosis that matches at all. They do dilute every
 * background frequency (the mean runs over more diseases), which lifts matched terms' ratios against the 0.01 floor:
 * close seed candidates could swap if many were added (none seen).
 */
const FIXTURES = path.join(__dirname, 'fixtures', 'phenopackets');
const REPO = path.join(__dirname, '..', '..');

let executor: Neo4jExecutor;
beforeAll(() => {
  executor = testExecutor();
});
afterAll(async () => {
  await executor.close();
});

describe('phenopacket evaluation against the seed graph', () => {
  it('ranks each case twice and reports top-k recall, median rank and the cases whose diagnosis the graph lacks', async () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-eval-')), 'out.json');
    const report = await runEvaluation(executor, parseEvalArgs(['--cases', FIXTURES, '--sample', 'all', '--json', json]));

    expect(report.read).toEqual({ cases: 14, skipped: 0, skippedByCode: {}, skipExamples: [] });
    expect(report.graph.annotationReleases).toContainEqual({ release: SEED_RELEASE, annotations: 1316, diseases: 40 });
    expect(report.ranking).toEqual({ scoring: 'likelihood-ratio', geneLikelihoodRatio: 1e20, scoreNegativeFindings: false, geneBoost: 0.5, negativeFindingPenalty: 0 });
    expect(Object.fromEntries(report.cases.map((c) => [c.id, [c.diagnosis, c.rank.phenotypes, c.rank['phenotypes+gene']]]))).toEqual({
      PMID_11175294_Patient_D27: ['OMIM:154700', 1, 1], // Marfan
      PMID_17661815_Patient_B_III_3: ['OMIM:214800', 1, 1], // CHARGE
      PMID_17661820_1: ['OMIM:163950', 1, 1], // Noonan 1
      PMID_18669544_FO_07: ['OMIM:209900', 1, 1], // Bardet-Biedl 1
      PMID_20513137_individual_N849_GSM_GSM492747: ['OMIM:162200', 1, 1], // NF1
      PMID_28841907_boy: ['OMIM:108300', 6, 1], // Stickler 1: COL2A1 lifts it
      PMID_29196670_Patient_4: ['OMIM:191100', 1, 1], // tuberous sclerosis
      PMID_31021519_Case_1_from_Brewer_et_al: ['OMIM:612313', null, null], // Glass syndrome: not in the seed
      PMID_31527767_II_5: ['OMIM:129600', null, null], // familial ectopia lentis: not in the seed
      PMID_31949313_F7_II_1: ['OMIM:147920', 1, 1], // Kabuki 1
      PMID_35003478_Case_report: ['OMIM:609192', 1, 1], // Loeys-Dietz 1, no gene given
      PMID_36446582_Sacharow_2012_P2: ['OMIM:148050', null, null], // KBG: not in the seed
      PMID_38284454_Patient_13: ['OMIM:122470', 1, 1], // Cornelia de Lange 1
      PMID_41810194_proband: ['OMIM:312750', 3, 1], // Rett: MECP2 lifts it
    });

    const [phenotypes, withGene] = report.runs;
    expect(phenotypes).toMatchObject({
      run: 'phenotypes',
      cases: 14,
      inGraph: 11,
      notInGraph: 3,
      noKnownPhenotype: 0,
      withoutGene: 1,
      hits: { top1: 9, top3: 10, top10: 11 },
      recall: { top1: 9 / 14, top3: 10 / 14, top10: 11 / 14 },
      recallInGraph: { top1: 9 / 11, top3: 10 / 11, top10: 1 },
      medianRankInGraph: 1,
      medianRankAll: 1,
    });
    expect(withGene).toMatchObject({ run: 'phenotypes+gene', hits: { top1: 11, top3: 11, top10: 11 }, recallInGraph: { top1: 1, top3: 1, top10: 1 } });

    const table = markdownReport(report);
    expect(table).toContain('| phenotypes | 14 | 11 | 64.3 % | 71.4 % | 78.6 % | 81.8 % / 90.9 % / 100.0 % | 1 | 1 |');
    expect(table).toContain('| phenotypes+gene | 14 | 11 | 78.6 % | 78.6 % | 78.6 % | 100.0 % / 100.0 % / 100.0 % | 1 | 1 |');
    expect(table).toContain('Diagnosis not in the graph (counted as misses): 3;');
  });

  it('runs from one command, printing the table and writing every case as JSON', async () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-eval-')), 'cli.json');
    const { stdout } = await promisify(execFile)(
      path.join(REPO, 'node_modules', '.bin', 'tsx'),
      [path.join(__dirname, 'cli.ts'), '--cases', FIXTURES, '--sample', 'per-cohort', '--limit', '5', '--json', json],
      { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    expect(stdout).toContain('| run | cases | diagnosis in graph | top-1 |');
    const written = JSON.parse(fs.readFileSync(json, 'utf8')) as { cases: { id: string }[]; sample: string; limit: number };
    expect([written.sample, written.limit, written.cases.length]).toEqual(['per-cohort', 5, 5]);
  }, 60_000);
});

describe('loadRankingCorpus with --release', () => {
  it('reads one imported release alone (its terms, is_a edges, annotations and their frequencies), and refuses a release the graph lacks, naming those it holds', async () => {
    // A release of this test's own: a version no other file imports, three terms, one disease.
    const version = `2031-${randomDigits(8)}`;
    const base = Number(randomDigits(7)) - 5;
    const [root, a, b] = [0, 1, 2].map((i) => `HP:${String(base + i).padStart(7, '0')}`) as [string, string, string];
    const omim = `OMIM:${randomDigits(6)}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-release-'));
    fs.writeFileSync(
      path.join(dir, 'hp.obo'),
      `format-version: 1.2\ndata-version: hp/releases/${version}\nontology: hp\n\n[Term]\nid: ${root}\nname: Root\n\n[Term]\nid: ${a}\nname: A\nis_a: ${root}\n\n[Term]\nid: ${b}\nname: B\nis_a: ${a}\n`,
    );
    const header = ['database_id', 'disease_name', 'qualifier', 'hpo_id', 'reference', 'evidence', 'onset', 'frequency', 'sex', 'modifier', 'aspect', 'biocuration'];
    // Two references for the pair, 3/4 and 1/4 of their patients: pooled, 4/8.
    const rows = [
      [omim, 'Syndrome', '', b, omim, 'TAS', '', '3/4', '', '', 'P', 'HPO:test[2031-01-01]'],
      [omim, 'Syndrome', '', b, 'PMID:1', 'PCS', '', '1/4', '', '', 'P', 'HPO:test[2031-01-01]'],
    ];
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), `#version: ${version}\n${header.join('\t')}\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
    await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));

    const release = `HPO ${version}`;
    const corpus = await loadRankingCorpus(executor, release);
    expect({ terms: corpus.terms, diseases: corpus.diseases, releases: corpus.releases }).toEqual({
      terms: 3,
      diseases: 1,
      releases: [{ release, annotations: 2, diseases: 1 }],
    });
    expect([...corpus.index.diseases[0]!.frequencies]).toEqual([0.5]);
    // The corpus the API reads (the whole graph) carries the same frequencies, aligned with the phenotype ids.
    const whole = (await new Neo4jKnowledgeRepository(executor).phenotypeCorpus()).diseases.find((d) => d.id === omim)!;
    expect(whole.phenotypes.map((id, i) => [id, whole.frequencies[i]]).sort()).toEqual([
      [b, '1/4'],
      [b, '3/4'],
    ]);
    await expect(loadRankingCorpus(executor, `HPO never-${version}`)).rejects.toThrow(`--release "HPO never-${version}": the graph holds no annotation of that release (`);
  });
});

describe('parseEvalArgs', () => {
  it('refuses a bad sample, limit or ranking option, and a missing default release with where to put it', () => {
    const refusal = (argv: string[]) => {
      try {
        parseEvalArgs(argv);
        return null;
      } catch (error) {
        return error instanceof UsageError ? error.message : String(error);
      }
    };
    expect(refusal(['--cases', FIXTURES, '--sample', 'some'])).toBe('--sample "some": expected per-cohort or all');
    expect(refusal(['--cases', FIXTURES, '--limit', '0'])).toBe('--limit "0" is not a whole number from 1 up');
    expect(refusal(['--cases', FIXTURES, '--negative-finding-penalty', '2'])).toBe('--negative-finding-penalty "2" is not a number from 0 to 1');
    expect(refusal(['--cases', FIXTURES, '--scoring', 'bma'])).toBe('--scoring "bma": expected likelihood-ratio or similarity');
    expect(refusal(['--cases', FIXTURES, '--gene-likelihood-ratio', '0.5'])).toBe('--gene-likelihood-ratio "0.5" is not a number ≥ 1');
    expect(parseEvalArgs(['--cases', FIXTURES, '--scoring', 'similarity', '--score-negative-findings']).ranking).toEqual({ scoring: 'similarity', scoreNegativeFindings: true });
    const saved = process.env.KG_RELEASES_DIR;
    process.env.KG_RELEASES_DIR = path.join(os.tmpdir(), 'no-releases-here');
    try {
      expect(refusal([])).toMatch(/no-releases-here\/phenopackets\/phenopacket-store\.jsonl\.xz: no such file or directory \(the phenopacket release is not committed/);
    } finally {
      if (saved === undefined) delete process.env.KG_RELEASES_DIR;
      else process.env.KG_RELEASES_DIR = saved;
    }
  });
});

describe('medianWithMisses', () => {
  it('counts unranked cases as worse than every rank, and gives none when they are half or more', () => {
    expect(medianWithMisses([1, 1, 4], 5)).toBe(4);
    expect(medianWithMisses([1, 2, 3], 6)).toBeNull();
    expect(medianWithMisses([1, 2, 3, 5], 6)).toBe(4);
  });
});
