-- Up Migration
-- Identifiers are per organisation (docs/architecture.md, "Who may write what"): an MRN is assigned
-- by a hospital and means nothing in another, and a hub-wide uniqueness would let one organisation
-- find (and take over) another's patient by sending its identifier. So (system, value) is unique
-- within an organisation; the same pair in two organisations names two patients, and matching,
-- linkage and duplicate errors never look across. Patients without an organisation (admin-only)
-- share the scope ''.
ALTER TABLE patient.identifiers ADD COLUMN organization text NOT NULL DEFAULT '';
UPDATE patient.identifiers i SET organization = coalesce(p.managing_organization, '')
FROM patient.patients p WHERE p.id = i.patient_id;
ALTER TABLE patient.identifiers DROP CONSTRAINT identifiers_pkey;
ALTER TABLE patient.identifiers ADD PRIMARY KEY (organization, system, value);

-- An identifier's organisation is always its patient's: set on every insert or move of an identifier,
-- and carried along when an admin moves a patient to another organisation (a clash there is refused
-- by the key, as a duplicate would be).
CREATE FUNCTION patient.identifier_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.organization := coalesce((SELECT managing_organization FROM patient.patients WHERE id = NEW.patient_id), '');
  RETURN NEW;
END $$;
CREATE TRIGGER identifiers_organisation BEFORE INSERT OR UPDATE OF patient_id ON patient.identifiers
  FOR EACH ROW EXECUTE FUNCTION patient.identifier_organisation();

CREATE FUNCTION patient.patient_organisation_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE patient.identifiers SET organization = coalesce(NEW.managing_organization, '') WHERE patient_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER patients_organisation_moved AFTER UPDATE OF managing_organization ON patient.patients
  FOR EACH ROW WHEN (OLD.managing_organization IS DISTINCT FROM NEW.managing_organization)
  EXECUTE FUNCTION patient.patient_organisation_moved();

-- Demographic linkage looks for candidates within one organisation.
CREATE INDEX patients_linkage_candidates ON patient.patients ((coalesce(managing_organization, '')), birth_date, sex);

-- Down Migration
DROP INDEX patient.patients_linkage_candidates;
DROP TRIGGER patients_organisation_moved ON patient.patients;
DROP FUNCTION patient.patient_organisation_moved();
DROP TRIGGER identifiers_organisation ON patient.identifiers;
DROP FUNCTION patient.identifier_organisation();
ALTER TABLE patient.identifiers DROP CONSTRAINT identifiers_pkey;
ALTER TABLE patient.identifiers ADD PRIMARY KEY (system, value);
ALTER TABLE patient.identifiers DROP COLUMN organization;
