-- Up Migration
-- Bulk-load speed for VCF ingestion. A variant id (`GRCh38:7:140753336:A:T`) already says everything
-- the variants table held, and keeping that table in step with the calls cost a sort, an upsert and
-- a foreign-key check per call. Calls are now the one table; variant fields are read from the id.
ALTER TABLE genomics.variant_calls DROP CONSTRAINT variant_calls_variant_id_fkey;
DROP TABLE genomics.variants;
-- Ids are ASCII: byte-order ("C") collation makes each index comparison a memcmp.
ALTER TABLE genomics.variant_calls ALTER COLUMN variant_id TYPE text COLLATE "C";

-- Down Migration
ALTER TABLE genomics.variant_calls ALTER COLUMN variant_id TYPE text COLLATE "default";
CREATE TABLE genomics.variants (
  id text PRIMARY KEY, build text NOT NULL, chrom text NOT NULL, pos integer NOT NULL, ref text NOT NULL, alt text NOT NULL
);
INSERT INTO genomics.variants (id, build, chrom, pos, ref, alt)
  SELECT DISTINCT variant_id, split_part(variant_id, ':', 1), split_part(variant_id, ':', 2), split_part(variant_id, ':', 3)::integer,
         split_part(variant_id, ':', 4), split_part(variant_id, ':', 5)
  FROM genomics.variant_calls;
CREATE INDEX variants_locus_idx ON genomics.variants (chrom, pos);
ALTER TABLE genomics.variant_calls ADD CONSTRAINT variant_calls_variant_id_fkey FOREIGN KEY (variant_id) REFERENCES genomics.variants (id);
