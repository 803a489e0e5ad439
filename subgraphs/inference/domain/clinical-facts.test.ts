import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { currentSmoker, diabetesCondition, hasDiabetes, isPresentCondition, onHypertensionTreatment } from './clinical-facts';

const snomed = (code: string) => ({ system: 'http://snomed.info/sct', code });

describe('currentSmoker', () => {
  it('reads the latest tobacco smoking status (LOINC 72166-2)', () => {
    expect(
      currentSmoker([
        { code: '72166-2', effectiveAt: '2020-01-01T00:00:00Z', valueCode: snomed('449868002') },
        { code: '72166-2', effectiveAt: '2025-01-01T00:00:00Z', valueCode: snomed('8517006') },
      ]),
    ).toBe(false);
    expect(currentSmoker([{ code: '72166-2', effectiveAt: '2025-01-01T00:00:00Z', valueCode: snomed('428041000124106') }])).toBe(true);
  });

  it('is missing without a recorded status or with "unknown"', () => {
    expect(currentSmoker([])).toBeNull();
    expect(currentSmoker([{ code: '72166-2', effectiveAt: '2025-01-01T00:00:00Z', valueCode: snomed('266927001') }])).toBeNull();
  });
});

describe('hasDiabetes', () => {
  it('finds an active SNOMED or ICD-10 diabetes diagnosis', () => {
    expect(hasDiabetes([{ code: snomed('44054006'), clinicalStatus: 'active' }])).toBe(true);
    expect(hasDiabetes([{ code: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }, clinicalStatus: 'active' }])).toBe(true);
  });

  it('is false for a problem list without it or with it resolved, and missing without a problem list', () => {
    expect(hasDiabetes([{ code: snomed('38341003'), clinicalStatus: 'active' }])).toBe(false);
    expect(hasDiabetes([{ code: snomed('44054006'), clinicalStatus: 'resolved' }])).toBe(false);
    expect(hasDiabetes([])).toBeNull();
  });

  // FHIR R4 ValueSet condition-ver-status: a refuted or entered-in-error diagnosis is no diagnosis.
  it('is false for a refuted or entered-in-error diabetes diagnosis, and finds an asserted one beside it', () => {
    expect(hasDiabetes([{ code: snomed('44054006'), clinicalStatus: 'active', verificationStatus: 'refuted' }])).toBe(false);
    expect(hasDiabetes([{ code: snomed('44054006'), clinicalStatus: 'active', verificationStatus: 'entered-in-error' }])).toBe(false);
    expect(hasDiabetes([{ code: snomed('44054006'), clinicalStatus: 'active', verificationStatus: 'provisional' }])).toBe(true);
    const refuted = { id: 'refuted', code: snomed('44054006'), clinicalStatus: 'active', verificationStatus: 'refuted' };
    const confirmed = { id: 'confirmed', code: snomed('46635009'), clinicalStatus: 'active', verificationStatus: 'confirmed' };
    expect(diabetesCondition([refuted, confirmed])?.id).toBe('confirmed');
  });
});

interface SyntheaBundle {
  entry: { resource: { resourceType: string; code?: { coding: { system: string; code: string }[] }; clinicalStatus?: { coding: { code: string }[] } } }[];
}

describe('hasDiabetes on real Synthea output', () => {
  // Synthea 3.3.0, seed 42 (tests/fixtures/synthea-3.3.0/SOURCE.md): Alda400's problem list holds Prediabetes
  // and "Disorder of kidney due to diabetes mellitus" (127013003), never 44054006.
  it('finds diabetes through a disorder due to diabetes, and not through prediabetes alone', () => {
    const file = path.join(__dirname, '../../../tests/fixtures/synthea-3.3.0/Alda400_Hilll811_b300716e-ae67-8d6f-d694-51d801881ce0.json.gz');
    const bundle: SyntheaBundle = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
    const conditions = bundle.entry
      .map((e) => e.resource)
      .filter((r) => r.resourceType === 'Condition')
      .map((r) => ({ code: { system: r.code!.coding[0]!.system, code: r.code!.coding[0]!.code }, clinicalStatus: r.clinicalStatus?.coding[0]?.code ?? null }));
    expect(conditions.some((c) => c.code.code === '44054006')).toBe(false);
    expect(hasDiabetes(conditions)).toBe(true);
    expect(hasDiabetes(conditions.filter((c) => c.code.code !== '127013003'))).toBe(false);
  });

  it('counts each disorder "due to diabetes" Synthea writes', () => {
    for (const code of ['127013003', '90781000119102', '157141000119108', '368581000119106', '1551000119108']) {
      expect(hasDiabetes([{ code: snomed(code), clinicalStatus: 'active' }])).toBe(true);
    }
    expect(hasDiabetes([{ code: snomed('15777000'), clinicalStatus: 'active' }])).toBe(false); // Prediabetes
  });
});

describe('isPresentCondition', () => {
  it('takes an active condition as present unless its diagnosis is refuted or entered in error', () => {
    expect(isPresentCondition({ clinicalStatus: 'active' })).toBe(true);
    expect(isPresentCondition({ clinicalStatus: 'active', verificationStatus: 'confirmed' })).toBe(true);
    expect(isPresentCondition({ clinicalStatus: 'active', verificationStatus: 'refuted' })).toBe(false);
    expect(isPresentCondition({ clinicalStatus: null, verificationStatus: 'entered-in-error' })).toBe(false);
  });
});

describe('onHypertensionTreatment', () => {
  const rx = (display: string, status = 'active') => ({ code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1', display }, status });

  it('recognises an active antihypertensive by its RxNorm name', () => {
    expect(onHypertensionTreatment([rx('lisinopril 10 MG Oral Tablet')])).toBe(true);
    expect(onHypertensionTreatment([rx('24 HR metoprolol succinate 50 MG Extended Release Oral Tablet')])).toBe(true);
  });

  it('is false when antihypertensives are stopped or absent, and missing without a medication list', () => {
    expect(onHypertensionTreatment([rx('lisinopril 10 MG Oral Tablet', 'stopped'), rx('atorvastatin 10 MG Oral Tablet')])).toBe(false);
    expect(onHypertensionTreatment([])).toBeNull();
  });
});
