import { drugResponses, isMedicationOf, type CpicRecommendation, type PgxCall } from './drug-response';

const clopidogrel = { id: '32968', name: 'clopidogrel' };
const fluorouracil = { id: '4492', name: 'fluorouracil' };

function rec(over: Partial<CpicRecommendation> & Pick<CpicRecommendation, 'id' | 'drug' | 'lookupKey'>): CpicRecommendation {
  return {
    name: 'CPIC guideline', url: 'https://cpicpgx.org/', phenotypes: over.lookupKey, recommendation: 'x', strength: 'Strong',
    population: 'general', citations: ['PMID:35034351'], source: 'CPIC', sourceVersion: 'v1.20.0', ...over,
  };
}

// CPIC 2022 clopidogrel recommendations (Lee et al., PMID:35034351), as the knowledge graph holds them.
const RECOMMENDATIONS: CpicRecommendation[] = [
  rec({ id: 'pm-acs', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Poor Metabolizer' }], population: 'CVI ACS PCI',
    recommendation: 'Avoid standard dose clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.' }),
  rec({ id: 'pm-nvi', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Poor Metabolizer' }], population: 'NVI', strength: 'Moderate',
    recommendation: 'Consider an alternative P2Y12 inhibitor.' }),
  rec({ id: 'nm', drug: clopidogrel, lookupKey: [{ gene: 'CYP2C19', phenotype: 'Normal Metabolizer' }], recommendation: 'Use standard dose.' }),
  rec({ id: 'dpyd-1.5', drug: fluorouracil, lookupKey: [{ gene: 'DPYD', phenotype: '1.5' }], strength: 'Moderate',
    phenotypes: [{ gene: 'DPYD', phenotype: 'Intermediate Metabolizer' }], recommendation: 'Reduce starting dose by 50%.' }),
];

const PM: PgxCall = { gene: 'CYP2C19', diplotype: '*2/*2', phenotype: 'Poor Metabolizer', activityScore: null };
const DPYD_IM: PgxCall = { gene: 'DPYD', diplotype: 'c.1905+1G>A/Reference', phenotype: 'Intermediate Metabolizer', activityScore: 1.5 };
const PLAVIX = { code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }, status: 'active' };

describe('pharmacogenomic drug response', () => {
  it('alerts once, at the highest severity, when a CYP2C19 poor metabolizer takes clopidogrel', () => {
    const { responses, alerts } = drugResponses([PM], RECOMMENDATIONS, [PLAVIX]);
    expect(responses.map((r) => [r.recommendationId, r.currentMedication, r.phenotype, r.diplotypes])).toEqual([
      ['pm-acs', true, 'CYP2C19 Poor Metabolizer', ['*2/*2']],
      ['pm-nvi', true, 'CYP2C19 Poor Metabolizer', ['*2/*2']],
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
    expect(normal.responses.map((r) => r.recommendationId)).toEqual(['nm']);
    expect(normal.alerts).toEqual([]);
  });

  it('looks DPYD up by activity score, as CPIC does', () => {
    expect(drugResponses([DPYD_IM], RECOMMENDATIONS, []).responses.map((r) => r.recommendationId)).toEqual(['dpyd-1.5']);
    expect(drugResponses([{ ...DPYD_IM, activityScore: 1 }], RECOMMENDATIONS, []).responses).toEqual([]);
  });

  it('matches nothing for an indeterminate or absent gene result', () => {
    expect(drugResponses([{ ...PM, phenotype: 'Indeterminate' }], RECOMMENDATIONS, [PLAVIX])).toEqual({ responses: [], alerts: [] });
    expect(drugResponses([], RECOMMENDATIONS, [PLAVIX])).toEqual({ responses: [], alerts: [] });
  });

  it('recognises a medication by ingredient CUI or by the ingredient name as a word', () => {
    expect(isMedicationOf({ code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '32968', display: null }, status: null }, clopidogrel)).toBe(true);
    expect(isMedicationOf(PLAVIX, clopidogrel)).toBe(true);
    expect(isMedicationOf({ code: { system: 'x', code: '1', display: 'Fluorouracil 50 MG/ML Injectable Solution' }, status: null }, fluorouracil)).toBe(true);
    expect(isMedicationOf({ code: { system: 'x', code: '1', display: 'declopidogrelate' }, status: null }, clopidogrel)).toBe(false);
  });
});
