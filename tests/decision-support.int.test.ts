import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { ageOn } from '../subgraphs/inference/domain/cardiovascular';
import { iwpcWarfarinDose } from '../subgraphs/inference/domain/warfarin';
import { testConfig, testNeo4j } from './support/config';
import { pharmcatBuiltVcf, pharmcatTestVcf } from './support/pharmcat-vcf';
import { collect, gql, settle, wsClient } from './support/graphql';

const log = createLogger('test', 'silent');
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const BRAF_V600E = 'GRCh38:7:140753336:A:T';
// Inside FBN1 (GRCh38 15:48408313-48645721, lib/contracts/reference/gene-coordinates.ts); an arbitrary SNV.
const FBN1_VARIANT = { chrom: '15', pos: 48500000, ref: 'C', alt: 'T', genotype: '0/1' };

/** A melanoma patient on clopidogrel, with lipids, two blood pressures (the newer one a typing error) and smoking. */
function bundle(suffix: string) {
  const ref = { reference: `urn:uuid:00000000-0000-4000-9000-${suffix}` };
  const entry = (n: number, resource: Record<string, unknown>) => ({ fullUrl: `urn:uuid:00000000-0000-4000-${8000 + n}-${suffix}`, resource: { id: `00000000-0000-4000-${8000 + n}-${suffix}`, ...resource } });
  const observation = (n: number, code: string, value: number, unit: string, at: string) =>
    entry(n, { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] }, subject: ref, effectiveDateTime: at,
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit } });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: ref.reference, resource: { resourceType: 'Patient', id: `00000000-0000-4000-9000-${suffix}`, identifier: [{ system: 'urn:test:mrn', value: `DS-${suffix}` }],
        name: [{ family: 'Franklin', given: ['Rosalind'] }], gender: 'male', birthDate: '1966-03-02',
        extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
          extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } }] }] } },
      entry(1, { resourceType: 'Condition', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C43.9', display: 'Malignant melanoma of skin, unspecified' }] }, subject: ref }),
      entry(2, { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: ref, authoredOn: '2026-01-10T09:00:00Z',
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }] } }),
      observation(3, '2093-3', 213, 'mg/dL', '2026-10-01T09:00:00Z'),
      observation(4, '2085-9', 50, 'mg/dL', '2026-10-01T09:00:00Z'),
      observation(5, '8480-6', 142, 'mm[Hg]', '2026-10-01T09:00:00Z'),
      observation(6, '8480-6', 1200, 'mm[Hg]', '2026-11-01T09:00:00Z'),
      observation(8, '8302-2', 178, 'cm', '2026-10-01T09:00:00Z'),
      observation(9, '29463-7', 82, 'kg', '2026-10-01T09:00:00Z'),
      entry(7, { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] }, subject: ref,
        effectiveDateTime: '2026-10-01T09:00:00Z', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '449868002' }] } }),
    ],
  };
}

/** Whether a payload has the expected shape (jest matchers evaluated with `equals`). */
function matchesShape(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}

describe('decision support through the gateway', () => {
  let hub: Hub;
  let gateway: string;
  let patientId: string;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    gateway = hub.gateway.url;
    const suffix = String(Date.now()).slice(-12);
    const ingest = await gql<{ ingestFhirBundle: { patientIds: string[]; rejected: unknown[] } }>(
      gateway,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds rejected { resource field reason } } }`,
      { bundle: bundle(suffix) },
    );
    expect(ingest.errors).toBeUndefined();
    expect(ingest.data!.ingestFhirBundle.rejected).toEqual([]);
    patientId = ingest.data!.ingestFhirBundle.patientIds[0]!;
    // CYP2C19 *2/*2, a poor metabolizer: PharmCAT's NamedAlleleMatcherCyp2c19Test.s2s2 VCF.
    const ingested = await gql(gateway, `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants } }`, { id: patientId, vcf: pharmcatBuiltVcf('CYP2C19 s2s2') });
    expect(ingested.errors).toBeUndefined();
    const calls = await gql(gateway, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, {
      id: patientId,
      calls: [{ chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' }, FBN1_VARIANT],
    });
    expect(calls.errors).toBeUndefined();
  });

  afterAll(async () => {
    await hub?.close();
  });

  it('excludes an implausible blood pressure with its reason and uses the previous one', async () => {
    const response = await gql<{ patient: { risk: { cardiovascular: { inputs: { systolicBp: number }; excludedValues: unknown[]; pce10y: number } } } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { risk { cardiovascular { pce10y inputs { systolicBp smoker } excludedValues { input value unit effectiveAt reason } } } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const cardiovascular = response.data!.patient.risk.cardiovascular;
    expect(cardiovascular.inputs).toEqual({ systolicBp: 142, smoker: true });
    expect(cardiovascular.excludedValues).toEqual([
      { input: 'systolicBp', value: 1200, unit: 'mm[Hg]', effectiveAt: '2026-11-01T09:00:00.000Z', reason: 'systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])' },
    ]);
  });

  it('recomputes risk with smoking stopped and blood pressure at target, giving absolute and relative change', async () => {
    const response = await gql<{ patient: { riskWhatIf: { changes: unknown[]; deltas: { measure: string; baseline: number; scenario: number; absoluteChange: number; relativeChange: number }[]; scenario: { inputs: unknown } } } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { riskWhatIf(changes: { stopSmoking: true, systolicBpTarget: 130 }) {
         changes { change applied description } deltas { measure baseline scenario absoluteChange relativeChange }
         scenario { inputs { systolicBp smoker onHypertensionTreatment } } } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const whatIf = response.data!.patient.riskWhatIf;
    expect(whatIf.changes).toEqual([
      { change: 'systolicBpTarget', applied: true, description: 'systolic blood pressure 142 → 130 mmHg, on treatment' },
      { change: 'stopSmoking', applied: true, description: 'smoking stopped' },
    ]);
    expect(whatIf.scenario.inputs).toEqual({ systolicBp: 130, smoker: false, onHypertensionTreatment: true });
    const pce = whatIf.deltas.find((d) => d.measure === 'pce10y')!;
    expect(pce.scenario).toBeLessThan(pce.baseline);
    expect(pce.absoluteChange).toBeCloseTo(pce.scenario - pce.baseline, 3);
    expect(pce.relativeChange).toBeCloseTo((pce.scenario - pce.baseline) / pce.baseline, 3);
    const bad = await gql(gateway, `query ($id: ID!) { patient(id: $id) { riskWhatIf(changes: { systolicBpTarget: 1200 }) { deltas { measure } } } }`, { id: patientId });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_RISK_INPUT' } });
    expect(bad.errors?.[0]?.message).toContain('changes.systolicBpTarget');
  });

  it('alerts on clopidogrel for a CYP2C19 poor metabolizer, with the CPIC recommendation and its source', async () => {
    const response = await gql<{ patient: { medicationAlerts: Record<string, unknown>[]; drugResponses: Record<string, unknown>[] } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) {
         medicationAlerts { severity drug { id name } medication genes phenotype recommendation }
         drugResponses { drug { id } drugName genes phenotype diplotypes recommendation strength population source sourceVersion citations currentMedication }
       } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const { medicationAlerts, drugResponses } = response.data!.patient;
    expect(medicationAlerts).toEqual([
      expect.objectContaining({
        severity: 'HIGH', drug: { id: '32968', name: 'clopidogrel' }, medication: 'clopidogrel 75 MG Oral Tablet', genes: ['CYP2C19'],
        phenotype: 'CYP2C19 Poor Metabolizer', recommendation: expect.stringMatching(/prasugrel|ticagrelor/),
      }),
    ]);
    const clopidogrel = drugResponses.filter((r) => r.drugName === 'clopidogrel');
    expect(clopidogrel).toHaveLength(1);
    expect(clopidogrel[0]).toMatchObject({ currentMedication: true, diplotypes: ['*2/*2'], source: 'CPIC', sourceVersion: expect.stringContaining('CPIC') });
    expect((clopidogrel[0]!.citations as string[]).some((c) => c.includes('PMID:35034351'))).toBe(true);
  });

  it('estimates a warfarin dose with the IWPC clinical algorithm when VKORC1 and CYP2C9 were not called, saying so', async () => {
    const response = await gql<{ patient: { warfarinDosing: { weeklyDoseMg: number; algorithm: string; inputs: Record<string, unknown>; missing: string[]; notes: string[] } } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { warfarinDosing { weeklyDoseMg dailyDoseMg algorithm missing notes source
         inputs { age heightCm weightKg race vkorc1 cyp2c9Diplotype enzymeInducer amiodarone } } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const dosing = response.data!.patient.warfarinDosing;
    const age = ageOn('1966-03-02', new Date());
    expect(dosing.inputs).toEqual({ age, heightCm: 178, weightKg: 82, race: 'WHITE', vkorc1: null, cyp2c9Diplotype: null, enzymeInducer: false, amiodarone: false });
    const expected = iwpcWarfarinDose({ age, heightCm: 178, weightKg: 82, race: 'WHITE', vkorc1Rs9923231: null, cyp2c9Diplotype: null, enzymeInducer: false, amiodarone: false });
    expect(dosing).toMatchObject({ algorithm: 'IWPC clinical', weeklyDoseMg: expected.weeklyDoseMg, missing: [] });
    expect(dosing.weeklyDoseMg).toBeGreaterThan(10);
    expect(dosing.notes.length).toBeGreaterThan(0);
  });

  it("ranks findings in the patient's own disease first, each with evidence level and a source record", async () => {
    const response = await gql<{ patient: { actionableFindings: { variant: { id: string }; level: string; matchedCondition: string | null; drugs: { name: string }[]; source: { name: string; recordId: string } }[] } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { actionableFindings(first: 100) {
         variant { id } gene evidenceFor level response disease matchedCondition drugs { name } source { name recordId url } } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const findings = response.data!.patient.actionableFindings;
    expect(findings.length).toBeGreaterThan(5);
    expect(findings[0]).toMatchObject({ variant: { id: BRAF_V600E }, level: 'A', matchedCondition: 'Malignant melanoma of skin, unspecified' });
    const firstOther = findings.findIndex((f) => f.matchedCondition === null);
    expect(findings.slice(0, firstOther).every((f) => f.matchedCondition !== null)).toBe(true);
    expect(findings.slice(firstOther).every((f) => f.matchedCondition === null)).toBe(true);
    expect(findings.every((f) => f.source.recordId && f.source.name)).toBe(true);
  });

  it('matches BRAF V600 melanoma trials with every criterion evaluated', async () => {
    const response = await gql<{ patient: { trialMatches: { trial: { nctId: string; title: string }; status: string; score: number; genomicMatch: boolean; criteria: { criterion: string; result: string; reason: string }[] }[] } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { trialMatches(first: 50) { trial { nctId title } status score genomicMatch criteria { criterion description result reason } } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const matches = response.data!.patient.trialMatches;
    const brim3 = matches.find((m) => m.trial.nctId === 'NCT01006980')!;
    expect(brim3).toMatchObject({ status: 'ELIGIBLE', score: 1 });
    expect(brim3.trial.title).toContain('BRIM 3');
    expect(brim3.criteria.map((c) => [c.criterion, c.result])).toEqual([['CONDITION', 'MET'], ['REQUIRED_VARIANT', 'MET']]);
    expect(matches.every((m) => m.status !== 'NOT_ELIGIBLE' && m.genomicMatch)).toBe(true);
  });

  /** A patient of bundle() (melanoma, on clopidogrel) with the given VCF. */
  async function patientWithVcf(file: string): Promise<string> {
    const suffix = `${Date.now()}${Math.floor(Math.random() * 10)}`.slice(-12);
    const ingest = await gql<{ ingestFhirBundle: { patientIds: string[] } }>(gateway, `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds } }`, { bundle: bundle(suffix) });
    expect(ingest.errors).toBeUndefined();
    const id = ingest.data!.ingestFhirBundle.patientIds[0]!;
    const ingested = await gql(gateway, `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants } }`, { id, vcf: file });
    expect(ingested.errors).toBeUndefined();
    return id;
  }

  const DRUG_RESPONSES = `query ($id: ID!) { patient(id: $id) {
    pharmacogenomics { gene status diplotype phenotype }
    medicationAlerts { severity drug { name } phenotype message }
    drugResponses { drugName genes phenotype diplotypes untestedGenes notes guidelineCitation currentMedication strength population
      recommendationsByPopulation { population classification recommendation implications { gene implication } comments phenotype } } } }`;
  interface Responses {
    patient: {
      pharmacogenomics: { gene: string; status: string; diplotype: string | null; phenotype: string }[];
      medicationAlerts: { severity: string; drug: { name: string }; phenotype: string; message: string }[];
      drugResponses: { drugName: string; phenotype: string; diplotypes: string[]; untestedGenes: string[]; notes: string[]; guidelineCitation: string | null; strength: string | null; population: string | null;
        recommendationsByPopulation: { population: string; classification: string; recommendation: string; implications: { gene: string; implication: string }[]; comments: string | null }[] }[];
    };
  }

  // Issue 17: a CYP2C19 *1/*2 patient saw three clopidogrel cards with conflicting advice and no indication.
  // CPIC 2022 (Lee CR et al., Clin Pharmacol Ther 2022;112:959, Table 2): intermediate metabolizer, advice per indication.
  it('shows a CYP2C19 *1/*2 patient one clopidogrel response, a section per CPIC indication with its classification', async () => {
    const id = await patientWithVcf(pharmcatBuiltVcf('CYP2C19 s1s2'));
    const response = await gql<Responses>(gateway, DRUG_RESPONSES, { id });
    expect(response.errors).toBeUndefined();
    const { drugResponses, medicationAlerts, pharmacogenomics } = response.data!.patient;
    expect(pharmacogenomics.find((p) => p.gene === 'CYP2C19')).toEqual({ gene: 'CYP2C19', status: 'CALLED', diplotype: '*1/*2', phenotype: 'Intermediate Metabolizer' });
    const clopidogrel = drugResponses.filter((r) => r.drugName === 'clopidogrel');
    expect(clopidogrel).toHaveLength(1);
    expect(clopidogrel[0]).toMatchObject({ phenotype: 'CYP2C19 Intermediate Metabolizer', diplotypes: ['*1/*2'], currentMedication: true, untestedGenes: [], strength: null, population: null });
    expect(clopidogrel[0]!.guidelineCitation).toContain('PMID:35034351');
    expect(clopidogrel[0]!.recommendationsByPopulation.map((p) => [p.population, p.classification, p.recommendation])).toEqual([
      ['CVI ACS PCI', 'Strong', 'Avoid standard dose (75 mg) clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.'],
      ['CVI non-ACS non-PCI', 'No Recommendation', 'No recommendation'],
      ['NVI', 'Moderate', 'Consider an alternative P2Y12 inhibitor at standard dose if clinically indicated and no contraindication.'],
    ]);
    expect(clopidogrel[0]!.recommendationsByPopulation[2]!.comments).toMatch(/^For neurovascular indications\./);
    expect(clopidogrel[0]!.recommendationsByPopulation[0]!.implications).toEqual([{ gene: 'CYP2C19', implication: expect.stringMatching(/^Reduced clopidogrel active metabolite formation/) }]);
    expect(medicationAlerts).toEqual([expect.objectContaining({ severity: 'HIGH', drug: { name: 'clopidogrel' }, message: expect.stringContaining('(CVI ACS PCI)') })]);
  });

  // Issue 17: a TPMT poor metabolizer without an NUDT15 result got "no CPIC recommendation". CPIC's thiopurine
  // guideline (Relling MV et al., Clin Pharmacol Ther 2019;105:1095) gives TPMT-only results their own rows.
  it('gives a TPMT poor metabolizer never genotyped for NUDT15 the CPIC recommendation for that result, naming NUDT15 untested', async () => {
    // PharmCAT's TPMT test VCF s3as3b.vcf (NamedAlleleMatcherTpmtTest.tpmts3as3b: *3A/*3B); no NUDT15 position in it.
    const id = await patientWithVcf(pharmcatTestVcf('TPMT/s3as3b.vcf'));
    const response = await gql<Responses>(gateway, DRUG_RESPONSES, { id });
    expect(response.errors).toBeUndefined();
    const { drugResponses, pharmacogenomics } = response.data!.patient;
    expect(pharmacogenomics.filter((p) => p.gene === 'TPMT' || p.gene === 'NUDT15')).toEqual([
      { gene: 'NUDT15', status: 'NOT_GENOTYPED', diplotype: null, phenotype: 'Not genotyped' },
      { gene: 'TPMT', status: 'CALLED', diplotype: '*3A/*3B', phenotype: 'Poor Metabolizer' },
    ]);
    // CYP2C19 and the other genes were not genotyped either: nothing for clopidogrel.
    expect(drugResponses.map((r) => r.drugName)).toEqual(['azathioprine', 'mercaptopurine', 'thioguanine']);
    const azathioprine = drugResponses[0]!;
    expect(azathioprine).toMatchObject({ phenotype: 'TPMT Poor Metabolizer; NUDT15 not genotyped', untestedGenes: ['NUDT15'], strength: 'Strong', population: 'general' });
    expect(azathioprine.notes).toEqual([expect.stringMatching(/^NUDT15 was not genotyped: this is CPIC's recommendation for TPMT Poor Metabolizer when no NUDT15 result is available/)]);
    expect(azathioprine.recommendationsByPopulation).toHaveLength(1);
    expect(azathioprine.recommendationsByPopulation[0]!.recommendation).toMatch(/^Based on TPMT status, for non-malignant conditions, consider alternative non-thiopurine immunosuppressant therapy\./);
    expect(azathioprine.recommendationsByPopulation[0]!.recommendation).toContain('NUDT15 genotype is not available.');
    expect(azathioprine.guidelineCitation).toContain('PMID:30447069');
  });

  // Issue 17: a patient with no variants was "possibly eligible, score 0.00" for ten genomic oncology trials.
  it('lists no trial for a patient without genomic data unless asked for all, and then none with score 0 as possibly eligible', async () => {
    const created = await gql<{ createPatient: { id: string } }>(gateway, `mutation { createPatient(input: { name: "Without Variants", birthDate: "1970-01-01", sex: FEMALE }) { id } }`);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPatient.id;
    const query = `query ($id: ID!, $all: Boolean!) { patient(id: $id) { trialMatches(includeUnmatched: $all, includeNotEligible: $all, first: 500) { trial { nctId } status score genomicMatch } } }`;
    const byDefault = await gql<{ patient: { trialMatches: { trial: { nctId: string }; status: string; score: number; genomicMatch: boolean }[] } }>(gateway, query, { id, all: false });
    expect(byDefault.errors).toBeUndefined();
    expect(byDefault.data!.patient.trialMatches).toEqual([]);
    const all = await gql<{ patient: { trialMatches: { trial: { nctId: string }; status: string; score: number; genomicMatch: boolean }[] } }>(gateway, query, { id, all: true });
    expect(all.errors).toBeUndefined();
    const matches = all.data!.patient.trialMatches;
    expect(matches.map((m) => m.trial.nctId)).toContain('NCT01006980');
    expect(matches.find((m) => m.trial.nctId === 'NCT01006980')).toEqual({ trial: { nctId: 'NCT01006980' }, status: 'INSUFFICIENT_DATA', score: 0, genomicMatch: false });
    expect(matches.filter((m) => m.score === 0 && m.status === 'POSSIBLY_ELIGIBLE')).toEqual([]);
    expect(matches.every((m) => !m.genomicMatch)).toBe(true);
  });

  it('ranks Marfan syndrome first for its phenotypes, boosted by the FBN1 variant, and names unknown HPO ids', async () => {
    const response = await gql<{ patient: { rareDiseaseCandidates: { candidates: { diseaseId: string; geneBoosted: boolean; matchedGenes: string[]; matches: { patientPhenotype: { id: string } }[] }[]; unknownPhenotypes: string[]; method: string } } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { rareDiseaseCandidates(phenotypes: ["HP:0001166", "HP:0001083", "HP:0002616", "HP:9999999"], first: 5) {
         candidates { diseaseId name score similarity geneBoosted matchedGenes matches { patientPhenotype { id name } diseasePhenotype { id name } commonAncestor { id } informationContent } }
         unknownPhenotypes method } } }`,
      { id: patientId },
    );
    expect(response.errors).toBeUndefined();
    const ranking = response.data!.patient.rareDiseaseCandidates;
    expect(ranking.unknownPhenotypes).toEqual(['HP:9999999']);
    expect(ranking.candidates[0]).toMatchObject({ diseaseId: 'OMIM:154700', geneBoosted: true, matchedGenes: ['FBN1'] });
    // The FBN1 call's zygosity reaches the ranking; the seed's Marfan syndrome states no mode of inheritance.
    const genotype = await gql<{ patient: { rareDiseaseCandidates: { candidates: { inheritance: { id: string }[]; genotypeNotes: string[] }[] } } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { rareDiseaseCandidates(phenotypes: ["HP:0001166", "HP:0001083"], first: 1) { candidates { inheritance { id } genotypeNotes } } } }`,
      { id: patientId },
    );
    expect(genotype.errors).toBeUndefined();
    expect(genotype.data!.patient.rareDiseaseCandidates.candidates).toEqual([
      { inheritance: [], genotypeNotes: ['FBN1: one heterozygous variant; the disease states no mode of inheritance, so counted'] },
    ]);
    expect(ranking.candidates[0]!.matches.map((m) => m.patientPhenotype.id).sort()).toEqual(['HP:0001083', 'HP:0001166', 'HP:0002616']);
    expect(ranking.method).toContain('Resnik');
    const malformed = await gql(gateway, `query ($id: ID!) { patient(id: $id) { rareDiseaseCandidates(phenotypes: ["seizures"]) { method } } }`, { id: patientId });
    expect(malformed.errors?.[0]).toMatchObject({ message: 'phenotypes: "seizures" is not an HPO id (HP: and 7 digits)', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('lists the negative findings a candidate disease shows as contradictions, without changing its score', async () => {
    type Ranking = { rareDiseaseCandidates: { candidates: { diseaseId: string; score: number; contradictions: { id: string; name: string }[] }[] } };
    const rank = (excluded: string[]) =>
      gql<{ patient: Ranking }>(
        gateway,
        `query ($id: ID!, $excluded: [ID!]) { patient(id: $id) { rareDiseaseCandidates(phenotypes: ["HP:0001166", "HP:0001083", "HP:0002616"], excludedPhenotypes: $excluded, first: 5) {
           candidates { diseaseId score contradictions { id name } } } } }`,
        { id: patientId, excluded },
      );
    const without = await rank([]);
    // Pectus excavatum is annotated to Marfan syndrome; Arachnodactyly is one of the patient's own phenotypes
    // (the patient cannot lack it), so it is ignored.
    const withNegatives = await rank(['HP:0000767', 'HP:0001166']);
    expect(without.errors).toBeUndefined();
    expect(withNegatives.errors).toBeUndefined();
    const marfan = withNegatives.data!.patient.rareDiseaseCandidates.candidates[0]!;
    expect(marfan).toMatchObject({ diseaseId: 'OMIM:154700', contradictions: [{ id: 'HP:0000767', name: 'Pectus excavatum' }] });
    expect(marfan.score).toBe(without.data!.patient.rareDiseaseCandidates.candidates[0]!.score);
    expect(without.data!.patient.rareDiseaseCandidates.candidates.every((c) => c.contradictions.length === 0)).toBe(true);
    const malformed = await gql(gateway, `query ($id: ID!) { patient(id: $id) { rareDiseaseCandidates(phenotypes: ["HP:0001166"], excludedPhenotypes: ["no pectus"]) { method } } }`, { id: patientId });
    expect(malformed.errors?.[0]).toMatchObject({ message: 'excludedPhenotypes: "no pectus" is not an HPO id (HP: and 7 digits)', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('pushes findingsUpdated when a variant arrives, and a de-identified cohortRiskUpdated when an observation does', async () => {
    const client = wsClient(gateway);
    const findings = collect<{ findingsUpdated: { patient: { id: string }; medicationAlerts: { severity: string }[]; actionableFindings: unknown[]; reason: string } }>(
      client,
      `subscription ($id: ID!) { findingsUpdated(patientId: $id) { patient { id } medicationAlerts { severity drug { name } } actionableFindings { variant { id } level } reason } }`,
      { id: patientId },
    );
    const cohort = collect<{ cohortRiskUpdated: Record<string, unknown> }>(
      client,
      `subscription { cohortRiskUpdated(filter: { sex: MALE, minAge: 50, maxAge: 70 }) { ageBand sex pce10y category year reason } }`,
      {},
    );
    try {
      await settle();
      await gql(gateway, `mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { genotype } }`, {
        id: patientId,
        calls: [{ chrom: '7', pos: 140753336, ref: 'A', alt: 'T', genotype: '1/1' }],
      });
      const update = await findings.next(5000);
      expect(update.data!.findingsUpdated).toMatchObject({ patient: { id: patientId }, medicationAlerts: [{ severity: 'HIGH' }], reason: 'genomics.variants.changed' });
      expect(update.data!.findingsUpdated.actionableFindings.length).toBeGreaterThan(0);

      // Research portals see only patients who consented to research.
      await gql(gateway, `mutation ($id: ID!) { recordResearchConsent(patientId: $id, granted: true) { granted } }`, { id: patientId });
      await gql(gateway, `mutation ($id: ID!, $input: ObservationInput!) { addObservation(patientId: $id, input: $input) { code } }`, {
        id: patientId,
        input: { code: '2093-3', value: 190, unit: 'mg/dL' },
      });
      // Other test files' patients share this database and may match the filter too: read until this
      // patient's update arrives (an observation event for a man of 60-64 with a computed risk).
      const expected = { ageBand: '60-64', sex: 'MALE', pce10y: expect.any(Number), category: expect.any(String), year: new Date().getUTCFullYear(), reason: 'patient.observation.added' };
      const received: Record<string, unknown>[] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !received.some((p) => matchesShape(p, expected))) {
        const message = await cohort.next(Math.max(1, deadline - Date.now())).catch(() => null);
        if (message) received.push(message.data!.cohortRiskUpdated);
      }
      expect(received).toContainEqual(expected);
      for (const payload of received) {
        expect(Object.keys(payload).sort()).toEqual(['ageBand', 'category', 'pce10y', 'reason', 'sex', 'year']);
        expect(JSON.stringify(payload)).not.toContain(patientId);
        expect(JSON.stringify(payload)).not.toContain('Franklin');
      }
    } finally {
      findings.dispose();
      cohort.dispose();
      await client.dispose();
    }
  });

  it('refuses a subscription to an unknown patient at subscribe time', async () => {
    const client = wsClient(gateway);
    const subscription = collect(client, `subscription { riskUpdated(patientId: "00000000-0000-4000-8000-000000000000") { reason } }`, {});
    try {
      const message = await subscription.next(5000).catch((error: unknown) => error);
      expect(JSON.stringify(message) + JSON.stringify(subscription.failure ?? null)).toContain('Patient \\"00000000-0000-4000-8000-000000000000\\" not found');
    } finally {
      subscription.dispose();
      await client.dispose();
    }
  });
});
