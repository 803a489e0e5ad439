import { freshnessByCode, groupMedications, relativeAge } from '../dashboard/src/views/patient/summaries';
import { MAX_AGE_DAYS } from '../subgraphs/inference/domain/input-freshness';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe('the patient page summaries (issue 21)', () => {
  it('says how long ago a date was, at a glance', () => {
    expect(relativeAge('2026-12-06T08:00:00Z', NOW)).toBe('today');
    expect(relativeAge('2026-11-24T08:00:00Z', NOW)).toBe('12 d ago');
    expect(relativeAge('2026-07-01T08:00:00Z', NOW)).toBe('5 mo ago');
    expect(relativeAge('2019-04-02T08:00:00Z', NOW)).toBe('7 y ago');
    expect(relativeAge('2026-12-10T13:00:00Z', NOW)).toBe('in 4 d');
  });

  it("takes each LOINC code's maximum age from the risk's dated inputs, a derived eGFR's to its creatinine", () => {
    const observations = [
      { id: 'o1', code: '2093-3' },
      { id: 'o2', code: '8480-6' },
      { id: 'o3', code: '38483-4' },
      { id: 'o4', code: '8867-4' },
    ];
    const byCode = freshnessByCode(
      [
        { input: 'age', sourceId: 'patient', maxAgeDays: null },
        { input: 'totalCholesterol', sourceId: 'o1', maxAgeDays: MAX_AGE_DAYS.totalCholesterol },
        { input: 'systolicBp', sourceId: 'o2', maxAgeDays: MAX_AGE_DAYS.systolicBp },
        { input: 'egfr', sourceId: null, maxAgeDays: MAX_AGE_DAYS.creatinine, derivation: { inputs: [{ name: 'creatinine', sourceId: 'o3' }, { name: 'age', sourceId: 'patient' }] } },
      ],
      observations,
    );
    expect(Object.fromEntries(byCode)).toEqual({
      '2093-3': { input: 'totalCholesterol', maxAgeDays: 1825 },
      '8480-6': { input: 'systolicBp', maxAgeDays: 365 },
      '38483-4': { input: 'egfr', maxAgeDays: 365 },
    });
  });

  it('folds every order and refill of a drug into one row, current drugs first', () => {
    const order = (id: string, code: string, display: string, status: string, authoredAt: string) => ({ id, code: { system: RXNORM, code, display }, status, authoredAt });
    const groups = groupMedications([
      order('a', '314076', 'lisinopril 10 MG Oral Tablet', 'stopped', '2017-03-01T00:00:00Z'),
      order('b', '314076', 'lisinopril 10 MG Oral Tablet', 'stopped', '2018-03-01T00:00:00Z'),
      order('c', '314076', 'lisinopril 10 MG Oral Tablet', 'active', '2026-03-01T00:00:00Z'),
      order('d', '849574', 'Naproxen sodium 220 MG Oral Tablet', 'stopped', '2025-01-01T00:00:00Z'),
      { id: 'e', code: { system: 'urn:local', code: 'x', display: 'Atenolol  50 mg' }, status: 'completed', authoredAt: '2020-01-01T00:00:00Z' },
      { id: 'f', code: { system: 'urn:other', code: 'y', display: 'atenolol 50 MG' }, status: 'completed', authoredAt: '2021-01-01T00:00:00Z' },
    ]);
    expect(groups.map((g) => ({ key: g.key, status: g.status, n: g.records.length, first: g.first, last: g.last }))).toEqual([
      { key: 'rxnorm:314076', status: 'active', n: 3, first: '2017-03-01T00:00:00Z', last: '2026-03-01T00:00:00Z' },
      { key: 'rxnorm:849574', status: 'stopped', n: 1, first: '2025-01-01T00:00:00Z', last: '2025-01-01T00:00:00Z' },
      { key: 'name:atenolol 50 mg', status: 'completed', n: 2, first: '2020-01-01T00:00:00Z', last: '2021-01-01T00:00:00Z' },
    ]);
    expect(groups[0]!.records.map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
});
