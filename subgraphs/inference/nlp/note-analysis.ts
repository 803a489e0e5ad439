/**
 * One note → sentences and findings (pure; embeddings are passed in). Findings come three ways, each
 * labelled with how it was found and a confidence:
 *  - dictionary: a knowledge-graph concept name in the text (token-bounded; confidence 1);
 *  - pattern: a genomic variant written as gene + change ("EGFR L858R", "c.1799T>A", rs ids), mapped to
 *    the graph's protein-level variant when it has one (confidence 1 when mapped, 0.9 otherwise);
 *  - embedding: a sentence whose sentence-embedding is close to a phenotype or condition name that no
 *    dictionary match in that sentence already gave (cosine ≥ the threshold; confidence = cosine). This
 *    catches paraphrases ("heart attack" for myocardial infarction); its span is the whole sentence.
 * Each finding carries NegEx/ConText assertions (negated, uncertain, family) from the sentence.
 */
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
  /** Cosine a sentence must reach to be mapped to a concept by embedding. */
  embeddingThreshold: number;
}

export const DEFAULT_EMBEDDING_THRESHOLD = 0.6;

/** "BRAF p.V600E" → "BRAF:V600E", the knowledge graph's protein-level variant id. */
export function knowledgeVariantId(normalised: string): string | null {
  const m = /^([A-Za-z0-9-]+) p\.([A-Z]\d+[A-Z*]?)$/.exec(normalised);
  return m ? `${m[1]}:${m[2]}` : null;
}

export function noteSentences(text: string): Sentence[] {
  return splitSentences(text);
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

export function analyseNote(text: string, sentences: readonly Sentence[], sentenceVectors: readonly Float32Array[], context: NoteAnalysisContext): NoteFinding[] {
  const findings: NoteFinding[] = [];
  sentences.forEach((sentence, index) => {
    const familySection = sentence.section !== null && /family/.test(sentence.section);
    const assert = (span: { start: number; end: number }) => {
      const a = assertionFor(sentence.text, span);
      return { negated: a.negated, uncertain: a.uncertain, family: a.family || familySection, trigger: a.trigger };
    };
    const found = new Set<string>();
    for (const mention of findMentions(context.dictionary, sentence.text)) {
      const base = { start: sentence.start + mention.start, end: sentence.start + mention.end, text: mention.text, kind: mention.kind, ...assert(mention) };
      if (mention.kind === 'variant') {
        const id = knowledgeVariantId(mention.normalised);
        const known = id !== null && context.conceptNames.has(id);
        findings.push({ ...base, conceptId: known ? id : null, conceptName: known ? context.conceptNames.get(id!)! : mention.normalised, confidence: known ? 1 : 0.9, method: 'pattern' });
        continue;
      }
      for (const conceptId of mention.conceptIds.length ? mention.conceptIds : [null]) {
        if (conceptId) found.add(conceptId);
        findings.push({ ...base, conceptId, conceptName: conceptId ? (context.conceptNames.get(conceptId) ?? null) : null, confidence: 1, method: 'dictionary' });
      }
    }
    const vector = sentenceVectors[index];
    if (!vector || context.conceptVectors.length === 0) return;
    let best: { concept: ConceptVector; score: number } | null = null;
    for (const concept of context.conceptVectors) {
      const score = dot(vector, concept.vector);
      if (score >= context.embeddingThreshold && (!best || score > best.score)) best = { concept, score };
    }
    if (best && !found.has(best.concept.id)) {
      const span = { start: 0, end: sentence.text.length };
      findings.push({
        start: sentence.start, end: sentence.end, text: sentence.text, kind: best.concept.kind, conceptId: best.concept.id, conceptName: best.concept.name,
        ...assert(span), confidence: Math.round(best.score * 1000) / 1000, method: 'embedding',
      });
    }
  });
  return findings;
}
