/**
 * Code system URIs as FHIR R4 names them (terminology.hl7.org "Using ... with HL7 Standards" pages),
 * spelled once for the services that store codes (patient) and those that read them back over GraphQL
 * and match on them (inference): a record coded `http://snomed.info/sct` must mean the same to both.
 */
export const CODE_SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  usCoreRace: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
} as const;

/** Both ICD-10 systems a record may carry (ICD-10-CM in US records, WHO ICD-10 elsewhere). */
export const ICD10_SYSTEMS: readonly string[] = [CODE_SYSTEMS.icd10cm, CODE_SYSTEMS.icd10];
