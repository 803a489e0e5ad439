/**
 * Assertion status of a mention within its sentence: negated, uncertain (hedged), or about a family
 * member rather than the patient.
 *
 * Negation follows NegEx (Chapman WW, Bridewell W, Hanbury P, Cooper GF, Buchanan BG. A simple
 * algorithm for identifying negated findings and diseases in discharge summaries. J Biomed Inform
 * 2001;34:301-310, PMID:12123149): pre-negation triggers look forward, post-negation triggers look
 * backward, each over a window of five words; pseudo-negations ("no increase", "gram negative") are
 * consumed first so they trigger nothing; termination terms ("but", "however", "secondary to") and
 * ";" / ":" close a scope early. Uncertainty and experiencer follow ConText (Harkema H, Dowling JN,
 * Thornblade T, Chapman WW. ConText: an algorithm for determining negation, experiencer, and
 * temporal status from clinical reports. J Biomed Inform 2009;42:839-851, PMID:19435614): the same
 * trigger/scope/termination machinery with hedging and family-member triggers. Uncertainty uses the
 * five-word window too; family scope runs to the sentence end or a termination term, as in ConText,
 * because family-history sentences list several conditions ("family history of breast, ovarian and
 * colon cancer").
 *
 * Trigger phrases (facts, re-typed as data) come from:
 *  - negspacy, termsets.py `en_clinical` (jenojp/negspacy@39125b090b6ff880582ca4e3b49b699c43e4bf4c)
 *  - pyConTextNLP, KB/lexical_kb_05042016.tsv (chapmanbe/pyConTextNLP@74e5b9bc4de092dd8bef8e04b297369a7f3ea6d9)
 *  - medspaCy, resources/context_rules.json (medspacy/medspacy@0c1738367975ab1fc2ad84a1f643d278394be9de),
 *    including the FAMILY relative list.
 * Deliberate departures: "rule out"/"r/o" (an order to test) and "unlikely" are uncertainty, not
 * negation (negspacy lists them as negation); "versus" is uncertainty (ConText's AMBIVALENT, negspacy
 * lists it as negation). Marked "project" below: post-negations common in molecular-pathology
 * reports ("T790M negative", "ALK not detected"), added here and not from those lexicons.
 */

export interface Assertion {
  negated: boolean;
  uncertain: boolean;
  family: boolean;
  /** The lexicon phrase that decided the strongest flag (negation, then uncertainty, then family), or null. */
  trigger: string | null;
}

/** NegEx's window: a trigger reaches a mention that starts (or, looking back, ends) within five words. */
export const NEGEX_WINDOW_WORDS = 5;

type Category = 'negation' | 'uncertainty' | 'family' | 'pseudo' | 'termination';
type Direction = 'forward' | 'backward' | 'both' | 'none';

interface Trigger { phrase: string; tokens: string[]; category: Category; direction: Direction }

// NegEx pseudo-negations: phrases that contain a negation word but negate nothing. negspacy en_clinical.
const PSEUDO = [
  'no further', 'not able to be', 'not certain if', 'not certain whether', 'not necessarily', 'without any further',
  'without difficulty', 'without further', 'might not', 'not only', 'no increase', 'no significant change', 'no change',
  'no definite change', 'not extend', 'not cause', 'gram negative', 'not drain', 'no suspicious change',
  'no interval change', 'no significant interval change',
  // project: receptor-status phenotypes name a disease subtype, they negate nothing
  'triple negative',
];

// Pre-negation (forward). negspacy en_clinical preceding_negations; pyConText/medspaCy NEGATED_EXISTENCE forward.
const PRE_NEGATION = [
  'absence of', 'declined', 'declines', 'denied', 'denies', 'deny', 'denying', 'no sign of', 'no signs of', 'not',
  'not demonstrate', 'negative for', 'neg for', 'no', 'without', "doesn't", 'doesnt', "don't", 'dont', "didn't", 'didnt',
  "wasn't", 'wasnt', "weren't", 'werent', "isn't", 'isnt', "aren't", 'arent', 'cannot', "can't", 'cant', "couldn't",
  'couldnt', 'never', 'patient was not', 'without indication of', 'without sign of', 'without signs of',
  'no complaints of', 'no evidence of', 'no evidence for', 'no new evidence of', 'no cause of', 'fails to reveal',
  'free of', 'clear of', 'lack of', 'never developed', 'never had', 'did not exhibit', 'rules out', 'ruled out',
  'ruled him out', 'ruled her out', 'ruled the patient out', 'no findings of', 'no history of', 'inconsistent with',
  'not associated with', 'no other', 'nor', 'no abnormal', 'no new',
];

// Post-negation (backward). negspacy en_clinical following_negations (minus "unlikely"); medspaCy backward rules.
const POST_NEGATION = [
  'declined', 'was not', 'were not', "wasn't", 'wasnt', "weren't", 'werent', 'was ruled out', 'were ruled out',
  'is ruled out', 'are ruled out', 'has been ruled out', 'have been ruled out', 'free', 'has been negative',
  'no longer present',
  // project: molecular and laboratory reporting
  'negative', 'is negative', 'was negative', 'not detected', 'was not detected', 'were not detected', 'not identified',
  'absent', 'not seen',
];

// Pre-uncertainty (forward). pyConText PROBABLE_EXISTENCE / AMBIVALENT_EXISTENCE / INDICATION forward; medspaCy POSSIBLE_EXISTENCE.
const PRE_UNCERTAINTY = [
  'possible', 'possibly', 'probable', 'probably', 'suspected', 'suspect', 'suspicious for', 'suspicion for',
  'suspicion of', 'concern for', 'concerning for', 'concerned about', 'question of', 'questionable', 'cannot exclude',
  'cannot rule out', 'can not rule out', 'rule out', 'rule out for', 'r/o', 'rule him out', 'rule her out',
  'rule the patient out', 'evaluate for', 'evaluation for', 'to exclude', 'may represent', 'could represent',
  'may be', 'might be', 'could be', 'may be related', 'differential diagnosis includes', 'differential includes',
  'worrisome for', 'presumed', 'presumptive', 'equivocal', 'likely represents', 'consistent with possible',
  'low probability', 'doubt', 'test for', 'tested for', '?',
];

// Post-uncertainty (backward). pyConText backward AMBIVALENT/INDICATION; medspaCy POSSIBLE_EXISTENCE backward.
const POST_UNCERTAINTY = [
  'cannot be excluded', 'cannot be ruled out', 'can not be excluded', 'cannot be completely excluded',
  'cannot totally be excluded', 'is not excluded', 'not excluded', 'was not excluded', 'not been ruled out',
  'not ruled out', 'has not been ruled out', 'be ruled out', 'being ruled out', 'to be ruled out',
  'is in the differential', 'suspected', 'is suspected', 'is possible', 'is likely', 'is unlikely', 'is questionable',
  'less likely', 'questionable', 'versus', 'vs', 'likely', 'unlikely', 'possible', 'probable', '?',
];

// Both directions: pyConText "bidirectional" hedges not already above.
const BOTH_UNCERTAINTY = ['likely', 'unlikely', 'versus', 'vs', 'equivocal', 'borderline', '?'];

// Experiencer = family (forward to sentence end / termination). medspaCy FAMILY relatives plus ConText's
// family-history phrases.
const RELATIVES = [
  'aunt', 'aunts', 'brother', 'brothers', 'child', 'children', 'cousin', 'cousins', 'dad', 'daughter', 'daughters',
  'father', 'grandchild', 'grandchildren', 'granddaughter', 'grandfather', 'grandmother', 'grandparent',
  'grandparents', 'grandson', 'mom', 'mother', 'nephew', 'niece', 'parent', 'parents', 'sibling', 'siblings', 'sister',
  'sisters', 'son', 'sons', 'uncle', 'uncles',
];
const PRE_FAMILY = [
  ...RELATIVES, ...RELATIVES.map((r) => `${r}'s`), 'family history of', 'family history', 'family hx of', 'fh of',
  'fhx of', 'fhx', 'fam hx', 'family member', 'family members', 'maternal', 'paternal',
];
// "breast cancer in her mother" — relative after the finding.
const POST_FAMILY = RELATIVES.flatMap((r) => [`in ${r}`, `in her ${r}`, `in his ${r}`, `in the patient's ${r}`, `in a ${r}`]);

// Termination terms. negspacy en_clinical termination; medspaCy TERMINATE rules.
const TERMINATION = [
  'although', 'apart from', 'as there are', 'aside from', 'but', 'except', 'however', 'involving', 'nevertheless',
  'still', 'though', 'which', 'yet', 'cause for', 'cause of', 'causes for', 'causes of', 'etiology for',
  'etiology of', 'origin for', 'origin of', 'other possibilities of', 'reason for', 'reason of', 'reasons for',
  'secondary to', 'source for', 'source of', 'trigger event for', 'because', 'since', 'as has', 'presents with',
  'presenting with',
  // project: the patient named again ends a relative's scope ("Mother has breast cancer and patient has asthma")
  'patient', 'pt',
];

/** Words, and punctuation as single-character tokens; "r/o" and "h/o" kept whole; ’ folded to '. */
const TOKEN = /[rh]\/o\b|[\p{L}\p{N}]+(?:['’][\p{L}]+)?|\S/giu;
interface Token { text: string; start: number; end: number; word: boolean }

function tokenise(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({
    text: m[0].toLowerCase().replace(/’/g, "'"),
    start: m.index,
    end: m.index + m[0].length,
    word: /[\p{L}\p{N}]/u.test(m[0]) || m[0] === '?',
  }));
}

function buildLexicon(): Map<string, Trigger[]> {
  const all: Trigger[] = [];
  const add = (phrases: string[], category: Category, direction: Direction) => {
    for (const phrase of phrases) all.push({ phrase, tokens: tokenise(phrase).map((t) => t.text), category, direction });
  };
  add(PSEUDO, 'pseudo', 'none');
  add(TERMINATION, 'termination', 'none');
  add(PRE_NEGATION, 'negation', 'forward');
  add(POST_NEGATION, 'negation', 'backward');
  add(PRE_UNCERTAINTY, 'uncertainty', 'forward');
  add(POST_UNCERTAINTY, 'uncertainty', 'backward');
  add(BOTH_UNCERTAINTY, 'uncertainty', 'both');
  add(PRE_FAMILY, 'family', 'forward');
  add(POST_FAMILY, 'family', 'backward');
  // One entry per phrase, directions merged: "likely" forward and backward is "both".
  const merged = new Map<string, Trigger>();
  for (const t of all) {
    const key = `${t.category}\u0000${t.phrase}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, t);
    else if (seen.direction !== t.direction) seen.direction = 'both';
  }
  const byFirst = new Map<string, Trigger[]>();
  for (const t of merged.values()) {
    const list = byFirst.get(t.tokens[0]!) ?? [];
    list.push(t);
    byFirst.set(t.tokens[0]!, list);
  }
  // Longest phrase first; a negation over a same-length uncertainty reading ("declined").
  const rank: Record<Category, number> = { pseudo: 0, termination: 1, negation: 2, uncertainty: 3, family: 4 };
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length || rank[a.category] - rank[b.category]);
  return byFirst;
}

const LEXICON = buildLexicon();

interface Found { trigger: Trigger; first: number; last: number }

/**
 * Triggers in the sentence, left to right, longest match at each token, none inside the mention
 * (tokens `skipFrom..skipTo` inclusive). A pseudo-negation consumes its tokens like any trigger,
 * so "no change" never yields "no".
 */
function findTriggers(tokens: Token[], skipFrom: number, skipTo: number): Found[] {
  const found: Found[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (i >= skipFrom && i <= skipTo) { i = skipTo + 1; continue; }
    const candidates = LEXICON.get(tokens[i]!.text) ?? [];
    const hit = candidates.find((t) => {
      const last = i + t.tokens.length - 1;
      if (last >= tokens.length || (i < skipFrom && last >= skipFrom)) return false;
      return t.tokens.every((w, k) => tokens[i + k]!.text === w);
    });
    if (hit) {
      found.push({ trigger: hit, first: i, last: i + hit.tokens.length - 1 });
      i += hit.tokens.length;
    } else i++;
  }
  return found;
}

const isHardStop = (t: Token) => t.text === ';' || t.text === ':';

/** Whether tokens between `from` and `to` (exclusive both) hold a termination term or a hard stop. */
function terminated(tokens: Token[], triggers: Found[], from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) if (isHardStop(tokens[k]!)) return true;
  return triggers.some((f) => f.trigger.category === 'termination' && f.first > from && f.last < to);
}

const wordsBetween = (tokens: Token[], from: number, to: number) => {
  let n = 0;
  for (let k = from + 1; k < to; k++) if (tokens[k]!.word) n++;
  return n;
};

/**
 * Assertion for the mention at `span` (character offsets into `sentence`, end exclusive). The
 * nearest applicable trigger of each category decides; negation is reported over uncertainty
 * over family when more than one applies.
 */
export function assertionFor(sentence: string, span: { start: number; end: number }): Assertion {
  const tokens = tokenise(sentence);
  const inside = tokens.map((t, k) => (t.end > span.start && t.start < span.end ? k : -1)).filter((k) => k >= 0);
  if (inside.length === 0) return { negated: false, uncertain: false, family: false, trigger: null };
  const mFirst = inside[0]!;
  const mLast = inside[inside.length - 1]!;
  const triggers = findTriggers(tokens, mFirst, mLast);

  const best: Partial<Record<Category, { phrase: string; distance: number }>> = {};
  for (const f of triggers) {
    const { category, direction } = f.trigger;
    if (category === 'pseudo' || category === 'termination') continue;
    const window = category === 'family' ? Number.POSITIVE_INFINITY : NEGEX_WINDOW_WORDS;
    let distance: number | null = null;
    if (f.last < mFirst && (direction === 'forward' || direction === 'both')) {
      const d = wordsBetween(tokens, f.last, mFirst);
      if (d < window && !terminated(tokens, triggers, f.last, mFirst)) distance = d;
    } else if (f.first > mLast && (direction === 'backward' || direction === 'both')) {
      const d = wordsBetween(tokens, mLast, f.first);
      if (d < window && !terminated(tokens, triggers, mLast, f.first)) distance = d;
    }
    if (distance === null) continue;
    const current = best[category];
    if (!current || distance < current.distance) best[category] = { phrase: f.trigger.phrase, distance };
  }
  return {
    negated: best.negation !== undefined,
    uncertain: best.uncertainty !== undefined,
    family: best.family !== undefined,
    trigger: (best.negation ?? best.uncertainty ?? best.family)?.phrase ?? null,
  };
}
