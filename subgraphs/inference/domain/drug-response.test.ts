import { CPIC_GUIDELINES } from '../../../knowledge-graph/seed/curated/cpic-guidelines';
import { drugResponses, isMedicationOf, latestCitation, type CpicRecommendation, type PgxCall } from './drug-response';

const clopidogrel = { id: '32968', name: 'clopidogrel' };
const fluorouracil = { id: '4492', name: 'fluorouracil' };

function rec(over: Partial<CpicRecommendation> & Pick<CpicRecommendation, 'id' | 'drug' | 'lookupKey'>): CpicRecommendation {
  return {
    name: 'CPIC guideline', url: 'https://cpicpgx.org/', phenotypes: over.lookupKey, recommendation: 'x', strength: 'Strong',
    population: 'general', citations: ['PMID:35034351'], source: 'CPIC', sourceVersion: 'v1.20.0', ...over,
  };
}

// Shaped like CPIC 2022 clopidogrel recommendations (Lee et al., PMID:35034351), shortened.
const RECOMMENDATIONS: CpicRecommendation[] = [
  rec({ id: 'pm-acs', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Poor Metabolizer' }], population: 'CVI ACS PCI',
    recommendation: 'Avoid standard dose clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.' }),
  rec({ id: 'pm-nvi', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Poor Metabolizer' }], population: 'NVI', strength: 'Moderate',
    recommendation: 'Consider an alternative P2Y12 inhibitor.' }),
  rec({ id: 'nm', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Normal Metabolizer' }], recommendation: 'Use standard dose.' }),
  rec({ id: 'dpyd-1.5', drug: fluorouracil, lookupKey: [{ gene: 'DPYD', phenotype: '1.5' }], strength: 'Moderate',
    phenotypes: [{ gene: 'DPYD', phenotype: 'Intermediate Metabolizer' }], recommendation: 'Reduce starting dose by 50%.' }),
];

/**
 * CPIC's own recommendation table (CPIC database export v1.20.0 as PharmCAT bundles it, CC0; see the
 * header of knowledge-graph/seed/curated/cpic-guidelines.ts), shaped as the knowledge graph serves it.
 */
const gene = (o: Record<string, string>) => Object.entries(o).map(([g, phenotype]) => ({ gene: g, phenotype }));
const CPIC: CpicRecommendation[] = CPIC_GUIDELINES.map((g) => ({
  id: g.id,
  name: g.guidelineName,
  url: g.guidelineUrl,
  drug: { id: g.drug.rxnormCui ?? `name:${g.drug.name}`, name: g.drug.name },
  phenotypes: gene(g.phenotypes),
  lookupKey: gene(g.lookupKey),
  recommendation: g.recommendation,
  strength: g.classification,
  population: g.population,
  implications: Object.entries(g.implications).map(([symbol, implication]) => ({ gene: symbol, implication })),
  comments: g.comments ?? null,
  citations: g.citations.map((c) => `${c.title} (${c.year}). PMID:${c.pmid}`),
  source: 'CPIC',
  sourceVersion: g.sourceVersion,
}));

const PM: PgxCall = { gene: 'CYP2C19', diplotype: '*2/*2', phenotype: 'Poor Metabolizer', activityScore: null, status: 'CALLED' };
const DPYD_IM: PgxCall = { gene: 'DPYD', diplotype: 'c.1905+1G>A/Reference', phenotype: 'Intermediate Metabolizer', activityScore: 1.5 };
const PLAVIX = { code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }, status: 'active' };
const IMURAN = { code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1256', display: 'azathioprine' }, status: 'active' };
const notGenotyped = (symbol: string): PgxCall => ({ gene: symbol, diplotype: null, phenotype: 'Not genotyped', activityScore: null, status: 'NOT_GENOTYPED' });

describe('pharmacogenomic drug response', () => {
  it('gives one response per drug with its populations, and alerts once at the highest severity, naming the population', () => {
    const { responses, alerts } = drugResponses([PM], RECOMMENDATIONS, [PLAVIX]);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      drug: clopidogrel, currentMedication: true, phenotype: 'CYP2C19 Poor Metabolizer', diplotypes: ['*2/*2'], untestedGenes: [], notes: [],
      strength: null, population: null, recommendationId: 'pm-acs',
      recommendation: `CVI ACS PCI: ${RECOMMENDATIONS[0]!.recommendation} | NVI: Consider an alternative P2Y12 inhibitor.`,
    });
    expect(responses[0]!.recommendationsByPopulation.map((p) => [p.population, p.classification, p.recommendationId])).toEqual([
      ['CVI ACS PCI', 'Strong', 'pm-acs'],
      ['NVI', 'Moderate', 'pm-nvi'],
    ]);
    expect(alerts).toEqual([
      {
        severity: 'HIGH', drug: clopidogrel, medication: 'clopidogrel 75 MG Oral Tablet', genes: ['CYP2C19'], phenotype: 'CYP2C19 Poor Metabolizer',
        message: 'clopidogrel 75 MG Oral Tablet with CYP2C19 Poor Metabolizer (CVI ACS PCI): Avoid standard dose clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.',
        recommendation: RECOMMENDATIONS[0]!.recommendation, recommendationId: 'pm-acs',
      },
    ]);
  });

  it('gives recommendations without an alert when the drug is not a current medication, or the phenotype is normal', () => {
    expect(drugResponses([PM], RECOMMENDATIONS, [{ ...PLAVIX, status: 'stopped' }]).alerts).toEqual([]);
    const normal = drugResponses([{ ...PM, phenotype: 'Normal Metabolizer', diplotype: '*1/*1' }], RECOMMENDATIONS, [PLAVIX]);
    expect(normal.responses.map((r) => [r.recommendationId, r.population, r.strength])).toEqual([['nm', 'general', 'Strong']]);
    expect(normal.alerts).toEqual([]);
  });

  it('looks DPYD up by activity score, as CPIC does', () => {
    expect(drugResponses([DPYD_IM], RECOMMENDATIONS, []).responses.map((r) => r.recommendationId)).toEqual(['dpyd-1.5']);
    expect(drugResponses([{ ...DPYD_IM, activityScore: 1 }], RECOMMENDATIONS, []).responses).toEqual([]);
  });

  it('recommends nothing to a patient never genotyped, nor from a row written for another result', () => {
    expect(drugResponses([], RECOMMENDATIONS, [PLAVIX])).toEqual({ responses: [], alerts: [] });
    const never = ['CYP2C19', 'CYP2C9', 'DPYD', 'NUDT15', 'SLCO1B1', 'TPMT', 'VKORC1'].map(notGenotyped);
    expect(drugResponses(never, CPIC, [PLAVIX, IMURAN])).toEqual({ responses: [], alerts: [] });
    expect(drugResponses([{ ...PM, phenotype: 'Indeterminate', status: 'INDETERMINATE' }], RECOMMENDATIONS, [PLAVIX])).toEqual({ responses: [], alerts: [] });
  });

  it('recognises a medication by ingredient CUI or by the ingredient name as a word', () => {
    expect(isMedicationOf({ code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '32968', display: null }, status: null }, clopidogrel)).toBe(true);
    expect(isMedicationOf(PLAVIX, clopidogrel)).toBe(true);
    expect(isMedicationOf({ code: { system: 'x', code: '1', display: 'Fluorouracil 50 MG/ML Injectable Solution' }, status: null }, fluorouracil)).toBe(true);
    expect(isMedicationOf({ code: { system: 'x', code: '1', display: 'declopidogrelate' }, status: null }, clopidogrel)).toBe(false);
  });

  it('picks the latest publication of a guideline as its citation', () => {
    expect(latestCitation(['A (2011). PMID:1', 'C (2022). PMID:3', 'B (2013). PMID:2'])).toBe('C (2022). PMID:3');
    expect(latestCitation(['PMID:35034351'])).toBe('PMID:35034351');
    expect(latestCitation([])).toBeNull();
  });
});

describe("drug response on CPIC's published recommendations", () => {
  // Lee CR et al. CPIC guideline for CYP2C19 genotype and clopidogrel therapy: 2022 update. Clin Pharmacol
  // Ther 2022;112:959-967 (PMID:35034351), Table 2: *1/*2 is an intermediate metabolizer; the advice
  // differs by indication — ACS/PCI: avoid standard-dose clopidogrel (strong); non-ACS non-PCI
  // cardiovascular: no recommendation; neurovascular: consider an alternative P2Y12 inhibitor (moderate).
  it('shows a CYP2C19 *1/*2 patient one clopidogrel response with a section per indication', () => {
    const im: PgxCall = { gene: 'CYP2C19', diplotype: '*1/*2', phenotype: 'Intermediate Metabolizer', activityScore: null, status: 'CALLED' };
    const { responses, alerts } = drugResponses([im], CPIC, [PLAVIX]);
    expect(responses.map((r) => r.drug.name)).toEqual(['clopidogrel']);
    const [response] = responses;
    expect(response!.recommendationsByPopulation.map((p) => [p.population, p.classification, p.recommendation])).toEqual([
      ['CVI ACS PCI', 'Strong', 'Avoid standard dose (75 mg) clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.'],
      ['CVI non-ACS non-PCI', 'No Recommendation', 'No recommendation'],
      ['NVI', 'Moderate', 'Consider an alternative P2Y12 inhibitor at standard dose if clinically indicated and no contraindication.'],
    ]);
    expect(response!.recommendationsByPopulation[0]!.comments).toMatch(/^For cardiovascular indications of acute coronary syndrome \(ACS\) and\/or percutaneous coronary intervention \(PCI\)/);
    expect(response!.recommendationsByPopulation[0]!.implications).toEqual([
      { gene: 'CYP2C19', implication: 'Reduced clopidogrel active metabolite formation; increased on-treatment platelet reactivity; increased risk for adverse cardiac and cerebrovascular events' },
    ]);
    expect(response!.guidelineCitation).toBe('Clinical Pharmacogenetics Implementation Consortium Guideline for CYP2C19 Genotype and Clopidogrel Therapy: 2022 Update. (2022). PMID:35034351');
    expect(alerts.map((a) => [a.severity, a.message])).toEqual([
      ['HIGH', 'clopidogrel 75 MG Oral Tablet with CYP2C19 Intermediate Metabolizer (CVI ACS PCI): Avoid standard dose (75 mg) clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.'],
    ]);
  });

  // Relling MV et al. CPIC guideline for thiopurine dosing based on TPMT and NUDT15 genotypes: 2018
  // update. Clin Pharmacol Ther 2019;105:1095-1105 (PMID:30447069). CPIC's table has rows for a TPMT
  // phenotype with NUDT15 "No Result": a TPMT poor metabolizer without an NUDT15 result gets the TPMT-based
  // advice (non-malignant: consider an alternative; malignancy: drastically reduced doses), Strong.
  it('gives a TPMT poor metabolizer without an NUDT15 result the recommendation CPIC writes for it, saying NUDT15 is untested', () => {
    const tpmtPm: PgxCall = { gene: 'TPMT', diplotype: '*3A/*3A', phenotype: 'Poor Metabolizer', activityScore: null, status: 'CALLED' };
    for (const calls of [[tpmtPm, notGenotyped('NUDT15')], [tpmtPm]]) {
      const { responses, alerts } = drugResponses(calls, CPIC, [IMURAN]);
      expect(responses.map((r) => r.drug.name)).toEqual(['azathioprine', 'mercaptopurine', 'thioguanine']);
      const azathioprine = responses[0]!;
      expect(azathioprine).toMatchObject({
        genes: ['TPMT', 'NUDT15'], phenotype: 'TPMT Poor Metabolizer; NUDT15 not genotyped', diplotypes: ['*3A/*3A'], untestedGenes: ['NUDT15'],
        strength: 'Strong', population: 'general', recommendationId: 'cpic:azathioprine:NUDT15=No_Result-TPMT=Poor_Metabolizer:general',
        notes: ['NUDT15 was not genotyped: this is CPIC\'s recommendation for TPMT Poor Metabolizer when no NUDT15 result is available ("No Result" in CPIC\'s tables); a NUDT15 result can change it.'],
      });
      expect(azathioprine.recommendation).toMatch(/^Based on TPMT status, for non-malignant conditions, consider alternative non-thiopurine immunosuppressant therapy\. For malignancy, start with drastically reduced doses/);
      expect(azathioprine.recommendation).toContain('NUDT15 genotype is not available. If thiopurines are required and NUDT15 status is unknown, monitor closely for toxicity.');
      expect(azathioprine.guidelineCitation).toMatch(/2018 update\.? \(2018\)\. PMID:30447069$/);
      expect(alerts.map((a) => [a.severity, a.drug.name, a.phenotype])).toEqual([['HIGH', 'azathioprine', 'TPMT Poor Metabolizer; NUDT15 not genotyped']]);
    }
  });

  it('uses the two-gene row when NUDT15 was genotyped, and CPIC\'s Indeterminate row for an indeterminate TPMT', () => {
    const nudt15Nm: PgxCall = { gene: 'NUDT15', diplotype: '*1/*1', phenotype: 'Normal Metabolizer', activityScore: null, status: 'CALLED' };
    const tpmtPm: PgxCall = { gene: 'TPMT', diplotype: '*3A/*3A', phenotype: 'Poor Metabolizer', activityScore: null, status: 'CALLED' };
    const both = drugResponses([tpmtPm, nudt15Nm], CPIC, []).responses;
    expect(both.map((r) => [r.recommendationId, r.untestedGenes])).toEqual([
      ['cpic:azathioprine:NUDT15=Normal_Metabolizer-TPMT=Poor_Metabolizer:general', []],
      ['cpic:mercaptopurine:NUDT15=Normal_Metabolizer-TPMT=Poor_Metabolizer:general', []],
      ['cpic:thioguanine:NUDT15=Normal_Metabolizer-TPMT=Poor_Metabolizer:general', []],
    ]);
    const indeterminate: PgxCall = { gene: 'TPMT', diplotype: null, phenotype: 'Indeterminate', activityScore: null, status: 'INDETERMINATE' };
    const [azathioprine] = drugResponses([indeterminate, nudt15Nm], CPIC, [IMURAN]).responses;
    expect(azathioprine!.recommendationId).toBe('cpic:azathioprine:NUDT15=Normal_Metabolizer-TPMT=Indeterminate:general');
    expect(azathioprine!.recommendation).toContain('TPMT phenotype could not be assigned based on genotyping performed.');
  });
});
