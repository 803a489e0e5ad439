-- Up Migration
-- Record linkage: a second source's patient joined to an existing hub patient, undoable.
CREATE TABLE patient.patient_links (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id      uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  -- the linked source's Patient resource (`Patient/<id>`): its records carry the same key
  source_patient  text NOT NULL,
  identifiers     jsonb NOT NULL,
  -- the linked source's own demographics, restored when the link is undone
  demographics    jsonb NOT NULL,
  score           double precision NOT NULL,
  rule            text NOT NULL,
  linked_at       timestamptz NOT NULL DEFAULT now(),
  unlinked_at     timestamptz,
  unlinked_into   uuid REFERENCES patient.patients (id)
);
CREATE INDEX patient_links_patient_idx ON patient.patient_links (patient_id);
CREATE UNIQUE INDEX patient_links_active_source_idx ON patient.patient_links (patient_id, source_patient) WHERE unlinked_at IS NULL;

-- Which source Patient each record came with, so a link can be undone without losing or misplacing any.
ALTER TABLE patient.observations ADD COLUMN source_patient text;
ALTER TABLE patient.conditions ADD COLUMN source_patient text;
ALTER TABLE patient.medications ADD COLUMN source_patient text;
ALTER TABLE patient.allergies ADD COLUMN source_patient text;
ALTER TABLE patient.notes ADD COLUMN source_patient text;

-- Blocking key for linkage candidates.
CREATE INDEX patients_birth_date_sex_idx ON patient.patients (birth_date, sex);

-- Down Migration
DROP INDEX patient.patients_birth_date_sex_idx;
ALTER TABLE patient.notes DROP COLUMN source_patient;
ALTER TABLE patient.allergies DROP COLUMN source_patient;
ALTER TABLE patient.medications DROP COLUMN source_patient;
ALTER TABLE patient.conditions DROP COLUMN source_patient;
ALTER TABLE patient.observations DROP COLUMN source_patient;
DROP TABLE patient.patient_links;
