/**
 * ClinicalTrials.gov API v2 studies, one JSON file per study (as `GET /api/v2/studies/{nctId}` or
 * each element of `studies[]` returns them), in a directory (walked recursively, *.json, name order,
 * one file read at a time) → Trial, linked to Drug (TESTS_DRUG), Disease (STUDIES) and Variant
 * (REQUIRES_VARIANT). JSON Lines files (*.jsonl[.gz]) in the directory hold one trial per line, a v2 study
 * or a flattened export record (trials-snapshot.ts), streamed; a skip names `file:line`.
 *
 * Fields read: protocolSection.identificationModule.{nctId, briefTitle|officialTitle},
 * statusModule.overallStatus, designModule.phases, conditionsModule.{conditions, keywords},
 * eligibilityModule.{eligibilityCriteria, minimumAge, maximumAge, sex},
 * armsInterventionsModule.interventions[{type, name}],
 * contactsLocationsModule.locations[{facility, city, state, country, status, geoPoint {lat, lon}}].
 *
 * - A file that is not JSON, or has no valid NCT id (NCT and 8 digits), or text with control characters
 *   or beyond the limits (record-checks.ts), is skipped with its code and file; the import goes on.
 * - Drugs: interventions of type DRUG or BIOLOGICAL; an existing Drug named like the intervention
 *   (lowercase) is reused, else `name:<lowercase>` is created.
 * - Diseases: a condition links to an existing Disease whose name is the condition as written or
 *   lowercased (no ontology mapping; conditions stay on the Trial as text either way).
 * - Variants: genomic mentions (see GENOMIC_MENTION in variants.ts) in the inclusion part of the
 *   eligibility text (before "Exclusion Criteria") and the keywords are stored on the Trial as
 *   `genomicCriteria` and linked to an existing Variant with the same (gene, proteinChange); no
 *   variant is created, no genomic id is invented.
 * - Sites: each location becomes a TrialSite (`<nctId>#<n>`) with a WGS-84 point when the record
 *   gives one (for `trials(filter: {near})`); a re-import replaces the trial's sites.
 * - Ages: "18 Years" / "6 Months" are kept as written and in years (`minimumAgeYears`).
 * - Exclusion criteria: genomic mentions link to existing variants by EXCLUDES_VARIANT; lab
 *   thresholds of both sections (eligibility.ts) are stored as JSON in `labCriteria`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Neo4jExecutor } from '../executor';
import { BatchWriter, DEFAULT_BATCH_SIZE, drugRef, ImportInputError, ImportReport, withImportRun, type DrugRef, type ImportOptions, type ImportResult } from './common';
import { inputChecksum, lineReader, readWholeText } from './input';
import { isSnapshotRecord, snapshotTrialRow } from './trials-snapshot';
import { extractExcludedVariants, extractLabCriteria, parseCtgovAge } from './eligibility';
import { extractGenomicMentions, inclusionText, type GenomicMention } from './variants';
import { ImportRejectCode, nctIdProblem, skipRecord, textProblem, type Skip } from './record-checks';

export interface TrialRow {
  nctId: string;
  title: string | null;
  phase: string | null;
  status: string | null;
  conditions: string[];
  minimumAge: string | null;
  maximumAge: string | null;
  sex: string | null;
  eligibilityText: string | null;
  genomicCriteria: string[];
  variants: GenomicMention[];
  drugs: DrugRef[];
  minimumAgeYears: number | null;
  maximumAgeYears: number | null;
  sites: TrialSiteRow[];
  /** Genomic mentions in the exclusion criteria. */
  excludedVariants: GenomicMention[];
  /** JSON list of LabCriterion read from the eligibility text. */
  labCriteria: string;
  /**
   * Interventions of unknown type (flattened exports, trials-snapshot.ts): linked only to a Drug the graph
   * already holds under that name, never created.
   */
  knownDrugs?: DrugRef[];
  /** The trial's public record (ClinicalTrials.gov study page), so an answer can lead back to it. */
  sourceUrl: string;
}

export interface TrialSiteRow {
  facility: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  status: string | null;
  latitude: number | null;
  longitude: number | null;
}

const MERGE_TRIALS = `
  UNWIND $rows AS row
  MERGE (t:Trial {nctId: row.nctId})
  SET t.title = row.title, t.phase = row.phase, t.status = row.status, t.conditions = row.conditions,
      t.minimumAge = row.minimumAge, t.maximumAge = row.maximumAge, t.sex = row.sex,
      t.eligibilityText = row.eligibilityText, t.genomicCriteria = row.genomicCriteria,
      t.minimumAgeYears = row.minimumAgeYears, t.maximumAgeYears = row.maximumAgeYears, t.labCriteria = row.labCriteria,
      t.source = $run.source, t.sourceVersion = $run.version, t.sourceUrl = row.sourceUrl, t.importRun = $run.id
  WITH t, row
  CALL (t) {
    OPTIONAL MATCH (t)-[:AT_SITE]->(old:TrialSite)
    DETACH DELETE old
  }
  CALL (t, row) {
    UNWIND range(0, size(row.sites) - 1) AS i
    WITH t, i, row.sites[i] AS site
    CREATE (s:TrialSite {id: t.nctId + '#' + toString(i + 1)})
    SET s.facility = site.facility, s.city = site.city, s.state = site.state, s.country = site.country, s.status = site.status,
        s.location = CASE WHEN site.latitude IS NULL OR site.longitude IS NULL THEN null
                          ELSE point({latitude: site.latitude, longitude: site.longitude}) END,
        s.source = $run.source, s.importRun = $run.id
    CREATE (t)-[:AT_SITE]->(s)
  }
  CALL (t, row) {
    UNWIND row.variants AS criterion
    MATCH (v:Variant {gene: criterion.gene, proteinChange: criterion.proteinChange})
    MERGE (t)-[r:REQUIRES_VARIANT]->(v)
    SET r.mention = criterion.mention, r.source = $run.source, r.importRun = $run.id
  }
  CALL (t, row) {
    UNWIND row.excludedVariants AS criterion
    MATCH (v:Variant {gene: criterion.gene, proteinChange: criterion.proteinChange})
    MERGE (t)-[r:EXCLUDES_VARIANT]->(v)
    SET r.mention = criterion.mention, r.source = $run.source, r.importRun = $run.id
  }
  CALL (t, row) {
    UNWIND row.drugs AS drug
    OPTIONAL MATCH (known:Drug {name: drug.lower})
    WITH t, drug, head(collect(known.id)) AS knownId
    MERGE (d:Drug {id: coalesce(knownId, drug.id)})
      ON CREATE SET d.name = drug.name, d.source = $run.source, d.importRun = $run.id
    MERGE (t)-[r:TESTS_DRUG]->(d)
    SET r.source = $run.source, r.importRun = $run.id
  }
  CALL (t, row) {
    UNWIND coalesce(row.knownDrugs, []) AS drug
    MATCH (d:Drug {name: drug.lower})
    MERGE (t)-[r:TESTS_DRUG]->(d)
    SET r.source = $run.source, r.importRun = $run.id
  }
  CALL (t, row) {
    UNWIND row.conditions AS condition
    MATCH (x:Disease) WHERE x.name IN [condition, toLower(condition)]
    MERGE (t)-[r:STUDIES]->(x)
    SET r.source = $run.source, r.importRun = $run.id
  }`;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== null) : []);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** One study (API v2 JSON) → a TrialRow, or why it is skipped (record-checks.ts). */
export function trialRow(study: unknown): TrialRow | Skip {
  const protocol = obj(obj(study).protocolSection);
  const identification = obj(protocol.identificationModule);
  const nctId = str(identification.nctId);
  if (!nctId) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no protocolSection.identificationModule.nctId');
  const badId = nctIdProblem('nctId', nctId);
  if (badId) return badId;
  const eligibility = obj(protocol.eligibilityModule);
  const conditionsModule = obj(protocol.conditionsModule);
  const criteria = str(eligibility.eligibilityCriteria);
  const keywords = strings(conditionsModule.keywords);
  const texts = textProblem(
    {
      briefTitle: str(identification.briefTitle),
      officialTitle: str(identification.officialTitle),
      conditions: strings(conditionsModule.conditions),
      keywords,
      eligibilityCriteria: criteria,
      minimumAge: str(eligibility.minimumAge),
      maximumAge: str(eligibility.maximumAge),
    },
    ['eligibilityCriteria'],
  );
  if (texts) return texts;
  const variants = extractGenomicMentions([inclusionText(criteria ?? ''), ...keywords].join('\n'));
  const interventions = Array.isArray(obj(protocol.armsInterventionsModule).interventions)
    ? (obj(protocol.armsInterventionsModule).interventions as unknown[])
    : [];
  const drugs = new Map<string, DrugRef>();
  for (const intervention of interventions) {
    const type = str(obj(intervention).type)?.toUpperCase();
    const name = str(obj(intervention).name);
    if (name && (type === 'DRUG' || type === 'BIOLOGICAL')) {
      const ref = drugRef(name);
      drugs.set(ref.id, ref);
    }
  }
  const drugNames = textProblem({ interventions: [...drugs.values()].map((d) => d.name) });
  if (drugNames) return drugNames;
  const phases = strings(obj(protocol.designModule).phases);
  const locations = obj(protocol.contactsLocationsModule).locations;
  const sites: TrialSiteRow[] = (Array.isArray(locations) ? locations : []).map((l) => {
    const geo = obj(obj(l).geoPoint);
    const lat = typeof geo.lat === 'number' && Math.abs(geo.lat) <= 90 ? geo.lat : null;
    const lon = typeof geo.lon === 'number' && Math.abs(geo.lon) <= 180 ? geo.lon : null;
    const site = obj(l);
    return { facility: str(site.facility), city: str(site.city), state: str(site.state), country: str(site.country), status: str(site.status), latitude: lat, longitude: lon };
  });
  return {
    nctId,
    title: str(identification.briefTitle) ?? str(identification.officialTitle),
    phase: phases.length ? phases.join('/') : null,
    status: str(obj(protocol.statusModule).overallStatus),
    conditions: strings(conditionsModule.conditions),
    minimumAge: str(eligibility.minimumAge),
    maximumAge: str(eligibility.maximumAge),
    sex: str(eligibility.sex),
    eligibilityText: criteria,
    genomicCriteria: variants.map((v) => `${v.gene} ${v.proteinChange}`),
    variants,
    drugs: [...drugs.values()],
    minimumAgeYears: parseCtgovAge(str(eligibility.minimumAge) ?? undefined),
    maximumAgeYears: parseCtgovAge(str(eligibility.maximumAge) ?? undefined),
    sites,
    excludedVariants: extractExcludedVariants(criteria ?? ''),
    labCriteria: JSON.stringify(extractLabCriteria(criteria ?? '')),
    sourceUrl: `https://clinicaltrials.gov/study/${nctId}`,
  };
}

/**
 * Every *.json[.gz] below `dir` (one document each), and with `jsonLines` also *.jsonl[.gz|.xz] (one trial per
 * line, trials-snapshot.ts), in name order (names only are listed; files are read one at a time).
 */
export function listJsonFiles(dir: string, { jsonLines = false }: { jsonLines?: boolean } = {}): string[] {
  const wanted = jsonLines ? /\.jsonl?(\.gz|\.xz)?$/i : /\.json(\.gz)?$/i;
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && wanted.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Checkpoint position of a file: its ordinal × this (one trial per file; CPIC and JSON Lines add the record index). */
export const FILE_POSITION = 1_000_000;

const JSON_LINES = /\.jsonl(\.gz|\.xz)?$/i;

export async function importTrials(executor: Neo4jExecutor, dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const files = listJsonFiles(dir, { jsonLines: true });
  // Refused before the ImportRun is written (input.ts reads .gz, not .xz).
  const xz = files.find((f) => f.toLowerCase().endsWith('.xz'));
  if (xz) throw new ImportInputError(`${xz}: .xz input is not read directly; unpack it first (xz -dk ${xz}) and import again`);
  const report = new ImportReport();
  const version = options.version ?? `snapshot-${new Date().toISOString().slice(0, 10)}`;
  const runInput = { checksum: await inputChecksum([dir]), files: [path.basename(dir)], phases: ['trials'], force: options.force };
  return withImportRun(executor, 'clinicaltrials.gov', version, report, runInput, async (run, resume) => {
    let done = 0;
    const writer = new BatchWriter<TrialRow>(
      executor,
      MERGE_TRIALS,
      run,
      options.batchSize ?? DEFAULT_BATCH_SIZE,
      (rows) => {
        report.add('trials', rows.length);
        options.onProgress?.({ done, total: files.length, unit: 'files' });
      },
      { progress: resume, phase: 'trials' },
    );
    for (const file of files) {
      done += 1;
      const where = path.relative(dir, file) || path.basename(file);
      if (JSON_LINES.test(file)) {
        // Resume inside the file: lines before the checkpoint are read, not written or counted again. Its
        // records, not the file, are what was read (kg:import sums files and records).
        report.add('jsonLinesFiles');
        const reader = lineReader(file);
        let line = 0;
        try {
          for await (const text of reader.lines) {
            line += 1;
            if (line >= FILE_POSITION) throw new ImportInputError(`${where}: more than ${FILE_POSITION - 1} lines; split the file`);
            if (text.trim() === '' || resume.done('trials', done * FILE_POSITION + line)) continue;
            report.add('records');
            let record: unknown;
            try {
              record = JSON.parse(text);
            } catch (error) {
              report.skip('not valid JSON', `${where}:${line}: ${(error as Error).message.split('\n')[0]}`, ImportRejectCode.INVALID_JSON);
              continue;
            }
            const row = isSnapshotRecord(record) ? snapshotTrialRow(record) : trialRow(record);
            if ('skip' in row) report.skip(row.skip, `${where}:${line}`, row.code);
            else await writer.add(row, done * FILE_POSITION + line);
          }
        } finally {
          reader.close();
        }
        continue;
      }
      if (resume.done('trials', done * FILE_POSITION)) continue;
      report.add('files');
      let study: unknown;
      try {
        study = JSON.parse(await readWholeText(file));
      } catch (error) {
        report.skip('not valid JSON', `${where}: ${(error as Error).message.split('\n')[0]}`, ImportRejectCode.INVALID_JSON);
        continue;
      }
      const row = isSnapshotRecord(study) ? snapshotTrialRow(study) : trialRow(study);
      if ('skip' in row) report.skip(row.skip, where, row.code);
      else await writer.add(row, done * FILE_POSITION);
    }
    await writer.flush();
    options.onProgress?.({ done, total: files.length, unit: 'files' });
  });
}
