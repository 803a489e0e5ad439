import { buildMentionDictionary, findMentions, type DictionaryEntry } from './mentions';

const entries: DictionaryEntry[] = [
  { id: 'HP:0100749', kind: 'phenotype', names: ['chest pain', 'thoracic pain'] },
  { id: 'MONDO:0005070', kind: 'condition', names: ['metastatic disease'] },
  { id: 'MONDO:0005178', kind: 'condition', names: ['osteoarthritis'] },
  { id: 'MONDO:0007254', kind: 'condition', names: ['breast cancer', 'breast carcinoma'] },
  { id: 'MONDO:0005233', kind: 'condition', names: ['non-small cell lung cancer', 'NSCLC'] },
  { id: 'MONDO:0008903', kind: 'condition', names: ['lung cancer'] },
  { id: 'MONDO:0004967', kind: 'condition', names: ['acute lymphoblastic leukemia', 'ALL'] },
  { id: 'RXNORM:32968', kind: 'drug', names: ['clopidogrel', 'Plavix'] },
  { id: 'RXNORM:1721560', kind: 'drug', names: ['osimertinib'] },
  { id: 'RXNORM:11289', kind: 'drug', names: ['warfarin'] },
  { id: 'HGNC:3236', kind: 'gene', names: ['EGFR', 'epidermal growth factor receptor'] },
  { id: 'HGNC:1097', kind: 'gene', names: ['BRAF'] },
  { id: 'HGNC:6407', kind: 'gene', names: ['KRAS'] },
  { id: 'HGNC:7029', kind: 'gene', names: ['MET'] },
  { id: 'HGNC:1516', kind: 'gene', names: ['CAT'] },
  { id: 'HGNC:4932', kind: 'gene', names: ['HLA-B'] },
  { id: 'HGNC:23663', kind: 'gene', names: ['VKORC1'] },
];
const dictionary = buildMentionDictionary(entries);

const mention = (text: string, start: number, kind: string, normalised: string, conceptIds: string[] = []) => ({
  text, start, end: start + text.length, kind, normalised, conceptIds,
});

describe('findMentions', () => {
  it('finds the mentions of a realistic note, sentence by sentence', () => {
    const sentences = [
      'Pt denies chest pain.',
      'No evidence of metastatic disease.',
      'EGFR L858R detected; T790M negative.',
      'Possible early osteoarthritis.',
      'Mother has breast cancer.',
      'Started clopidogrel 75 mg q.d.',
    ];
    expect(sentences.map((s) => findMentions(dictionary, s))).toEqual([
      [mention('chest pain', 10, 'phenotype', 'chest pain', ['HP:0100749'])],
      [mention('metastatic disease', 15, 'condition', 'metastatic disease', ['MONDO:0005070'])],
      [mention('EGFR L858R', 0, 'variant', 'EGFR p.L858R'), mention('T790M', 21, 'variant', 'p.T790M')],
      [mention('osteoarthritis', 15, 'condition', 'osteoarthritis', ['MONDO:0005178'])],
      [mention('breast cancer', 11, 'condition', 'breast cancer', ['MONDO:0007254'])],
      [mention('clopidogrel', 8, 'drug', 'clopidogrel', ['RXNORM:32968'])],
    ]);
  });

  it('normalises protein changes to HGVS p. with one-letter amino acids', () => {
    const sentence = 'BRAF p.Val600Glu, KRAS G12C mutation, p.(Gly12Cys), TP53 R213* and EGFR E746_A750del; no NO T790M.';
    expect(findMentions(dictionary, sentence)).toEqual([
      mention('BRAF p.Val600Glu', 0, 'variant', 'BRAF p.V600E'),
      mention('KRAS G12C', 18, 'variant', 'KRAS p.G12C'),
      mention('p.(Gly12Cys)', 38, 'variant', 'p.G12C'),
      mention('TP53 R213*', 52, 'variant', 'TP53 p.R213*'),
      mention('EGFR E746_A750del', 67, 'variant', 'EGFR p.E746_A750del'),
      mention('T790M', 92, 'variant', 'p.T790M'),
    ]);
  });

  it('finds HGVS coding changes, exon-level events and rsIDs', () => {
    const sentence = 'BRAF c.1799T>A (NM_004333.4:c.1799T>A); EGFR exon 19 del; MET exon 14 skipping; VKORC1 rs9923231 AA.';
    expect(findMentions(dictionary, sentence)).toEqual([
      mention('BRAF c.1799T>A', 0, 'variant', 'BRAF c.1799T>A'),
      mention('NM_004333.4:c.1799T>A', 16, 'variant', 'NM_004333.4:c.1799T>A'),
      mention('EGFR exon 19 del', 40, 'variant', 'EGFR exon 19 deletion'),
      mention('MET exon 14 skipping', 58, 'variant', 'MET exon 14 skipping'),
      mention('VKORC1', 80, 'gene', 'VKORC1', ['HGNC:23663']),
      mention('rs9923231', 87, 'variant', 'rs9923231'),
    ]);
  });

  it('does not read lab names or two adjacent protein changes as gene + change', () => {
    expect(findMentions(dictionary, 'HbA1c 7.2%, A1C trending down.')).toEqual([]);
    expect(findMentions(dictionary, 'L858R T790M compound.')).toEqual([
      mention('L858R', 0, 'variant', 'p.L858R'),
      mention('T790M', 6, 'variant', 'p.T790M'),
    ]);
  });

  it('prefers the longest name and drops shorter overlapping ones', () => {
    expect(findMentions(dictionary, 'Metastatic non-small cell lung cancer, EGFR-mutant.')).toEqual([
      mention('non-small cell lung cancer', 11, 'condition', 'non small cell lung cancer', ['MONDO:0005233']),
      mention('EGFR', 39, 'gene', 'EGFR', ['HGNC:3236']),
    ]);
    expect(findMentions(dictionary, 'Family hx of lung cancer.')).toEqual([mention('lung cancer', 13, 'condition', 'lung cancer', ['MONDO:0008903'])]);
  });

  it('matches names case-insensitively and token-bounded, never across commas or inside words', () => {
    expect(findMentions(dictionary, 'PLAVIX 75 mg; Breast Carcinoma; warfarinized; lung, cancer.')).toEqual([
      mention('PLAVIX', 0, 'drug', 'plavix', ['RXNORM:32968']),
      mention('Breast Carcinoma', 14, 'condition', 'breast carcinoma', ['MONDO:0007254']),
    ]);
  });

  it('matches gene symbols case-sensitively as whole tokens; full gene names case-insensitively', () => {
    expect(findMentions(dictionary, 'egfr and Braf are not symbols; EGFRvIII is not EGFR; HLA-B*57:01 typed.')).toEqual([
      mention('EGFR', 47, 'gene', 'EGFR', ['HGNC:3236']),
      mention('HLA-B', 53, 'gene', 'HLA-B', ['HGNC:4932']),
    ]);
    expect(findMentions(dictionary, 'Epidermal Growth Factor Receptor amplified.')).toEqual([
      mention('Epidermal Growth Factor Receptor', 0, 'gene', 'epidermal growth factor receptor', ['HGNC:3236']),
    ]);
  });

  it('matches a gene symbol that is also a common word only before a genomic context word', () => {
    expect(findMentions(dictionary, 'MET with oncology. CAT scan done. ALL patients consented.')).toEqual([
      mention('ALL', 34, 'condition', 'all', ['MONDO:0004967']),
    ]);
    expect(findMentions(dictionary, 'MET amplification and CAT mutation.')).toEqual([
      mention('MET', 0, 'gene', 'MET', ['HGNC:7029']),
      mention('CAT', 22, 'gene', 'CAT', ['HGNC:1516']),
    ]);
  });

  it('keeps one mention per kind when names of different kinds share a span, and merges duplicate ids', () => {
    const shared = buildMentionDictionary([
      { id: 'HGNC:1', kind: 'gene', names: ['ABC1'] },
      { id: 'DRUG:1', kind: 'drug', names: ['ABC1', 'abc-1'] },
      { id: 'DRUG:2', kind: 'drug', names: ['abc1'] },
    ]);
    expect(findMentions(shared, 'Given ABC1 today.')).toEqual([
      mention('ABC1', 6, 'drug', 'abc1', ['DRUG:1', 'DRUG:2']),
      mention('ABC1', 6, 'gene', 'ABC1', ['HGNC:1']),
    ]);
  });

  it('builds a 30,000-name dictionary and finds its names in a sentence', () => {
    const roots = ['cardio', 'neuro', 'hepato', 'nephro', 'osteo', 'dermato', 'myo', 'gastro', 'pneumo', 'hemato'];
    const suffixes = ['pathy', 'itis', 'megaly', 'malacia', 'sclerosis', 'dysplasia', 'algia', 'plasia', 'trophy', 'genesis'];
    const qualifiers = ['acute', 'chronic', 'congenital', 'juvenile', 'familial', 'progressive', 'recurrent', 'idiopathic', 'severe', 'mild'];
    const large: DictionaryEntry[] = [];
    for (let i = 0; i < 30_000; i++) {
      const name = `${qualifiers[i % 10]} ${roots[Math.floor(i / 10) % 10]}${suffixes[Math.floor(i / 100) % 10]} type ${Math.floor(i / 1000)}`;
      large.push({ id: `HP:${String(i).padStart(7, '0')}`, kind: i % 3 === 0 ? 'phenotype' : 'condition', names: [name] });
    }
    large.push(...entries);
    const big = buildMentionDictionary(large);
    expect(big.size).toBe(30_000 + entries.reduce((n, e) => n + e.names.length, 0));

    const sentence = 'Known chronic cardiopathy type 12 and severe pneumoalgia type 29, on warfarin; KRAS G12C.';
    expect(findMentions(big, sentence)).toEqual([
      mention('chronic cardiopathy type 12', 6, 'condition', 'chronic cardiopathy type 12', ['HP:0012001']),
      mention('severe pneumoalgia type 29', 38, 'phenotype', 'severe pneumoalgia type 29', ['HP:0029688']),
      mention('warfarin', 69, 'drug', 'warfarin', ['RXNORM:11289']),
      mention('KRAS G12C', 79, 'variant', 'KRAS p.G12C'),
    ]);
    const many = Array.from({ length: 200 }, (_, i) => large[i * 150]!.names[0]).join('; ');
    expect(findMentions(big, many)).toHaveLength(200);
  });
});
