-- Up Migration
-- Issue 16/17: FHIR R4 Observation.value[x] may be a string (valueString), and real Synthea 3.3.0 output
-- carries them (29554-3 Procedure Narrative "CABG Grafts: 3", 85318-4 HER2 by FISH "less than 1.8", the
-- PRAPARE address answer). Refusing them refused the patient's whole bundle. The text is stored as sent,
-- apart from the numeric value: value stays null, so no calculation (risk, cohort filters and statistics)
-- ever reads it, and research views never show it (free text, as notes and displays).
ALTER TABLE patient.observations ADD COLUMN value_text text;
ALTER TABLE patient.observations
  DROP CONSTRAINT observations_has_value,
  ADD CONSTRAINT observations_has_value CHECK (value IS NOT NULL OR value_code IS NOT NULL OR value_text IS NOT NULL);

-- Down Migration
DELETE FROM patient.observations WHERE value IS NULL AND value_code IS NULL;
ALTER TABLE patient.observations
  DROP CONSTRAINT observations_has_value,
  ADD CONSTRAINT observations_has_value CHECK (value IS NOT NULL OR value_code IS NOT NULL);
ALTER TABLE patient.observations DROP COLUMN value_text;
