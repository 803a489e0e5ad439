-- Up Migration
-- Calls stored before ingestion checked VCF fields (issue 16, commit 21f63cb) may hold numbers no
-- sequencer measured: QUAL NaN or ±Infinity (float4 takes them, GraphQL's Float cannot, so
-- `variantCalls { quality }` failed as an internal error), negative read depths (DP) and genotype
-- qualities (GQ), a non-finite allele fraction. Each such number becomes NULL, which is what `.`
-- says in a VCF: "not measured". The call itself (variant, genotype, filter, source) is kept, since
-- it is what the file said; only the number that cannot be true goes, and nothing is made up in its
-- place (no clamping to 0, which would read as "measured, no reads").
-- The CHECK constraints keep them out from now on: ingestion refuses such lines with `VCF line N: ...`
-- first, so a violation would be a bug, not input.
UPDATE genomics.variant_calls SET
  quality = CASE WHEN quality IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real) THEN NULL ELSE quality END,
  allele_fraction = CASE WHEN allele_fraction IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real) THEN NULL ELSE allele_fraction END,
  depth = CASE WHEN depth < 0 THEN NULL ELSE depth END,
  genotype_quality = CASE WHEN genotype_quality < 0 THEN NULL ELSE genotype_quality END
WHERE quality IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real)
   OR allele_fraction IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real)
   OR depth < 0
   OR genotype_quality < 0;

ALTER TABLE genomics.variant_calls
  ADD CONSTRAINT variant_calls_quality_finite CHECK (quality NOT IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real)),
  ADD CONSTRAINT variant_calls_allele_fraction_finite CHECK (allele_fraction NOT IN ('NaN'::real, 'Infinity'::real, '-Infinity'::real)),
  ADD CONSTRAINT variant_calls_depth_non_negative CHECK (depth >= 0),
  ADD CONSTRAINT variant_calls_genotype_quality_non_negative CHECK (genotype_quality >= 0);

-- Down Migration
-- The constraints go; the numbers set to NULL are not restored (they were not measurements).
ALTER TABLE genomics.variant_calls
  DROP CONSTRAINT variant_calls_genotype_quality_non_negative,
  DROP CONSTRAINT variant_calls_depth_non_negative,
  DROP CONSTRAINT variant_calls_allele_fraction_finite,
  DROP CONSTRAINT variant_calls_quality_finite;
