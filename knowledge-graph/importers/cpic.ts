/**
 * CPIC recommendations → Guideline-[:FOR_GENE]->Gene, -[:FOR_DRUG]->Drug.
 *
 * Input: a directory of JSON files (walked recursively, *.json, one file at a time), each holding
 * one recommendation object or an array of them, as the CPIC API returns them for
 * `GET https://api.cpicpgx.org/v1/recommendation?select=*,drug(name),guideline(name,url)`.
 * The minimal shape read (anything else is ignored):
 *
 *   {
 *     "id": 1234,                                   // required: the recommendation id
 *     "drugid": "RxNorm:32968",                     // RxNorm CUI (or "drug": {"rxnorm": "32968"})
 *     "drug": { "name": "clopidogrel" },            // drug name (required when drugid is absent)
 *     "lookupkey": { "CYP2C19": "Poor Metabolizer" },      // required (or "phenotypes"): the gene(s)
 *     "phenotypes": { "CYP2C19": "Poor Metabolizer" },     // phenotype per gene (falls back to lookupkey)
 *     "drugrecommendation": "Avoid standard dose ...",     // required ("drugRecommendation" too)
 *     "classification": "Strong",                           // strength
 *     "population": "CVI ACS PCI",                          // CPIC population (indication); trimmed
 *     "implications": { "CYP2C19": "Reduced clopidogrel active metabolite formation; ..." },
 *     "comments": "For cardiovascular indications of acute coronary syndrome (ACS) ...",
 *     "guideline": { "name": "CPIC Guideline for Clopidogrel and CYP2C19", "url": "https://..." },
 *     "citations": ["PMID:35034351"]                        // optional ("citation": "..." too)
 *   }
 *
 * Also read: PharmGKB's guideline-annotation files (one guideline with its recommendations per file; PharmCAT
 * bundles CPIC's as `CPIC_*.json`), see cpic-pharmgkb.ts; the run's version is then the files' `version`.
 *
 * Guideline id `cpic:recommendation:<id>`, with the properties the curated seed writes: `name`, `url`,
 * `phenotypes` (JSON object gene → phenotype), `recommendation`, `classification` (strength),
 * `population`, `implications` (JSON object gene → text), `comments`, `citations` (list), `sourceVersion` (the import's version),
 * `releasedOn` (the release's date: from --version when it names one, e.g. "2024-05-01", else from the PharmGKB files' version;
 * CPIC API rows carry none) and `publishedYear` (PharmGKB files' latest citation year; CPIC API rows carry none).
 * A recommendation already written by a newer release (same id) is left as it is, whatever the import order; of several
 * versions of one gene–drug pair (the seed beside an import) the answers take the newest (../guideline-versions.ts).
 * Drug: the RxNorm CUI when given, else an existing Drug named
 * like it (lowercase), else `name:<lowercase>`. Rows lacking a required field, with a gene that is not
 * an HGNC symbol, an id or RxNorm CUI that is not a number, or text with control characters or beyond
 * the limits (record-checks.ts) are skipped (counted, with code, file and index); the import goes on.
 */
import path from 'node:path';
import type { Neo4jExecutor } from '../executor';
import { cpicVersionKey, guidelineVersionKey, releaseDateOf } from '../guideline-versions';
import { BatchWriter, DEFAULT_BATCH_SIZE, drugRef, ImportReport, withImportRun, type DrugRef, type ImportOptions, type ImportResult } from './common';
import { isPharmgkbGuideline, pharmgkbGuidelineRows, pharmgkbVersion } from './cpic-pharmgkb';
import { inputChecksum, readWholeText } from './input';
import { FILE_POSITION, listJsonFiles } from './trials';
import { firstProblem, geneSymbolProblem, ImportRejectCode, skipRecord, textProblem, type Skip } from './record-checks';

export interface GuidelineRow {
  id: string;
  genes: string[];
  drug: DrugRef & { byName: boolean };
  /** JSON object gene → phenotype, as the curated seed stores it. */
  phenotypes: string;
  /** JSON object gene → the value CPIC looks the recommendation up by (phenotype, or activity score). */
  lookupKey: string;
  recommendation: string;
  classification: string | null;
  population: string | null;
  /** JSON object gene → CPIC's implication, as the curated seed stores it. */
  implications: string;
  comments: string | null;
  name: string | null;
  url: string | null;
  citations: string[];
  /** The latest publication year among the guideline's citations, where the input gives years. */
  publishedYear: number | null;
}

// CPIC's and PharmGKB's recommendation ids persist across releases: an older release imported after a newer one
// finds the newer version on the node and leaves it (guideline-versions.ts), so import order never decides the answer.
const MERGE_GUIDELINES = `
  UNWIND $rows AS row
  MERGE (r:Guideline {id: row.id})
  WITH r, row WHERE ${cpicVersionKey('row.releasedOn', 'row.publishedYear', '$run.source')} >= ${guidelineVersionKey('r')}
  SET r.name = row.name, r.url = row.url, r.phenotypes = row.phenotypes, r.lookupKey = row.lookupKey, r.recommendation = row.recommendation,
      r.classification = row.classification, r.population = row.population, r.implications = row.implications,
      r.comments = row.comments, r.citations = row.citations,
      r.source = 'CPIC', r.sourceVersion = $run.source, r.importRun = $run.id,
      r.releasedOn = row.releasedOn, r.publishedYear = row.publishedYear
  WITH r, row
  CALL (r, row) {
    UNWIND row.genes AS symbol
    MERGE (g:Gene {symbol: symbol})
      ON CREATE SET g.source = $run.source, g.importRun = $run.id
    MERGE (r)-[e:FOR_GENE]->(g)
    SET e.source = $run.source, e.importRun = $run.id
  }
  CALL (r, row) {
    WITH row.drug AS drug
    OPTIONAL MATCH (known:Drug {name: drug.lower}) WHERE drug.byName
    WITH r, drug, head(collect(known.id)) AS knownId
    MERGE (d:Drug {id: coalesce(knownId, drug.id)})
      ON CREATE SET d.name = drug.name, d.source = $run.source, d.importRun = $run.id
    MERGE (r)-[e:FOR_DRUG]->(d)
    SET e.source = $run.source, e.importRun = $run.id
  }
  RETURN count(r) AS written`;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;

/** One recommendation object → a GuidelineRow, or why it is skipped. */
export function guidelineRow(rec: unknown): GuidelineRow | Skip {
  const r = obj(rec);
  const id = str(r.id);
  if (!id) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no recommendation id');
  if (!/^\d+$/.test(id)) return skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `recommendation id ${JSON.stringify(id.slice(0, 40))} is not a number`);
  const recommendation = str(r.drugrecommendation) ?? str(r.drugRecommendation) ?? str(r.recommendation);
  if (!recommendation) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no drugrecommendation');
  const lookup = obj(r.lookupkey ?? r.lookupKey);
  const phenotypes = obj(r.phenotypes);
  const byGene = Object.keys(phenotypes).length ? phenotypes : lookup;
  const genes = Object.keys(Object.keys(lookup).length ? lookup : phenotypes);
  if (genes.length === 0) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no gene (lookupkey/phenotypes empty)');
  const drug = obj(r.drug);
  const rxnorm = (str(r.drugid) ?? str(drug.rxnorm) ?? '').replace(/^RxNorm:/i, '') || null;
  const name = str(drug.name) ?? (typeof r.drug === 'string' ? str(r.drug) : null);
  if (!rxnorm && !name) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no drug (drugid or drug.name)');
  const guideline = obj(r.guideline);
  const citations = Array.isArray(r.citations) ? r.citations.map(str).filter((c): c is string => c !== null) : [];
  const texts = (o: Json) => Object.values(o).map(str).filter((t): t is string => t !== null);
  const problem = firstProblem(
    ...genes.map((g) => geneSymbolProblem('lookupkey gene', g)),
    // RxNorm concept unique identifiers are numbers (nlm.nih.gov/research/umls/rxnorm).
    rxnorm && !/^\d+$/.test(rxnorm) ? skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `drugid ${JSON.stringify(rxnorm.slice(0, 40))} is not an RxNorm CUI`) : null,
    textProblem(
      {
        drug: name,
        recommendation,
        classification: str(r.classification) ?? str(r.strength),
        population: str(r.population),
        phenotypes: texts(byGene),
        implications: texts(obj(r.implications)),
        comments: str(r.comments),
        guideline: str(guideline.name) ?? str(r.guidelinename),
        citations,
      },
      ['recommendation', 'implications', 'comments'],
    ),
  );
  if (problem) return problem;
  return {
    id: `cpic:recommendation:${id}`,
    genes,
    drug: { ...drugRef(name ?? `RxNorm:${rxnorm}`, rxnorm), byName: !rxnorm },
    phenotypes: JSON.stringify(Object.fromEntries(Object.entries(byGene).map(([g, p]) => [g, str(p) ?? '']))),
    lookupKey: JSON.stringify(Object.fromEntries(Object.entries(Object.keys(lookup).length ? lookup : byGene).map(([g, p]) => [g, str(p) ?? '']))),
    recommendation,
    classification: str(r.classification) ?? str(r.strength),
    // CPIC's export writes some populations with a trailing space ("CVI ACS PCI "): str() trims.
    population: str(r.population),
    implications: JSON.stringify(Object.fromEntries(Object.entries(obj(r.implications)).map(([g, text]) => [g, str(text) ?? '']))),
    comments: str(r.comments),
    name: str(guideline.name) ?? str(r.guidelinename),
    url: str(guideline.url) ?? str(r.url),
    citations: [str(r.citation), ...citations].filter((c): c is string => c !== null),
    // CPIC's API gives citations as PMIDs without years: the release date (--version) dates these rows.
    publishedYear: null,
  };
}

/** The release a PharmGKB guideline file states ("2024-03-25-16-13" → "pharmgkb-2024-03-25-16-13"); null for other layouts. */
async function releaseOfFirstFile(files: string[]): Promise<string | null> {
  if (files.length === 0) return null;
  try {
    const data: unknown = JSON.parse(await readWholeText(files[0]!));
    const version = isPharmgkbGuideline(data) ? pharmgkbVersion(data) : null;
    return version ? `pharmgkb-${version}` : null;
  } catch {
    return null; // read again, and reported, by the import itself
  }
}

export async function importCpic(executor: Neo4jExecutor, dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const files = listJsonFiles(dir);
  const report = new ImportReport();
  const filesRelease = await releaseOfFirstFile(files);
  const version = options.version ?? filesRelease ?? `snapshot-${new Date().toISOString().slice(0, 10)}`;
  // The default snapshot name carries the import's date, not the data's: such a release stays undated.
  const releasedOn = releaseDateOf(options.version) ?? releaseDateOf(filesRelease);
  const runInput = { checksum: await inputChecksum([dir]), files: [path.basename(dir)], phases: ['recommendations'], force: options.force };
  return withImportRun(executor, 'cpic', version, report, runInput, async (run, resume) => {
    let done = 0;
    const writer = new BatchWriter<GuidelineRow & { releasedOn: string | null }>(
      executor,
      MERGE_GUIDELINES,
      run,
      options.batchSize ?? DEFAULT_BATCH_SIZE,
      (rows, records) => {
        const written = Number(records[0]?.written ?? rows.length);
        report.add('guidelines', written);
        if (written < rows.length) report.add('superseded', rows.length - written);
        options.onProgress?.({ done, total: files.length, unit: 'files' });
      },
      { progress: resume, phase: 'recommendations' },
    );
    for (const file of files) {
      done += 1;
      report.add('files');
      const where = path.relative(dir, file) || path.basename(file);
      let data: unknown;
      try {
        data = JSON.parse(await readWholeText(file));
      } catch (error) {
        report.skip('not valid JSON', `${where}: ${(error as Error).message.split('\n')[0]}`, ImportRejectCode.INVALID_JSON);
        continue;
      }
      // PharmGKB's guideline-annotation layout (cpic-pharmgkb.ts) holds many recommendations per file.
      const rows = isPharmgkbGuideline(data)
        ? pharmgkbGuidelineRows(data).map(({ index, row }) => ({ index, row, at: `${where} recommendations[${index}]` }))
        : (Array.isArray(data) ? data : [data]).map((rec, index) => ({ index, row: guidelineRow(rec), at: Array.isArray(data) ? `${where}[${index}]` : where }));
      for (const { index, row, at } of rows) {
        if (resume.done('recommendations', done * FILE_POSITION + index)) continue;
        report.add('recommendations');
        if ('skip' in row) report.skip(row.skip, at, row.code);
        else await writer.add({ ...row, releasedOn }, done * FILE_POSITION + index);
      }
    }
    await writer.flush();
    options.onProgress?.({ done, total: files.length, unit: 'files' });
  });
}
