/**
 * The LOINC codes a cohort can be filtered on (PatientFilter.observation): the hub's unit catalogue
 * (lib/loinc-catalogue.ts), each with the canonical UCUM unit its values are compared in.
 * The schema does not list the catalogue, so it is copied here; tests/dashboard.int.test.ts fails when
 * the two differ.
 */
export interface LabCode {
  code: string;
  label: string;
  unit: string;
}

export const LAB_CODES: readonly LabCode[] = [
  { code: '2093-3', label: 'Total cholesterol', unit: 'mg/dL' },
  { code: '2085-9', label: 'HDL cholesterol', unit: 'mg/dL' },
  { code: '13457-7', label: 'LDL cholesterol (calculated)', unit: 'mg/dL' },
  { code: '18262-6', label: 'LDL cholesterol (direct)', unit: 'mg/dL' },
  { code: '2571-8', label: 'Triglycerides', unit: 'mg/dL' },
  { code: '2345-7', label: 'Glucose (serum/plasma)', unit: 'mg/dL' },
  { code: '2339-0', label: 'Glucose (blood)', unit: 'mg/dL' },
  { code: '2160-0', label: 'Creatinine (serum/plasma)', unit: 'mg/dL' },
  { code: '38483-4', label: 'Creatinine (blood)', unit: 'mg/dL' },
  { code: '4548-4', label: 'HbA1c', unit: '%' },
  { code: '17856-6', label: 'HbA1c (HPLC)', unit: '%' },
  { code: '33914-3', label: 'eGFR (MDRD)', unit: 'mL/min/{1.73_m2}' },
  { code: '62238-1', label: 'eGFR (CKD-EPI)', unit: 'mL/min/{1.73_m2}' },
  { code: '98979-8', label: 'eGFR (CKD-EPI 2021)', unit: 'mL/min/{1.73_m2}' },
  { code: '48642-3', label: 'eGFR (MDRD, non-Black)', unit: 'mL/min/{1.73_m2}' },
  { code: '48643-1', label: 'eGFR (MDRD, Black)', unit: 'mL/min/{1.73_m2}' },
  { code: '8480-6', label: 'Systolic blood pressure', unit: 'mm[Hg]' },
  { code: '8462-4', label: 'Diastolic blood pressure', unit: 'mm[Hg]' },
  { code: '8867-4', label: 'Heart rate', unit: '/min' },
  { code: '39156-5', label: 'Body mass index', unit: 'kg/m2' },
  { code: '29463-7', label: 'Body weight', unit: 'kg' },
  { code: '8302-2', label: 'Body height', unit: 'cm' },
];

export const labCode = (code: string): LabCode | undefined => LAB_CODES.find((l) => l.code === code);
