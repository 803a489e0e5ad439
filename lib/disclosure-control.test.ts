import { minimumCellFor, protectDimension, protectTotal } from './disclosure-control';
import { MIN_RESEARCH_CELL } from './patient-access';

describe('minimumCellFor', () => {
  it('gives researchers the research minimum and every other role no minimum', () => {
    expect(minimumCellFor({ role: 'researcher' })).toBe(MIN_RESEARCH_CELL);
    expect(['clinician', 'partner', 'admin', 'service'].map((role) => minimumCellFor({ role: role as 'admin' }))).toEqual([0, 0, 0, 0]);
  });
});

describe('protectTotal', () => {
  it('shows a total of at least the minimum and hides a smaller one, empty included', () => {
    expect([11, 12, 10, 1, 0].map((total) => protectTotal(total, 11))).toEqual([11, 12, null, null, null]);
  });

  it('shows every total, zero included, when there is no minimum', () => {
    expect([0, 1, 10].map((total) => protectTotal(total, 0))).toEqual([0, 1, 10]);
  });
});

describe('protectDimension (primary and secondary cell suppression)', () => {
  it('leaves every cell as it is when there is no minimum', () => {
    expect(protectDimension([11, 1, 0, 3], 0)).toEqual([11, 1, 0, 3]);
  });

  it('hides a lone small cell and the next smallest with it: total 12, FEMALE 11, MALE 1 shows neither', () => {
    expect(protectDimension([11, 1], 11)).toEqual([null, null]);
  });

  it('shows empty cells, never counts them as small, and never picks one to hide another', () => {
    expect(protectDimension([11, 0, 1, 20], 11)).toEqual([null, 0, null, 20]);
  });

  it('adds nothing when the small cells together already hold the minimum', () => {
    expect(protectDimension([5, 6, 30], 11)).toEqual([null, null, 30]);
  });

  it('adds the next smallest cell when two small cells together hold fewer than the minimum', () => {
    expect(protectDimension([1, 1, 15, 20], 11)).toEqual([null, null, null, 20]);
  });

  it('picks the first of equally small cells, so the same counts always hide the same cells', () => {
    expect(protectDimension([12, 3, 12], 11)).toEqual([null, null, 12]);
  });

  it('shows a dimension without small cells whole', () => {
    expect(protectDimension([11, 0, 40], 11)).toEqual([11, 0, 40]);
    expect(protectDimension([], 11)).toEqual([]);
  });

  it('hides every cell of a dimension whose total is under the minimum', () => {
    expect(protectDimension([4, 3, 0], 11)).toEqual([null, null, 0]);
  });

  it('never leaves a hidden cell recoverable by subtraction: the hidden cells hold none or at least the minimum', () => {
    // Deterministic pseudo-random dimensions (a linear congruential generator), 2-9 cells of 0-30.
    let seed = 20261205;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 2000; run += 1) {
      const cells = Array.from({ length: 2 + next(8) }, () => next(31));
      const total = cells.reduce((a, b) => a + b, 0);
      const shown = protectDimension(cells, MIN_RESEARCH_CELL);
      const hidden = cells.reduce((sum, cell, i) => sum + (shown[i] === null ? cell : 0), 0);
      expect(shown.every((cell, i) => cell === null || cell === cells[i])).toBe(true);
      expect(shown.every((cell) => cell === null || cell === 0 || cell >= MIN_RESEARCH_CELL)).toBe(true);
      if (total < MIN_RESEARCH_CELL) continue; // the total itself is hidden (protectTotal)
      expect(hidden === 0 || hidden >= MIN_RESEARCH_CELL).toBe(true);
      // Exactly one hidden cell can always be recovered from the total: never leave one alone.
      expect(shown.filter((cell) => cell === null).length).not.toBe(1);
    }
  });

  it('refuses counts that are not whole non-negative numbers', () => {
    expect(() => protectDimension([3, -1], 11)).toThrow('cell 1: -1 is not a count');
    expect(() => protectDimension([2.5], 11)).toThrow('cell 0: 2.5 is not a count');
  });
});
