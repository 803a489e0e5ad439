import { assertionFor, type Assertion } from './negation';

/** Assertion for the first occurrence of `mention` in `sentence`. */
const assert = (sentence: string, mention: string): Assertion => {
  const start = sentence.indexOf(mention);
  if (start < 0) throw new Error(`"${mention}" not in "${sentence}"`);
  return assertionFor(sentence, { start, end: start + mention.length });
};
const affirmed = { negated: false, uncertain: false, family: false, trigger: null };
const negated = (trigger: string) => ({ negated: true, uncertain: false, family: false, trigger });
const uncertain = (trigger: string) => ({ negated: false, uncertain: true, family: false, trigger });
const family = (trigger: string) => ({ negated: false, uncertain: false, family: true, trigger });

describe('assertionFor', () => {
  it('reads the assertions of a realistic note, sentence by sentence', () => {
    expect([
      assert('Pt denies chest pain.', 'chest pain'),
      assert('No evidence of metastatic disease.', 'metastatic disease'),
      assert('EGFR L858R detected; T790M negative.', 'EGFR L858R'),
      assert('EGFR L858R detected; T790M negative.', 'T790M'),
      assert('Possible early osteoarthritis.', 'osteoarthritis'),
      assert('Mother has breast cancer.', 'breast cancer'),
      assert('Started clopidogrel 75 mg q.d.', 'clopidogrel'),
    ]).toEqual([
      negated('denies'),
      negated('no evidence of'),
      affirmed,
      negated('negative'),
      uncertain('possible'),
      family('mother'),
      affirmed,
    ]);
  });

  it('applies pre-negation triggers forward and post-negation triggers backward', () => {
    expect(assert('The patient is free of chest pain.', 'chest pain')).toEqual(negated('free of'));
    expect(assert('Negative for pulmonary embolism.', 'pulmonary embolism')).toEqual(negated('negative for'));
    expect(assert('Absence of lymphadenopathy.', 'lymphadenopathy')).toEqual(negated('absence of'));
    expect(assert('CT rules out appendicitis.', 'appendicitis')).toEqual(negated('rules out'));
    expect(assert('Myocardial infarction was ruled out.', 'Myocardial infarction')).toEqual(negated('was ruled out'));
    expect(assert('ALK rearrangement not detected.', 'ALK rearrangement')).toEqual(negated('not detected'));
    expect(assert('He is now pain free.', 'pain')).toEqual(negated('free'));
    expect(assert("Pt doesn’t report dyspnea.", 'dyspnea')).toEqual(negated("doesn't"));
  });

  it('does not negate after a pseudo-negation', () => {
    expect(assert('No change in the size of the lung nodule.', 'lung nodule')).toEqual(affirmed);
    expect(assert('No increase in pain since last visit.', 'pain')).toEqual(affirmed);
    expect(assert('Not only fatigue but also dyspnea.', 'fatigue')).toEqual(affirmed);
    expect(assert('Blood culture grew gram negative rods.', 'rods')).toEqual(affirmed);
    expect(assert('Triple negative breast cancer diagnosed 2019.', 'breast cancer')).toEqual(affirmed);
    expect(assert('No significant change in hepatic steatosis.', 'hepatic steatosis')).toEqual(affirmed);
  });

  it('stops a negation scope at a termination term or a semicolon', () => {
    expect(assert('No fever but has a productive cough.', 'productive cough')).toEqual(affirmed);
    expect(assert('No fever but has a productive cough.', 'fever')).toEqual(negated('no'));
    expect(assert('Denies chest pain, however reports dyspnea.', 'dyspnea')).toEqual(affirmed);
    expect(assert('No new lesions aside from hepatic metastases.', 'hepatic metastases')).toEqual(affirmed);
    expect(assert('No anemia secondary to bleeding.', 'bleeding')).toEqual(affirmed);
    expect(assert('Nodule, which is stable, was ruled out as malignant.', 'Nodule')).toEqual(affirmed);
    expect(assert('No nausea; vomiting since morning.', 'vomiting')).toEqual(affirmed);
  });

  it('reaches a mention within five words of the trigger and no further (NegEx window)', () => {
    const sentence = 'No cough, fever, chills, nausea, rash, headache.';
    expect(['cough', 'fever', 'chills', 'nausea', 'rash', 'headache'].map((m) => assert(sentence, m).negated)).toEqual([
      true, true, true, true, true, false,
    ]);
    const post = 'Headache, rash, nausea, chills, cough, fever were not present.';
    expect(['Headache', 'rash', 'nausea', 'chills', 'cough', 'fever'].map((m) => assert(post, m).negated)).toEqual([
      false, true, true, true, true, true,
    ]);
  });

  it('marks hedged findings as uncertain, not negated', () => {
    expect([
      assert('Rule out pulmonary embolism.', 'pulmonary embolism'),
      assert('CTA chest r/o dissection.', 'dissection'),
      assert('Pneumonia cannot be excluded.', 'Pneumonia'),
      assert('Pneumonia unlikely.', 'Pneumonia'),
      assert('Suspected sepsis.', 'sepsis'),
      assert('Concern for cord compression.', 'cord compression'),
      assert('? pneumonia on CXR.', 'pneumonia'),
      assert('Lesion may represent metastasis.', 'metastasis'),
      assert('Findings likely represent atelectasis.', 'atelectasis'),
      assert('Atelectasis versus pneumonia.', 'pneumonia'),
      assert('Atelectasis versus pneumonia.', 'Atelectasis'),
      assert('Questionable hilar adenopathy.', 'hilar adenopathy'),
      assert('Malignancy has not been ruled out.', 'Malignancy'),
    ]).toEqual([
      uncertain('rule out'),
      uncertain('r/o'),
      uncertain('cannot be excluded'),
      uncertain('unlikely'),
      uncertain('suspected'),
      uncertain('concern for'),
      uncertain('?'),
      uncertain('may represent'),
      uncertain('likely'),
      uncertain('versus'),
      uncertain('versus'),
      uncertain('questionable'),
      uncertain('has not been ruled out'),
    ]);
  });

  it('attributes findings to family members, across a list and from after the finding', () => {
    const sentence = 'Family history of breast cancer, ovarian cancer and colon cancer.';
    expect(['breast cancer', 'ovarian cancer', 'colon cancer'].map((m) => assert(sentence, m))).toEqual([
      family('family history of'), family('family history of'), family('family history of'),
    ]);
    expect(assert('Colon cancer in her father at age 50.', 'Colon cancer')).toEqual(family('in her father'));
    expect(assert("Sister's BRCA1 mutation.", 'BRCA1 mutation')).toEqual(family("sister's"));
    expect(assert('Mother has breast cancer and patient has asthma.', 'asthma')).toEqual(affirmed);
    expect(assert('Father denies chest pain.', 'chest pain')).toEqual({ negated: true, uncertain: false, family: true, trigger: 'denies' });
  });

  it('ignores trigger words inside the mention itself', () => {
    expect(assert('Gram negative bacteremia.', 'Gram negative bacteremia')).toEqual(affirmed);
    expect(assert('History of HER2-negative breast cancer.', 'HER2-negative breast cancer')).toEqual(affirmed);
  });

  it('returns an unflagged assertion for a span that covers no token', () => {
    expect(assertionFor('No fever.', { start: 3, end: 3 })).toEqual(affirmed);
  });
});
