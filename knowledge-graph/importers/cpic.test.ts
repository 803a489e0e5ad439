import fs from 'node:fs';
import path from 'node:path';
import { guidelineRow, type GuidelineRow } from './cpic';

/** CPIC's export (v1.20.0, as PharmCAT bundles it): see fixtures/cpic/SOURCE.md. */
const CPIC = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/cpic/pharmcat-drugs-excerpt.json'), 'utf8')) as Record<
  string,
  { drugid: string; drugname: string; guidelinename: string; url: string; recommendations: Record<string, unknown>[] }
>;

/** A recommendation as CPIC's API returns it (`recommendation?select=*,drug(name),guideline(name,url)`); the id is the test's. */
function apiRow(drug: string, index: number, id: number): unknown {
  const d = CPIC[drug]!;
  return { id, drugid: d.drugid, drug: { name: d.drugname }, guideline: { name: d.guidelinename, url: d.url }, ...d.recommendations[index] };
}

describe('CPIC recommendation rows', () => {
  // Lee CR et al., Clin Pharmacol Ther 2022;112:959-967: clopidogrel's advice differs by indication (population).
  it("keeps CPIC's population, classification, implications and comments, trimming the population", () => {
    const rows = CPIC.clopidogrel!.recommendations.map((_, i) => guidelineRow(apiRow('clopidogrel', i, 900 + i)) as GuidelineRow);
    expect(rows.map((r) => [r.population, r.classification])).toEqual([
      ['CVI non-ACS non-PCI', 'No Recommendation'],
      ['CVI ACS PCI', 'Strong'],
      ['NVI', 'Moderate'],
    ]);
    expect(rows[1]).toEqual({
      id: 'cpic:recommendation:901',
      genes: ['CYP2C19'],
      drug: { id: '32968', name: 'clopidogrel', lower: 'clopidogrel', byName: false },
      phenotypes: JSON.stringify({ CYP2C19: 'Intermediate Metabolizer' }),
      lookupKey: JSON.stringify({ CYP2C19: 'Intermediate Metabolizer' }),
      recommendation: 'Avoid standard dose (75 mg) clopidogrel if possible. Use prasugrel or ticagrelor at standard dose if no contraindication.',
      classification: 'Strong',
      population: 'CVI ACS PCI',
      publishedYear: null,
      implications: JSON.stringify({
        CYP2C19: 'Reduced clopidogrel active metabolite formation; increased on-treatment platelet reactivity; increased risk for adverse cardiac and cerebrovascular events',
      }),
      comments:
        'For cardiovascular indications of acute coronary syndrome (ACS) and/or percutaneous coronary intervention (PCI). ACS and/or PCI includes patients undergoing PCI for an ACS or non-ACS (elective) indication.',
      name: 'CYP2C19 and Clopidogrel',
      url: 'https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/',
      citations: [],
    });
  });

  // Relling MV et al., Clin Pharmacol Ther 2019;105:1095-1105: CPIC keys a missing NUDT15 result as "No Result".
  it('keeps a "No Result" gene in the lookup key, as CPIC writes it', () => {
    const row = guidelineRow(apiRow('azathioprine', 0, 950)) as GuidelineRow;
    expect(JSON.parse(row.lookupKey)).toEqual({ NUDT15: 'No Result', TPMT: 'Poor Metabolizer' });
    expect(row.genes.sort()).toEqual(['NUDT15', 'TPMT']);
    expect(JSON.parse(row.implications)).toMatchObject({ NUDT15: 'n/a' });
  });
});
