/**
 * Codes the synthetic bundles use, spelled as Synthea exports them. Systems: LOINC (loinc.org), SNOMED CT,
 * RxNorm (NLM), UCUM (unitsofmeasure.org), CDC Race & Ethnicity (urn:oid:2.16.840.1.113883.6.238) for the
 * US Core race extension, HL7 terminology for categories and statuses.
 */
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';
export const CDC_RACE = 'urn:oid:2.16.840.1.113883.6.238';
export const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
export const HOSPITAL_MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.19.5';
export const SYNTHEA_ID_SYSTEM = 'https://github.com/synthetichealth/synthea';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
export const DIAGNOSTIC_SERVICE = 'http://terminology.hl7.org/CodeSystem/v2-0074';
export const ENCOUNTER_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const US_CORE_DOCUMENT_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';

export interface Code {
  code: string;
  display: string;
}

/** A UCUM unit; Synthea writes the UCUM code in `unit` too, so both are the code. */
export interface Unit {
  code: string;
  unit: string;
}

export const LAB = {
  totalCholesterol: { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma' },
  hdl: { code: '2085-9', display: 'Cholesterol in HDL [Mass/volume] in Serum or Plasma' },
  ldl: { code: '18262-6', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay' },
  triglycerides: { code: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma' },
  glucose: { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
  hba1c: { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' },
  creatinine: { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' },
  egfr: {
    code: '33914-3',
    display: 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
  },
} as const satisfies Record<string, Code>;

export const VITAL = {
  weight: { code: '29463-7', display: 'Body weight' },
  height: { code: '8302-2', display: 'Body height' },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
  heartRate: { code: '8867-4', display: 'Heart rate' },
  bloodPressure: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
  steps: { code: '55423-8', display: 'Number of steps in unspecified time Pedometer' },
  oxygenSaturation: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
} as const satisfies Record<string, Code>;

export const SMOKING_STATUS: Code = { code: '72166-2', display: 'Tobacco smoking status' };
export const SMOKING = {
  never: { code: '266919005', display: 'Never smoked tobacco (finding)' },
  former: { code: '8517006', display: 'Ex-smoker (finding)' },
  daily: { code: '449868002', display: 'Smokes tobacco daily (finding)' },
} as const satisfies Record<string, Code>;

export const UNIT = {
  mgPerDl: { code: 'mg/dL', unit: 'mg/dL' },
  mmolPerL: { code: 'mmol/L', unit: 'mmol/L' },
  percent: { code: '%', unit: '%' },
  egfr: { code: 'mL/min/{1.73_m2}', unit: 'mL/min/{1.73_m2}' },
  kg: { code: 'kg', unit: 'kg' },
  pound: { code: '[lb_av]', unit: '[lb_av]' },
  cm: { code: 'cm', unit: 'cm' },
  bmi: { code: 'kg/m2', unit: 'kg/m2' },
  perMinute: { code: '/min', unit: '/min' },
  mmHg: { code: 'mm[Hg]', unit: 'mm[Hg]' },
  perDay: { code: '/d', unit: '/d' },
} as const satisfies Record<string, Unit>;

/** SI conversions (same factors as subgraphs/patient/domain/loinc.ts): cholesterol 38.67, triglyceride 88.57 mg/dL per mmol/L. */
export const MG_DL_PER_MMOL_L = { cholesterol: 38.67, triglycerides: 88.57 } as const;
export const KG_PER_POUND = 0.45359237;

export const CONDITION = {
  diabetes: { code: '44054006', display: 'Diabetes mellitus type 2' },
  hypertension: { code: '38341003', display: 'Hypertensive disorder' },
  hyperlipidemia: { code: '55822004', display: 'Hyperlipidemia' },
  pharyngitis: { code: '195662009', display: 'Acute viral pharyngitis' },
  lungCancer: { code: '254637007', display: 'Non-small cell lung cancer' },
} as const satisfies Record<string, Code>;

export const MEDICATION = {
  lisinopril: { code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
  amlodipine: { code: '197361', display: 'amlodipine 5 MG Oral Tablet' },
  atorvastatin: { code: '617312', display: 'atorvastatin 10 MG Oral Tablet' },
  metformin: { code: '860975', display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet' },
} as const satisfies Record<string, Code>;

export const ALLERGIES: readonly (Code & { category: 'medication' | 'food' | 'environment' })[] = [
  { code: '91936005', display: 'Allergy to penicillin', category: 'medication' },
  { code: '91935009', display: 'Allergy to peanuts', category: 'food' },
  { code: '300916003', display: 'Latex allergy', category: 'environment' },
  { code: '419474003', display: 'Allergy to mold', category: 'environment' },
];

export const ENCOUNTER_TYPES: readonly Code[] = [
  { code: '162673000', display: 'General examination of patient (procedure)' },
  { code: '185349003', display: 'Encounter for check up (procedure)' },
  { code: '185345009', display: 'Encounter for symptom (procedure)' },
  { code: '390906007', display: 'Follow-up encounter (procedure)' },
];

export const CLINICAL_NOTE: Code = { code: '34117-2', display: 'History and physical note' };
export const LIPID_PANEL: Code = { code: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma' };
export const GENETIC_REPORT: Code = { code: '51969-4', display: 'Genetic analysis report' };

/** OMB race categories with Synthea's rough US mix (weights sum to 1). */
export const RACES: readonly (Code & { weight: number })[] = [
  { code: '2106-3', display: 'White', weight: 0.6 },
  { code: '2054-5', display: 'Black or African American', weight: 0.15 },
  { code: '2028-9', display: 'Asian', weight: 0.15 },
  { code: '2131-1', display: 'Other Race', weight: 0.1 },
];

export const GIVEN_NAMES = {
  female: ['Mary', 'Linda', 'Susan', 'Karen', 'Nancy', 'Lisa', 'Sandra', 'Donna', 'Carol', 'Michelle', 'Aisha', 'Mei', 'Priya', 'Rosa', 'Keisha'],
  male: ['James', 'John', 'Robert', 'Michael', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Daniel', 'Jamal', 'Wei', 'Arjun', 'Carlos', 'Darnell'],
} as const;

export const FAMILY_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
  'Nguyen', 'Chen', 'Patel', 'Kim', 'Washington',
] as const;

export const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Washington Blvd', 'Park Rd', 'Lake View Ct'] as const;

/** Standard-time UTC offsets (Synthea writes fixed offsets too). */
export const PLACES = [
  { city: 'Boston', state: 'MA', zipPrefix: '021', utcOffsetMinutes: -300 },
  { city: 'Worcester', state: 'MA', zipPrefix: '016', utcOffsetMinutes: -300 },
  { city: 'Chicago', state: 'IL', zipPrefix: '606', utcOffsetMinutes: -360 },
  { city: 'Denver', state: 'CO', zipPrefix: '802', utcOffsetMinutes: -420 },
  { city: 'Seattle', state: 'WA', zipPrefix: '981', utcOffsetMinutes: -480 },
  { city: 'Houston', state: 'TX', zipPrefix: '770', utcOffsetMinutes: -360 },
] as const;
