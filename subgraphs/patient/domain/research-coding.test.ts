import type { ConditionRecord, ObservationRecord } from '../repository/patient-repository';
import { LOINC_CATALOGUE } from './loinc';
import type { ProcedureRecord } from '../repository/procedure-repository';
import { isWellFormedCode, researchClinicalStatus, researchCondition, researchObservation, researchProcedure } from './research-coding';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const FREE_TEXT = 'John Smith MRN 12345';

const observation = (overrides: Partial<ObservationRecord>): ObservationRecord => ({
  id: 'o1',
  patientId: 'p1',
  codeSystem: LOINC,
  code: '2093-3',
  display: FREE_TEXT,
  value: 213,
  unit: 'mg/dL',
  originalValue: 5.5,
  originalUnit: 'mmol/L',
  valueCode: null,
  valueString: null,
  normalised: true,
  flag: null,
  excludedReason: null,
  effectiveAt: '2026-10-01T09:00:00.000Z',
  ...overrides,
});

const condition = (system: string, code: string, clinicalStatus: string | null = 'active', verificationStatus: string | null = null): ConditionRecord => ({
  id: 'c1',
  patientId: 'p1',
  code: { system, code, display: FREE_TEXT },
  clinicalStatus,
  verificationStatus,
  onsetAt: null,
  abatementAt: null,
  recordedAt: null,
});

describe('isWellFormedCode', () => {
  it('accepts every LOINC code of the catalogue and smoking status, by shape and mod-10 check digit', () => {
    for (const code of [...LOINC_CATALOGUE.keys(), '72166-2']) expect([code, isWellFormedCode(LOINC, code)]).toEqual([code, true]);
  });

  it('refuses LOINC codes with a wrong check digit or another shape', () => {
    expect(['2093-4', '2093', '02093-3', '12345678-9', 'John Smith', ''].map((code) => isWellFormedCode(LOINC, code))).toEqual([false, false, false, false, false, false]);
  });

  it('accepts LOINC answer codes by shape (LA<digits>-<digit>)', () => {
    expect(['LA18978-9', 'LA15920-4', 'LA-1', 'LA18978'].map((code) => isWellFormedCode(LOINC, code))).toEqual([true, true, false, false]);
  });

  it('accepts SNOMED CT concept ids with a valid Verhoeff check digit and a concept partition', () => {
    // Type 2 diabetes, hypertension, myocardial infarction, ex-smoker, asthma.
    expect(['44054006', '38341003', '22298006', '8517006', '195967001'].map((code) => isWellFormedCode(SNOMED, code))).toEqual([true, true, true, true, true]);
  });

  it('refuses SNOMED CT ids with a wrong check digit, a description or relationship partition, or another shape', () => {
    // 44054007: check digit off by one; 12345: too short; 044054006: leading zero; 1234567013: a valid
    // Verhoeff digit but partition 01 (a description id, not a concept).
    expect(['44054007', '12345', '044054006', '1234567013', '4405 4006', 'John Smith'].map((code) => isWellFormedCode(SNOMED, code))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('accepts ICD-10 and ICD-10-CM codes by shape, and nothing in a system the hub does not know', () => {
    expect(['C43.9', 'E11', 'E11.65', 'S72.001A', 'U07.1'].map((code) => isWellFormedCode(ICD10CM, code))).toEqual([true, true, true, true, true]);
    expect(['C43.9', 'I10'].map((code) => isWellFormedCode(ICD10, code))).toEqual([true, true]);
    expect(['c43.9', 'C4', 'C43.12345', 'MRN 12345'].map((code) => isWellFormedCode(ICD10CM, code))).toEqual([false, false, false, false]);
    expect(isWellFormedCode('urn:hospital:local', '44054006')).toBe(false);
  });
});

describe('researchClinicalStatus', () => {
  it('keeps the FHIR condition-clinical codes and nothing else', () => {
    expect(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'].map(researchClinicalStatus)).toEqual([
      'active',
      'recurrence',
      'relapse',
      'inactive',
      'remission',
      'resolved',
    ]);
    expect(['Active', 'seen by Dr Jones', '', null].map(researchClinicalStatus)).toEqual([null, null, null, null]);
  });
});

describe('researchCondition', () => {
  it('gives the code and system with no display (the hub holds no SNOMED CT or ICD-10 text), never the display as sent', () => {
    expect(researchCondition(condition(SNOMED, '44054006'))).toEqual({ code: { system: SNOMED, code: '44054006', display: null }, clinicalStatus: 'active', verificationStatus: null });
    expect(researchCondition(condition(ICD10CM, 'C43.9', 'written by hand'))).toEqual({ code: { system: ICD10CM, code: 'C43.9', display: null }, clinicalStatus: null, verificationStatus: null });
  });

  it('gives the verification status only as a FHIR condition-ver-status code', () => {
    expect(researchCondition(condition(SNOMED, '22298006', 'resolved', 'refuted'))?.verificationStatus).toBe('refuted');
    expect(researchCondition(condition(SNOMED, '22298006', 'resolved', FREE_TEXT))?.verificationStatus).toBeNull();
  });

  it('leaves out a condition in an unknown system or with a code that is not well formed', () => {
    expect(researchCondition(condition('urn:hospital:local', 'diabetes'))).toBeNull();
    expect(researchCondition(condition(SNOMED, FREE_TEXT))).toBeNull();
  });
});

describe('researchObservation', () => {
  it("gives a catalogue quantity with the catalogue's display and canonical unit, never the display as sent", () => {
    expect(researchObservation(observation({}))).toEqual({
      code: '2093-3',
      system: LOINC,
      display: 'Cholesterol [Mass/volume] in Serum or Plasma',
      value: 213,
      unit: 'mg/dL',
      valueCode: null,
    });
  });

  it('leaves out a quantity outside the catalogue (its unit is as typed) or not in the canonical unit', () => {
    expect(researchObservation(observation({ code: '2339-0', unit: FREE_TEXT, normalised: false }))).toBeNull();
    expect(researchObservation(observation({ unit: 'mmol/L' }))).toBeNull();
  });

  it('gives a coded value as code and system only', () => {
    const smoking = observation({ code: '72166-2', value: null, unit: null, valueCode: { system: SNOMED, code: '8517006', display: FREE_TEXT } });
    expect(researchObservation(smoking)).toEqual({
      code: '72166-2',
      system: LOINC,
      display: null,
      value: null,
      unit: null,
      valueCode: { system: SNOMED, code: '8517006', display: null },
    });
  });

  it('leaves out a coded value that is not a well-formed SNOMED CT or LOINC answer code, and codes outside LOINC', () => {
    expect(researchObservation(observation({ code: '72166-2', value: null, unit: null, valueCode: { system: SNOMED, code: FREE_TEXT, display: null } }))).toBeNull();
    expect(researchObservation(observation({ codeSystem: 'urn:hospital:local', code: '2093-3' }))).toBeNull();
    expect(researchObservation(observation({ code: FREE_TEXT }))).toBeNull();
    expect(researchObservation(observation({ value: null, unit: null, valueCode: null }))).toBeNull();
  });

  it('leaves out a text-valued observation: its text (valueString) is free text, as notes and displays are', () => {
    // Synthea 3.3.0 writes valueString for 29554-3 "Procedure Narrative" and the PRAPARE address answer (56799-0).
    expect(researchObservation(observation({ code: '29554-3', value: null, unit: null, valueString: FREE_TEXT }))).toBeNull();
    expect(researchObservation(observation({ code: '56799-0', value: null, unit: null, valueString: '1086 Conroy Burg Suite 75' }))).toBeNull();
  });
});

describe('researchProcedure', () => {
  const procedure = (code: string, status = 'completed'): ProcedureRecord => ({
    id: 'p1',
    patientId: 'p1',
    code: { system: SNOMED, code, display: FREE_TEXT },
    status,
    performedAt: '2016-03-02T10:00:00.000Z',
  });

  it('gives a SNOMED CT procedure as code, system and status, never the display as sent', () => {
    expect(researchProcedure(procedure('415070008'))).toEqual({ code: { system: SNOMED, code: '415070008', display: null }, status: 'completed' });
  });

  it('leaves out a procedure whose code is not well-formed SNOMED CT or whose status is not an event-status code', () => {
    expect(researchProcedure(procedure(FREE_TEXT))).toBeNull();
    expect(researchProcedure({ ...procedure('415070008'), code: { system: 'http://www.ama-assn.org/go/cpt', code: '92928', display: null } })).toBeNull();
    expect(researchProcedure(procedure('415070008', FREE_TEXT))).toBeNull();
  });
});
