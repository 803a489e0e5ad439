import { HPO_FREQUENCY_TERMS, parseHpoFrequency, pooledHpoFrequency } from './hpo-frequency';

describe('parseHpoFrequency', () => {
  // Definitions of HPO's Frequency sub-ontology (hp.json 2023-01-27), quoted.
  it.each([
    ['HP:0040280', 'Always present, i.e. in 100% of the cases.', 1, 1],
    ['HP:0040281', 'Present in 80% to 99% of the cases.', 0.8, 0.99],
    ['HP:0040282', 'Present in 30% to 79% of the cases.', 0.3, 0.79],
    ['HP:0040283', 'Present in 5% to 29% of the cases.', 0.05, 0.29],
    ['HP:0040284', 'Present in 1% to 4% of the cases.', 0.01, 0.04],
    ['HP:0040285', 'Present in 0% of the cases.', 0, 0],
  ])('reads %s ("%s") as its range, estimated by the midpoint', (term, _definition, low, high) => {
    const parsed = parseHpoFrequency(term)!;
    expect(parsed.low).toBeCloseTo(low, 10);
    expect(parsed.high).toBeCloseTo(high, 10);
    expect(parsed.frequency).toBeCloseTo((low + high) / 2, 10);
  });

  it('knows exactly the six frequency terms HP:0040280–HP:0040285', () => {
    expect(Object.keys(HPO_FREQUENCY_TERMS).sort()).toEqual(['HP:0040280', 'HP:0040281', 'HP:0040282', 'HP:0040283', 'HP:0040284', 'HP:0040285']);
  });

  it('reads n/m as n of m patients', () => {
    expect(parseHpoFrequency('7/13')).toEqual({ frequency: 7 / 13, low: 7 / 13, high: 7 / 13 });
    expect(parseHpoFrequency('0/5')!.frequency).toBe(0);
    expect(parseHpoFrequency('5/5')!.frequency).toBe(1);
  });

  it('reads a percentage', () => {
    expect(parseHpoFrequency('17%')!.frequency).toBeCloseTo(0.17, 10);
    expect(parseHpoFrequency('12.5%')!.frequency).toBeCloseTo(0.125, 10);
    expect(parseHpoFrequency('100%')!.frequency).toBe(1);
  });

  it('gives null for no value and for values that are none of the three forms', () => {
    for (const raw of [null, undefined, '', '  ', 'HP:0040279', 'HP:0001250', '6/5', '3/0', '101%', 'frequent', '-1/4']) {
      expect(parseHpoFrequency(raw)).toBeNull();
    }
  });
});

describe('pooledHpoFrequency', () => {
  it('pools the counts of several references', () => {
    expect(pooledHpoFrequency(['1/4', '5/6'])).toBeCloseTo(6 / 10, 10);
  });

  it('averages other forms with the pooled counts and ignores references without a value', () => {
    expect(pooledHpoFrequency(['2/10', 'HP:0040282', null])).toBeCloseTo((0.2 + 0.545) / 2, 10);
    expect(pooledHpoFrequency(['HP:0040281', null, 'nonsense'])).toBeCloseTo(0.895, 10);
  });

  it('is null when no reference states a frequency', () => {
    expect(pooledHpoFrequency([null, ''])).toBeNull();
    expect(pooledHpoFrequency([])).toBeNull();
  });
});
