-- Up Migration
-- FHIR ingestion: coded observations, provenance for idempotent re-ingest, and the other record types.
ALTER TABLE patient.patients
  ADD COLUMN address jsonb,
  ADD COLUMN phone text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE patient.observations
  ALTER COLUMN value DROP NOT NULL,
  ALTER COLUMN unit DROP NOT NULL,
  ALTER COLUMN original_value DROP NOT NULL,
  ALTER COLUMN original_unit DROP NOT NULL,
  ADD COLUMN code_system text NOT NULL DEFAULT 'http://loinc.org',
  ADD COLUMN display text,
  ADD COLUMN value_code_system text,
  ADD COLUMN value_code text,
  ADD COLUMN value_display text,
  -- false: a LOINC code outside the hub's catalogue, stored in the unit it came with
  ADD COLUMN normalised boolean NOT NULL DEFAULT true,
  -- `<ResourceType>/<id>[#component-n]` of the FHIR resource it came from; null for API writes
  ADD COLUMN source_key text,
  ADD CONSTRAINT observations_has_value CHECK (value IS NOT NULL OR value_code IS NOT NULL);
CREATE UNIQUE INDEX observations_source_idx ON patient.observations (patient_id, source_key);

CREATE TABLE patient.conditions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id       uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  code_system      text NOT NULL,
  code             text NOT NULL,
  display          text,
  clinical_status  text,
  onset_at         timestamptz,
  abatement_at     timestamptz,
  recorded_at      timestamptz,
  source_key       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);
CREATE INDEX conditions_code_idx ON patient.conditions (code_system, code);

CREATE TABLE patient.medications (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id   uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('MedicationRequest', 'MedicationStatement')),
  code_system  text NOT NULL,
  code         text NOT NULL,
  display      text,
  status       text,
  authored_at  timestamptz,
  dosage       text,
  source_key   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);
CREATE INDEX medications_code_idx ON patient.medications (code_system, code);

CREATE TABLE patient.allergies (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id       uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  code_system      text NOT NULL,
  code             text NOT NULL,
  display          text,
  clinical_status  text,
  criticality      text,
  categories       text[] NOT NULL DEFAULT '{}',
  recorded_at      timestamptz,
  source_key       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);

CREATE TABLE patient.notes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id    uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('DocumentReference', 'DiagnosticReport')),
  title         text,
  content_type  text NOT NULL,
  text          text NOT NULL,
  authored_at   timestamptz,
  source_key    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);

-- Down Migration
DROP TABLE patient.notes;
DROP TABLE patient.allergies;
DROP TABLE patient.medications;
DROP TABLE patient.conditions;
DROP INDEX patient.observations_source_idx;
ALTER TABLE patient.observations
  DROP CONSTRAINT observations_has_value,
  DROP COLUMN source_key, DROP COLUMN normalised, DROP COLUMN value_display, DROP COLUMN value_code,
  DROP COLUMN value_code_system, DROP COLUMN display, DROP COLUMN code_system;
ALTER TABLE patient.patients DROP COLUMN updated_at, DROP COLUMN phone, DROP COLUMN address;
