/**
 * Human Phenotype Ontology: `hp.obo` (OBO 1.2) or `hp.json` (OBO Graphs JSON, obographs.ts) → Phenotype +
 * IS_A, and `phenotype.hpoa` →
 * Disease-[:HAS_PHENOTYPE {frequency, evidence, reference, onset, sex, modifier}]->Phenotype and
 * Disease-[:HAS_INHERITANCE {reference, evidence}]->Phenotype (a mode of inheritance). One
 * ImportRun (source hpo) covers all its files; its version is the OBO `data-version` ("hp/releases/
 * 2024-08-13" → "2024-08-13"), else the HPOA `#date`/`#version`, else "unknown".
 *
 * Every file may be gzipped (`.gz`, read through zlib). Text files are streamed with readline; hp.json
 * is one JSON document read whole. The ontology is read twice: a first pass keeps only term
 * ids and is_a edges to check the hierarchy (an is_a cycle → ImportInputError naming the cycle,
 * before anything is written); the second pass writes terms in batches. The HPOA header is checked
 * before writing as well (missing column → ImportInputError; hpo-headers.ts), and so is the gene file's when one is given.
 *
 * - [Term] stanzas only ([Typedef] etc. ignored); obsolete terms are skipped and counted (no Phenotype is
 *   created for one), but a Phenotype an older load left under that id is marked `obsolete`, carries the
 *   release's `replacedBy` (OBO `replaced_by`; null when the release gives none) and loses its is_a edges
 *   (counted `obsoleteRetired`).
 * - HPOA: aspect P (phenotypic abnormality) rows → HAS_PHENOTYPE (counted `annotations`), aspect I rows (the
 *   disease's mode of inheritance, a term under HP:0000005 "Mode of inheritance", e.g. HP:0000007 Autosomal
 *   recessive) → HAS_INHERITANCE (counted `inheritance`), both written in one pass, in the same batches. Which
 *   aspect a term may carry is the release's statement; it is not checked against the hierarchy. NOT-qualified
 *   rows and other aspects (C clinical course, M clinical modifier) are skipped and counted; a row whose HPO term
 *   is obsolete in the release, or not in the graph, is skipped with that reason (an older load's node of an
 *   obsolete term does not take annotations).
 * - One HAS_PHENOTYPE edge per (disease, phenotype, reference): HPOA lists a disease–phenotype pair
 *   once per reference, each with its own frequency/evidence. Likewise one HAS_INHERITANCE edge per (disease,
 *   mode of inheritance, reference).
 * - Optional third file, HPO's `genes_to_disease.txt` (current format: header `ncbi_gene_id gene_symbol
 *   association_type disease_id source`, tab-separated; the source column names the upstream file, e.g. NCBI
 *   mim2gene_medgen; see docs/annotations/genes_to_disease.md in obophenotype/human-phenotype-ontology) →
 *   Disease-[:ASSOCIATED_GENE {associationType, reference, source, importRun}]->Gene {symbol}, read after the
 *   annotations so the diseases they created are linked. One edge per (disease, gene, association_type);
 *   `reference` is the row's source column. Rows whose disease is not in the graph are skipped with that reason
 *   (no Disease is created from this file), rows without a symbol, disease id or association type as malformed.
 *   Its header is checked with the others, before anything is written.
 * - A term imported gets exactly the release's is_a parents (earlier edges it does not list are removed).
 * - A disease the HPOA names (any row with a well-formed disease id, whatever its aspect or qualifier) gets
 *   exactly this release's HAS_PHENOTYPE and HAS_INHERITANCE edges: after the annotations are written, its edges
 *   that this run did not write (an earlier release's, the 2015 seed's) are removed (counted `annotationsRemoved`
 *   and `inheritanceRemoved`; a disease the release names with no aspect-I row keeps none). Likewise
 *   a disease genes_to_disease names gets exactly this file's ASSOCIATED_GENE edges (`geneLinksRemoved`; the
 *   seed's OMIM gene-map links of that disease included). A disease the release does not name is left as it
 *   was. These removals are checkpointed as positions after the file's last line (the named diseases in file
 *   order), so a resumed run removes and counts each edge once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Neo4jExecutor } from '../executor';
import {
  BatchWriter,
  DEFAULT_BATCH_SIZE,
  IMPORTER_REVISIONS,
  ImportInputError,
  ImportReport,
  splitTsv,
  type RunContext,
  type RunProgress,
  withImportRun,
  type ImportOptions,
  type ImportResult,
} from './common';
import { inputChecksum, lineReader } from './input';
import { findIsACycle, isObographs, ontologyTerms, type OboTerm } from './hpo-ontology';
import { readGenesToDiseaseHeader, readHpoaHeader } from './hpo-headers';
import { firstProblem, geneSymbolProblem, hpoIdProblem, ImportRejectCode, skipRecord, textProblem, type Skip } from './record-checks';


export { GENES_TO_DISEASE_REQUIRED_COLUMNS, HPOA_REQUIRED_COLUMNS } from './hpo-headers';

export { findIsACycle, oboTerms, ontologyTerms, type OboTerm } from './hpo-ontology';

/** Written in this order; a checkpoint names one of them. */
const HPO_PHASES = ['terms', 'annotations', 'genes'] as const;

export interface HpoImportOptions extends ImportOptions {
  /** HPO's genes_to_disease.txt; when absent no ASSOCIATED_GENE edges are written. */
  genesToDiseaseFile?: string;
}

/** A term of the release as written: a live term, or an obsolete one (only marked, where an older load left it). */
type TermRow = Omit<OboTerm, 'line'>;

const MERGE_PHENOTYPES = `
  CALL () {
    UNWIND [row IN $rows WHERE NOT row.obsolete] AS row
    MERGE (p:Phenotype {id: row.id})
    SET p.name = row.name, p.synonyms = row.synonyms, p.source = $run.source, p.sourceVersion = $run.version, p.importRun = $run.id,
        p.obsolete = null, p.replacedBy = null
    WITH p, row
    CALL (p, row) {
      // A term gets exactly this release's parents: edges an earlier release (or the seed) gave it and this one
      // does not are removed. Kept, a re-parented term could close an is_a cycle across the two (the 2015 seed's
      // HP:0000140 -> HP:0000858 beside 2023-01-27's HP:0000858 -> HP:0000140), and the rare-disease ranking's
      // phenotype index refuses a cyclic ontology.
      MATCH (p)-[stale:IS_A]->(q:Phenotype) WHERE NOT q.id IN row.parents
      DELETE stale
    }
    CALL (p, row) {
      UNWIND row.parents AS parentId
      MERGE (q:Phenotype {id: parentId})
      MERGE (p)-[r:IS_A]->(q)
      SET r.source = $run.source, r.importRun = $run.id
    }
  }
  CALL () {
    // An obsolete term is not created, but an older load's node of it is retired the same way: no is_a edges
    // (the release gives it none), and the release's replacement.
    UNWIND [row IN $rows WHERE row.obsolete] AS row
    MATCH (p:Phenotype {id: row.id})
    SET p.obsolete = true, p.replacedBy = CASE WHEN size(row.replacedBy) > 0 THEN row.replacedBy END,
        p.source = $run.source, p.sourceVersion = $run.version, p.importRun = $run.id
    WITH p
    CALL (p) {
      MATCH (p)-[stale:IS_A]->(:Phenotype)
      DELETE stale
    }
    RETURN count(p) AS retired
  }
  RETURN retired`;

// Both aspects in one statement, so a batch is the file's lines in order whatever their aspect and the checkpoint
// (a line number) stays one position in one phase. A row comes back (`line`) when its term is in the graph.
const MERGE_DISEASE_ANNOTATIONS = `
  UNWIND $rows AS row
  MATCH (p:Phenotype {id: row.hpoId})
  MERGE (d:Disease {id: row.diseaseId})
    ON CREATE SET d.name = row.diseaseName, d.source = $run.source, d.importRun = $run.id
  WITH row, d, p
  CALL (row, d, p) {
    WITH * WHERE row.aspect = 'P'
    MERGE (d)-[r:HAS_PHENOTYPE {reference: row.reference}]->(p)
    SET r.frequency = row.frequency, r.evidence = row.evidence, r.onset = row.onset, r.sex = row.sex,
        r.modifier = row.modifier, r.source = $run.source, r.sourceVersion = $run.version, r.importRun = $run.id
  }
  CALL (row, d, p) {
    WITH * WHERE row.aspect = 'I'
    MERGE (d)-[r:HAS_INHERITANCE {reference: row.reference}]->(p)
    SET r.evidence = row.evidence, r.source = $run.source, r.sourceVersion = $run.version, r.importRun = $run.id
  }
  RETURN row.line AS line`;

// MATCH, not MERGE, on the disease: a gene file row never creates a Disease. Genes are shared nodes (provenance
// only when this import creates them).
const MERGE_DISEASE_GENES = `
  UNWIND $rows AS row
  MATCH (d:Disease {id: row.diseaseId})
  MERGE (g:Gene {symbol: row.symbol})
    ON CREATE SET g.source = $run.source, g.importRun = $run.id
  MERGE (d)-[r:ASSOCIATED_GENE {associationType: row.associationType}]->(g)
  SET r.reference = row.reference, r.source = $run.source, r.sourceVersion = $run.version, r.importRun = $run.id
  RETURN row.line AS line`;

// Run after every annotation of the file is written: what a named disease still has beyond this run's edges is
// what the release no longer states (an earlier release's, the 2015 seed's, which carry no importRun). Phenotype
// annotations and modes of inheritance alike, each counted on its own.
const DELETE_STALE_ANNOTATIONS = `
  UNWIND $rows AS diseaseId
  MATCH (:Disease {id: diseaseId})-[stale:HAS_PHENOTYPE|HAS_INHERITANCE]->(:Phenotype)
  WHERE stale.importRun IS NULL OR stale.importRun <> $run.id
  WITH stale, type(stale) AS kind
  DELETE stale
  RETURN count(CASE kind WHEN 'HAS_PHENOTYPE' THEN 1 END) AS annotations, count(CASE kind WHEN 'HAS_INHERITANCE' THEN 1 END) AS inheritance`;
const DELETE_STALE_GENE_LINKS = `
  UNWIND $rows AS diseaseId
  MATCH (:Disease {id: diseaseId})-[stale:ASSOCIATED_GENE]->(:Gene)
  WHERE stale.importRun IS NULL OR stale.importRun <> $run.id
  DELETE stale
  RETURN count(*) AS removed`;

/** Why an OBO term is not imported: no or a malformed id, obsolete, a malformed parent, bad text. */
export function termProblem(term: OboTerm): Skip | null {
  if (!term.id) return skipRecord(ImportRejectCode.MISSING_FIELD, 'term without id');
  if (term.obsolete) return skipRecord(ImportRejectCode.NOT_IMPORTED, 'obsolete term');
  return firstProblem(
    hpoIdProblem('id', term.id),
    ...term.parents.map((parent) => hpoIdProblem('is_a', parent)),
    textProblem({ name: term.name, synonym: term.synonyms }),
  );
}

/** HPOA and genes_to_disease disease ids: a prefix and a local id, e.g. OMIM:154700, ORPHA:558 (HPO annotation format). */
function diseaseIdProblem(field: string, id: string): Skip | null {
  if (!id) return skipRecord(ImportRejectCode.MISSING_FIELD, `${field} is empty`);
  return /^[A-Za-z]+:[A-Za-z0-9._-]+$/.test(id) && id.length <= 100
    ? null
    : skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `${field} ${JSON.stringify(id.slice(0, 40))} is not a disease id (PREFIX:id)`);
}

/**
 * Removes, for each disease named (in file order), the edges this run did not write. Positions continue after
 * the file's last line (`lastLine`), in the phase of the file, so a resumed run neither repeats nor miscounts.
 * `counts` maps each column the statement returns to the report count it adds to.
 */
async function removeStaleEdges(
  executor: Neo4jExecutor,
  run: RunContext,
  resume: RunProgress,
  report: ImportReport,
  cypher: string,
  named: Set<string>,
  place: { phase: string; lastLine: number; counts: Record<string, string> },
  batchSize: number,
): Promise<void> {
  const removed = (records: Array<Record<string, unknown>>) => {
    for (const [column, count] of Object.entries(place.counts)) report.add(count, Number(records[0]?.[column] ?? 0));
  };
  const sweep = new BatchWriter<string>(executor, cypher, run, batchSize, (_rows, records) => removed(records), { progress: resume, phase: place.phase });
  let position = place.lastLine;
  for (const diseaseId of named) {
    position += 1;
    if (!resume.done(place.phase, position)) await sweep.add(diseaseId, position);
  }
  await sweep.flush();
}

/** Where a term is, for skip examples: an OBO line, or a node of the JSON graph. */
function termPlace(file: string, term: OboTerm): string {
  return `${file} ${isObographs(file) ? 'node' : 'line'} ${term.line}${term.id ? ` (${term.id.slice(0, 40)})` : ''}`;
}

interface DiseaseGeneRow {
  line: number;
  diseaseId: string;
  symbol: string;
  associationType: string;
  reference: string | null;
}

interface HpoaRow {
  line: number;
  /** P: a phenotypic abnormality (HAS_PHENOTYPE); I: a mode of inheritance (HAS_INHERITANCE). */
  aspect: 'P' | 'I';
  diseaseId: string;
  diseaseName: string;
  hpoId: string;
  reference: string;
  evidence: string | null;
  frequency: string | null;
  onset: string | null;
  sex: string | null;
  modifier: string | null;
}

export async function importHpo(executor: Neo4jExecutor, oboFile: string, hpoaFile: string, options: HpoImportOptions = {}): Promise<ImportResult> {
  // Pass 1 (validation, nothing written): is_a hierarchy and the ontology's release.
  let dataVersion: string | null = null;
  const parents = new Map<string, string[]>();
  // Kept for the annotations: a row naming an obsolete term is not the release's annotation.
  const obsolete = new Set<string>();
  for await (const term of ontologyTerms(oboFile, (v) => (dataVersion = v))) {
    if (term.id && !term.obsolete) parents.set(term.id, term.parents);
    if (term.id && term.obsolete) obsolete.add(term.id);
  }
  const cycle = findIsACycle(parents);
  if (cycle) throw new ImportInputError(`HPO ontology ${oboFile}: is_a cycle ${cycle.join(' → ')}; nothing was imported`);
  parents.clear();
  const hpoa = await readHpoaHeader(hpoaFile);
  const genesFile = options.genesToDiseaseFile;
  const genesIndex = genesFile === undefined ? null : await readGenesToDiseaseHeader(genesFile);

  const report = new ImportReport();
  const version = options.version ?? dataVersion ?? hpoa.version ?? 'unknown';
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const files = [oboFile, hpoaFile, ...(genesFile === undefined ? [] : [genesFile])];
  const runInput = {
    checksum: await inputChecksum(files),
    files: files.map((f) => path.basename(f)),
    phases: HPO_PHASES,
    force: options.force,
    revision: IMPORTER_REVISIONS.hpo,
  };
  const hpoaBytes = fs.statSync(hpoaFile).size;
  const total = fs.statSync(oboFile).size + hpoaBytes + (genesFile === undefined ? 0 : fs.statSync(genesFile).size);
  return withImportRun(executor, 'hpo', version, report, runInput, async (run, resume) => {
    // Pass 2: terms (position: the term's ordinal in the file, the same in every read of it).
    let oboBytes = 0;
    const terms = new BatchWriter<TermRow>(
      executor,
      MERGE_PHENOTYPES,
      run,
      batchSize,
      (rows, records) => {
        report.add('phenotypes', rows.filter((r) => !r.obsolete).length);
        const retired = Number(records[0]?.retired ?? 0);
        if (retired) report.add('obsoleteRetired', retired);
        options.onProgress?.({ done: Math.min(oboBytes, total), total, unit: 'bytes' });
      },
      { progress: resume, phase: 'terms' },
    );
    let ordinal = 0;
    for await (const term of ontologyTerms(oboFile, undefined, (bytes) => (oboBytes = bytes))) {
      ordinal += 1;
      if (resume.done('terms', ordinal)) continue;
      report.add('terms');
      const problem = termProblem(term);
      if (problem) report.skip(problem.skip, termPlace(oboFile, term), problem.code);
      if (!problem) await terms.add({ id: term.id, name: term.name, synonyms: term.synonyms, parents: term.parents, obsolete: false, replacedBy: [] }, ordinal);
      else if (term.obsolete && !hpoIdProblem('id', term.id)) {
        const replacedBy = term.replacedBy.filter((id) => !hpoIdProblem('replaced_by', id));
        await terms.add({ id: term.id, name: term.name, synonyms: [], parents: [], obsolete: true, replacedBy }, ordinal);
      }
    }
    await terms.flush();
    oboBytes = fs.statSync(oboFile).size;

    // Annotations.
    const input = lineReader(hpoaFile);
    const annotations = new BatchWriter<HpoaRow>(
      executor,
      MERGE_DISEASE_ANNOTATIONS,
      run,
      batchSize,
      (rows, records) => {
        const linked = new Set(records.map((r) => r.line as number));
        for (const row of rows) {
          if (linked.has(row.line)) report.add(row.aspect === 'I' ? 'inheritance' : 'annotations');
          else report.skip('HPO term not in the graph', `line ${row.line} (${row.hpoId})`, ImportRejectCode.NOT_IN_GRAPH);
        }
        options.onProgress?.({ done: oboBytes + input.bytesRead(), total, unit: 'bytes' });
      },
      { progress: resume, phase: 'annotations' },
    );
    // Every disease the file names, read before the resume check: the removal of stale edges covers them all.
    const named = new Set<string>();
    let lineNo = 0;
    try {
      let headerSeen = hpoa.inComment;
      for await (const raw of input.lines) {
        lineNo += 1;
        const line = raw.replace(/\r$/, '');
        if (line.startsWith('#') || line.trim() === '') continue;
        if (!headerSeen) {
          headerSeen = true; // the header row (checked above)
          continue;
        }
        const cells = splitTsv(line);
        const get = (column: string) => (cells[hpoa.index.get(column) ?? -1] ?? '').trim();
        if (!diseaseIdProblem('database_id', get('database_id'))) named.add(get('database_id'));
        if (resume.done('annotations', lineNo)) continue;
        report.add('annotationRows');
        const aspect = get('aspect');
        if (aspect !== 'P' && aspect !== 'I') {
          report.skip(
            `aspect ${aspect || '(empty)'} (only P, phenotypic abnormality, and I, mode of inheritance, are imported)`,
            `line ${lineNo}`,
            ImportRejectCode.NOT_IMPORTED,
          );
          continue;
        }
        if (get('qualifier').toUpperCase() === 'NOT') {
          report.skip('NOT-qualified annotation', `line ${lineNo}`, ImportRejectCode.NOT_IMPORTED);
          continue;
        }
        const problem = firstProblem(
          hpoIdProblem('hpo_id', get('hpo_id')),
          diseaseIdProblem('database_id', get('database_id')),
          textProblem({ disease_name: get('disease_name'), reference: get('reference'), frequency: get('frequency'), onset: get('onset'), modifier: get('modifier') }),
        );
        if (problem) {
          report.skip(problem.skip, `line ${lineNo}`, problem.code);
          continue;
        }
        if (obsolete.has(get('hpo_id'))) {
          report.skip('HPO term obsolete in the release', `line ${lineNo} (${get('hpo_id')})`, ImportRejectCode.NOT_IMPORTED);
          continue;
        }
        await annotations.add(
          {
            line: lineNo,
            aspect,
            diseaseId: get('database_id'),
            diseaseName: get('disease_name'),
            hpoId: get('hpo_id'),
            reference: get('reference'),
            evidence: get('evidence') || null,
            frequency: get('frequency') || null,
            onset: get('onset') || null,
            sex: get('sex') || null,
            modifier: get('modifier') || null,
          },
          lineNo,
        );
      }
      await annotations.flush();
    } finally {
      input.close();
    }
    const counts = { annotations: 'annotationsRemoved', inheritance: 'inheritanceRemoved' };
    await removeStaleEdges(executor, run, resume, report, DELETE_STALE_ANNOTATIONS, named, { phase: 'annotations', lastLine: lineNo, counts }, batchSize);
    if (genesFile !== undefined && genesIndex) {
      await importDiseaseGenes(executor, run, resume, report, genesFile, genesIndex, batchSize, (bytes) =>
        options.onProgress?.({ done: oboBytes + hpoaBytes + bytes, total, unit: 'bytes' }),
      );
    }
    options.onProgress?.({ done: total, total, unit: 'bytes' });
  });
}

/** Streams genes_to_disease.txt (header already checked) into ASSOCIATED_GENE edges of existing diseases. */
async function importDiseaseGenes(
  executor: Neo4jExecutor,
  run: RunContext,
  resume: RunProgress,
  report: ImportReport,
  file: string,
  index: Map<string, number>,
  batchSize: number,
  onBytes: (bytesRead: number) => void,
): Promise<void> {
  const input = lineReader(file);
  const lines = input.lines;
  const links = new BatchWriter<DiseaseGeneRow>(
    executor,
    MERGE_DISEASE_GENES,
    run,
    batchSize,
    (rows, records) => {
      const linked = new Set(records.map((r) => r.line as number));
      for (const row of rows) {
        if (linked.has(row.line)) report.add('geneLinks');
        else report.skip('disease not in the graph', `line ${row.line} (${row.diseaseId})`, ImportRejectCode.NOT_IN_GRAPH);
      }
      onBytes(input.bytesRead());
    },
    { progress: resume, phase: 'genes' },
  );
  const named = new Set<string>();
  let lineNo = 0;
  try {
    let headerSeen = false;
    for await (const raw of lines) {
      lineNo += 1;
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') continue;
      if (!headerSeen) {
        headerSeen = true; // the header row (checked before the run started)
        continue;
      }
      const cells = splitTsv(line);
      const get = (column: string) => (cells[index.get(column) ?? -1] ?? '').trim();
      const diseaseId = get('disease_id');
      if (!diseaseIdProblem('disease_id', diseaseId)) named.add(diseaseId);
      if (resume.done('genes', lineNo)) continue;
      report.add('geneRows');
      const symbol = get('gene_symbol');
      const associationType = get('association_type');
      const problem = firstProblem(
        geneSymbolProblem('gene_symbol', symbol),
        diseaseIdProblem('disease_id', diseaseId),
        associationType === '' ? skipRecord(ImportRejectCode.MISSING_FIELD, 'association_type is empty') : null,
        textProblem({ association_type: associationType, source: get('source') }),
      );
      if (problem) {
        report.skip(problem.skip, `line ${lineNo}`, problem.code);
        continue;
      }
      await links.add({ line: lineNo, diseaseId, symbol, associationType, reference: get('source') || null }, lineNo);
    }
    await links.flush();
  } finally {
    input.close();
  }
  const counts = { removed: 'geneLinksRemoved' };
  await removeStaleEdges(executor, run, resume, report, DELETE_STALE_GENE_LINKS, named, { phase: 'genes', lastLine: lineNo, counts }, batchSize);
}
