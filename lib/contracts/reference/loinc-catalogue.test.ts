import { judgeValue, LOINC_CATALOGUE } from './loinc-catalogue';

describe('the LOINC catalogue', () => {
  it('holds every code the hub calculates with, each with a canonical unit and a sourced plausible range', () => {
    const required = ['2093-3', '2085-9', '13457-7', '18262-6', '2571-8', '2345-7', '2339-0', '2160-0', '38483-4', '4548-4', '8480-6', '8462-4', '8867-4', '39156-5', '29463-7', '8302-2', '33914-3', '62238-1', '98979-8'];
    for (const code of required) {
      const known = LOINC_CATALOGUE.get(code);
      expect(known).toBeDefined();
      expect(known!.plausible.min).toBeLessThan(known!.plausible.max);
      expect(known!.plausible.source.length).toBeGreaterThan(10);
    }
  });

  it('judges a negative concentration impossible, an out-of-range one implausible, a normal one usable', () => {
    expect(judgeValue('2345-7', -1)).toEqual({ verdict: 'impossible', reason: 'glucose -1 mg/dL is impossible (must not be below 0)' });
    expect(judgeValue('2345-7', 5000)).toEqual({ verdict: 'implausible', reason: 'glucose 5000 mg/dL is implausible (outside 10–2700 mg/dL)' });
    expect(judgeValue('2345-7', 99)).toEqual({ verdict: 'usable' });
  });

  it('judges a blood pressure or weight of zero impossible but a heart rate of zero only implausible', () => {
    expect(judgeValue('8462-4', 0).verdict).toBe('impossible');
    expect(judgeValue('29463-7', 0).verdict).toBe('impossible');
    expect(judgeValue('8867-4', 0).verdict).toBe('implausible');
  });
});
