-- Up Migration
CREATE TABLE patient.patients (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  birth_date  date,
  sex         text CHECK (sex IN ('female', 'male', 'other', 'unknown')),
  race        text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patient.identifiers (
  system      text NOT NULL,
  value       text NOT NULL,
  patient_id  uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  PRIMARY KEY (system, value)
);
CREATE INDEX identifiers_patient_idx ON patient.identifiers (patient_id);
CREATE INDEX identifiers_value_idx ON patient.identifiers (value);

CREATE TABLE patient.observations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id      uuid NOT NULL REFERENCES patient.patients (id) ON DELETE CASCADE,
  code            text NOT NULL,
  value           double precision NOT NULL,
  unit            text NOT NULL,
  original_value  double precision NOT NULL,
  original_unit   text NOT NULL,
  effective_at    timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX observations_patient_code_time_idx ON patient.observations (patient_id, code, effective_at DESC);

-- Transactional outbox: written in the same transaction as the change it announces. `txid` lets a
-- consumer read gap-free: it only takes rows whose transaction is older than every running one.
CREATE TABLE patient.outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  topic       text NOT NULL,
  patient_id  uuid NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_txid_id_idx ON patient.outbox (txid, id);

-- Down Migration
DROP TABLE patient.outbox;
DROP TABLE patient.observations;
DROP TABLE patient.identifiers;
DROP TABLE patient.patients;
