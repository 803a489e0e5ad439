-- Up Migration
-- Every read of identified patient data, one row per (request, patient): who, in which role, through
-- which client and operation, which fields, when. Append-only (HIPAA §164.312(b) audit controls,
-- GDPR art. 30): a trigger refuses UPDATE and DELETE, so not even the service's own role can rewrite it.
CREATE TABLE access_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  service     text NOT NULL,
  subject     text NOT NULL,
  role        text NOT NULL,
  client      text NOT NULL,
  patient_id  text NOT NULL,
  fields      text[] NOT NULL,
  operation   text,
  request_id  text
);
CREATE INDEX access_log_patient ON access_log (patient_id, at DESC);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit.access_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
