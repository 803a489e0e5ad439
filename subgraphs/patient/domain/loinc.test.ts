import { normaliseQuantity } from './loinc';
import { HubError } from '../../../lib/errors';

const usable = { normalised: true, flag: null, flagReason: null, warning: null };

describe('normaliseQuantity', () => {
  it('converts total cholesterol from mmol/L to mg/dL by its molar mass and keeps the value as sent', () => {
    expect(normaliseQuantity('2093-3', 5.2, 'mmol/L')).toEqual({
      code: '2093-3',
      display: 'Cholesterol [Mass/volume] in Serum or Plasma',
      value: 201.058,
      unit: 'mg/dL',
      originalValue: 5.2,
      originalUnit: 'mmol/L',
      ...usable,
    });
  });

  // Published worked conversions: glucose ×18.0 (5.5 mmol/L ≈ 99 mg/dL), creatinine ÷88.4 (88.4 µmol/L =
  // 1.0 mg/dL), cholesterol ×38.67 (5.0 mmol/L ≈ 193 mg/dL) — e.g. the SI conversion table of the AMA
  // Manual of Style, 11th ed.; triglycerides ×88.57.
  it.each([
    ['2345-7', 5.5, 'mmol/L', 99.0858],
    ['2339-0', 5.5, 'mmol/L', 99.0858],
    ['2160-0', 88.4, 'umol/L', 1],
    ['38483-4', 88.4, 'umol/L', 1],
    ['2093-3', 5, 'mmol/L', 193.325],
    ['13457-7', 3, 'mmol/L', 115.995],
    ['2571-8', 1.7, 'mmol/L', 150.569],
  ])('converts LOINC %s %d %s to mg/dL (%d) by UCUM with the analyte molar mass', (code, value, unit, expected) => {
    expect(normaliseQuantity(code, value, unit).value).toBe(expected);
  });

  it('accepts the UCUM lower-case litre spelling and prefixes the table never listed', () => {
    expect(normaliseQuantity('2085-9', 1.3, 'mmol/l').value).toBe(50.2645);
    expect(normaliseQuantity('2093-3', 2, 'g/L').value).toBe(200);
  });

  it('converts HbA1c from IFCC mmol/mol to NGSP percent with the master equation, not as a ratio', () => {
    // 48 mmol/mol is the IFCC equivalent of 6.5 % (ADA diagnostic threshold); UCUM alone would say 4.8 %.
    expect(normaliseQuantity('4548-4', 48, 'mmol/mol').value).toBe(6.543);
    expect(normaliseQuantity('17856-6', 48, 'mmol/mol').value).toBe(6.543);
  });

  it('converts pounds to kilograms, inches to centimetres and kPa to mm[Hg]', () => {
    expect(normaliseQuantity('29463-7', 150, '[lb_av]').value).toBe(68.0389);
    expect(normaliseQuantity('8302-2', 70, '[in_i]').value).toBe(177.8);
    expect(normaliseQuantity('8480-6', 16, 'kPa').value).toBe(120.0102);
  });

  it('accepts eGFR in mL/min for a mL/min/{1.73_m2} code, with a warning that the annotation was assumed', () => {
    expect(normaliseQuantity('33914-3', 62, 'mL/min')).toEqual({
      code: '33914-3',
      display: 'GFR/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
      value: 62,
      unit: 'mL/min/{1.73_m2}',
      originalValue: 62,
      originalUnit: 'mL/min',
      normalised: true,
      flag: null,
      flagReason: null,
      warning: '"mL/min" taken as mL/min/{1.73_m2}: the annotation {1.73_m2} is unity in UCUM (§12), so the sender\'s unit did not state it',
    });
  });

  it('accepts a heart rate in {beats}/min without a warning: the sent unit only adds an annotation', () => {
    expect(normaliseQuantity('8867-4', 72, '{beats}/min')).toMatchObject({ value: 72, unit: '/min', warning: null });
  });

  it('refuses a unit that does not convert, naming code and unit, unless told to keep it as sent', () => {
    expect(() => normaliseQuantity('2093-3', 5, 'mm[Hg]', 'Observation/abc')).toThrow(
      'Observation/abc unit: "mm[Hg]" unknown for LOINC 2093-3 (Cholesterol [Mass/volume] in Serum or Plasma): it does not convert to mg/dL',
    );
    expect(() => normaliseQuantity('2093-3', 5, 'mm[Hg]')).toThrow(expect.objectContaining({ code: 'UNIT_NOT_ALLOWED', details: { field: 'unit' } }));
    expect(normaliseQuantity('2093-3', 5, 'mm[Hg]', 'Observation/abc', { keepUnconvertible: true })).toEqual({
      code: '2093-3',
      display: 'Cholesterol [Mass/volume] in Serum or Plasma',
      value: 5,
      unit: 'mm[Hg]',
      originalValue: 5,
      originalUnit: 'mm[Hg]',
      normalised: false,
      flag: 'unit-not-convertible',
      flagReason: '"mm[Hg]" unknown for LOINC 2093-3 (Cholesterol [Mass/volume] in Serum or Plasma): it does not convert to mg/dL (Sorry.  mm[Hg] cannot be converted to mg/dL.)',
      warning: null,
    });
  });

  it('refuses physically impossible values with IMPOSSIBLE_VALUE naming the value', () => {
    expect(() => normaliseQuantity('2093-3', -5, 'mmol/L', 'input')).toThrow(
      new HubError('IMPOSSIBLE_VALUE', 'input value: total cholesterol -5 mmol/L is impossible (must not be below 0)', { field: 'value' }),
    );
    expect(() => normaliseQuantity('8480-6', 0, 'mm[Hg]', 'input')).toThrow(
      new HubError('IMPOSSIBLE_VALUE', 'input value: systolic blood pressure 0 mm[Hg] is impossible (must be above 0)', { field: 'value' }),
    );
    expect(() => normaliseQuantity('4548-4', 140, '%', 'input')).toThrow(
      new HubError('IMPOSSIBLE_VALUE', 'input value: HbA1c 140 % is impossible (must not be above 100)', { field: 'value' }),
    );
    // Kept-as-sent units are still judged by their sign.
    expect(() => normaliseQuantity('29463-7', -70, 'stone', 'input', { keepUnconvertible: true })).toThrow(
      new HubError('IMPOSSIBLE_VALUE', 'input value: body weight -70 stone is impossible (must be above 0)', { field: 'value' }),
    );
  });

  it('flags a possible but implausible value instead of refusing it', () => {
    expect(normaliseQuantity('8480-6', 1200, 'mm[Hg]')).toMatchObject({
      value: 1200,
      normalised: true,
      flag: 'implausible',
      flagReason: 'systolic blood pressure 1200 mm[Hg] is implausible (outside 50–300 mm[Hg])',
    });
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
