-- Up Migration
-- Issue 21: an identifier's HL7 v2-0203 type (FHIR Identifier.type, e.g. MR, SS, PPN, DL) as it came, so the
-- API can name it ("Medical record number") and mask government ids whose system it does not know
-- (subgraphs/patient/domain/identifier-kinds.ts). Null for identifiers that came without one.
ALTER TABLE patient.identifiers ADD COLUMN type_code text;

-- Down Migration
ALTER TABLE patient.identifiers DROP COLUMN type_code;
