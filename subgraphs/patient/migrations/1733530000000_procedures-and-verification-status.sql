-- Up Migration
-- Issue 17: revascularisation (CABG, PCI, stents) is established ASCVD, and Synthea and EHRs record it as
-- FHIR Procedure resources, not only as status conditions; and a refuted or entered-in-error diagnosis must
-- not count as one. So: procedures are stored, and every condition keeps its FHIR verificationStatus
-- (http://hl7.org/fhir/R4/valueset-condition-ver-status.html).
ALTER TABLE patient.conditions ADD COLUMN verification_status text;

CREATE TABLE patient.procedures (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id      uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  code_system     text NOT NULL,
  code            text NOT NULL,
  display         text,
  -- FHIR event-status (preparation, in-progress, not-done, on-hold, stopped, completed, unknown);
  -- entered-in-error resources are not stored, as for every other record type.
  status          text NOT NULL,
  -- performedDateTime, or the start of performedPeriod
  performed_at    timestamptz,
  source_key      text NOT NULL,
  source_patient  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (patient_id, source_key)
);
CREATE INDEX procedures_code_idx ON patient.procedures (code_system, code);

-- Down Migration
DROP TABLE patient.procedures;
ALTER TABLE patient.conditions DROP COLUMN verification_status;
