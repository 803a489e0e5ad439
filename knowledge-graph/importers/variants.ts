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

/**
 * Protein-level and category variants as knowledge bases name them are keyed `<GENE>:<name>`
 * (`BRAF:V600E`, `BRAF:V600`, `ALK:FUSION`) by the curated seed and the CIViC importer alike, so
 * evidence from both lands on one node; a genomic (`GRCh38:`) variant reaches them through ENCODES.
 */
export const knowledgeVariantId = (gene: string, name: string): string => `${gene}:${name}`;

const PROTEIN_LEVEL = new RegExp(`^[${AA}]\\d+[${AA}*]$`);
const CODON_LEVEL = new RegExp(`^[${AA}]\\d+$`);
export type VariantLevel = 'protein' | 'codon' | 'category';
export const variantLevel = (name: string): VariantLevel =>
  PROTEIN_LEVEL.test(name) ? 'protein' : CODON_LEVEL.test(name) ? 'codon' : 'category';

/**
 * Cypher predicate: the genomic variant `g` encodes the knowledge-base variant `p` — same gene and
 * protein change (`p.V600E`), or a protein change at the codon `p` names (`V600` ← `p.V600E`).
 */
export const ENCODES_PREDICATE = `g.gene = p.gene AND g.id STARTS WITH 'GRCh38:' AND g.proteinChange IS NOT NULL
    AND ((p.level = 'protein' AND g.proteinChange = 'p.' + p.name) OR (p.level = 'codon' AND g.proteinChange STARTS WITH 'p.' + p.name
                                  AND NOT substring(g.proteinChange, size(p.name) + 2, 1) =~ '[0-9]'))`;

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
