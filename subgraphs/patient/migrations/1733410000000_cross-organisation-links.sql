-- Up Migration
-- Cross-organisation links (issue 15): only an admin or a hub service may ask linkage to look beyond
-- the organisation a bundle is written into. Such a link names who made it, and remembers the
-- organisation the linked source belonged to, so that undoing it returns the split-off patient there.
ALTER TABLE patient.patient_links
  ADD COLUMN linked_by text,
  ADD COLUMN across_organisations boolean NOT NULL DEFAULT false,
  ADD COLUMN source_organization text;

-- Down Migration
ALTER TABLE patient.patient_links DROP COLUMN source_organization, DROP COLUMN across_organisations, DROP COLUMN linked_by;
