import { MAX_JSON_NESTING, nestedDeeperThan } from './json-nesting';

/** An object holding an array holding an object ... `levels` levels in all. */
function nested(levels: number): unknown {
  let value: unknown = { leaf: true };
  for (let level = 1; level < levels; level++) value = level % 2 ? [value] : { child: value };
  return value;
}

describe('nestedDeeperThan', () => {
  it('counts objects and arrays, the value itself as level 1, scalars as nothing', () => {
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan(null, 0)).toBe(false);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan({ a: [1, 'x', null] }, 1)).toBe(true);
    expect(nestedDeeperThan({ a: [1, 'x', null] }, 2)).toBe(false);
  });

  it(`allows ${MAX_JSON_NESTING} levels and refuses ${MAX_JSON_NESTING + 1}`, () => {
    expect(nestedDeeperThan(nested(MAX_JSON_NESTING))).toBe(false);
    expect(nestedDeeperThan(nested(MAX_JSON_NESTING + 1))).toBe(true);
  });

  it('walks 100,000 levels without running out of stack', () => {
    expect(nestedDeeperThan(nested(100_000))).toBe(true);
  });
});
