import { finiteNumberProblem, firstProblem, geneSymbolProblem, hpoIdProblem, MAX_FIELD_TEXT, MAX_LONG_TEXT, nctIdProblem, textProblem } from './record-checks';

describe('record checks for knowledge-base records', () => {
  it.each(['BRAF', 'HLA-A', 'NKX2-1', 'MT-ND1', 'C1orf112', 'CXorf38', 'CYP2C19', 'KMT2A'])('accepts the HGNC symbol %s', (symbol) => {
    expect(geneSymbolProblem('gene', symbol)).toBeNull();
  });

  it.each([
    ['EML4::ALK', 'a fusion written as one symbol'],
    ['braf', 'lower case'],
    ['BRAF V600E', 'a space'],
    ['BRAF-', 'a trailing hyphen'],
    ['7SK', 'a leading digit'],
    ['BRAF\u0000', 'a NUL byte'],
    ['A'.repeat(31), 'longer than any HGNC symbol'],
  ])('refuses %j as a gene symbol (%s) with INVALID_GENE_SYMBOL', (symbol) => {
    expect(geneSymbolProblem('gene', symbol)).toEqual({ code: 'INVALID_GENE_SYMBOL', skip: expect.stringContaining('is not an HGNC gene symbol') });
  });

  it('names an empty field MISSING_FIELD', () => {
    expect(geneSymbolProblem('gene_symbol', '')).toEqual({ code: 'MISSING_FIELD', skip: 'gene_symbol is empty' });
  });

  it('checks HPO ids as HP: and seven digits', () => {
    expect(hpoIdProblem('hpo_id', 'HP:0001250')).toBeNull();
    expect(hpoIdProblem('hpo_id', 'HP:1250')).toEqual({ code: 'INVALID_HPO_ID', skip: 'hpo_id "HP:1250" is not an HPO id (HP: and 7 digits)' });
    expect(hpoIdProblem('is_a', 'HP:00012500')?.code).toBe('INVALID_HPO_ID');
    expect(hpoIdProblem('is_a', 'MP:0001250')?.code).toBe('INVALID_HPO_ID');
  });

  it('checks NCT ids as NCT and eight digits', () => {
    expect(nctIdProblem('nctId', 'NCT01006980')).toBeNull();
    expect(nctIdProblem('nct_ids', 'NCT0100698')).toEqual({ code: 'INVALID_NCT_ID', skip: 'nct_ids "NCT0100698" is not NCT followed by 8 digits' });
    expect(nctIdProblem('nct_ids', 'nct01006980')?.code).toBe('INVALID_NCT_ID');
  });

  it.each(['NaN', 'Infinity', '-Infinity', '1e999', 'five', ' '])('refuses %j as a number with NON_FINITE_NUMBER', (text) => {
    expect(finiteNumberProblem('rating', text)?.code).toBe('NON_FINITE_NUMBER');
  });

  it('accepts finite numbers', () => {
    expect(finiteNumberProblem('rating', '4')).toBeNull();
    expect(finiteNumberProblem('rating', '2.5')).toBeNull();
  });

  it('refuses control characters, allowing line breaks and tabs only in long text', () => {
    expect(textProblem({ statement: 'Line one.\nLine two.\tEnd.' }, ['statement'])).toBeNull();
    expect(textProblem({ disease: 'Melanoma\nX' })).toEqual({ code: 'CONTROL_CHARACTER', skip: 'disease contains a control character' });
    expect(textProblem({ statement: 'clears the screen \u001b[2J' }, ['statement'])).toEqual({ code: 'CONTROL_CHARACTER', skip: 'statement contains a control character' });
    expect(textProblem({ synonym: ['fine', 'NUL\u0000'] })).toEqual({ code: 'CONTROL_CHARACTER', skip: 'synonym[1] contains a control character' });
  });

  it('refuses text beyond its limit, naming the field and the length', () => {
    expect(textProblem({ name: 'x'.repeat(MAX_FIELD_TEXT) })).toBeNull();
    expect(textProblem({ name: 'x'.repeat(MAX_FIELD_TEXT + 1) })).toEqual({ code: 'TEXT_TOO_LONG', skip: `name: ${MAX_FIELD_TEXT + 1} characters, more than ${MAX_FIELD_TEXT}` });
    expect(textProblem({ criteria: 'x'.repeat(MAX_LONG_TEXT + 1) }, ['criteria'])?.code).toBe('TEXT_TOO_LONG');
    expect(textProblem({ name: null, other: undefined })).toBeNull();
  });

  it('reports the first problem of several', () => {
    expect(firstProblem(null, nctIdProblem('a', 'x'), hpoIdProblem('b', 'y'))?.code).toBe('INVALID_NCT_ID');
    expect(firstProblem(null, null)).toBeNull();
  });
});
