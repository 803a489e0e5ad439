/**
 * One note → sentences and findings (pure; embeddings are passed in). Findings come three ways, each
 * labelled with how it was found and a confidence:
 *  - dictionary: a knowledge-graph concept name in the text (token-bounded; confidence 1);
 *  - pattern: a genomic variant written as gene + change ("EGFR L858R", "c.1799T>A", rs ids), mapped to
 *    the graph's protein-level variant when it has one (confidence 1 when mapped, 0.9 otherwise);
 *  - embedding: a phrase ("high blood pressure") whose embedding is close to a phenotype or condition
 *    name (cosine ≥ the threshold; confidence = cosine) that no dictionary match in the sentence already
 *    gave. Candidate phrases are runs of content words (stop words, punctuation, numbers and dictionary
 *    matches split them), taken only from sentences whose own embedding comes near some concept (a cheap
 *    prefilter), so few phrases need embedding. Measured on all-MiniLM-L6-v2 (quantized) against the
 *    HPO names: "high blood pressure" → Hypertension 0.725, but "heart attack" → Heart block 0.684 and
 *    "shortness of breath" → Short nose 0.591 — lexical look-alikes score high, hence a high threshold.
 * Each finding carries NegEx/ConText assertions (negated, uncertain, family) from the sentence.
 */
import { cosine } from './vectors';
import { assertionFor } from './negation';
import { findMentions, type MentionDictionary } from './mentions';
import { splitSentences, type Sentence } from './text';

export interface ConceptVector {
  id: string;
  kind: string;
  name: string;
  vector: Float32Array;
}

export interface NoteFinding {
  /** Offsets into the note, end exclusive. */
  start: number;
  end: number;
  text: string;
  kind: string;
  conceptId: string | null;
  conceptName: string | null;
  negated: boolean;
  uncertain: boolean;
  family: boolean;
  trigger: string | null;
  confidence: number;
  method: 'dictionary' | 'pattern' | 'embedding';
}

export interface NoteAnalysisContext {
  dictionary: MentionDictionary;
  /** Concept id → preferred name (for every concept in the dictionary). */
  conceptNames: ReadonlyMap<string, string>;
  /** Phenotype and condition names with their vectors, for the embedding step. */
  conceptVectors: readonly ConceptVector[];
  /** Cosine a phrase must reach to be mapped to a concept by embedding. */
  embeddingThreshold: number;
}

export const DEFAULT_EMBEDDING_THRESHOLD = 0.7;
/** A sentence's phrases are embedded only when the sentence itself comes this near some concept. */
export const SENTENCE_PREFILTER = 0.4;
const MAX_PHRASE_WORDS = 5;
const STOP_WORDS = new Set(
  ('a an the and or but of in on at to for from with without by as is are was were be been being has have had he she they it his her ' +
    'their its this that these those there here no not nor denies denied patient pt reports reported states stated noted ' +
    'started taking takes take continue continued mg daily twice once per day days week weeks year years month months last ago ' +
    'today yesterday now also very mild moderate severe possible probable likely unlikely history family mother father sister brother ' +
    'then after before since while when which who due because into over under recent recently new known previous prior')
    .split(' '),
);

export interface PhraseCandidate {
  /** Index of the sentence in the note's sentences. */
  sentence: number;
  /** Offsets into the sentence. */
  start: number;
  end: number;
  text: string;
}

/** Runs of content words not covered by a dictionary or pattern match, up to MAX_PHRASE_WORDS long. */
export function candidatePhrases(sentenceText: string, covered: readonly { start: number; end: number }[]): { start: number; end: number; text: string }[] {
  const phrases: { start: number; end: number; text: string }[] = [];
  let run: { start: number; end: number }[] = [];
  const flush = () => {
    if (run.length) phrases.push({ start: run[0]!.start, end: run.at(-1)!.end, text: sentenceText.slice(run[0]!.start, run.at(-1)!.end) });
    run = [];
  };
  let last = 0;
  for (const m of sentenceText.matchAll(/[\p{L}][\p{L}'-]*/gu)) {
    const start = m.index;
    const end = start + m[0].length;
    const gap = sentenceText.slice(last, start);
    last = end;
    const breaks = /[^\s]/.test(gap) || STOP_WORDS.has(m[0].toLowerCase()) || covered.some((c) => start < c.end && end > c.start) || m[0].length < 3;
    if (breaks) {
      flush();
      if (STOP_WORDS.has(m[0].toLowerCase()) || covered.some((c) => start < c.end && end > c.start) || m[0].length < 3) continue;
    }
    run.push({ start, end });
    if (run.length === MAX_PHRASE_WORDS) flush();
  }
  flush();
  return phrases;
}

/** "BRAF p.V600E" → "BRAF:V600E", the knowledge graph's protein-level variant id. */
export function knowledgeVariantId(normalised: string): string | null {
  const m = /^([A-Za-z0-9-]+) p\.([A-Z]\d+[A-Z*]?)$/.exec(normalised);
  return m ? `${m[1]}:${m[2]}` : null;
}

export function noteSentences(text: string): Sentence[] {
  return splitSentences(text);
}

/**
 * Dictionary and pattern findings of every sentence, and the phrases worth embedding (see the header).
 * `mapPhrases` then turns the embedded phrases into embedding findings.
 */
export function analyseNote(
  text: string,
  sentences: readonly Sentence[],
  sentenceVectors: readonly Float32Array[],
  context: NoteAnalysisContext,
): { findings: NoteFinding[]; phrases: PhraseCandidate[] } {
  const findings: NoteFinding[] = [];
  const phrases: PhraseCandidate[] = [];
  sentences.forEach((sentence, index) => {
    const covered: { start: number; end: number }[] = [];
    for (const mention of findMentions(context.dictionary, sentence.text)) {
      covered.push(mention);
      const base = { start: sentence.start + mention.start, end: sentence.start + mention.end, text: mention.text, kind: mention.kind, ...assertion(sentence, mention) };
      if (mention.kind === 'variant') {
        const id = knowledgeVariantId(mention.normalised);
        const known = id !== null && context.conceptNames.has(id);
        findings.push({ ...base, conceptId: known ? id : null, conceptName: known ? context.conceptNames.get(id!)! : mention.normalised, confidence: known ? 1 : 0.9, method: 'pattern' });
        continue;
      }
      for (const conceptId of mention.conceptIds.length ? mention.conceptIds : [null]) {
        findings.push({ ...base, conceptId, conceptName: conceptId ? (context.conceptNames.get(conceptId) ?? null) : null, confidence: 1, method: 'dictionary' });
      }
    }
    const vector = sentenceVectors[index];
    if (!vector || context.conceptVectors.length === 0) return;
    let best = -1;
    for (const concept of context.conceptVectors) best = Math.max(best, cosine(vector, concept.vector));
    if (best < SENTENCE_PREFILTER) return;
    for (const phrase of candidatePhrases(sentence.text, covered)) phrases.push({ sentence: index, ...phrase });
  });
  return { findings, phrases };
}

function assertion(sentence: Sentence, span: { start: number; end: number }) {
  const familySection = sentence.section !== null && /family/.test(sentence.section);
  const a = assertionFor(sentence.text, span);
  return { negated: a.negated, uncertain: a.uncertain, family: a.family || familySection, trigger: a.trigger };
}

/** Embedded phrases → findings: per phrase, the nearest phenotype or condition at or above the threshold, unless the sentence already names it. */
export function mapPhrases(
  sentences: readonly Sentence[],
  phrases: readonly PhraseCandidate[],
  phraseVectors: readonly Float32Array[],
  context: NoteAnalysisContext,
  existing: readonly NoteFinding[],
): NoteFinding[] {
  const findings: NoteFinding[] = [];
  phrases.forEach((phrase, i) => {
    const vector = phraseVectors[i]!;
    let best: { concept: ConceptVector; score: number } | null = null;
    for (const concept of context.conceptVectors) {
      const score = cosine(vector, concept.vector);
      if (score >= context.embeddingThreshold && (!best || score > best.score)) best = { concept, score };
    }
    if (!best) return;
    const sentence = sentences[phrase.sentence]!;
    const already = [...existing, ...findings].some((f) => f.conceptId === best!.concept.id && f.start >= sentence.start && f.end <= sentence.end);
    if (already) return;
    findings.push({
      start: sentence.start + phrase.start, end: sentence.start + phrase.end, text: phrase.text, kind: best.concept.kind,
      conceptId: best.concept.id, conceptName: best.concept.name, ...assertion(sentence, phrase),
      confidence: Math.round(best.score * 1000) / 1000, method: 'embedding',
    });
  });
  return findings;
}
