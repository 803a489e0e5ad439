-- Up Migration
-- Per-call details from VCF ingestion, and the genomics outbox.
ALTER TABLE genomics.variant_calls
  ADD COLUMN depth integer,
  ADD COLUMN genotype_quality integer,
  ADD COLUMN allele_fraction real,
  ADD COLUMN filter text,
  ADD COLUMN quality real,
  -- where the call came from: `vcf:<sample>` or `api`
  ADD COLUMN source text NOT NULL DEFAULT 'api';

CREATE TABLE genomics.outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  topic       text NOT NULL,
  patient_id  uuid NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_txid_id_idx ON genomics.outbox (txid, id);

-- Down Migration
DROP TABLE genomics.outbox;
ALTER TABLE genomics.variant_calls
  DROP COLUMN source, DROP COLUMN quality, DROP COLUMN filter, DROP COLUMN allele_fraction,
  DROP COLUMN genotype_quality, DROP COLUMN depth;
