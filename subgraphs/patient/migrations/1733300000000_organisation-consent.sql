-- Up Migration
-- The organisation responsible for the patient's care (FHIR Patient.managingOrganization): clinicians
-- see identified data of their own organisation's patients only.
ALTER TABLE patient.patients ADD COLUMN managing_organization text;
CREATE INDEX patients_managing_organization ON patient.patients (managing_organization);

-- Research consent with its history (FHIR Consent, scope "research"): every grant and withdrawal is a
-- row; the newest row is the patient's current decision. Research queries and subscriptions read the
-- current decision at the moment they answer, so a withdrawal takes effect at once.
CREATE TABLE patient.research_consents (
  id           bigserial PRIMARY KEY,
  patient_id   uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  granted      boolean NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  recorded_by  text NOT NULL,
  source       text NOT NULL
);
CREATE INDEX research_consents_patient ON patient.research_consents (patient_id, id DESC);
