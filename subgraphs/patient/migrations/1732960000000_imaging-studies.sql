-- Up Migration
CREATE TABLE patient.imaging_studies (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id      uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  -- DICOM Study Instance UID (FHIR identifier system urn:dicom:uid)
  study_uid       text,
  status          text,
  modalities      text[] NOT NULL DEFAULT '{}',
  body_sites      text[] NOT NULL DEFAULT '{}',
  series_count    integer,
  instance_count  integer,
  started_at      timestamptz,
  description     text,
  -- text of the DiagnosticReport(s) in the same bundle that reference this study
  report_text     text,
  source_key      text NOT NULL,
  source_patient  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);

-- Down Migration
DROP TABLE patient.imaging_studies;
