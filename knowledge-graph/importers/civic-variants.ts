/**
 * CIViC variant coordinates: the monthly `<DD-Mon-YYYY>-VariantSummaries.tsv` (plain or .gz) → the CIViC
 * variant's node (`<GENE>:<variant name>`, the key the evidence import and the seed use) carries its location
 * with the genome build explicit, and a GRCh38 genomic Variant ENCODES it where CIViC gives a GRCh38 form.
 *
 * Columns read: variant_id, gene, variant, chromosome, start, stop, reference_bases, variant_bases,
 * reference_build, representative_transcript, hgvs_descriptions, allele_registry_id, clinvar_ids.
 *
 * Build policy (docs/architecture: the build is explicit everywhere; the hub's genomic ids are GRCh38):
 * - CIViC's coordinates are stored as given, with their build: `location = "<build>:<chrom>:<start>-<stop>"`,
 *   `locationBuild` ("GRCh37" for 1,280 of the 01-Aug-2024 variants), `locationRef`, `locationAlt`. They are
 *   never turned into a `GRCh38:` id: no liftover is done here and none is invented.
 * - A GRCh38 genomic Variant (`GRCh38:<chrom>:<pos>:<ref>:<alt>`, VCF style) ENCODES the CIViC variant only
 *   when CIViC gives a GRCh38 representation of a substitution: a row whose reference_build is GRCh38 with
 *   equal-length ref/alt bases, or an `hgvs_descriptions` entry `NC_0000nn.v:g.<pos><ref>><alt>` on a GRCh38
 *   RefSeq chromosome accession (GRCH38_ACCESSIONS). Indels are not linked (CIViC gives no VCF anchor base).
 * - ClinVar ids and the ClinGen allele registry id (CAid, build-independent) are kept for lookups.
 * Rows without a gene or variant name, with a gene that is not an HGNC symbol or a chromosome, start or build
 * that cannot be read, are skipped with a code and line; rows without coordinates are kept as "no coordinates".
 */
import path from 'node:path';
import type { Neo4jExecutor } from '../executor';
import { BatchWriter, DEFAULT_BATCH_SIZE, ImportInputError, ImportReport, splitList, splitTsv, withImportRun, type ImportOptions, type ImportResult } from './common';
import { civicVersion } from './civic';
import { inputChecksum, lineReader } from './input';
import { knowledgeVariantId, normalizeProteinChange, variantLevel, type VariantLevel } from './variants';
import { firstProblem, geneSymbolProblem, ImportRejectCode, skipRecord, textProblem, type Skip } from './record-checks';

export const CIVIC_VARIANT_COLUMNS = ['variant_id', 'gene', 'variant', 'chromosome', 'start', 'stop', 'reference_bases', 'variant_bases', 'reference_build'] as const;

/**
 * RefSeq accessions of the GRCh38 primary chromosomes (NCBI assembly GCF_000001405, GRCh38.p14 assembly
 * report), NC_0000nn → version. Another version of the same chromosome (e.g. NC_000007.13) is GRCh37.
 */
export const GRCH38_ACCESSIONS: Record<string, { chrom: string; version: number }> = Object.fromEntries(
  (
    [
      ['1', 11], ['2', 12], ['3', 12], ['4', 12], ['5', 10], ['6', 12], ['7', 14], ['8', 11], ['9', 12], ['10', 11], ['11', 10], ['12', 12],
      ['13', 11], ['14', 9], ['15', 10], ['16', 10], ['17', 11], ['18', 10], ['19', 10], ['20', 11], ['21', 9], ['22', 11], ['X', 11], ['Y', 10],
    ] as const
  ).map(([chrom, version], i) => [`NC_${String(i + 1).padStart(6, '0')}`, { chrom, version }]),
);

export interface CivicVariantRow {
  line: number;
  id: string;
  gene: string;
  name: string;
  proteinChange: string | null;
  level: VariantLevel;
  civicVariantId: string;
  location: string | null;
  locationBuild: string | null;
  locationRef: string | null;
  locationAlt: string | null;
  transcript: string | null;
  hgvs: string[];
  alleleRegistryId: string | null;
  clinvarIds: string[];
  /** `GRCh38:<chrom>:<pos>:<ref>:<alt>` when CIViC gives a GRCh38 substitution; else null. */
  grch38: string | null;
}

const MERGE_CIVIC_VARIANTS = `
  UNWIND $rows AS row
  MERGE (g:Gene {symbol: row.gene})
    ON CREATE SET g.source = $run.source, g.importRun = $run.id
  MERGE (v:Variant {id: row.id})
    ON CREATE SET v.gene = row.gene, v.proteinChange = row.proteinChange, v.name = row.name, v.level = row.level,
                  v.source = $run.source, v.importRun = $run.id
  SET v.civicVariantId = row.civicVariantId, v.location = row.location, v.locationBuild = row.locationBuild,
      v.locationRef = row.locationRef, v.locationAlt = row.locationAlt, v.transcript = row.transcript, v.hgvs = row.hgvs,
      v.alleleRegistryId = row.alleleRegistryId, v.clinvarIds = row.clinvarIds, v.locationSource = $run.source
  MERGE (v)-[:IN_GENE]->(g)
  WITH row, v, g
  CALL (row, v, g) {
    WITH row WHERE row.grch38 IS NOT NULL
    MERGE (genomic:Variant {id: row.grch38})
      ON CREATE SET genomic.gene = row.gene, genomic.source = $run.source, genomic.importRun = $run.id
    MERGE (genomic)-[:IN_GENE]->(g)
    MERGE (genomic)-[e:ENCODES]->(v)
    SET e.source = $run.source, e.importRun = $run.id
  }`;

const HGVS_G_SUBSTITUTION = /^(NC_\d{6})\.(\d+):g\.(\d+)([ACGT])>([ACGT])$/;
const BASES = /^[ACGTN]*$/;

/** A GRCh38 VCF-style id from CIViC's GRCh38 row or GRCh38 g. HGVS substitution; null when it gives none. */
export function grch38Form(build: string, chrom: string, start: string, ref: string, alt: string, hgvs: string[]): string | null {
  if (build === 'GRCh38' && ref && alt && ref.length === alt.length && BASES.test(ref) && BASES.test(alt) && /^\d+$/.test(start)) {
    return `GRCh38:${chrom.replace(/^chr/i, '')}:${start}:${ref}:${alt}`;
  }
  for (const h of hgvs) {
    const m = HGVS_G_SUBSTITUTION.exec(h);
    const accession = m ? GRCH38_ACCESSIONS[m[1]!] : undefined;
    if (m && accession && Number(m[2]) === accession.version) return `GRCh38:${accession.chrom}:${m[3]}:${m[4]}:${m[5]}`;
  }
  return null;
}

export function civicVariantRow(get: (column: string) => string, line: number): CivicVariantRow | Skip {
  const variantId = get('variant_id').trim();
  const gene = get('gene').trim();
  const name = get('variant').trim();
  if (!gene || !name) return skipRecord(ImportRejectCode.MISSING_FIELD, 'no gene or variant name');
  if (!/^\d+$/.test(variantId)) return skipRecord(ImportRejectCode.INVALID_IDENTIFIER, 'variant_id is not a number');
  const chrom = get('chromosome').trim();
  const start = get('start').trim();
  const stop = get('stop').trim() || start;
  const build = get('reference_build').trim();
  const ref = get('reference_bases').trim().toUpperCase();
  const alt = get('variant_bases').trim().toUpperCase();
  const hgvs = splitList(get('hgvs_descriptions')).filter((h) => h !== 'N/A');
  const hasLocation = chrom !== '' || start !== '';
  const problem = firstProblem(
    geneSymbolProblem('gene', gene),
    hasLocation && !/^(\d{1,2}|X|Y|MT)$/i.test(chrom) ? skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `chromosome ${JSON.stringify(chrom.slice(0, 20))} is not 1-22, X, Y or MT`) : null,
    hasLocation && !(/^\d+$/.test(start) && /^\d+$/.test(stop)) ? skipRecord(ImportRejectCode.INVALID_IDENTIFIER, 'start or stop is not a number') : null,
    hasLocation && !/^GRCh3[78]$/.test(build) ? skipRecord(ImportRejectCode.INVALID_IDENTIFIER, `reference_build ${JSON.stringify(build.slice(0, 20))} is not GRCh37 or GRCh38`) : null,
    !BASES.test(ref) || !BASES.test(alt) ? skipRecord(ImportRejectCode.INVALID_IDENTIFIER, 'reference_bases or variant_bases are not bases (ACGTN)') : null,
    textProblem({ variant: name, hgvs, transcript: get('representative_transcript') }),
  );
  if (problem) return problem;
  const clinvarIds = splitList(get('clinvar_ids')).filter((id) => /^\d+$/.test(id));
  return {
    line,
    id: knowledgeVariantId(gene, name),
    gene,
    name,
    proteinChange: normalizeProteinChange(name),
    level: variantLevel(name),
    civicVariantId: `civic:variant:${variantId}`,
    location: hasLocation ? `${build}:${chrom}:${start}-${stop}` : null,
    locationBuild: hasLocation ? build : null,
    locationRef: ref || null,
    locationAlt: alt || null,
    transcript: get('representative_transcript').trim() || null,
    hgvs,
    alleleRegistryId: /^CA\d+$/.test(get('allele_registry_id').trim()) ? get('allele_registry_id').trim() : null,
    clinvarIds,
    grch38: hasLocation ? grch38Form(build, chrom, start, ref, alt, hgvs) : grch38Form('', '', '', '', '', hgvs),
  };
}

/** `<DD-Mon-YYYY>-VariantSummaries.tsv[.gz]`: the file this reader takes (civic.ts hands it over by name). */
export const isCivicVariantSummaries = (file: string): boolean => /VariantSummaries\.tsv(\.gz)?$/i.test(path.basename(file));

export async function importCivicVariants(executor: Neo4jExecutor, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const input = lineReader(file);
  const it = input.lines[Symbol.asyncIterator]();
  try {
    const first = await it.next();
    if (first.done) throw new ImportInputError(`CIViC variant file ${file} is empty; nothing was imported`);
    const header = splitTsv(first.value).map((h) => h.trim());
    const missing = CIVIC_VARIANT_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length) throw new ImportInputError(`CIViC variant file ${file}: missing column(s) ${missing.join(', ')}; nothing was imported`);
    const index = new Map(header.map((h, i) => [h, i]));
    const report = new ImportReport();
    const runInput = { checksum: await inputChecksum([file]), files: [path.basename(file)], phases: ['variants'], force: options.force };
    return await withImportRun(executor, 'civic', options.version ?? civicVersion(file), report, runInput, async (run, resume) => {
      const progress = () => options.onProgress?.({ done: input.bytesRead(), total: input.size, unit: 'bytes' });
      const writer = new BatchWriter<CivicVariantRow>(
        executor,
        MERGE_CIVIC_VARIANTS,
        run,
        options.batchSize ?? DEFAULT_BATCH_SIZE,
        (rows) => {
          report.add('variants', rows.length);
          report.add('linkedGRCh38', rows.filter((r) => r.grch38).length);
          report.add('withoutCoordinates', rows.filter((r) => !r.location).length);
          progress();
        },
        { progress: resume, phase: 'variants' },
      );
      let lineNo = 1;
      for (let next = await it.next(); !next.done; next = await it.next()) {
        lineNo += 1;
        if (next.value.trim() === '' || resume.done('variants', lineNo)) continue;
        report.add('rows');
        const cells = splitTsv(next.value);
        const row = civicVariantRow((column) => cells[index.get(column) ?? -1] ?? '', lineNo);
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
