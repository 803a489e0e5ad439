-- Up Migration
-- Why a stored value is kept out of every calculation (issue 16): a known LOINC code in a unit that
-- does not convert (stored as sent) or a value outside the code's plausible range (lib/loinc-catalogue.ts).
-- NULL: usable. The reason is the text clients see as Observation.excludedReason.
ALTER TABLE patient.observations
  ADD COLUMN flag text CHECK (flag IN ('implausible', 'unit-not-convertible')),
  ADD COLUMN flag_reason text,
  ADD CONSTRAINT observations_flag_has_reason CHECK ((flag IS NULL) = (flag_reason IS NULL));

-- Down Migration
ALTER TABLE patient.observations
  DROP CONSTRAINT observations_flag_has_reason,
  DROP COLUMN flag_reason,
  DROP COLUMN flag;
