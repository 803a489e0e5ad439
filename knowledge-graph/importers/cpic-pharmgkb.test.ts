import { htmlToText, pharmgkbGuidelineRows } from './cpic-pharmgkb';
import { pharmgkbGuideline } from './test-support';

describe("CPIC guidelines in PharmGKB's guideline-annotation layout", () => {
  it('maps each recommendation to a Guideline row: text before "Other Considerations", the rest and unmatched implications as comments', () => {
    const rows = pharmgkbGuidelineRows(pharmgkbGuideline('XY', ['PA991', 'PA992']));
    expect(rows[0]).toEqual({
      index: 0,
      row: {
        id: 'cpic:pharmgkb:PA991',
        genes: ['GENEAXY', 'GENEBXY'],
        drug: { id: 'name:testdrug xy', name: 'testdrug XY', lower: 'testdrug xy', byName: true },
        phenotypes: JSON.stringify({ GENEAXY: 'Intermediate Metabolizer', GENEBXY: '2.0' }),
        lookupKey: JSON.stringify({ GENEAXY: 'Intermediate Metabolizer', GENEBXY: '2.0' }),
        recommendation: 'Reduce the starting dose by 50 % if "GENEAXY" activity < 1',
        classification: 'Strong',
        population: 'general',
        publishedYear: 2024,
        implications: JSON.stringify({ GENEAXY: 'Reduced activity', GENEBXY: 'Normal activity' }),
        comments: 'Dose | Level\n>= 10 mg | high\nMonitor.\nApplies to adults only',
        name: 'Annotation of CPIC Guideline for testdrug XY',
        url: 'https://www.pharmgkb.org/guidelineAnnotation/PA990000001',
        citations: ['PMID:99000001'],
      },
    });
    expect(rows[1]).toEqual({ index: 1, row: { skip: 'no drug (relatedChemicals[0].name)', code: 'MISSING_FIELD' } });
  });

  it('skips every recommendation of a guideline whose source is not CPIC (DPWG shares the layout)', () => {
    expect(pharmgkbGuidelineRows(pharmgkbGuideline('XY', ['PA991', 'PA992'], 'DPWG')).map((r) => r.row)).toEqual([
      { skip: 'guideline source "DPWG" is not CPIC', code: 'NOT_IMPORTED' },
      { skip: 'guideline source "DPWG" is not CPIC', code: 'NOT_IMPORTED' },
    ]);
  });

  it('skips a recommendation with an id that is not a PharmGKB id or a gene that is not an HGNC symbol', () => {
    const doc = pharmgkbGuideline('XY', ['991', 'PA992']);
    doc.recommendations[1] = { ...doc.recommendations[0]!, id: 'PA992', lookupKey: { 'bad gene': 'x' } } as never;
    expect(pharmgkbGuidelineRows(doc).map((r) => ('skip' in r.row ? r.row.code : r.row.id))).toEqual(['INVALID_IDENTIFIER', 'INVALID_GENE_SYMBOL']);
  });

  it('turns HTML into text lines, decoding numeric and named entities', () => {
    expect(htmlToText('<ul><li>a&#39;b</li><li>c&#x2265;d&nbsp;e</li></ul><p>x<br/>y &amp; z</p>')).toBe("- a'b\n- c≥d e\nx\ny & z");
  });
});
