-- Up Migration
-- Homozygous-reference records with no ALT (`ALT=.`, GT 0/0) at the positions the pharmacogenomic
-- calling reads (issue 17 item 4). They are not variants, so variant_calls cannot hold them, yet they
-- are what tells "tested, reference" apart from "not tested": PharmCAT reads them as reference, and
-- without them a TPMT *1/*1 file was Indeterminate. Only defining positions of the seven PGx genes
-- are kept (a gVCF's reference blocks elsewhere are not), so the table stays small.
CREATE TABLE genomics.reference_calls (
  patient_id  uuid NOT NULL,
  chrom       text NOT NULL,
  pos         integer NOT NULL CHECK (pos > 0),
  ref         text NOT NULL CHECK (ref ~ '^[ACGTN]+$'),
  genotype    text NOT NULL,
  source      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, chrom, pos)
);

-- Down Migration
DROP TABLE genomics.reference_calls;
