import { describeJsonError, jsonSyntaxErrorAt } from './json-syntax-error';

describe('jsonSyntaxErrorAt', () => {
  it.each(['{}', ' [ ] ', '{"a": [1, -2.5e3, true, false, null], "b": "\\u00e9\\n\\"", "c": {"d": 0}}\n', '"text"', '0'])(
    'finds nothing wrong with %j, as JSON.parse does not',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxErrorAt(text)).toBeUndefined();
    },
  );

  it.each(['{"a": 1,}', '{"a" 1}', '[1 2]', '{"a": 01}', '{"a": "\u0001"}', '{"a": "\\x"}', '{"a": "\\u12x4"}'])(
    'agrees with the position JSON.parse reports for %j',
    (text) => {
      const position = Number(/at position (\d+)/.exec(errorOf(text))?.[1]);
      expect(jsonSyntaxErrorAt(text)).toBe(position);
    },
  );
});

function errorOf(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('describeJsonError', () => {
  it.each([
    ['{"a":}', 'malformed JSON at line 1 column 6: unexpected "}"'],
    ['[1,2,]', 'malformed JSON at line 1 column 6: unexpected "]"'],
    ['{"a": 1', 'malformed JSON at line 1 column 8: unexpected end of input'],
    ['{"a": tru}', 'malformed JSON at line 1 column 7: unexpected "t"'],
    ['{"a": 1} x', 'malformed JSON at line 1 column 10: unexpected "x"'],
    ['{\n"a" 1}', 'malformed JSON at line 2 column 5: unexpected "1"'],
  ])('locates the error in %j by line and column', (text, expected) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(describeJsonError(text)).toBe(expected);
  });
});
