import { buildMentionDictionary } from './mentions';
import { analyseNote, candidatePhrases, knowledgeVariantId, mapPhrases, noteSentences, type NoteAnalysisContext } from './note-analysis';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

const context = (threshold: number): NoteAnalysisContext => ({
  dictionary: buildMentionDictionary([{ id: 'HP:0001250', kind: 'phenotype', names: ['Seizure', 'Seizures'] }]),
  conceptNames: new Map([['HP:0001250', 'Seizure'], ['HP:0001658', 'Myocardial infarction'], ['EGFR:L858R', 'EGFR L858R']]),
  conceptVectors: [{ id: 'HP:0001658', kind: 'phenotype', name: 'Myocardial infarction', vector: unit(1, 0, 0) }],
  embeddingThreshold: threshold,
});

describe('note analysis', () => {
  it('maps a written protein change to the knowledge graph variant id', () => {
    expect(knowledgeVariantId('EGFR p.L858R')).toBe('EGFR:L858R');
    expect(knowledgeVariantId('BRAF c.1799T>A')).toBeNull();
  });

  it('takes runs of content words as candidate phrases, split by stop words, punctuation and matches', () => {
    expect(candidatePhrases('Last year he had a heart attack, then high blood pressure.', [{ start: 50, end: 58 }]).map((p) => p.text)).toEqual([
      'heart attack',
      'high blood',
    ]);
  });

  it('labels dictionary, pattern and embedding findings with their method, confidence and note offsets', () => {
    const text = 'No seizures.\nEGFR L858R detected.\nHe had a heart attack.';
    const sentences = noteSentences(text);
    // Vectors stand in for the model: the third sentence passes the prefilter (0.6 ≥ 0.4); its phrase
    // "heart attack" is close to the concept (cosine 0.8).
    const sentenceVectors = [unit(0, 1, 0), unit(0, 0, 1), unit(0.6, 0.8, 0)];
    const { findings, phrases } = analyseNote(text, sentences, sentenceVectors, context(0.75));
    expect(phrases.map((p) => p.text)).toEqual(['heart attack']);
    const mapped = mapPhrases(sentences, phrases, [unit(0.8, 0.6, 0)], context(0.75), findings);
    expect([...findings, ...mapped].map((f) => [text.slice(f.start, f.end), f.conceptId, f.method, f.confidence, f.negated])).toEqual([
      ['seizures', 'HP:0001250', 'dictionary', 1, true],
      ['EGFR L858R', 'EGFR:L858R', 'pattern', 1, false],
      ['heart attack', 'HP:0001658', 'embedding', 0.8, false],
    ]);
    expect(mapPhrases(sentences, phrases, [unit(0.8, 0.6, 0)], context(0.85), findings)).toEqual([]);
  });
});
