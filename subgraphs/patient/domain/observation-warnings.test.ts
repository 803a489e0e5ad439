import { observationWarnings, type StoredQuantity } from './observation-warnings';

const stored = (over: Partial<StoredQuantity>): StoredQuantity => ({ id: 'o1', code: '8480-6', normalised: true, originalUnit: 'mm[Hg]', flag: null, excludedReason: null, ...over });

describe('observationWarnings', () => {
  it('says nothing about a usable value in the canonical unit', () => {
    expect(observationWarnings(stored({}))).toEqual([]);
  });

  it('warns IMPLAUSIBLE_VALUE for a value flagged implausible, with the flag reason', () => {
    const reason = 'systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])';
    expect(observationWarnings(stored({ flag: 'implausible', excludedReason: reason }))).toEqual([
      { resource: 'Observation/o1', field: 'value', reason: `stored and left out of calculations: ${reason}`, code: 'IMPLAUSIBLE_VALUE' },
    ]);
  });

  it('warns UNIT_NOT_CONVERTIBLE for a value stored in a unit that does not convert', () => {
    const warnings = observationWarnings(stored({ code: '2571-8', normalised: false, originalUnit: 'mm[Hg]', flag: 'unit-not-convertible', excludedReason: '"mm[Hg]" unknown for LOINC 2571-8' }));
    expect(warnings).toEqual([{ resource: 'Observation/o1', field: 'unit', reason: 'stored as sent and left out of calculations: "mm[Hg]" unknown for LOINC 2571-8', code: 'UNIT_NOT_CONVERTIBLE' }]);
  });

  it('warns UNIT_ANNOTATION_ASSUMED for eGFR sent in mL/min (UCUM §12: an annotation is unity), as ingestion does', () => {
    expect(observationWarnings(stored({ code: '33914-3', originalUnit: 'mL/min' }))).toEqual([
      { resource: 'Observation/o1', field: 'unit', reason: expect.stringContaining('"mL/min" taken as mL/min/{1.73_m2}'), code: 'UNIT_ANNOTATION_ASSUMED' },
    ]);
    expect(observationWarnings(stored({ code: '33914-3', originalUnit: 'mL/min/{1.73_m2}' }))).toEqual([]);
  });

  it('says nothing of codes outside the catalogue', () => {
    expect(observationWarnings(stored({ code: '1234-5', normalised: false, originalUnit: 'foo' }))).toEqual([]);
  });
});
