import { normaliseQuantity } from './loinc';
import { HubError } from '../../../lib/errors';

describe('normaliseQuantity', () => {
  it('converts total cholesterol from mmol/L to mg/dL and keeps the value as sent', () => {
    expect(normaliseQuantity('2093-3', 5.2, 'mmol/L')).toEqual({
      code: '2093-3',
      display: 'Cholesterol [Mass/volume] in Serum or Plasma',
      value: 201.084,
      unit: 'mg/dL',
      originalValue: 5.2,
      originalUnit: 'mmol/L',
    });
  });

  it('accepts the UCUM lower-case litre spelling', () => {
    expect(normaliseQuantity('2085-9', 1.3, 'mmol/l').value).toBeCloseTo(50.271, 3);
  });

  it('converts HbA1c from IFCC mmol/mol to NGSP percent with the master equation', () => {
    // 48 mmol/mol is the IFCC equivalent of 6.5 % (ADA diagnostic threshold).
    expect(normaliseQuantity('4548-4', 48, 'mmol/mol').value).toBeCloseTo(6.543, 3);
  });

  it('converts pounds to kilograms and inches to centimetres exactly', () => {
    expect(normaliseQuantity('29463-7', 150, '[lb_av]').value).toBe(68.0389);
    expect(normaliseQuantity('8302-2', 70, '[in_i]').value).toBe(177.8);
  });

  it('rejects a unit that does not fit the LOINC code, naming code and unit', () => {
    expect(() => normaliseQuantity('2093-3', 5, 'mm[Hg]', 'Observation/abc')).toThrow(
      'Observation/abc unit: "mm[Hg]" unknown for LOINC 2093-3',
    );
    try {
      normaliseQuantity('2093-3', 5, 'mm[Hg]');
    } catch (error) {
      expect((error as HubError).code).toBe('UNIT_NOT_ALLOWED');
    }
  });

  it('rejects a value that overflows when converted (1e308 mmol/L of cholesterol is Infinity mg/dL)', () => {
    expect(() => normaliseQuantity('2093-3', 1e308, 'mmol/L', 'input')).toThrow(
      new HubError('BAD_USER_INPUT', 'input value: 1e+308 mmol/L is out of range once converted to mg/dL', { field: 'value' }),
    );
  });

  it('rejects an unknown LOINC code', () => {
    expect(() => normaliseQuantity('9999-9', 1, 'mg/dL')).toThrow('LOINC "9999-9" is not one the hub accepts');
  });
});
