-- Up Migration
-- Clinical-note NLP results, per note and embedding model. A note is processed again when its text
-- (content hash) or the model changes; a note's rows are replaced in one transaction.
CREATE TABLE inference.note_runs (
  note_id       text NOT NULL,
  model_id      text NOT NULL,
  patient_id    uuid NOT NULL,
  content_hash  text NOT NULL,
  status        text NOT NULL CHECK (status IN ('processed', 'rejected')),
  error         text,
  sentences     integer NOT NULL DEFAULT 0,
  findings      integer NOT NULL DEFAULT 0,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (note_id, model_id)
);
CREATE INDEX note_runs_patient_idx ON inference.note_runs (patient_id);

CREATE TABLE inference.note_findings (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note_id        text NOT NULL,
  model_id       text NOT NULL,
  patient_id     uuid NOT NULL,
  start_offset   integer NOT NULL,
  end_offset     integer NOT NULL,
  text           text NOT NULL,
  kind           text NOT NULL,
  concept_id     text,
  concept_name   text,
  negated        boolean NOT NULL,
  uncertain      boolean NOT NULL,
  family         boolean NOT NULL,
  trigger        text,
  confidence     real NOT NULL,
  method         text NOT NULL CHECK (method IN ('dictionary', 'pattern', 'embedding')),
  FOREIGN KEY (note_id, model_id) REFERENCES inference.note_runs (note_id, model_id) ON DELETE CASCADE
);
CREATE INDEX note_findings_patient_idx ON inference.note_findings (patient_id);

-- Sentence vectors for semantic search and patient similarity (unit vectors: cosine = dot product).
CREATE TABLE inference.note_sentences (
  note_id       text NOT NULL,
  model_id      text NOT NULL,
  idx           integer NOT NULL,
  patient_id    uuid NOT NULL,
  start_offset  integer NOT NULL,
  end_offset    integer NOT NULL,
  text          text NOT NULL,
  embedding     real[] NOT NULL,
  PRIMARY KEY (note_id, model_id, idx),
  FOREIGN KEY (note_id, model_id) REFERENCES inference.note_runs (note_id, model_id) ON DELETE CASCADE
);
CREATE INDEX note_sentences_patient_idx ON inference.note_sentences (patient_id, model_id);

-- Knowledge-graph concept names embedded once per model (cleared when the dictionary changes).
CREATE TABLE inference.concept_embeddings (
  model_id    text NOT NULL,
  concept_id  text NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL,
  embedding   real[] NOT NULL,
  PRIMARY KEY (model_id, concept_id, name)
);

-- Down Migration
DROP TABLE inference.concept_embeddings;
DROP TABLE inference.note_sentences;
DROP TABLE inference.note_findings;
DROP TABLE inference.note_runs;
