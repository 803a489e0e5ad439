-- Up Migration
-- The patient service's access directory (issue 19 item 3), a read contract like patient.outbox: for
-- each patient, what another service needs to decide row access and nothing more (the managing
-- organisation, and whether research consent is currently granted: the newest decision, never asked
-- counting as not granted, as Patient.researchConsent answers). Genomics and inference read it only
-- through lib/contracts/patient-directory.ts, in place of a call back to the patient subgraph; being a
-- view over the patient's own rows, it is never behind them (no copy to go stale).
CREATE VIEW patient.access_directory AS
  SELECT p.id AS patient_id,
         p.managing_organization AS organization,
         coalesce(c.granted, false) AS research_consent
  FROM patient.patients p
  LEFT JOIN LATERAL (
    SELECT rc.granted FROM patient.research_consents rc WHERE rc.patient_id = p.id ORDER BY rc.id DESC LIMIT 1
  ) c ON true;

-- Down Migration
DROP VIEW patient.access_directory;
