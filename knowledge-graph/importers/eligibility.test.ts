import { extractExcludedVariants, extractLabCriteria, parseCtgovAge } from './eligibility';

/** Shaped like API v2 `eligibilityModule.eligibilityCriteria` (Markdown, with its backslash escapes). */
const CRITERIA = `Inclusion Criteria:

* Age \\>= 18 years
* Histologically confirmed unresectable or metastatic melanoma with BRAF V600E mutation
* Adequate organ function: absolute neutrophil count (ANC) ≥ 1.5 x 10\\^9/L (≥ 1,500/mm3), platelets ≥ 100 x 109/L, hemoglobin ≥ 9 g/dL
* Total bilirubin ≤ 1.5 x ULN (≤ 3 x ULN for patients with Gilbert's syndrome)
* Creatinine clearance ≥ 50 mL/min (Cockcroft-Gault) or eGFR greater than or equal to 45 mL/min/1.73 m2
* LVEF ≥ 50%

Exclusion Criteria:

* Known EGFR T790M or KRAS G12C mutation
* HbA1c \\> 64 mmol/mol
* Total bilirubin > 2 mg/dL
* eGFR < 30 mL/min
`;

describe('parseCtgovAge', () => {
  it('reads API v2 ages in years, months, weeks and days as years', () => {
    expect(['18 Years', '1 Year', '6 Months', '2 Weeks', '30 Days'].map(parseCtgovAge)).toEqual([18, 1, 0.5, 2 / 52.1775, 30 / 365.25]);
  });

  it('is null for a missing age, N/A and text that is not an age', () => {
    expect([undefined, '', 'N/A', 'eighteen', '18'].map(parseCtgovAge)).toEqual([null, null, null, null, null]);
  });
});

describe('extractLabCriteria', () => {
  it('reads the thresholds of both sections in canonical units and skips relative, unconvertible and non-lab ones', () => {
    expect(extractLabCriteria(CRITERIA)).toEqual([
      { loinc: '751-8', name: 'Neutrophils', comparator: '>=', value: 1.5, unit: '10*3/uL', text: 'absolute neutrophil count (ANC) ≥ 1.5 x 10^9/L', section: 'inclusion' },
      { loinc: '777-3', name: 'Platelets', comparator: '>=', value: 100, unit: '10*3/uL', text: 'platelets ≥ 100 x 109/L', section: 'inclusion' },
      { loinc: '718-7', name: 'Hemoglobin', comparator: '>=', value: 9, unit: 'g/dL', text: 'hemoglobin ≥ 9 g/dL', section: 'inclusion' },
      { loinc: '2164-2', name: 'Creatinine clearance', comparator: '>=', value: 50, unit: 'mL/min', text: 'Creatinine clearance ≥ 50 mL/min', section: 'inclusion' },
      {
        loinc: '98979-8',
        name: 'eGFR',
        comparator: '>=',
        value: 45,
        unit: 'mL/min/{1.73_m2}',
        text: 'eGFR greater than or equal to 45 mL/min/1.73 m2',
        section: 'inclusion',
      },
      { loinc: '4548-4', name: 'HbA1c', comparator: '>', value: 8.0067, unit: '%', text: 'HbA1c > 64 mmol/mol', section: 'exclusion' },
      { loinc: '1975-2', name: 'Total bilirubin', comparator: '>', value: 2, unit: 'mg/dL', text: 'Total bilirubin > 2 mg/dL', section: 'exclusion' },
    ]);
  });

  it('converts per-microlitre counts and g/L hemoglobin, and reads comparators written in words', () => {
    const text = [
      'ANC at least 1000 cells/µL',
      'Platelet count no more than 450,000/mm^3',
      'Haemoglobin less than 90 g/L',
      'Bilirubin not more than 25.65 µmol/L',
      'Hemoglobin A1c below 10%',
    ].join('\n');
    expect(extractLabCriteria(text).map(({ loinc, comparator, value, unit }) => `${loinc} ${comparator} ${value} ${unit}`)).toEqual([
      '751-8 >= 1 10*3/uL',
      '777-3 <= 450 10*3/uL',
      '718-7 < 9 g/dL',
      '1975-2 <= 1.4996 mg/dL',
      '4548-4 < 10 %',
    ]);
  });

  it('does not read HbA1c as hemoglobin, a decimal comma, or a unit it cannot convert', () => {
    expect(extractLabCriteria('* glycated hemoglobin ≤ 8%\n* ANC ≥ 1,5 x 10^9/L\n* Hemoglobin ≥ 5.6 mmol/L\n* Platelets ≥ 100')).toEqual([
      { loinc: '4548-4', name: 'HbA1c', comparator: '<=', value: 8, unit: '%', text: 'glycated hemoglobin ≤ 8%', section: 'inclusion' },
    ]);
  });

  it('gives one criterion when a threshold is repeated in another unit', () => {
    expect(extractLabCriteria('Platelets ≥ 100 x 10^9/L (100,000/mm3); platelet count ≥ 100 x 10^3/uL')).toHaveLength(1);
  });
});

describe('extractExcludedVariants', () => {
  it('finds genomic mentions in the exclusion section only', () => {
    expect(extractExcludedVariants(CRITERIA)).toEqual([
      { gene: 'EGFR', proteinChange: 'p.T790M', mention: 'EGFR T790M' },
      { gene: 'KRAS', proteinChange: 'p.G12C', mention: 'KRAS G12C' },
    ]);
  });

  it('finds none when the text has no exclusion section', () => {
    expect(extractExcludedVariants('Inclusion Criteria:\n* BRAF V600E mutation')).toEqual([]);
  });
});
