-- Up Migration
CREATE TABLE genomics.variants (
  id     text PRIMARY KEY,
  build  text NOT NULL,
  chrom  text NOT NULL,
  pos    integer NOT NULL,
  ref    text NOT NULL,
  alt    text NOT NULL
);
CREATE INDEX variants_locus_idx ON genomics.variants (chrom, pos);

CREATE TABLE genomics.variant_calls (
  patient_id  uuid NOT NULL,
  variant_id  text NOT NULL REFERENCES genomics.variants (id),
  genotype    text NOT NULL,
  phased      boolean NOT NULL,
  zygosity    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, variant_id)
);
CREATE INDEX variant_calls_variant_idx ON genomics.variant_calls (variant_id);

-- Down Migration
DROP TABLE genomics.variant_calls;
DROP TABLE genomics.variants;
