/**
 * CIViC nightly clinical evidence (`nightly-ClinicalEvidenceSummaries.tsv` or a dated
 * `01-Nov-2026-ClinicalEvidenceSummaries.tsv`, plain or `.gz`) → Gene, Variant, Drug, Disease, Evidence.
 * Evidence carries `source` ("CIViC 01-Aug-2024") and `sourceVersion` (the release), so a Therapy names it.
 *
 * Current columns (since CIViC's molecular-profile model): molecular_profile, molecular_profile_id,
 * disease, doid, phenotypes, therapies, therapy_interaction_type, evidence_type, evidence_direction,
 * evidence_level, significance, evidence_statement, citation_id, source_type, asco_abstract_id,
 * citation, nct_ids, rating, evidence_status, evidence_id, variant_origin, last_review_date,
 * evidence_civic_url, molecular_profile_civic_url, is_flagged. Older files with gene / variant /
 * variant_id instead of molecular_profile / molecular_profile_id are accepted too.
 *
 * - Only `evidence_status` = accepted rows are imported; the others are skipped and counted.
 * - Molecular profiles of one variant ("BRAF V600E") become (gene, variant); complex profiles
 *   ("BRAF V600E AND KRAS G12D", "NOT ...") are skipped with that reason.
 * - Variant: `<GENE>:<variant name>` (`BRAF:V600E`, `BRAF:V600`, `ALK:Fusion`), the key the curated
 *   seed uses, so CIViC evidence from the seed and from an import land on one node; every GRCh38
 *   Variant with that protein change (or a change at that codon) ENCODES it, as in the seed. The CIViC
 *   variant or molecular-profile id is kept on the node (`civicId`).
 * - Drug id: an existing Drug named like the therapy (lowercase) is reused, else `name:<lowercase>`.
 * - Disease id: `DOID:<doid>`; rows without a DOID are skipped (the evidence would float free).
 * - A required column missing → ImportInputError naming it, before anything is written.
 * - Given the release's `…-VariantSummaries.tsv` instead, the variants' coordinates are imported (civic-variants.ts).
 * - Each row passes record-checks.ts: an HGNC gene symbol, a numeric evidence id and DOID, NCT ids of
 *   NCT and 8 digits, a finite rating, text without control characters and within limits. A row that
 *   fails is skipped with its code and line; the import goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Neo4jExecutor } from '../executor';
import {
  BatchWriter,
  DEFAULT_BATCH_SIZE,
  drugRef,
  ImportInputError,
  ImportReport,
  splitList,
  splitTsv,
  withImportRun,
  type DrugRef,
  type ImportOptions,
  type ImportResult,
} from './common';
import { importCivicVariants, isCivicVariantSummaries } from './civic-variants';
import { inputChecksum, lineReader } from './input';
import { ENCODES_PREDICATE, knowledgeVariantId, normalizeProteinChange, variantLevel, type VariantLevel } from './variants';
import { finiteNumberProblem, firstProblem, geneSymbolProblem, ImportRejectCode, nctIdProblem, skipRecord, textProblem, type Skip } from './record-checks';

/** Needed in every file. */
export const CIVIC_REQUIRED_COLUMNS = [
  'disease',
  'doid',
  'therapies',
  'evidence_type',
  'evidence_direction',
  'evidence_level',
  'significance',
  'citation_id',
  'source_type',
  'citation',
  'evidence_status',
  'evidence_id',
] as const;
/** The variant: current files name a molecular profile, older ones a gene and a variant. */
export const CIVIC_PROFILE_COLUMNS = ['molecular_profile', 'molecular_profile_id'] as const;
export const CIVIC_LEGACY_VARIANT_COLUMNS = ['gene', 'variant', 'variant_id'] as const;

export interface CivicRow {
  line: number;
  id: string;
  gene: string;
  variantId: string;
  variantName: string;
  level: VariantLevel;
  civicVariantId: string;
  proteinChange: string | null;
  diseaseId: string;
  diseaseName: string;
  drugs: DrugRef[];
  evidence: Record<string, string | number | string[] | null>;
}

const MERGE_CIVIC_EVIDENCE = `
  UNWIND $rows AS row
  MERGE (g:Gene {symbol: row.gene})
    ON CREATE SET g.source = $run.source, g.importRun = $run.id
  WITH row, g
  MERGE (v:Variant {id: row.variantId})
    ON CREATE SET v.gene = row.gene, v.proteinChange = row.proteinChange, v.name = row.variantName, v.level = row.level,
                  v.source = $run.source, v.importRun = $run.id
  SET v.civicId = row.civicVariantId
  MERGE (v)-[:IN_GENE]->(g)
  WITH row, v
  CALL (v) {
    WITH v AS p
    MATCH (g:Variant {gene: p.gene}) WHERE p.level IN ['protein', 'codon'] AND ${ENCODES_PREDICATE}
    MERGE (g)-[:ENCODES]->(p)
  }
  MERGE (x:Disease {id: row.diseaseId})
    ON CREATE SET x.name = row.diseaseName, x.source = $run.source, x.importRun = $run.id
  MERGE (e:Evidence {id: row.id})
  SET e += row.evidence, e.source = $run.source, e.sourceVersion = $run.version, e.importRun = $run.id
  MERGE (e)-[about:ABOUT_VARIANT]->(v)
  SET about.source = $run.source, about.importRun = $run.id
  MERGE (e)-[inDisease:IN_DISEASE]->(x)
  SET inDisease.source = $run.source, inDisease.importRun = $run.id
  WITH row, e
  CALL (row, e) {
    UNWIND row.drugs AS drug
    OPTIONAL MATCH (known:Drug {name: drug.lower})
    WITH e, drug, head(collect(known.id)) AS knownId
    MERGE (d:Drug {id: coalesce(knownId, drug.id)})
      ON CREATE SET d.name = drug.name, d.source = $run.source, d.importRun = $run.id
    MERGE (e)-[forDrug:FOR_DRUG]->(d)
    SET forDrug.source = $run.source, forDrug.importRun = $run.id
  }`;

const RESPONSES: Record<string, string> = {
  'sensitivity/response': 'SENSITIVITY',
  sensitivity: 'SENSITIVITY',
  resistance: 'RESISTANCE',
  'reduced sensitivity': 'REDUCED_SENSITIVITY',
  'adverse response': 'ADVERSE_RESPONSE',
};

const enumCase = (s: string): string => s.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');

/** "01-Nov-2026-ClinicalEvidenceSummaries.tsv(.gz)" → "01-Nov-2026"; else "nightly-<file date>". */
export function civicVersion(file: string): string {
  const dated = /(\d{2}-[A-Za-z]{3}-\d{4})/.exec(path.basename(file));
  if (dated) return dated[1]!;
  return `nightly-${fs.statSync(file).mtime.toISOString().slice(0, 10)}`;
}

function checkHeader(header: string[]): void {
  const have = new Set(header);
  const missing: string[] = CIVIC_REQUIRED_COLUMNS.filter((c) => !have.has(c));
  const legacy = CIVIC_LEGACY_VARIANT_COLUMNS.every((c) => have.has(c));
  if (!legacy) missing.push(...CIVIC_PROFILE_COLUMNS.filter((c) => !have.has(c)));
  if (missing.length) {
    throw new ImportInputError(
      `CIViC evidence file: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} ` +
        `(header has: ${header.join(', ')}); nothing was imported`,
    );
  }
}

/** One TSV row → a CivicRow, or why it is skipped. */
export function civicRow(get: (column: string) => string, line: number): CivicRow | Skip {
  const status = get('evidence_status').trim().toLowerCase();
  if (status !== 'accepted') return skipRecord(ImportRejectCode.NOT_IMPORTED, `evidence_status "${status || '(empty)'}" (only accepted evidence is imported)`);
  const eid = get('evidence_id').trim();
  if (!/^\d+$/.test(eid)) return skipRecord(ImportRejectCode.INVALID_IDENTIFIER, 'evidence_id is not a number');

  let gene = get('gene').trim();
  let variant = get('variant').trim();
  let civicVariantId: string;
  if (gene && variant && get('variant_id').trim()) {
    civicVariantId = `civic:variant:${get('variant_id').trim()}`;
  } else {
    const profile = get('molecular_profile').trim();
    const profileId = get('molecular_profile_id').trim();
    if (!profile || !profileId) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no molecular profile');
    if (/\b(AND|OR|NOT)\b/.test(profile)) return skipRecord(ImportRejectCode.NOT_IMPORTED, 'complex molecular profile (AND/OR/NOT)');
    const m = /^(\S+)\s+(.+)$/.exec(profile);
    if (!m) return skipRecord(ImportRejectCode.INVALID_IDENTIFIER, 'molecular profile is not "<gene> <variant>"');
    gene = m[1]!;
    variant = m[2]!;
    civicVariantId = `civic:molecular-profile:${profileId}`;
  }
  const doid = get('doid').trim();
  if (!doid) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no DOID for the disease');
  const diseaseId = /^DOID:/i.test(doid) ? `DOID:${doid.slice(5)}` : `DOID:${doid}`;
  const nctIds = splitList(get('nct_ids'));
  const problem = firstProblem(
    geneSymbolProblem('gene', gene),
    /^DOID:\d+$/.test(diseaseId) ? null : skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `doid ${JSON.stringify(doid.slice(0, 40))} is not a Disease Ontology id`),
    ...nctIds.map((id) => nctIdProblem('nct_ids', id)),
    get('rating').trim() ? finiteNumberProblem('rating', get('rating')) : null,
    textProblem(
      { variant, disease: get('disease'), therapies: get('therapies'), citation: get('citation'), citation_id: get('citation_id'), evidence_statement: get('evidence_statement') },
      ['evidence_statement'],
    ),
  );
  if (problem) return problem;

  const type = enumCase(get('evidence_type'));
  const significance = get('significance').trim();
  const citationId = get('citation_id').trim();
  const sourceType = get('source_type').trim();
  const citation = get('citation').trim();
  const rating = Number(get('rating'));
  return {
    line,
    id: `civic:EID${eid}`,
    gene,
    variantId: knowledgeVariantId(gene, variant),
    variantName: variant,
    level: variantLevel(variant),
    civicVariantId,
    proteinChange: normalizeProteinChange(variant),
    diseaseId,
    diseaseName: get('disease').trim(),
    drugs: splitList(get('therapies')).map((name) => drugRef(name)),
    evidence: {
      sourceRecordId: `EID${eid}`,
      level: get('evidence_level').trim().toUpperCase() || null,
      type: type || null,
      direction: enumCase(get('evidence_direction')) || null,
      significance: significance || null,
      response: type === 'PREDICTIVE' ? (RESPONSES[significance.toLowerCase()] ?? (enumCase(significance) || null)) : null,
      citation: [citation, citationId ? `${sourceType || 'source'}:${citationId}` : ''].filter(Boolean).join(' ') || null,
      citationId: citationId || null,
      statement: get('evidence_statement').trim() || null,
      interaction: enumCase(get('therapy_interaction_type')) || null,
      rating: get('rating').trim() ? rating : null,
      nctIds,
      variantOrigin: get('variant_origin').trim() || null,
      lastReviewed: get('last_review_date').trim() || null,
      sourceUrl: get('evidence_civic_url').trim() || `https://civicdb.org/evidence/${eid}/summary`,
    },
  };
}

export async function importCivic(executor: Neo4jExecutor, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  // The same release's variant file carries the coordinates (civic-variants.ts).
  if (isCivicVariantSummaries(file)) return importCivicVariants(executor, file, options);
  const input = lineReader(file);
  const it = input.lines[Symbol.asyncIterator]();
  try {
    const first = await it.next();
    if (first.done) throw new ImportInputError(`CIViC evidence file ${file} is empty; nothing was imported`);
    const header = splitTsv(first.value).map((h) => h.trim());
    checkHeader(header);
    const index = new Map(header.map((h, i) => [h, i]));

    const report = new ImportReport();
    const version = options.version ?? civicVersion(file);
    const checksum = await inputChecksum([file]);
    const runInput = { checksum, files: [path.basename(file)], phases: ['evidence'], force: options.force };
    return await withImportRun(executor, 'civic', version, report, runInput, async (run, resume) => {
      const progress = () => options.onProgress?.({ done: input.bytesRead(), total: input.size, unit: 'bytes' });
      const writer = new BatchWriter<CivicRow>(
        executor,
        MERGE_CIVIC_EVIDENCE,
        run,
        options.batchSize ?? DEFAULT_BATCH_SIZE,
        (rows) => {
          report.add('evidence', rows.length);
          progress();
        },
        { progress: resume, phase: 'evidence' },
      );
      let lineNo = 1;
      for (let next = await it.next(); !next.done; next = await it.next()) {
        lineNo += 1;
        if (next.value.trim() === '' || resume.done('evidence', lineNo)) continue;
        report.add('rows');
        const cells = splitTsv(next.value);
        const get = (column: string) => {
          const i = index.get(column);
          return i === undefined ? '' : (cells[i] ?? '');
        };
        const row = civicRow(get, lineNo);
        if ('skip' in row) report.skip(row.skip, `line ${lineNo}`, row.code);
        else await writer.add(row, lineNo);
      }
      await writer.flush();
      progress();
    });
  } finally {
    input.close();
  }
}
