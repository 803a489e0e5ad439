/**
 * Issue 17 through the real patient and inference subgraphs behind the gateway: a patient with established
 * ASCVD gets no primary-prevention percentage and the reason; a patient with creatinine but no eGFR gets
 * PREVENT on an eGFR derived by CKD-EPI 2021, shown with its formula and inputs; every input is dated; a
 * completed revascularisation procedure is established ASCVD; a refuted diagnosis is none.
 * Bundles: tests/fixtures/synthea (Synthea-shaped, Synthea's codes; see SOURCE.md there).
 */
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { ageOn } from '../subgraphs/inference/domain/cardiovascular';
import { ckdEpi2021Creatinine } from '../subgraphs/inference/domain/egfr';
import { MAX_AGE_DAYS } from '../subgraphs/inference/domain/input-freshness';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';
import { freshSyntheaBundle } from './support/synthea-fixture';

const log = createLogger('test', 'silent');

const RISK = `query ($id: ID!) { patient(id: $id) {
  conditions { id code { code } verificationStatus }
  procedures { id code { system code display } status performedAt }
  observations { id code }
  risk { cardiovascular {
    pce10y category missing notApplicableReasons staleInputs notes asOf
    prevent { cvd10y ascvd10y hf10y }
    inputs { age egfr totalCholesterol }
    applicability { model applicable reason causedBy { resourceType id system code display onsetAt recordedAt performedAt } }
    datedInputs { input value unit display effectiveAt source sourceId ageDays maxAgeDays stale
      derivation { formula citation inputs { name value unit effectiveAt sourceId } } }
  } } } }`;

interface Dated {
  input: string;
  value: number | null;
  unit: string | null;
  effectiveAt: string | null;
  source: string;
  sourceId: string | null;
  ageDays: number | null;
  maxAgeDays: number | null;
  stale: boolean;
  derivation: { formula: string; citation: string; inputs: { name: string; value: number; unit: string; effectiveAt: string; sourceId: string | null }[] } | null;
}
interface RiskResponse {
  patient: {
    conditions: { id: string; code: { code: string }; verificationStatus: string | null }[];
    procedures: { id: string; code: { system: string; code: string; display: string | null }; status: string; performedAt: string | null }[];
    observations: { id: string; code: string }[];
    risk: { cardiovascular: {
      pce10y: number | null; category: string | null; missing: string[]; notApplicableReasons: string[]; staleInputs: string[]; notes: string[]; asOf: string;
      prevent: { cvd10y: number | null } | null; inputs: { age: number; egfr: number | null; totalCholesterol: number };
      applicability: { model: string; applicable: boolean; reason: string | null; causedBy: Record<string, string | null> | null }[];
      datedInputs: Dated[];
    } };
  };
}

describe('risk applicability, dated inputs and derived eGFR through the gateway', () => {
  let hub: Hub;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
  });

  afterAll(async () => {
    await hub?.close();
  });

  async function ingest(file: string): Promise<string> {
    const response = await gql<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(
      hub.gateway.url,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { resource field reason } } }`,
      { bundle: freshSyntheaBundle(file) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.ingestFhirBundle.rejected).toEqual([]);
    return response.data!.ingestFhirBundle.patientIds[0]!;
  }

  async function risk(id: string) {
    const response = await gql<RiskResponse>(hub.gateway.url, RISK, { id });
    expect(response.errors).toBeUndefined();
    return response.data!.patient;
  }

  it('gives a patient with coronary heart disease and a prior MI no percentage, naming the condition and its date', async () => {
    const patient = await risk(await ingest('chd-prior-mi.json'));
    const cv = patient.risk.cardiovascular;
    const chd = patient.conditions.find((c) => c.code.code === '53741008')!;
    expect(cv).toMatchObject({ pce10y: null, prevent: null, category: 'SECONDARY_PREVENTION', missing: [] });
    const causedBy = { resourceType: 'Condition', id: chd.id, system: 'http://snomed.info/sct', code: '53741008', display: 'Coronary Heart Disease', onsetAt: '2012-05-03T13:12:44.000Z', recordedAt: '2012-05-03T13:12:44.000Z', performedAt: null };
    expect(cv.applicability).toEqual([
      { model: 'PCE', applicable: false, causedBy,
        reason: 'secondary prevention, established ASCVD — coronary heart disease: Coronary Heart Disease (SNOMED CT 53741008), onset 2012-05-03; the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)' },
      { model: 'PREVENT', applicable: false, causedBy,
        reason: 'established ASCVD — coronary heart disease: Coronary Heart Disease (SNOMED CT 53741008), onset 2012-05-03; PREVENT was derived in adults without known cardiovascular disease, ASCVD or heart failure (Khan et al., Circulation 2024)' },
    ]);
    expect(cv.notApplicableReasons).toEqual([`PCE: ${cv.applicability[0]!.reason}`, `PREVENT: ${cv.applicability[1]!.reason}`]);
    // The lipids are from 2020 (the newest of 2017 and 2020): used, dated, flagged stale.
    const tc = cv.datedInputs.find((d) => d.input === 'totalCholesterol')!;
    const tcObservation = patient.observations.filter((o) => o.code === '2093-3');
    expect(tc).toMatchObject({ value: 219.6, unit: 'mg/dL', effectiveAt: '2020-02-03T14:48:02.000Z', source: 'Observation', stale: true, maxAgeDays: MAX_AGE_DAYS.totalCholesterol });
    expect(tcObservation.map((o) => o.id)).toContain(tc.sourceId);
    expect(cv.staleInputs).toEqual(['totalCholesterol', 'hdlCholesterol', 'systolicBp', 'bmi', 'smoker']);
    expect(cv.notes[0]).toMatch(/^Computed with stale inputs, used and flagged: total cholesterol of 2020-02-03 \(\d+\.\d years old; maximum 5\.0 years\);/);
    expect(cv.inputs.age).toBe(ageOn('1958-07-14', new Date(cv.asOf)));
  });

  it('gives a patient whose only ASCVD record is a completed PCI procedure no percentage, naming the procedure', async () => {
    const patient = await risk(await ingest('pci-no-ascvd-condition.json'));
    const cv = patient.risk.cardiovascular;
    // Stored as the bundle sent them: the PCI (completed) and a CABG that was not done.
    expect(patient.procedures.map((p) => [p.code.code, p.status, p.performedAt])).toEqual([
      ['415070008', 'completed', '2019-04-11T18:02:37.000Z'],
      ['232717009', 'not-done', '2014-02-10T13:30:00.000Z'],
    ]);
    expect(patient.conditions.map((c) => c.code.code)).toEqual(['59621000']); // hypertension only
    const pci = patient.procedures[0]!;
    const causedBy = { resourceType: 'Procedure', id: pci.id, system: 'http://snomed.info/sct', code: '415070008', display: 'Percutaneous coronary intervention (procedure)', onsetAt: null, recordedAt: null, performedAt: '2019-04-11T18:02:37.000Z' };
    expect(cv).toMatchObject({ pce10y: null, prevent: null, category: 'SECONDARY_PREVENTION' });
    expect(cv.applicability).toEqual([
      { model: 'PCE', applicable: false, causedBy,
        reason: 'secondary prevention, established ASCVD — coronary or peripheral revascularisation: Percutaneous coronary intervention (procedure) (SNOMED CT 415070008), performed 2019-04-11; the Pooled Cohort Equations estimate a first ASCVD event in adults without ASCVD (2019 ACC/AHA primary prevention guideline)' },
      { model: 'PREVENT', applicable: false, causedBy,
        reason: 'established ASCVD — coronary or peripheral revascularisation: Percutaneous coronary intervention (procedure) (SNOMED CT 415070008), performed 2019-04-11; PREVENT was derived in adults without known cardiovascular disease, ASCVD or heart failure (Khan et al., Circulation 2024)' },
    ]);
  });

  it('computes a primary-prevention estimate for a patient whose myocardial infarction was refuted', async () => {
    const patient = await risk(await ingest('refuted-mi.json'));
    const cv = patient.risk.cardiovascular;
    expect(patient.conditions.find((c) => c.code.code === '22298006')?.verificationStatus).toBe('refuted');
    expect(cv.applicability.map((a) => [a.model, a.applicable, a.causedBy])).toEqual([['PCE', true, null], ['PREVENT', true, null]]);
    expect(cv.pce10y).toEqual(expect.any(Number));
    expect(cv.prevent?.cvd10y).toEqual(expect.any(Number));
    expect(['LOW', 'BORDERLINE', 'INTERMEDIATE', 'HIGH']).toContain(cv.category);
    expect(cv.missing).toEqual([]);
  });

  it('gives a creatinine-only patient PREVENT on an eGFR derived by CKD-EPI 2021, with the creatinine it came from', async () => {
    const patient = await risk(await ingest('creatinine-only.json'));
    const cv = patient.risk.cardiovascular;
    const creatinine = patient.observations.find((o) => o.code === '2160-0')!;
    const drawn = '2026-10-14T12:31:57.000Z';
    const expected = Math.round(ckdEpi2021Creatinine(0.9, ageOn('1968-02-11', new Date(drawn)), 'FEMALE'));
    expect(cv.missing).toEqual([]);
    expect(cv.inputs.egfr).toBe(expected);
    expect(cv.prevent?.cvd10y).toEqual(expect.any(Number));
    expect(cv.pce10y).toEqual(expect.any(Number));
    expect(cv.applicability.map((a) => a.applicable)).toEqual([true, true]);
    const egfr = cv.datedInputs.find((d) => d.input === 'egfr')!;
    expect(egfr).toMatchObject({
      value: expected, unit: 'mL/min/{1.73_m2}', effectiveAt: drawn, source: 'Derived', sourceId: null, maxAgeDays: 365,
      stale: (Date.parse(cv.asOf) - Date.parse(drawn)) / 86_400_000 > 365,
      derivation: {
        formula: 'CKD-EPI 2021 creatinine (race-free)',
        citation: 'Inker LA et al., N Engl J Med 2021;385:1737-49',
        inputs: [
          { name: 'creatinine', value: 0.9, unit: 'mg/dL', effectiveAt: drawn, sourceId: creatinine.id },
          { name: 'age', value: 58, unit: 'a', effectiveAt: drawn, sourceId: expect.any(String) },
        ],
      },
    });
    expect(cv.notes).toContain(`eGFR ${expected} derived by CKD-EPI 2021 creatinine (race-free) from creatinine 0.9 mg/dL of 2026-10-14 (Inker LA et al., N Engl J Med 2021;385:1737-49)`);
  });

  it('takes established ASCVD stated to the calculator', async () => {
    const response = await gql<{ cardiovascularRisk: Record<string, unknown> }>(
      hub.gateway.url,
      `query ($input: RiskInput!) { cardiovascularRisk(input: $input) { pce10y category prevent { cvd10y } applicability { model applicable } asOf datedInputs { input } } }`,
      { input: { age: 60, sex: 'MALE', race: 'WHITE', totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120, onHypertensionTreatment: false, smoker: false, diabetes: false, establishedAscvd: true } },
    );
    expect(response).toEqual({
      data: { cardiovascularRisk: { pce10y: null, category: 'SECONDARY_PREVENTION', prevent: null, asOf: null, datedInputs: [],
        applicability: [{ model: 'PCE', applicable: false }, { model: 'PREVENT', applicable: false }] } },
    });
  });
});
