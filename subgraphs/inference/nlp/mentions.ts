/**
 * Candidate mentions in one sentence: genomic variants found by pattern (gene + protein change,
 * HGVS c. changes, exon-level events, rsIDs) and exact dictionary names (conditions, drugs, genes,
 * phenotypes). An embedding model later maps mentions to knowledge-graph concepts by similarity;
 * `conceptIds` here are only exact dictionary hits. Pure functions, no I/O.
 *
 * Overlaps: the longest span wins and shorter spans overlapping it are dropped ("non-small cell
 * lung cancer" over "lung cancer"; "EGFR L858R" over the gene "EGFR"). Names of different kinds on
 * the very same span are all kept, one mention per kind.
 */

export type DictionaryKind = 'condition' | 'drug' | 'gene' | 'phenotype';
export type MentionKind = DictionaryKind | 'variant';

export interface DictionaryEntry {
  id: string;
  kind: DictionaryKind;
  names: string[];
}

export interface Mention {
  text: string;
  /** Offsets into the sentence, end exclusive. */
  start: number;
  end: number;
  kind: MentionKind;
  /**
   * Variants: "GENE p.X1A" / "GENE c.N>M" / "GENE exon N deletion" / "rsN" (gene omitted when not
   * written). Dictionary names: the matched words lower-cased and single-spaced; gene symbols as written.
   */
  normalised: string;
  conceptIds: string[];
}

/**
 * Gene symbols that are also English words or common clinical abbreviations: "MET" (met), "CAT",
 * "ALL" (also acute lymphoblastic leukaemia), "AR" (aortic regurgitation), "CP" (chest pain), "PAH"
 * (pulmonary arterial hypertension). Such a symbol is matched only when the next word is a genomic
 * context word (GENOMIC_CONTEXT), e.g. "MET exon 14 skipping", "MET amplification".
 */
export const AMBIGUOUS_GENE_SYMBOLS: ReadonlySet<string> = new Set([
  'ALL', 'AIM', 'AR', 'ARC', 'CAT', 'CAMP', 'CAPS', 'CAST', 'CLOCK', 'CP', 'CS', 'FAST', 'GAS', 'GC', 'HP', 'IMPACT', 'MAL',
  'MAX', 'MET', 'MS', 'PAH', 'PC', 'PE', 'REST', 'SET', 'SHE', 'SPIN', 'STAR', 'TANK', 'TOP', 'WAS', 'ACE', 'BAD', 'BID',
  'CAD', 'COPE', 'DO', 'GAP', 'HR', 'LARGE', 'MAP', 'NHS', 'PIN', 'RAN', 'SAFB', 'SDS', 'TEN', 'TH', 'TRAP',
]);

/** Words after an ambiguous gene symbol that make it a gene mention. */
export const GENOMIC_CONTEXT = new Set([
  'mutation', 'mutations', 'mutant', 'mutated', 'variant', 'variants', 'alteration', 'alterations', 'amplification',
  'amplified', 'fusion', 'fusions', 'rearrangement', 'rearranged', 'exon', 'deletion', 'insertion', 'translocation',
  'overexpression', 'expression', 'gene', 'copy', 'loss', 'skipping', 'inhibitor', 'positive', 'negative', 'status',
]);

/** Upper-case words that look like a gene symbol before a protein change but are not one ("NO T790M"). */
const NOT_GENE_PREFIX = new Set([
  'NO', 'NOT', 'AND', 'OR', 'THE', 'WITH', 'FOR', 'OF', 'IN', 'ON', 'IS', 'WAS', 'PT', 'DX', 'HX', 'RX', 'TX', 'NEG', 'POS',
  'DNA', 'RNA', 'NGS', 'PCR', 'VAF', 'CT', 'MRI', 'PET', 'PLAN', 'NOTE', 'TEST', 'AT', 'TO', 'BY', 'AS', 'ALSO', 'PLUS',
]);

// --- dictionary -------------------------------------------------------------------------------

interface Payload { id: string; kind: DictionaryKind; symbol: string[] | null; ambiguous: boolean }
interface TrieNode { next: Map<string, TrieNode>; payloads: Payload[] }

export interface MentionDictionary {
  readonly root: TrieNode;
  readonly size: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
interface Word { text: string; lower: string; start: number; end: number }

function words(text: string): Word[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/** A gene name without spaces ("EGFR", "HLA-B", "NKX2-1") is a symbol: matched case-sensitively. */
const isSymbol = (name: string) => /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name) && /[A-Z0-9]/.test(name);

/**
 * A token trie over lower-cased words: matching costs one map lookup per word, independent of the
 * number of names (~30k HPO terms, drugs and diseases). Words are runs of letters and digits, so
 * "non-small cell" and "non small cell" are one name; matches are token-bounded by construction.
 */
export function buildMentionDictionary(
  entries: DictionaryEntry[],
  options: { ambiguousGeneSymbols?: ReadonlySet<string> } = {},
): MentionDictionary {
  const ambiguousSymbols = options.ambiguousGeneSymbols ?? AMBIGUOUS_GENE_SYMBOLS;
  const root: TrieNode = { next: new Map(), payloads: [] };
  let size = 0;
  for (const entry of entries) {
    for (const name of entry.names) {
      const ws = words(name);
      if (ws.length === 0) continue;
      let node = root;
      for (const w of ws) {
        let child = node.next.get(w.lower);
        if (!child) {
          child = { next: new Map(), payloads: [] };
          node.next.set(w.lower, child);
        }
        node = child;
      }
      const symbol = entry.kind === 'gene' && isSymbol(name.trim()) ? ws.map((w) => w.text) : null;
      if (node.payloads.some((p) => p.id === entry.id && p.kind === entry.kind && String(p.symbol) === String(symbol))) continue;
      node.payloads.push({ id: entry.id, kind: entry.kind, symbol, ambiguous: symbol !== null && ambiguousSymbols.has(name.trim()) });
      size++;
    }
  }
  return { root, size };
}

/** Punctuation that a multi-word name may not span ("lung, cancer" is not "lung cancer"). */
const BREAKS_NAME = /[,;:()[\]{}\n]/;

function dictionaryMentions(dictionary: MentionDictionary, sentence: string): Mention[] {
  const ws = words(sentence);
  const found: Mention[] = [];
  for (let i = 0; i < ws.length; i++) {
    let node: TrieNode | undefined = dictionary.root;
    let longest: { end: number; byKind: Map<DictionaryKind, { ids: string[]; symbol: boolean }> } | null = null;
    for (let j = i; j < ws.length && node; j++) {
      if (j > i && BREAKS_NAME.test(sentence.slice(ws[j - 1]!.end, ws[j]!.start))) break;
      node = node.next.get(ws[j]!.lower);
      if (!node || node.payloads.length === 0) continue;
      const following = ws[j + 1]?.lower;
      const byKind = new Map<DictionaryKind, { ids: string[]; symbol: boolean }>();
      for (const p of node.payloads) {
        if (p.symbol && !p.symbol.every((s, k) => ws[i + k]!.text === s)) continue;
        if (p.ambiguous && !(following && GENOMIC_CONTEXT.has(following))) continue;
        const hit = byKind.get(p.kind) ?? { ids: [], symbol: false };
        if (!hit.ids.includes(p.id)) hit.ids.push(p.id);
        hit.symbol ||= p.symbol !== null;
        byKind.set(p.kind, hit);
      }
      if (byKind.size > 0) longest = { end: j, byKind };
    }
    if (!longest) continue;
    const start = ws[i]!.start;
    const end = ws[longest.end]!.end;
    const text = sentence.slice(start, end);
    for (const [kind, { ids, symbol }] of longest.byKind) {
      // A gene symbol is normalised as written (it matched case-sensitively); other names lower-cased, one space.
      const normalised = symbol ? text : ws.slice(i, longest.end + 1).map((w) => w.lower).join(' ');
      found.push({ text, start, end, kind, normalised, conceptIds: [...ids].sort() });
    }
  }
  return found;
}

// --- variants ---------------------------------------------------------------------------------

/** HGVS three-letter amino-acid codes → one-letter (HGVS nomenclature, varnomen.hgvs.org, protein). */
const AA3: Record<string, string> = {
  Ala: 'A', Arg: 'R', Asn: 'N', Asp: 'D', Cys: 'C', Gln: 'Q', Glu: 'E', Gly: 'G', His: 'H', Ile: 'I', Leu: 'L', Lys: 'K',
  Met: 'M', Phe: 'F', Pro: 'P', Ser: 'S', Thr: 'T', Trp: 'W', Tyr: 'Y', Val: 'V', Ter: '*', Sec: 'U',
};
const AA = `(?:${Object.keys(AA3).join('|')}|[ACDEFGHIKLMNPQRSTVWY])`;
// A gene symbol; the look-ahead keeps a protein change ("L858R T790M") from being read as a gene.
const GENE = '(?![A-Z]\\d+[A-Z](?![A-Za-z0-9]))([A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,4})?)';
// Protein change: V600E, p.V600E, p.Val600Glu, p.(Gly12Cys), E746_A750del, W288fs, R213*, Q61X.
const PROTEIN = `(p\\.\\(?)?(${AA})(\\d{1,5})(?:_(${AA})(\\d{1,5}))?(${AA}(?:fs(?:\\*|Ter|X)?\\d*)?|fs(?:\\*|Ter|X)?\\d*|\\*|X|=|delins${AA}+|del|dup|ins${AA}+)\\)?`;
const PROTEIN_RE = new RegExp(`(?<![A-Za-z0-9.])(?:${GENE}[\\s-]+)?${PROTEIN}(?![A-Za-z0-9])`, 'g');
// Coding change: c.1799T>A, c.2235_2249del, c.35G>T, c.-14C>T, c.1234+1G>A, optionally with transcript.
const CODING_RE = new RegExp(
  `(?<![A-Za-z0-9.])(?:${GENE}\\s+)?((?:NM_\\d+(?:\\.\\d+)?(?:\\([A-Z0-9-]+\\))?:)?c\\.[-*]?\\d+(?:[+-]\\d+)?(?:_[-*]?\\d+(?:[+-]\\d+)?)?(?:[ACGT]>[ACGT]|delins[ACGT]+|del[ACGT]*|dup[ACGT]*|ins[ACGT]+))(?![A-Za-z0-9>])`,
  'g',
);
const EXON_RE = new RegExp(
  `(?<![A-Za-z0-9])${GENE}\\s+exon\\s+(\\d{1,2})\\s+(deletion|del|insertion|ins|duplication|dup|skipping|skip|mutation|mutations|alteration)(?![A-Za-z0-9])`,
  'g',
);
const RSID_RE = /(?<![A-Za-z0-9])rs\d{1,10}(?![A-Za-z0-9])/gi;

const EXON_EVENT: Record<string, string> = {
  deletion: 'deletion', del: 'deletion', insertion: 'insertion', ins: 'insertion', duplication: 'duplication',
  dup: 'duplication', skipping: 'skipping', skip: 'skipping', mutation: 'mutation', mutations: 'mutation',
  alteration: 'alteration',
};

const oneLetter = (aa: string) => AA3[aa] ?? aa;
const toOneLetter = (s: string) => s.replace(new RegExp(Object.keys(AA3).join('|'), 'g'), (m) => AA3[m]!);

const variant = (sentence: string, start: number, end: number, normalised: string): Mention => ({
  text: sentence.slice(start, end), start, end, kind: 'variant', normalised, conceptIds: [],
});

function variantMentions(sentence: string): Mention[] {
  const found: Mention[] = [];
  for (const m of sentence.matchAll(PROTEIN_RE)) {
    const [whole, geneRaw, prefix, ref, pos, rangeRef, rangePos, alt] = m;
    const gene = geneRaw && !NOT_GENE_PREFIX.has(geneRaw) ? geneRaw : undefined;
    const start = gene ? m.index : m.index + whole.length - whole.slice(geneRaw ? whole.indexOf(geneRaw) + geneRaw.length : 0).trimStart().length;
    // Without a gene or "p.", a short token like "A1C" (HbA1c) is not a variant: require a 2+ digit position.
    if (!gene && !prefix && pos!.length < 2) continue;
    const range = rangeRef ? `_${oneLetter(rangeRef)}${rangePos}` : '';
    const change = `p.${oneLetter(ref!)}${pos}${range}${toOneLetter(alt!).replace(/^X$/, '*')}`;
    found.push(variant(sentence, start, m.index + whole.length, gene ? `${gene} ${change}` : change));
  }
  for (const m of sentence.matchAll(CODING_RE)) {
    const [whole, geneRaw, change] = m;
    const gene = geneRaw && !NOT_GENE_PREFIX.has(geneRaw) ? geneRaw : undefined;
    const start = gene ? m.index : m.index + whole.length - change!.length;
    found.push(variant(sentence, start, m.index + whole.length, gene ? `${gene} ${change}` : change!));
  }
  for (const m of sentence.matchAll(EXON_RE)) {
    const [whole, gene, exon, event] = m;
    found.push(variant(sentence, m.index, m.index + whole.length, `${gene} exon ${exon} ${EXON_EVENT[event!]}`));
  }
  for (const m of sentence.matchAll(RSID_RE)) found.push(variant(sentence, m.index, m.index + m[0].length, m[0].toLowerCase()));
  return found;
}

// --- combined ---------------------------------------------------------------------------------

/**
 * Mentions in `sentence`, ordered by start. Longest span first wins; shorter overlapping spans are
 * dropped; a variant and a dictionary name on the same span merge into the variant.
 */
export function findMentions(dictionary: MentionDictionary, sentence: string): Mention[] {
  const candidates = [...variantMentions(sentence), ...dictionaryMentions(dictionary, sentence)];
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || (a.kind === 'variant' ? -1 : b.kind === 'variant' ? 1 : 0));
  const kept: Mention[] = [];
  for (const c of candidates) {
    const same = kept.find((k) => k.start === c.start && k.end === c.end);
    if (same) {
      if (same.kind === 'variant') same.conceptIds = [...new Set([...same.conceptIds, ...c.conceptIds])].sort();
      else if (!kept.some((k) => k.start === c.start && k.end === c.end && k.kind === c.kind)) kept.push(c);
      continue;
    }
    if (kept.some((k) => k.start < c.end && c.start < k.end)) continue;
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
}
