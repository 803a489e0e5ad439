-- Up Migration
-- Patient search (issue 21): a clinician finds a patient by the start of any part of the name, whatever
-- the accents and case ("müll", "Mull" and "MUELL" all find Müller and Mueller), by birth date, or by an
-- identifier, within their organisation, fast on a million patients.
--
-- Names are stored as one display string (given names then family name), so a prefix index on the whole
-- string would find "Anna Müller" by "anna" but not by "müll". Instead every part of the name is kept,
-- folded, in patient.patient_name_tokens, maintained by statement triggers (bulk loads and re-ingests
-- write each batch of tokens once). A btree on (organisation, token, patient) answers a prefix as a
-- range and hands the rows over already in result order, so the first page costs the same for "m"
-- and for "müller" (no sort of every match). COLLATE "C": byte order, so a prefix is a contiguous range.
--
-- unaccent is in contrib and trusted since PostgreSQL 13 (a database owner may create it).
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is STABLE (its dictionary could change); the two-argument form with the dictionary named
-- is safe to wrap as IMMUTABLE, which lets the fold be used in indexes and inlined. The extension may
-- live in any schema (another service may have created it first), so the wrapper names the one it is in.
DO $do$
DECLARE
  ext_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent');
BEGIN
  EXECUTE format(
    $f$CREATE FUNCTION patient.search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
       $body$ SELECT regexp_replace(%I.unaccent(%L::regdictionary, lower($1)), '[[:punct:]‘’´`]', '', 'g') $body$ $f$,
    ext_schema, ext_schema || '.unaccent');
END $do$;
COMMENT ON FUNCTION patient.search_fold(text) IS
  'Lower case, accents removed (unaccent: ü→u, ß→ss, æ→ae), punctuation dropped (O''Brien→obrien): how names and search words are compared.';

-- The searchable forms of a name: each part (split at spaces and hyphens) folded, plus the German
-- transliterations both ways, so that Müller and Mueller find each other: ä/ö/ü written ae/oe/ue
-- ("mueller") and ae/oe/ue read as a/o/u ("muller"). The second also turns Samuel into "samul"; an
-- extra match for a rare query, never a lost one.
CREATE FUNCTION patient.name_search_tokens(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH parts AS (SELECT part FROM regexp_split_to_table(lower(name), '[[:space:]-]+') part WHERE part <> ''),
  forms AS (
    SELECT patient.search_fold(part) AS form FROM parts
    UNION SELECT patient.search_fold(replace(replace(replace(part, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue')) FROM parts
    UNION SELECT regexp_replace(patient.search_fold(part), '([aou])e', '\1', 'g') FROM parts)
  SELECT form FROM forms WHERE form <> ''
$$;

CREATE TABLE patient.patient_name_tokens (
  patient_id    uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  token         text COLLATE "C" NOT NULL,
  -- the patient's managing organisation ('' for none), as identifiers keep it: a clinician's search
  -- reads its own organisation's range of the index only
  organization  text NOT NULL,
  PRIMARY KEY (patient_id, token)
);
CREATE INDEX patient_name_tokens_organisation ON patient.patient_name_tokens (organization, token, patient_id);
-- admins search every organisation
CREATE INDEX patient_name_tokens_token ON patient.patient_name_tokens (token, patient_id);

CREATE FUNCTION patient.patient_names_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO patient.patient_name_tokens (patient_id, token, organization)
  SELECT n.id, t, coalesce(n.managing_organization, '') FROM new_rows n, patient.name_search_tokens(n.name) t;
  RETURN NULL;
END $$;
CREATE TRIGGER patients_name_tokens_inserted AFTER INSERT ON patient.patients
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION patient.patient_names_inserted();

-- A renamed patient (re-ingest, unlink) or one moved to another organisation: its tokens are rewritten.
CREATE FUNCTION patient.patient_names_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM patient.patient_name_tokens t
  USING new_rows n JOIN old_rows o ON o.id = n.id
  WHERE t.patient_id = n.id
    AND (o.name IS DISTINCT FROM n.name OR o.managing_organization IS DISTINCT FROM n.managing_organization);
  INSERT INTO patient.patient_name_tokens (patient_id, token, organization)
  SELECT n.id, t, coalesce(n.managing_organization, '')
  FROM new_rows n JOIN old_rows o ON o.id = n.id, patient.name_search_tokens(n.name) t
  WHERE o.name IS DISTINCT FROM n.name OR o.managing_organization IS DISTINCT FROM n.managing_organization;
  RETURN NULL;
END $$;
CREATE TRIGGER patients_name_tokens_updated AFTER UPDATE ON patient.patients
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION patient.patient_names_updated();

INSERT INTO patient.patient_name_tokens (patient_id, token, organization)
SELECT p.id, t, coalesce(p.managing_organization, '') FROM patient.patients p, patient.name_search_tokens(p.name) t;

-- Birth date search within an organisation (admins use patients_birth_date_sex_idx).
CREATE INDEX patients_organisation_birth_date ON patient.patients (managing_organization, birth_date);

-- Down Migration
DROP INDEX patient.patients_organisation_birth_date;
DROP TRIGGER patients_name_tokens_updated ON patient.patients;
DROP TRIGGER patients_name_tokens_inserted ON patient.patients;
DROP FUNCTION patient.patient_names_updated();
DROP FUNCTION patient.patient_names_inserted();
DROP TABLE patient.patient_name_tokens;
DROP FUNCTION patient.name_search_tokens(text);
DROP FUNCTION patient.search_fold(text);
