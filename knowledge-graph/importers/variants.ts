/**
 * Variant naming shared by the CIViC importer (which creates variants) and the trial importer (which
 * links to them by `(gene, proteinChange)`), so both spell a variant the same way:
 *   - amino-acid substitutions → HGVS-style `p.V600E` (what the seed uses), from "V600E" or "p.V600E";
 *   - exon-level events → `exon 19 deletion` / `exon 20 insertion` / `exon 14 skipping` (lowercase);
 *   - anything else (fusions, amplifications, "Mutation", ...) → null: the variant keeps its name
 *     but has no proteinChange, so trials never link to it by text.
 */
const AA = 'ACDEFGHIKLMNPQRSTVWY';
const POINT = new RegExp(`^(?:p\\.)?([${AA}])(\\d{1,5})([${AA}*])$`);
const EXON = /^exon\s*(\d{1,2})\s+(deletion|insertion|del|ins|skipping)s?$/i;

export function normalizeProteinChange(text: string): string | null {
  const t = text.trim();
  const point = POINT.exec(t);
  if (point) return `p.${point[1]}${point[2]}${point[3]}`;
  const exon = EXON.exec(t);
  if (exon) {
    const kind = exon[2]!.toLowerCase();
    const word = kind === 'del' ? 'deletion' : kind === 'ins' ? 'insertion' : kind;
    return `exon ${exon[1]} ${word}`;
  }
  return null;
}

/**
 * Genomic mentions in free text (trial eligibility criteria, keywords): an upper-case gene-like
 * symbol (a letter then 1–9 upper-case letters/digits) followed by either a substitution such as
 * `G12C` / `p.V600E`, or `exon <n> deletion|insertion|del|ins|skipping`. Deliberately simple: it
 * finds "KRAS G12C", "BRAF V600E", "EGFR exon 19 deletion", "EGFR p.L858R"; it does not parse HGVS
 * c. notation, ranges, "V600E/K", fusions or negations. False positives are harmless: a mention is
 * only linked when a Variant with that exact (gene, proteinChange) already exists.
 */
export const GENOMIC_MENTION = new RegExp(
  `\\b([A-Z][A-Z0-9]{1,9})\\s+(?:((?:p\\.)?[${AA}]\\d{1,5}[${AA}*])|([Ee]xon\\s*\\d{1,2}\\s+(?:[Dd]eletion|[Ii]nsertion|[Dd]el|[Ii]ns|[Ss]kipping)s?))(?![A-Za-z0-9])`,
  'g',
);

export interface GenomicMention {
  gene: string;
  proteinChange: string;
  mention: string;
}

export function extractGenomicMentions(text: string): GenomicMention[] {
  const seen = new Map<string, GenomicMention>();
  for (const m of text.matchAll(GENOMIC_MENTION)) {
    const gene = m[1]!;
    const proteinChange = normalizeProteinChange(m[2] ?? m[3] ?? '');
    if (!proteinChange) continue;
    const key = `${gene} ${proteinChange}`;
    if (!seen.has(key)) seen.set(key, { gene, proteinChange, mention: m[0] });
  }
  return [...seen.values()];
}

/** Inclusion part of ClinicalTrials.gov eligibility text: everything before "Exclusion Criteria". */
export function inclusionText(eligibility: string): string {
  const at = eligibility.search(/exclusion criteria/i);
  return at < 0 ? eligibility : eligibility.slice(0, at);
}
