-- Up Migration
-- The gene each call falls in, annotated at ingest from the shipped GRCh38 gene-coordinate table
-- (knowledge-graph/seed/gene-coordinates.ts); null outside the genes the knowledge graph knows.
ALTER TABLE genomics.variant_calls ADD COLUMN gene text;
CREATE INDEX variant_calls_gene_idx ON genomics.variant_calls (gene, patient_id) WHERE gene IS NOT NULL;

-- Down Migration
DROP INDEX genomics.variant_calls_gene_idx;
ALTER TABLE genomics.variant_calls DROP COLUMN gene;
