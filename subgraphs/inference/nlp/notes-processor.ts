import { createHash } from 'node:crypto';
import { Cached } from '../../../lib/cached';
import type { Logger } from '../../../lib/logger';
import type { PatientSubgraphClient } from '../../../lib/patient-client';
import { InferencePatientNotesDocument } from '../../../lib/contracts/generated/patient/graphql';
import { inTransaction, type Pool } from '../../../lib/postgres';
import type { KnowledgeClient } from '../knowledge-client';
import { cosine, SentenceEmbedder } from './embedder';
import { buildMentionDictionary, type DictionaryEntry } from './mentions';
import { analyseNote, DEFAULT_EMBEDDING_THRESHOLD, mapPhrases, noteSentences, type ConceptVector, type NoteAnalysisContext } from './note-analysis';
import { NotesRepository } from './notes-repository';
import { normaliseNote, type Sentence } from './text';

export interface NotesProcessorOptions {
  pool: Pool;
  patients: PatientSubgraphClient;
  knowledge: KnowledgeClient;
  modelDir: string;
  modelId: string;
  log: Logger;
  embeddingThreshold?: number;
  /** How long the knowledge graph's concept dictionary is kept (default 10 min). */
  dictionaryTtlMs?: number;
}

interface RawNote {
  id: string;
  text: string;
}

const SEMANTIC_KINDS = new Set(['phenotype', 'condition']);
/**
 * Notes analysed and stored together: a patient's record (Ken316's Synthea bundle: 142 notes, ~70 s on
 * 2 cores) is stored in steps, so work stopped by a shutdown keeps what it finished and the next run
 * skips it (content hashes).
 */
const NOTES_PER_STEP = 16;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads patients' notes from the patient subgraph, analyses the ones not yet processed with this model
 * (new or changed text), and stores findings and sentence vectors. Runs off the request path (the
 * notes consumer group); queries read what it stored. The model loads on first use: a missing or
 * corrupt model folder fails note processing (and the NLP fields) with the folder named, nothing else.
 */
export class NotesProcessor {
  readonly repository: NotesRepository;
  private readonly embedder: Cached<SentenceEmbedder>;
  private readonly context: Cached<NoteAnalysisContext>;
  /** Aborted by dispose(): model work under way stops at its next forward pass. */
  private readonly stopping = new AbortController();

  constructor(private readonly opts: NotesProcessorOptions) {
    this.repository = new NotesRepository(opts.pool);
    this.embedder = new Cached(Infinity, () => SentenceEmbedder.load({ modelDir: opts.modelDir, modelId: opts.modelId }));
    this.context = new Cached(opts.dictionaryTtlMs ?? 10 * 60_000, () => this.buildContext());
  }

  get modelId(): string {
    return this.opts.modelId;
  }

  /** Loads the model on first use; a failed load is retried on the next use. */
  embedderReady(): Promise<SentenceEmbedder> {
    return this.embedder.get();
  }

  private analysisContext(): Promise<NoteAnalysisContext> {
    return this.context.get();
  }

  private async buildContext(): Promise<NoteAnalysisContext> {
    const concepts = await this.opts.knowledge.conceptDictionary();
    const entries: DictionaryEntry[] = concepts.filter((c) => c.kind !== 'variant').map((c) => ({ id: c.id, kind: c.kind as DictionaryEntry['kind'], names: c.names }));
    const conceptNames = new Map(concepts.map((c) => [c.id, c.names[0]!]));
    // Phenotype and condition names, embedded once per model and kept in PostgreSQL.
    const wanted = concepts.filter((c) => SEMANTIC_KINDS.has(c.kind)).map((c) => ({ id: c.id, kind: c.kind, name: c.names[0]! }));
    const stored: ConceptVector[] = await this.repository.conceptVectors(this.opts.modelId);
    const have = new Set(stored.map((c) => `${c.id}\u0000${c.name}`));
    const missing = wanted.filter((c) => !have.has(`${c.id}\u0000${c.name}`));
    if (missing.length) {
      const embedder = await this.embedderReady();
      const vectors = await embedder.embed(missing.map((c) => c.name), this.stopping.signal);
      const fresh = missing.map((c, i) => ({ ...c, vector: vectors[i]! }));
      await this.repository.saveConceptVectors(this.opts.modelId, fresh);
      stored.push(...fresh);
      this.opts.log.info({ concepts: fresh.length, model: this.opts.modelId }, 'embedded knowledge-graph concept names');
    }
    const current = new Set(wanted.map((c) => `${c.id}\u0000${c.name}`));
    const conceptVectors: ConceptVector[] = stored.filter((c) => current.has(`${c.id}\u0000${c.name}`));
    return { dictionary: buildMentionDictionary(entries), conceptNames, conceptVectors, embeddingThreshold: this.opts.embeddingThreshold ?? DEFAULT_EMBEDDING_THRESHOLD };
  }

  /**
   * Processes every new or changed note of these patients, NOTES_PER_STEP notes at a time; returns
   * counts. An aborted `signal` (or dispose()) stops it within one forward pass, with an AbortError:
   * the notes stored so far stay, the rest are processed by the next call.
   */
  async processPatients(patientIds: readonly string[], signal?: AbortSignal): Promise<{ notes: number; processed: number; rejected: number; unchanged: number }> {
    const counts = { notes: 0, processed: 0, rejected: 0, unchanged: 0 };
    if (patientIds.length === 0) return counts;
    const stop = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    const patients = await this.opts.patients.patientsOf(InferencePatientNotesDocument, patientIds);
    const notes = patients.flatMap((p) => (p ? p.notes.map((n) => ({ ...n, patientId: p.id })) : []));
    counts.notes = notes.length;
    if (notes.length === 0) return counts;
    const hashes = await this.repository.processedHashes(this.opts.modelId, notes.map((n) => n.id));
    const todo = notes.filter((n) => hashes.get(n.id) !== sha256(n.text));
    counts.unchanged = notes.length - todo.length;
    if (todo.length === 0) return counts;

    const [embedder, context] = await Promise.all([this.embedderReady(), this.analysisContext()]);
    for (let start = 0; start < todo.length; start += NOTES_PER_STEP) {
      stop.throwIfAborted();
      for (const stored of await this.processNotes(todo.slice(start, start + NOTES_PER_STEP), embedder, context, stop)) {
        if (stored.error) counts.rejected += 1;
        else counts.processed += 1;
      }
    }
    return counts;
  }

  /** Analyses and stores some notes: one embedding pass over their sentences, one over their phrases. */
  private async processNotes(todo: readonly (RawNote & { patientId: string })[], embedder: SentenceEmbedder, context: NoteAnalysisContext, stop: AbortSignal) {
    const prepared = todo.map((note) => {
      const normalised = normaliseNote(note.text);
      if ('error' in normalised) return { note, error: normalised.error.message, text: '', sentences: [] as Sentence[] };
      return { note, error: null, text: normalised.text, sentences: noteSentences(normalised.text) };
    });
    const vectors = await embedder.embed(prepared.flatMap((p) => p.sentences.map((s) => s.text)), stop);
    let offset = 0;
    const analysed = prepared.map((p) => {
      const noteVectors = vectors.slice(offset, offset + p.sentences.length);
      offset += p.sentences.length;
      return { ...p, vectors: noteVectors, ...(p.error ? { findings: [], phrases: [] } : analyseNote(p.text, p.sentences, noteVectors, context)) };
    });
    // Candidate phrases embedded in one pass, like the sentences.
    const phraseVectors = await embedder.embed(analysed.flatMap((a) => a.phrases.map((ph) => ph.text)), stop);
    let phraseOffset = 0;
    for (const p of analysed) {
      const vectorsOfPhrases = phraseVectors.slice(phraseOffset, phraseOffset + p.phrases.length);
      phraseOffset += p.phrases.length;
      const findings = [...p.findings, ...mapPhrases(p.sentences, p.phrases, vectorsOfPhrases, context, p.findings)].sort((x, y) => x.start - y.start);
      await inTransaction(this.opts.pool, (client) =>
        this.repository.saveNote(
          client,
          { noteId: p.note.id, modelId: this.opts.modelId, patientId: p.note.patientId, contentHash: sha256(p.note.text), error: p.error },
          p.sentences,
          p.vectors,
          findings,
        ),
      );
    }
    return analysed;
  }

  /** Sentences most similar in meaning to the query, optionally within some patients' notes. */
  async searchNotes(query: string, patientIds: readonly string[] | null, first: number) {
    const embedder = await this.embedderReady();
    const [q] = await embedder.embed([query]);
    const sentences = await this.repository.sentenceVectors(this.opts.modelId, patientIds);
    return sentences
      .map((s) => ({ ...s, similarity: cosine(q!, s.vector) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, first)
      .map(({ vector: _vector, ...hit }) => ({ ...hit, similarity: Math.round(hit.similarity * 1000) / 1000 }));
  }

  /**
   * Patients whose notes read most alike: each patient is the normalised mean of their sentence vectors
   * (a simple, documented document embedding), compared by cosine.
   */
  async similarPatients(patientId: string, first: number) {
    const sentences = await this.repository.sentenceVectors(this.opts.modelId, null);
    const sums = new Map<string, Float32Array>();
    for (const s of sentences) {
      const sum = sums.get(s.patientId) ?? new Float32Array(s.vector.length);
      for (let i = 0; i < sum.length; i++) sum[i]! += s.vector[i]!;
      sums.set(s.patientId, sum);
    }
    for (const sum of sums.values()) {
      const norm = Math.hypot(...sum) || 1;
      for (let i = 0; i < sum.length; i++) sum[i]! /= norm;
    }
    const self = sums.get(patientId);
    if (!self) return [];
    return [...sums]
      .filter(([id]) => id !== patientId)
      .map(([id, v]) => ({ patientId: id, similarity: Math.round(cosine(self, v) * 1000) / 1000 }))
      .sort((a, b) => b.similarity - a.similarity || a.patientId.localeCompare(b.patientId))
      .slice(0, first);
  }

  /** Stops model work under way (at its next forward pass) and releases the model. */
  async dispose(): Promise<void> {
    this.stopping.abort();
    const embedder = await this.embedder.peek()?.catch(() => undefined);
    await embedder?.dispose();
  }
}
