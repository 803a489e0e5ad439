-- Up Migration
-- A patient's record version is the id of the newest outbox event about the patient
-- (repository/record-version-repository.ts): one index range per patient.
CREATE INDEX outbox_patient_id_idx ON patient.outbox (patient_id, id);

-- Down Migration
DROP INDEX patient.outbox_patient_id_idx;
