import type { Pool, PoolClient } from '../../../lib/postgres';
import type { NoteFinding } from './note-analysis';
import type { Sentence } from './text';

export interface StoredFinding extends NoteFinding {
  noteId: string;
}

export interface NoteRun {
  noteId: string;
  status: 'processed' | 'rejected';
  error: string | null;
  sentences: number;
  findings: number;
  processedAt: Date;
}

const SELECT_HASHES = `SELECT note_id, content_hash FROM inference.note_runs WHERE model_id = $1 AND note_id = ANY($2::text[])`;
const DELETE_RUN = `DELETE FROM inference.note_runs WHERE note_id = $1 AND model_id = $2`;
const INSERT_RUN = `
  INSERT INTO inference.note_runs (note_id, model_id, patient_id, content_hash, status, error, sentences, findings)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
const INSERT_FINDINGS = `
  INSERT INTO inference.note_findings
    (note_id, model_id, patient_id, start_offset, end_offset, text, kind, concept_id, concept_name, negated, uncertain, family, trigger, confidence, method)
  SELECT $1, $2, $3, * FROM unnest($4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::bool[], $12::bool[], $13::text[], $14::real[], $15::text[])`;
const INSERT_SENTENCES = `
  INSERT INTO inference.note_sentences (note_id, model_id, idx, patient_id, start_offset, end_offset, text, embedding)
  SELECT $1, $2, s.idx, $3, s.start_offset, s.end_offset, s.text, ARRAY(SELECT jsonb_array_elements_text(s.embedding)::real)
  FROM jsonb_to_recordset($4::jsonb) AS s(idx int, start_offset int, end_offset int, text text, embedding jsonb)`;
const SELECT_FINDINGS = `
  SELECT note_id, start_offset, end_offset, text, kind, concept_id, concept_name, negated, uncertain, family, trigger, confidence, method
  FROM inference.note_findings WHERE model_id = $1 AND patient_id = ANY($2::uuid[])
  ORDER BY note_id, start_offset, id`;
const SELECT_RUNS = `
  SELECT note_id, patient_id, status, error, sentences, findings, processed_at FROM inference.note_runs
  WHERE model_id = $1 AND patient_id = ANY($2::uuid[]) ORDER BY note_id`;
const SELECT_SENTENCE_VECTORS = `
  SELECT patient_id, note_id, idx, start_offset, end_offset, text, embedding FROM inference.note_sentences
  WHERE model_id = $1 AND ($2::uuid[] IS NULL OR patient_id = ANY($2::uuid[]))`;
const SELECT_CONCEPT_VECTORS = `SELECT concept_id, name, kind, embedding FROM inference.concept_embeddings WHERE model_id = $1`;
const INSERT_CONCEPT_VECTORS = `
  INSERT INTO inference.concept_embeddings (model_id, concept_id, name, kind, embedding)
  SELECT $1, c.concept_id, c.name, c.kind, ARRAY(SELECT jsonb_array_elements_text(c.embedding)::real)
  FROM jsonb_to_recordset($2::jsonb) AS c(concept_id text, name text, kind text, embedding jsonb)
  ON CONFLICT (model_id, concept_id, name) DO NOTHING`;

const vectorJson = (v: Float32Array<ArrayBufferLike>): number[] => Array.from(v, (x) => Math.round(x * 1e6) / 1e6);

/** Storage of note NLP results (inference schema); a note's results are replaced whole, in one transaction. */
export class NotesRepository {
  constructor(private readonly pool: Pool) {}

  /** Content hashes already processed with this model, by note id. */
  async processedHashes(modelId: string, noteIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ note_id: string; content_hash: string }>(SELECT_HASHES, [modelId, noteIds]);
    return new Map(rows.map((r) => [r.note_id, r.content_hash]));
  }

  async saveNote(
    client: PoolClient,
    run: { noteId: string; modelId: string; patientId: string; contentHash: string; error: string | null },
    sentences: readonly Sentence[],
    vectors: readonly Float32Array[],
    findings: readonly NoteFinding[],
  ): Promise<void> {
    const { noteId, modelId, patientId } = run;
    await client.query(DELETE_RUN, [noteId, modelId]);
    await client.query(INSERT_RUN, [noteId, modelId, patientId, run.contentHash, run.error ? 'rejected' : 'processed', run.error, sentences.length, findings.length]);
    if (findings.length) {
      const col = <K extends keyof NoteFinding>(k: K) => findings.map((f) => f[k]);
      await client.query(INSERT_FINDINGS, [
        noteId, modelId, patientId, col('start'), col('end'), col('text'), col('kind'), col('conceptId'), col('conceptName'),
        col('negated'), col('uncertain'), col('family'), col('trigger'), col('confidence'), col('method'),
      ]);
    }
    if (sentences.length) {
      const rows = sentences.map((s, idx) => ({ idx, start_offset: s.start, end_offset: s.end, text: s.text, embedding: vectorJson(vectors[idx]!) }));
      await client.query(INSERT_SENTENCES, [noteId, modelId, patientId, JSON.stringify(rows)]);
    }
  }

  async findingsByPatients(modelId: string, patientIds: readonly string[]): Promise<Map<string, StoredFinding[]>> {
    const { rows } = await this.pool.query(SELECT_FINDINGS.replace('SELECT note_id,', 'SELECT patient_id, note_id,'), [modelId, patientIds]);
    const byPatient = new Map<string, StoredFinding[]>(patientIds.map((id) => [id, []]));
    for (const r of rows) {
      byPatient.get(r.patient_id)?.push({
        noteId: r.note_id, start: r.start_offset, end: r.end_offset, text: r.text, kind: r.kind, conceptId: r.concept_id, conceptName: r.concept_name,
        negated: r.negated, uncertain: r.uncertain, family: r.family, trigger: r.trigger, confidence: r.confidence, method: r.method,
      });
    }
    return byPatient;
  }

  async runsByPatients(modelId: string, patientIds: readonly string[]): Promise<Map<string, NoteRun[]>> {
    const { rows } = await this.pool.query(SELECT_RUNS, [modelId, patientIds]);
    const byPatient = new Map<string, NoteRun[]>(patientIds.map((id) => [id, []]));
    for (const r of rows) {
      byPatient.get(r.patient_id)?.push({ noteId: r.note_id, status: r.status, error: r.error, sentences: r.sentences, findings: r.findings, processedAt: r.processed_at });
    }
    return byPatient;
  }

  async sentenceVectors(modelId: string, patientIds: readonly string[] | null) {
    const { rows } = await this.pool.query<{ patient_id: string; note_id: string; idx: number; start_offset: number; end_offset: number; text: string; embedding: number[] }>(
      SELECT_SENTENCE_VECTORS,
      [modelId, patientIds],
    );
    return rows.map((r) => ({ patientId: r.patient_id, noteId: r.note_id, start: r.start_offset, end: r.end_offset, text: r.text, vector: Float32Array.from(r.embedding) }));
  }

  async conceptVectors(modelId: string) {
    const { rows } = await this.pool.query<{ concept_id: string; name: string; kind: string; embedding: number[] }>(SELECT_CONCEPT_VECTORS, [modelId]);
    return rows.map((r) => ({ id: r.concept_id, name: r.name, kind: r.kind, vector: Float32Array.from(r.embedding) }));
  }

  async saveConceptVectors(modelId: string, concepts: readonly { id: string; name: string; kind: string; vector: Float32Array<ArrayBufferLike> }[]): Promise<void> {
    for (let i = 0; i < concepts.length; i += 500) {
      const rows = concepts.slice(i, i + 500).map((c) => ({ concept_id: c.id, name: c.name, kind: c.kind, embedding: vectorJson(c.vector) }));
      await this.pool.query(INSERT_CONCEPT_VECTORS, [modelId, JSON.stringify(rows)]);
    }
  }
}
