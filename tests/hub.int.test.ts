import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { collect, gql, settle, wsClient } from './support/graphql';
import { exampleBundle } from '../subgraphs/patient/ingest/fixtures/example-bundle';
import { heartRateStream } from '../subgraphs/patient/ingest/fixtures/device-stream';
import type { Patient as FhirPatient } from '@medplum/fhirtypes';
import { EXAMPLE_RECORDS, vcf } from '../subgraphs/genomics/ingest/fixtures/vcf';
import { pooledCohortRisk } from '../subgraphs/inference/domain/pooled-cohort';
import { ageOn } from '../subgraphs/inference/domain/cardiovascular';

const log = createLogger('test', 'silent');

const CREATE_PATIENT = `
  mutation ($input: CreatePatientInput!) { createPatient(input: $input) { id name birthDate sex race identifiers { system value } } }`;
const ADD_OBSERVATION = `
  mutation ($id: ID!, $input: ObservationInput!) {
    addObservation(patientId: $id, input: $input) { code value unit originalValue originalUnit effectiveAt }
  }`;
const ADD_VARIANT_CALLS = `
  mutation ($id: ID!, $calls: [VariantCallInput!]!) { addVariantCalls(patientId: $id, calls: $calls) { variant { id } genotype zygosity } }`;
const PATIENT_ACROSS_FOUR_SUBGRAPHS = `
  query ($id: ID!) {
    patient(id: $id) {
      name
      observations { code value unit }
      variants { id gene { symbol } therapies { drug { name } evidenceLevel source } }
      risk { cardiovascular { pce10y missing } }
    }
  }`;
const THERAPY_PROVENANCE = `
  query ($id: ID!) { patient(id: $id) { variants { id therapies { source sourceRecordId sourceUrl sourceVersion citation } } } }`;

const uniqueMrn = () => `MRN-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe('the hub end to end', () => {
  let hub: Hub;
  let gateway: string;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    gateway = hub.gateway.url;
  });

  afterAll(async () => {
    await hub?.close();
  });

  async function createPatient(overrides: Record<string, unknown> = {}) {
    const mrn = uniqueMrn();
    const response = await gql<{ createPatient: { id: string } }>(gateway, CREATE_PATIENT, {
      input: {
        name: 'Grace Hopper',
        birthDate: '1968-04-12',
        sex: 'FEMALE',
        race: 'WHITE',
        identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: mrn }],
        ...overrides,
      },
    });
    expect(response.errors).toBeUndefined();
    return { id: response.data!.createPatient.id, mrn };
  }

  it('resolves one query across all four subgraphs on data stored through the gateway', async () => {
    const { id } = await createPatient();
    const observations = [
      { code: '2093-3', value: 5.5, unit: 'mmol/L', effectiveAt: '2026-01-10T09:00:00+01:00' },
      { code: '2085-9', value: 50, unit: 'mg/dL', effectiveAt: '2026-01-10T09:00:00+01:00' },
      { code: '8480-6', value: 128, unit: 'mm[Hg]', effectiveAt: '2026-01-11T08:30:00Z' },
    ];
    for (const input of observations) {
      const stored = await gql(gateway, ADD_OBSERVATION, { id, input });
      expect(stored.errors).toBeUndefined();
    }
    const calls = await gql(gateway, ADD_VARIANT_CALLS, {
      id,
      calls: [
        { chrom: 'chr7', pos: 140753336, ref: 'A', alt: 'T', genotype: '0/1' },
        { chrom: '2', pos: 1000, ref: 'G', alt: 'C', genotype: '1/1' },
      ],
    });
    expect(calls).toEqual({
      data: {
        addVariantCalls: [
          { variant: { id: 'GRCh38:7:140753336:A:T' }, genotype: '0/1', zygosity: 'HETEROZYGOUS' },
          { variant: { id: 'GRCh38:2:1000:G:C' }, genotype: '1/1', zygosity: 'HOMOZYGOUS_ALTERNATE' },
        ],
      },
    });

    const response = await gql<{ patient: { variants: { therapies: { evidenceLevel: string }[] }[] } }>(gateway, PATIENT_ACROSS_FOUR_SUBGRAPHS, { id });
    const provenance = await gql<{ patient: { variants: { therapies: Record<string, string | null>[] }[] } }>(gateway, THERAPY_PROVENANCE, { id });
    for (const therapy of provenance.data!.patient.variants[1]!.therapies) {
      // Every answer names its knowledge base, release and citation; CIViC's also its record.
      expect(therapy.sourceVersion).toEqual(expect.any(String));
      expect(therapy.citation!.length).toBeGreaterThan(10); // a PMID, or an abstract's reference
      if (therapy.source === 'CIViC') expect(therapy.sourceUrl).toMatch(/^https:\/\/civic\.genome\.wustl\.edu\/links\/evidence_items\/\d+$/);
    }
    const levels = response.data!.patient.variants[1]!.therapies.map((t) => t.evidenceLevel);
    expect(levels).toEqual([...levels].sort());
    expect(levels.length).toBeGreaterThan(20);
    expect(response).toEqual({
      data: {
        patient: {
          name: 'Grace Hopper',
          observations: [
            { code: '8480-6', value: 128, unit: 'mm[Hg]' },
            { code: '2085-9', value: 50, unit: 'mg/dL' },
            { code: '2093-3', value: 212.6575, unit: 'mg/dL' },
          ],
          variants: [
            { id: 'GRCh38:2:1000:G:C', gene: null, therapies: [] },
            {
              id: 'GRCh38:7:140753336:A:T',
              gene: { symbol: 'BRAF' },
              // The project's own seed and CIViC's evidence for V600E and for codon V600, which it encodes.
              therapies: expect.arrayContaining([
                { drug: { name: 'dabrafenib' }, evidenceLevel: 'A', source: 'Precision Hub curated seed' },
                { drug: { name: 'vemurafenib' }, evidenceLevel: 'A', source: 'Precision Hub curated seed' },
                { drug: { name: 'dabrafenib' }, evidenceLevel: 'A', source: 'CIViC' },
              ]),
            },
          ],
          risk: { cardiovascular: { pce10y: null, missing: ['onHypertensionTreatment', 'smoker', 'diabetes', 'onStatin', 'bmi', 'egfr'] } },
        },
      },
    });
  });

  // Latency is measured by bench/risk-updates.bench.ts (docs/benchmarks.md), not asserted here.
  it('delivers riskUpdated over graphql-ws after addObservation, with the patient name from another subgraph', async () => {
    const { id } = await createPatient({ name: 'Alan Turing', sex: 'MALE' });
    const client = wsClient(gateway);
    const subscription = collect<{ riskUpdated: unknown }>(
      client,
      `subscription ($id: ID!) {
         riskUpdated(patientId: $id) { patient { id name } risk { cardiovascular { inputs { systolicBp } missing } } reason }
       }`,
      { id },
    );
    try {
      await settle();
      await gql(gateway, ADD_OBSERVATION, { id, input: { code: '8480-6', value: 17.2, unit: 'kPa' } });
      const message = await subscription.next(5000);
      expect(message).toEqual({
        data: {
          riskUpdated: {
            patient: { id, name: 'Alan Turing' },
            risk: {
              cardiovascular: {
                inputs: { systolicBp: 129.011 },
                missing: ['totalCholesterol', 'hdlCholesterol', 'onHypertensionTreatment', 'smoker', 'diabetes', 'onStatin', 'bmi', 'egfr'],
              },
            },
            reason: 'patient.observation.added',
          },
        },
      });
    } finally {
      subscription.dispose();
      await client.dispose();
    }
  });

  it('ingests a FHIR bundle through the gateway and computes risk from the record it made', async () => {
    const suffix = String(Date.now()).slice(-12);
    const ingest = await gql<{ ingestFhirBundle: { patientIds: string[] } }>(
      gateway,
      `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds created updated skipped rejected { resource } skippedTypes { resourceType count } } }`,
      { bundle: exampleBundle(`MRN-E2E-${suffix}`, suffix) },
    );
    expect(ingest.errors).toBeUndefined();
    expect(ingest.data!.ingestFhirBundle).toMatchObject({ created: 11, updated: 0, skipped: 0, rejected: [], skippedTypes: [{ resourceType: 'Encounter', count: 1 }] });
    const [id] = ingest.data!.ingestFhirBundle.patientIds;

    const response = await gql(
      gateway,
      `query ($id: ID!) { patient(id: $id) {
         name sex race
         observations(latestOnly: true, code: "72166-2") { valueCode { code display } }
         conditions { code { system code display } clinicalStatus }
         medications { kind code { code display } status dosage }
         allergies { code { display } criticality categories }
         notes { title text }
         risk { cardiovascular { pce10y missing inputs { smoker diabetes onHypertensionTreatment onStatin systolicBp totalCholesterol } } }
       } }`,
      { id },
    );
    // The equation itself is tested against the published example; here: the record feeds it.
    const expected = pooledCohortRisk({
      age: ageOn('1961-12-10', new Date()),
      sex: 'FEMALE',
      race: 'AFRICAN_AMERICAN',
      totalCholesterol: 212.6575,
      hdlCholesterol: 50,
      systolicBp: 142,
      onHypertensionTreatment: true,
      smoker: true,
      diabetes: true,
    }).risk10y;
    expect(response).toEqual({
      data: {
        patient: {
          name: 'Ada Mae Lovelace',
          sex: 'FEMALE',
          race: 'BLACK_OR_AFRICAN_AMERICAN',
          observations: [{ valueCode: { code: '449868002', display: 'Smokes tobacco daily' } }],
          conditions: [{ code: { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }, clinicalStatus: 'active' }],
          medications: [{ kind: 'REQUEST', code: { code: '314076', display: 'lisinopril 10 MG Oral Tablet' }, status: 'active', dosage: '1 tablet daily' }],
          allergies: [{ code: { display: 'Allergy to penicillin' }, criticality: 'high', categories: ['medication'] }],
          notes: [{ title: 'Clinic note', text: 'Type 2 diabetes, on lisinopril. Denies chest pain.' }],
          risk: {
            cardiovascular: {
              pce10y: expected,
              // PREVENT also needs BMI and eGFR, which this record lacks.
              missing: ['bmi', 'egfr'],
              inputs: { smoker: true, diabetes: true, onHypertensionTreatment: true, onStatin: false, systolicBp: 142, totalCholesterol: 212.6575 },
            },
          },
        },
      },
    });
    expect(expected).toBeGreaterThan(10);
  });

  it('links a second source by demographics, shows the link, and undoes it through the gateway', async () => {
    const suffixA = String(Date.now()).slice(-12);
    const suffixB = String(Date.now() + 1).slice(-12).replace(/^./, '9');
    const a = exampleBundle(`MRN-A-${suffixA}`, suffixA);
    const b = exampleBundle(`MRN-B-${suffixB}`, suffixB);
    const patientA = a.entry![0]!.resource as FhirPatient;
    const patientB = b.entry![0]!.resource as FhirPatient;
    Object.assign(patientB, { name: [{ given: ['Ada'], family: 'Lovelace' }], telecom: patientA.telecom, address: patientA.address });
    const INGEST = `mutation ($bundle: JSON!) { ingestFhirBundle(bundle: $bundle) { patientIds linked { id sourcePatient rule score identifiers { value } } } }`;
    const first = await gql<{ ingestFhirBundle: { patientIds: string[] } }>(gateway, INGEST, { bundle: a });
    const second = await gql<{ ingestFhirBundle: { patientIds: string[]; linked: { id: string; score: number }[] } }>(gateway, INGEST, { bundle: b });
    const hubId = first.data!.ingestFhirBundle.patientIds[0];
    expect(second.data!.ingestFhirBundle).toMatchObject({
      patientIds: [hubId],
      linked: [{ sourcePatient: `Patient/${patientB.id}`, rule: 'name+birthDate+sex+phone+address', identifiers: [{ value: `MRN-B-${suffixB}` }] }],
    });
    const linkId = second.data!.ingestFhirBundle.linked[0]!.id;

    const unlinked = await gql(gateway, `mutation ($id: ID!) { unlinkPatient(linkId: $id) { name identifiers { value } conditions { code { code } } } }`, { id: linkId });
    expect(unlinked).toEqual({
      data: { unlinkPatient: { name: 'Ada Lovelace', identifiers: [{ value: `MRN-B-${suffixB}` }], conditions: [{ code: { code: '44054006' } }] } },
    });
    const after = await gql(gateway, `query ($id: ID!) { patient(id: $id) { identifiers { value } links { id unlinkedAt } } }`, { id: hubId });
    expect(after).toEqual({
      data: { patient: { identifiers: [{ value: `MRN-A-${suffixA}` }], links: [{ id: linkId, unlinkedAt: expect.any(String) }] } },
    });
  });

  it('takes a wearable stream through addObservations, idempotently', async () => {
    const { id } = await createPatient();
    const stream = heartRateStream(`gw-${id}`, 500);
    const ADD = `mutation ($id: ID!, $obs: [JSON!]!) { addObservations(patientId: $id, observations: $obs) { created updated skipped rejected { resource } } }`;
    expect(await gql(gateway, ADD, { id, obs: stream })).toEqual({ data: { addObservations: { created: 500, updated: 0, skipped: 0, rejected: [] } } });
    expect(await gql(gateway, ADD, { id, obs: stream })).toEqual({ data: { addObservations: { created: 0, updated: 0, skipped: 500, rejected: [] } } });
    const latest = await gql(gateway, `query ($id: ID!) { patient(id: $id) { observations(code: "8867-4", latestOnly: true) { value unit effectiveAt } } }`, { id });
    expect(latest).toEqual({ data: { patient: { observations: [{ value: 74, unit: '/min', effectiveAt: '2026-01-01T08:19:00.000Z' }] } } });
  });

  it('ingests a VCF through the gateway and joins its variants to knowledge-graph evidence', async () => {
    const { id } = await createPatient();
    const ingest = await gql(
      gateway,
      `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { records variants skipped rejected { line reason } sample build } }`,
      { id, vcf: vcf(EXAMPLE_RECORDS) },
    );
    expect(ingest).toEqual({ data: { ingestVcf: { records: 5, variants: 5, skipped: 1, rejected: [], sample: 'TUMOR', build: 'GRCh38' } } });
    const response = await gql<{ patient: { variantCalls: { variant: { id: string; gene: { symbol: string } | null } }[] } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { variantCalls { variant { id gene { symbol } proteinChange } zygosity depth alleleFraction filter source } } }`,
      { id },
    );
    const braf = response.data!.patient.variantCalls.find((c) => c.variant.id === 'GRCh38:7:140753336:A:T');
    expect(braf).toEqual({
      variant: { id: 'GRCh38:7:140753336:A:T', gene: { symbol: 'BRAF' }, proteinChange: 'p.V600E' },
      zygosity: 'HETEROZYGOUS',
      depth: 120,
      alleleFraction: 0.4167,
      filter: 'PASS',
      source: 'vcf:TUMOR',
    });
    const filtered = await gql(
      gateway,
      `query ($id: ID!) { patient(id: $id) {
         braf: variants(filter: { gene: "BRAF" }) { id }
         clinical: variants(filter: { clinicalOnly: true }) { id }
         highQuality: variants(filter: { minQuality: 100 }) { id }
         firstTwo: variants(first: 2) { id }
         nextTwo: variants(first: 2, after: "GRCh38:12:25245351:C:A") { id }
         nextTwoCalls: carriedCalls(first: 2, after: "GRCh38:12:25245351:C:A") { variant { id } zygosity geneSymbol }
       } }`,
      { id },
    );
    expect(filtered).toEqual({
      data: {
        patient: {
          braf: [{ id: 'GRCh38:7:140753336:A:T' }],
          clinical: [{ id: 'GRCh38:10:94781859:G:A' }, { id: 'GRCh38:12:25245351:C:A' }, { id: 'GRCh38:12:25245351:C:T' }, { id: 'GRCh38:7:140753336:A:T' }],
          highQuality: [{ id: 'GRCh38:10:94781859:G:A' }, { id: 'GRCh38:7:140753336:A:T' }],
          // ordered by id, byte by byte: "GRCh38:10:" sorts before "GRCh38:1:"
          firstTwo: [{ id: 'GRCh38:10:94781859:G:A' }, { id: 'GRCh38:12:25245351:C:A' }],
          nextTwo: [{ id: 'GRCh38:12:25245351:C:T' }, { id: 'GRCh38:1:1000:CAG:C' }],
          // The same page as the calls: zygosity and the call's gene.
          nextTwoCalls: [
            { variant: { id: 'GRCh38:12:25245351:C:T' }, zygosity: 'HETEROZYGOUS', geneSymbol: 'KRAS' },
            { variant: { id: 'GRCh38:1:1000:CAG:C' }, zygosity: expect.any(String), geneSymbol: null },
          ],
        },
      },
    });
    const cohort = await gql<{ gene: { symbol: string; variantsInCohort: { patients: number; variants: number } } }>(
      gateway,
      `{ gene(symbol: "CYP2C19") { symbol variantsInCohort { patients variants } } }`,
    );
    expect(cohort.data!.gene.symbol).toBe('CYP2C19');
    expect(cohort.data!.gene.variantsInCohort.patients).toBeGreaterThanOrEqual(1);

    const refused = await gql(gateway, `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants rejected { line reason } } }`, {
      id,
      vcf: 'not a vcf',
    });
    expect(refused).toEqual({ data: { ingestVcf: { variants: 0, rejected: [{ line: 1, reason: 'VCF line 1: missing ##fileformat=VCFv4.x header: not a VCF file' }] } } });
  });

  it('calls CYP2C19 *2/*17 from a VCF and lists what it could not call', async () => {
    const { id } = await createPatient();
    const gt = (pos: number, ref: string, alt: string, genotype: string) => ['chr10', pos, '.', ref, alt, 500, 'PASS', '.', 'GT', genotype];
    const file = vcf(
      [
        gt(94761900, 'C', 'T', '0/1'), // rs12248560, *17
        gt(94762706, 'A', 'G', '0/0'), // rs28399504, *4
        gt(94775367, 'A', 'G', '0/1'), // rs12769205, on *2
        gt(94780653, 'G', 'A', '0/0'), // rs4986893, *3
        gt(94781859, 'G', 'A', '0/1'), // rs4244285, *2
        gt(94842866, 'A', 'G', '1/1'), // rs3758581, on every allele but *38
      ],
      { header: ['##fileformat=VCFv4.2', '##reference=GRCh38', '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">'], samples: ['S1'] },
    );
    await gql(gateway, `mutation ($id: ID!, $vcf: String!) { ingestVcf(patientId: $id, vcf: $vcf) { variants } }`, { id, vcf: file });
    const response = await gql<{ patient: { pharmacogenomics: { gene: string; status: string; diplotype: string | null; phenotype: string; missingPositions: string[] }[] } }>(
      gateway,
      `query ($id: ID!) { patient(id: $id) { pharmacogenomics { gene status diplotype phenotype activityScore missingPositions source } } }`,
      { id },
    );
    const results = response.data!.patient.pharmacogenomics;
    const cyp2c19 = results.find((r) => r.gene === 'CYP2C19')!;
    expect(cyp2c19).toMatchObject({ status: 'CALLED', diplotype: '*2/*17', phenotype: 'Intermediate Metabolizer' });
    // The six positions the file has are called; the rarer alleles' positions it lacks are listed.
    expect(cyp2c19.missingPositions).not.toContain('GRCh38:10:94781859 (rs4244285)');
    expect(cyp2c19.missingPositions).toContain('GRCh38:10:94762760 (rs17882687)');
    // No call at any TPMT position: not genotyped, which is not a test result.
    const tpmt = results.find((r) => r.gene === 'TPMT')!;
    expect(tpmt).toMatchObject({ status: 'NOT_GENOTYPED', phenotype: 'Not genotyped', diplotype: null });
    expect(tpmt.missingPositions).toContain('GRCh38:6:18130687 (rs1142345)');
  });

  it('computes the published PREVENT example through the gateway', async () => {
    // Khan et al. 2024, supplemental Table S25 / the AHA's worked example: a 50-year-old woman,
    // total cholesterol 200, HDL 45, treated SBP 160, diabetes, BMI 35, eGFR 90, no statin, non-smoker.
    const response = await gql(
      gateway,
      `query ($input: RiskInput!) { cardiovascularRisk(input: $input) { prevent { cvd10y ascvd10y hf10y cvd30y ascvd30y hf30y } models { name } } }`,
      {
        input: {
          age: 50,
          sex: 'FEMALE',
          race: 'OTHER',
          totalCholesterol: 200,
          hdlCholesterol: 45,
          systolicBp: 160,
          onHypertensionTreatment: true,
          smoker: false,
          diabetes: true,
          bmi: 35,
          egfr: 90,
          onStatin: false,
        },
      },
    );
    expect(response).toEqual({
      data: {
        cardiovascularRisk: {
          prevent: { cvd10y: 14.7, ascvd10y: 9.2, hf10y: 8.1, cvd30y: 53, ascvd30y: 35.4, hf30y: 39 },
          models: [{ name: 'Pooled Cohort Equations' }, { name: 'AHA PREVENT equations (base model)' }],
        },
      },
    });
  });

  it('computes the published Pooled Cohort example through the gateway', async () => {
    const response = await gql(
      gateway,
      `query ($input: RiskInput!) { cardiovascularRisk(input: $input) { pce10y category missing notApplicableReasons model { name version } } }`,
      {
        input: {
          age: 55,
          sex: 'FEMALE',
          race: 'AFRICAN_AMERICAN',
          totalCholesterol: 213,
          hdlCholesterol: 50,
          systolicBp: 120,
          onHypertensionTreatment: false,
          smoker: false,
          diabetes: false,
        },
      },
    );
    expect(response).toEqual({
      data: {
        cardiovascularRisk: {
          pce10y: 3,
          category: 'LOW',
          missing: ['onStatin', 'bmi', 'egfr'],
          notApplicableReasons: [],
          model: { name: 'Pooled Cohort Equations', version: '2013 ACC/AHA' },
        },
      },
    });
  });

  it('finds a patient by MRN through the Relay connection', async () => {
    const { id, mrn } = await createPatient();
    const response = await gql(
      gateway,
      `query ($mrn: String!) { patients(filter: { identifier: $mrn }, first: 5) { totalCount edges { node { id identifiers { value } } } pageInfo { hasNextPage } } }`,
      { mrn },
    );
    expect(response).toEqual({
      data: {
        patients: { totalCount: 1, edges: [{ node: { id, identifiers: [{ value: mrn }] } }], pageInfo: { hasNextPage: false } },
      },
    });
  });

  it('serves GraphiQL from the package, without a CDN', async () => {
    const response = await fetch(gateway, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('Precision Hub — clinical decision support, not a medical device');
    expect(html).not.toContain('unpkg.com');
  });

  describe('bad input', () => {
    it('answers an unknown patient id with null, and refuses writes to it with PATIENT_NOT_FOUND', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await gql(gateway, `query ($id: ID!) { patient(id: $id) { name } }`, { id: unknown })).toEqual({ data: { patient: null } });
      const write = await gql(gateway, ADD_OBSERVATION, { id: unknown, input: { code: '2093-3', value: 200, unit: 'mg/dL' } });
      expect(write.data).toBeNull();
      expect(write.errors?.[0]?.extensions?.code).toBe('PATIENT_NOT_FOUND');
      expect(write.errors?.[0]?.message).toContain(unknown);
      const calls = await gql(gateway, ADD_VARIANT_CALLS, { id: unknown, calls: [{ chrom: '1', pos: 5, ref: 'A', alt: 'C' }] });
      expect(calls.errors?.[0]?.extensions?.code).toBe('PATIENT_NOT_FOUND');
    });

    it('refuses a 50 MB bundle at the gateway with a clear error, and stays up', async () => {
      const big = {
        resourceType: 'Bundle',
        type: 'collection',
        entry: Array.from({ length: 60_000 }, (_, i) => ({ resource: { resourceType: 'Basic', id: String(i), code: { text: 'x'.repeat(800) } } })),
      };
      const response = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { created } }', variables: { b: big } }),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: expect.stringMatching(/^Request body of \d+ bytes exceeds the limit of 16777216 bytes\.$/),
            extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 16777216, actual: expect.any(Number), requestId: expect.any(String) },
          },
        ],
      });
      expect(await gql(gateway, `{ __typename }`)).toEqual({ data: { __typename: 'Query' } });
    });

    it('rejects a malformed variant id with the expected shape', async () => {
      const response = await gql(gateway, `{ variant(id: "BRAF V600E") { id } }`);
      expect(response.data).toEqual({ variant: null });
      expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_VARIANT_ID');
      expect(response.errors?.[0]?.message).toContain('expected GRCh38:<chrom>:<pos>:<ref>:<alt>');
    });

    it('rejects a unit that does not fit the LOINC code and stores nothing', async () => {
      const { id } = await createPatient();
      const response = await gql(gateway, ADD_OBSERVATION, { id, input: { code: '2093-3', value: 5, unit: 'mm[Hg]' } });
      expect(response.errors?.[0]?.extensions?.code).toBe('UNIT_NOT_ALLOWED');
      expect(response.errors?.[0]?.message).toContain('"mm[Hg]" unknown for LOINC 2093-3');
      const after = await gql(gateway, `query ($id: ID!) { patient(id: $id) { observations { code } } }`, { id });
      expect(after).toEqual({ data: { patient: { observations: [] } } });
    });

    it('rejects a batch of variant calls whole when one call is bad', async () => {
      const { id } = await createPatient();
      const response = await gql(gateway, ADD_VARIANT_CALLS, {
        id,
        calls: [
          { chrom: '1', pos: 100, ref: 'A', alt: 'C' },
          { chrom: '1', pos: 200, ref: 'A', alt: 'A' },
        ],
      });
      expect(response.errors?.[0]?.message).toBe('calls[1] alt: ALT equals REF ("A")');
      const after = await gql(gateway, `query ($id: ID!) { patient(id: $id) { variants { id } } }`, { id });
      expect(after).toEqual({ data: { patient: { variants: [] } } });
    });
  });

  it('answers every health endpoint', async () => {
    for (const service of [hub.patient, hub.genomics, hub.knowledgeGraph, hub.inference, hub.gateway]) {
      const response = await fetch(service.url.replace(/\/graphql$/, '/health'));
      expect(response.status).toBe(200);
    }
    const body = await (await fetch(hub.knowledgeGraph.url.replace(/\/graphql$/, '/health'))).json();
    expect(body).toEqual({ status: 'ok', checks: { neo4j: 'ok' } });
  });
});

describe('a subgraph that is down', () => {
  it('gives partial data with an error on its fields, not a failed request', async () => {
    const hub = await startHub(testConfig(), testNeo4j(), log);
    try {
      const created = await gql<{ createPatient: { id: string } }>(hub.gateway.url, CREATE_PATIENT, {
        input: { name: 'Rosalind Franklin', identifiers: [{ system: 'urn:mrn', value: uniqueMrn() }] },
      });
      const id = created.data!.createPatient.id;
      await gql(hub.gateway.url, ADD_VARIANT_CALLS, { id, calls: [{ chrom: '12', pos: 25245351, ref: 'C', alt: 'A' }] });
      await hub.knowledgeGraph.close();

      const response = await gql(hub.gateway.url, `query ($id: ID!) { patient(id: $id) { name variants { id gene { symbol } } } }`, {
        id,
      });
      expect(response.data).toEqual({ patient: { name: 'Rosalind Franklin', variants: [{ id: 'GRCh38:12:25245351:C:A', gene: null }] } });
      expect(response.errors?.[0]?.path?.slice(0, 2)).toEqual(['patient', 'variants']);
      expect(response.errors?.[0]?.path).toContain('gene');
      // The hub's own code for an unreachable dependency (gateway/subgraph-deadline.ts), naming the subgraph.
      expect(response.errors?.[0]?.extensions).toEqual(expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE', serviceName: 'knowledge-graph' }));
    } finally {
      await hub.close();
    }
  });
});

