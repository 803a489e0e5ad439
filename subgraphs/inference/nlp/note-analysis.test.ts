import { buildMentionDictionary } from './mentions';
import { analyseNote, knowledgeVariantId, noteSentences, type NoteAnalysisContext } from './note-analysis';

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

  it('labels dictionary, pattern and embedding findings with their method, confidence and note offsets', () => {
    const text = 'No seizures.\nEGFR L858R detected.\nHe had a heart attack.';
    const sentences = noteSentences(text);
    // Sentence vectors stand in for the model: only the third is close to the concept (cosine 0.8).
    const vectors = [unit(0, 1, 0), unit(0, 0, 1), unit(0.8, 0.6, 0)];
    const findings = analyseNote(text, sentences, vectors, context(0.75));
    expect(findings.map((f) => [text.slice(f.start, f.end), f.conceptId, f.method, f.confidence, f.negated])).toEqual([
      ['seizures', 'HP:0001250', 'dictionary', 1, true],
      ['EGFR L858R', 'EGFR:L858R', 'pattern', 1, false],
      ['He had a heart attack.', 'HP:0001658', 'embedding', 0.8, false],
    ]);
    expect(analyseNote(text, sentences, vectors, context(0.85)).some((f) => f.method === 'embedding')).toBe(false);
  });
});
