import { conditionsMatch, conditionTerm, evaluateTrialEligibility, rankTrialMatches, type PatientFacts, type TrialCriteria } from './trial-eligibility';

const SNOMED = 'http://snomed.info/sct';
const BRAF_V600E = 'chr7-140753336-A-T'; // GRCh38, BRAF c.1799T>A p.V600E
const EGFR_L858R = 'chr7-55191822-T-G'; // GRCh38, EGFR c.2573T>G p.L858R
const EGFR_T790M = 'chr7-55181378-C-T'; // GRCh38, EGFR c.2369C>T p.T790M

const ancAtLeast = (value: number) => ({ loinc: '751-8', name: 'Neutrophils', comparator: '>=' as const, value, unit: '10*3/uL', section: 'inclusion' as const });

function trial(overrides: Partial<TrialCriteria> = {}): TrialCriteria {
  return {
    nctId: 'NCT90000001',
    title: 'Dabrafenib plus trametinib in BRAF V600-mutant melanoma',
    phase: 'PHASE2',
    status: 'RECRUITING',
    minimumAgeYears: 18,
    maximumAgeYears: 75,
    sex: 'ALL',
    conditions: ['Melanoma'],
    requiredVariants: [{ id: 'BRAF:V600', gene: 'BRAF', name: 'V600' }],
    excludedVariants: [],
    labCriteria: [ancAtLeast(1.5)],
    ...overrides,
  };
}

function patient(overrides: Partial<PatientFacts> = {}): PatientFacts {
  return {
    ageYears: 45,
    sex: 'female',
    conditions: [{ code: '372244006', system: SNOMED, display: 'Malignant melanoma of skin' }],
    variantIds: [BRAF_V600E],
    variantKnowledge: [{ id: BRAF_V600E, gene: 'BRAF', encodes: ['BRAF:V600E', 'BRAF:V600'] }],
    latestLabs: new Map([['751-8', { value: 3.2, unit: '10*3/uL', effectiveAt: '2026-01-10T08:00:00Z' }]]),
    ...overrides,
  };
}

describe('evaluateTrialEligibility', () => {
  it('finds a BRAF V600E melanoma patient eligible for a BRAF V600 trial', () => {
    expect(evaluateTrialEligibility(patient(), trial())).toEqual({
      nctId: 'NCT90000001',
      status: 'ELIGIBLE',
      score: 1,
      genomicMatch: true,
      criteria: [
        { criterion: 'AGE', description: 'age 18–75 years', result: 'MET', reason: 'age 45 is within 18–75' },
        { criterion: 'CONDITION', description: 'condition is one of: Melanoma', result: 'MET', reason: 'patient condition "Malignant melanoma of skin" matches "Melanoma"' },
        { criterion: 'REQUIRED_VARIANT', description: 'carries one of: BRAF V600', result: 'MET', reason: `patient variant ${BRAF_V600E} encodes BRAF V600` },
        {
          criterion: 'LAB',
          description: 'Neutrophils (LOINC 751-8) ≥ 1.5 10*3/uL',
          result: 'MET',
          reason: 'the latest Neutrophils, 3.2 10*3/uL on 2026-01-10, meets ≥ 1.5 10*3/uL',
        },
      ],
    });
  });

  it('excludes an EGFR L858R lung cancer patient who also carries EGFR T790M', () => {
    const nsclc = patient({
      ageYears: 62,
      conditions: [{ code: '254637007', system: SNOMED, display: 'Non-small cell lung cancer' }],
      variantIds: [EGFR_L858R, EGFR_T790M],
      variantKnowledge: [
        { id: EGFR_L858R, gene: 'EGFR', encodes: ['EGFR:L858R'] },
        { id: EGFR_T790M, gene: 'EGFR', encodes: ['EGFR:T790M'] },
      ],
      latestLabs: new Map(),
    });
    const osimertinibNaive = trial({
      nctId: 'NCT90000002',
      title: 'First-generation EGFR TKI in EGFR-mutant NSCLC',
      maximumAgeYears: null,
      conditions: ['Non-small-cell Lung Cancer'],
      requiredVariants: [
        { id: 'EGFR:L858R', gene: 'EGFR', name: 'L858R' },
        { id: 'EGFR:exon 19 deletion', gene: 'EGFR', name: 'exon 19 deletion' },
      ],
      excludedVariants: [{ id: 'EGFR:T790M', gene: 'EGFR', name: 'T790M' }],
      labCriteria: [],
    });
    expect(evaluateTrialEligibility(nsclc, osimertinibNaive)).toEqual({
      nctId: 'NCT90000002',
      status: 'NOT_ELIGIBLE',
      score: 0.75,
      genomicMatch: true,
      criteria: [
        { criterion: 'AGE', description: 'age ≥ 18 years', result: 'MET', reason: 'age 62 is at least 18' },
        {
          criterion: 'CONDITION',
          description: 'condition is one of: Non-small-cell Lung Cancer',
          result: 'MET',
          reason: 'patient condition "Non-small cell lung cancer" matches "Non-small-cell Lung Cancer"',
        },
        {
          criterion: 'REQUIRED_VARIANT',
          description: 'carries one of: EGFR L858R, EGFR exon 19 deletion',
          result: 'MET',
          reason: `patient variant ${EGFR_L858R} encodes EGFR L858R`,
        },
        {
          criterion: 'EXCLUDED_VARIANT',
          description: 'carries none of: EGFR T790M',
          result: 'NOT_MET',
          reason: `patient variant ${EGFR_T790M} encodes EGFR T790M, which the trial excludes`,
        },
      ],
    });
  });

  it('finds a patient whose neutrophil count is below the threshold not eligible, and reads exclusion-section labs', () => {
    const neutropenic = patient({
      latestLabs: new Map([
        ['751-8', { value: 1.1, unit: '10*3/uL', effectiveAt: '2026-02-01T09:30:00Z' }],
        ['777-3', { value: 210, unit: '10*3/uL', effectiveAt: '2026-02-01T09:30:00Z' }],
      ]),
    });
    const plateletsBelow75Excluded = { loinc: '777-3', name: 'Platelets', comparator: '<' as const, value: 75, unit: '10*3/uL', section: 'exclusion' as const };
    expect(evaluateTrialEligibility(neutropenic, trial({ labCriteria: [ancAtLeast(1.5), plateletsBelow75Excluded] })).criteria.slice(-2)).toEqual([
      {
        criterion: 'LAB',
        description: 'Neutrophils (LOINC 751-8) ≥ 1.5 10*3/uL',
        result: 'NOT_MET',
        reason: 'the latest Neutrophils, 1.1 10*3/uL on 2026-02-01, does not meet ≥ 1.5 10*3/uL',
      },
      {
        criterion: 'LAB',
        description: 'excluded if Platelets (LOINC 777-3) < 75 10*3/uL',
        result: 'MET',
        reason: 'the latest Platelets, 210 10*3/uL on 2026-02-01, does not meet the exclusion < 75 10*3/uL',
      },
    ]);
    expect(evaluateTrialEligibility(neutropenic, trial()).status).toBe('NOT_ELIGIBLE');
  });

  it('is possibly eligible without genomic data, a lab result or an age, saying what is unknown', () => {
    const unknowns = patient({ ageYears: null, variantIds: null, variantKnowledge: [], latestLabs: new Map() });
    expect(evaluateTrialEligibility(unknowns, trial())).toEqual({
      nctId: 'NCT90000001',
      status: 'POSSIBLY_ELIGIBLE',
      score: 0.25,
      genomicMatch: false,
      criteria: [
        { criterion: 'AGE', description: 'age 18–75 years', result: 'UNKNOWN', reason: "the patient's age is unknown" },
        { criterion: 'CONDITION', description: 'condition is one of: Melanoma', result: 'MET', reason: 'patient condition "Malignant melanoma of skin" matches "Melanoma"' },
        { criterion: 'REQUIRED_VARIANT', description: 'carries one of: BRAF V600', result: 'UNKNOWN', reason: 'no genomic data for the patient' },
        { criterion: 'LAB', description: 'Neutrophils (LOINC 751-8) ≥ 1.5 10*3/uL', result: 'UNKNOWN', reason: 'no result for LOINC 751-8 (Neutrophils)' },
      ],
    });
  });

  it('finds a 16-year-old not eligible for an adult trial', () => {
    expect(evaluateTrialEligibility(patient({ ageYears: 16 }), trial()).criteria[0]).toEqual({
      criterion: 'AGE',
      description: 'age 18–75 years',
      result: 'NOT_MET',
      reason: 'age 16 is below the minimum of 18',
    });
    expect(evaluateTrialEligibility(patient({ ageYears: 76 }), trial()).criteria[0]?.reason).toBe('age 76 is above the maximum of 75');
  });

  it('finds a male patient not eligible for a female-only trial, and an unrecorded sex unknown', () => {
    const breast = trial({
      nctId: 'NCT90000003',
      sex: 'FEMALE',
      minimumAgeYears: null,
      maximumAgeYears: null,
      conditions: ['Breast Cancer'],
      requiredVariants: [],
      labCriteria: [],
    });
    const breastCancer = [{ code: '254837009', system: SNOMED, display: 'Malignant neoplasm of breast' }];
    expect(evaluateTrialEligibility(patient({ sex: 'male', conditions: breastCancer }), breast)).toEqual({
      nctId: 'NCT90000003',
      status: 'NOT_ELIGIBLE',
      score: 0.5,
      genomicMatch: false,
      criteria: [
        { criterion: 'SEX', description: 'female participants only', result: 'NOT_MET', reason: 'the patient is male; the trial enrols female participants only' },
        {
          criterion: 'CONDITION',
          description: 'condition is one of: Breast Cancer',
          result: 'MET',
          reason: 'patient condition "Malignant neoplasm of breast" matches "Breast Cancer"',
        },
      ],
    });
    expect(evaluateTrialEligibility(patient({ sex: null, conditions: breastCancer }), breast).criteria[0]?.result).toBe('UNKNOWN');
  });

  it('says which units differ instead of comparing a lab result in another unit', () => {
    const perMicrolitre = patient({ latestLabs: new Map([['751-8', { value: 3200, unit: '/uL', effectiveAt: '2026-01-10T08:00:00Z' }]]) });
    expect(evaluateTrialEligibility(perMicrolitre, trial()).criteria[3]).toEqual({
      criterion: 'LAB',
      description: 'Neutrophils (LOINC 751-8) ≥ 1.5 10*3/uL',
      result: 'UNKNOWN',
      reason: 'the latest Neutrophils result is in /uL, the criterion in 10*3/uL',
    });
  });

  it('compares an eGFR threshold with the latest eGFR by any creatinine equation', () => {
    const egfr = { loinc: '98979-8', name: 'eGFR', comparator: '>=' as const, value: 45, unit: 'mL/min/{1.73_m2}', section: 'inclusion' as const };
    const labs = new Map([
      ['98979-8', { value: 70, unit: 'mL/min/{1.73_m2}', effectiveAt: '2024-05-01' }],
      ['33914-3', { value: 38, unit: 'mL/min/{1.73_m2}', effectiveAt: '2026-01-02' }],
    ]);
    expect(evaluateTrialEligibility(patient({ latestLabs: labs }), trial({ labCriteria: [egfr] })).criteria[3]?.reason).toBe(
      'the latest eGFR, 38 mL/min/{1.73_m2} on 2026-01-02 (LOINC 33914-3), does not meet ≥ 45 mL/min/{1.73_m2}',
    );
  });

  // Issue 17: a patient with no variants was "possibly eligible, score 0.00" for genomic oncology trials.
  it('never calls a trial possibly eligible when no criterion is met: score 0 is INSUFFICIENT_DATA', () => {
    const genomicOnly = trial({ minimumAgeYears: null, maximumAgeYears: null, conditions: [], labCriteria: [] });
    expect(evaluateTrialEligibility(patient({ variantIds: null, variantKnowledge: [] }), genomicOnly)).toEqual({
      nctId: 'NCT90000001',
      status: 'INSUFFICIENT_DATA',
      score: 0,
      genomicMatch: false,
      criteria: [{ criterion: 'REQUIRED_VARIANT', description: 'carries one of: BRAF V600', result: 'UNKNOWN', reason: 'no genomic data for the patient' }],
    });
    expect(evaluateTrialEligibility(patient(), trial({ minimumAgeYears: null, maximumAgeYears: null, conditions: [], requiredVariants: [], labCriteria: [] }))).toMatchObject({
      status: 'INSUFFICIENT_DATA',
      score: 0,
      criteria: [],
    });
  });

  it('reports a patient without genomic variants matching none as not meeting the requirement', () => {
    expect(evaluateTrialEligibility(patient({ variantIds: [], variantKnowledge: [] }), trial()).criteria[2]).toEqual({
      criterion: 'REQUIRED_VARIANT',
      description: 'carries one of: BRAF V600',
      result: 'NOT_MET',
      reason: "none of the patient's 0 variants is or encodes BRAF V600",
    });
  });
});

describe('conditionsMatch', () => {
  const matches = (patientCondition: string, trialCondition: string) => conditionsMatch(conditionTerm(patientCondition), conditionTerm(trialCondition));

  it('matches the same disease written differently, or less specifically on either side', () => {
    expect(matches('Non-small cell lung carcinoma', 'Non-small-cell Lung Cancer')).toBe(true);
    expect(matches('Adenocarcinoma of lung (disorder)', 'NSCLC')).toBe(true);
    expect(matches('Non-small cell carcinoma of lung, TNM stage 1 (disorder)', 'Stage IV Non-Small Cell Lung Cancer')).toBe(true);
    expect(matches('Malignant tumor of colon', 'Metastatic Colorectal Cancer')).toBe(true);
    expect(matches('Malignant neoplasm of ovary', 'Ovarian Carcinoma')).toBe(true);
    expect(matches('Diabetes mellitus type 2', 'Type II Diabetes Mellitus')).toBe(true);
  });

  it('does not match different diseases, or a malignant with a non-malignant one', () => {
    expect(matches('Small cell carcinoma of lung', 'Non-small Cell Lung Cancer')).toBe(false);
    expect(matches('Chronic kidney disease stage 3', 'Renal Cell Carcinoma')).toBe(false);
    expect(matches('Type 1 diabetes mellitus', 'Type 2 Diabetes')).toBe(false);
    expect(matches('Malignant neoplasm of breast', 'Melanoma')).toBe(false);
    expect(matches('Malignant neoplastic disease', 'Melanoma')).toBe(false);
  });

  it('matches a generic cancer trial condition with any malignancy, "solid" excluding hematologic ones', () => {
    expect(matches('Malignant melanoma of skin', 'Advanced Solid Tumors')).toBe(true);
    expect(matches('Acute myeloid leukemia', 'Advanced Solid Tumors')).toBe(false);
    expect(matches('Acute myeloid leukaemia', 'Cancer')).toBe(true);
    expect(matches('Essential hypertension', 'Neoplasms')).toBe(false);
  });
});

describe('rankTrialMatches', () => {
  it('orders eligible before possibly eligible, then by score and NCT id, leaving out the not eligible and the genomically unmatched unless asked', () => {
    const trials = [
      trial({ nctId: 'NCT90000014', sex: 'MALE' }), // not eligible: the patient is female
      trial({ nctId: 'NCT90000013', labCriteria: [{ ...ancAtLeast(1.5), loinc: '777-3', name: 'Platelets', value: 100 }] }), // possibly, 3/4
      trial({ nctId: 'NCT90000012', labCriteria: [] }), // eligible, 3/3
      trial({ nctId: 'NCT90000011' }), // eligible, 4/4
      trial({ nctId: 'NCT90000010', requiredVariants: [], labCriteria: [{ ...ancAtLeast(1.5), loinc: '777-3', name: 'Platelets', value: 100 }] }), // possibly, 2/3
    ];
    const ranked = rankTrialMatches(patient(), trials).map(({ nctId, status, score }) => [nctId, status, score]);
    expect(ranked).toEqual([
      ['NCT90000011', 'ELIGIBLE', 1],
      ['NCT90000012', 'ELIGIBLE', 1],
      ['NCT90000013', 'POSSIBLY_ELIGIBLE', 0.75],
    ]);
    expect(rankTrialMatches(patient(), trials, { includeUnmatched: true }).map((m) => m.nctId)).toEqual(['NCT90000011', 'NCT90000012', 'NCT90000013', 'NCT90000010']);
    expect(rankTrialMatches(patient(), trials, { includeNotEligible: true }).at(-1)?.nctId).toBe('NCT90000014');
  });

  // Issue 17: ten genomic oncology trials listed as "possibly eligible, score 0.00" for a patient with no variants.
  it('lists no trial for a patient without genomic data unless asked for all, and then none with score 0 as possibly eligible', () => {
    const unsequenced = patient({ conditions: [], variantIds: null, variantKnowledge: [], latestLabs: new Map() });
    const genomicTrials = ['NCT90000021', 'NCT90000022', 'NCT90000023'].map((nctId) => trial({ nctId, minimumAgeYears: null, maximumAgeYears: null, labCriteria: [] }));
    const trials = [...genomicTrials, trial({ nctId: 'NCT90000024', requiredVariants: [] })];
    expect(rankTrialMatches(unsequenced, trials)).toEqual([]);
    const all = rankTrialMatches(unsequenced, trials, { includeUnmatched: true, includeNotEligible: true });
    expect(all.map(({ nctId, status, score, genomicMatch }) => [nctId, status, score, genomicMatch])).toEqual([
      ['NCT90000024', 'POSSIBLY_ELIGIBLE', 1 / 3, false], // age met; condition and neutrophils unknown
      ['NCT90000021', 'INSUFFICIENT_DATA', 0, false],
      ['NCT90000022', 'INSUFFICIENT_DATA', 0, false],
      ['NCT90000023', 'INSUFFICIENT_DATA', 0, false],
    ]);
    expect(all.filter((m) => m.score === 0 && m.status === 'POSSIBLY_ELIGIBLE')).toEqual([]);
  });
});
