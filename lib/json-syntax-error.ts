const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Offset of the first character that makes `text` invalid JSON (RFC 8259), or undefined when it is valid.
 * Node 20's JSON.parse names no position for many errors ("Unexpected token ..., "<text>" is not valid
 * JSON") and quotes the file's content, which may be patient data; this names only where.
 */
export function jsonSyntaxErrorAt(text: string): number | undefined {
  let i = 0;
  const space = () => {
    while (JSON_WHITESPACE.has(text[i] ?? '')) i++;
  };
  const string = (): boolean => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') return false;
      if (c === '"') {
        i++;
        return true;
      }
      if (c !== '\\') i++;
      else if (text[i + 1] === 'u') {
        i += 2;
        for (const end = i + 4; i < end; i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) return false;
      } else if ('"\\/bfnrt'.includes(text[i + 1] ?? '!')) i += 2;
      else {
        i++;
        return false;
      }
    }
  };
  const container = (close: string, keyed: boolean): boolean => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return true;
    }
    for (;;) {
      if (keyed) {
        space();
        if (text[i] !== '"' || !string()) return false;
        space();
        if (text[i] !== ':') return false;
        i++;
      }
      if (!value()) return false;
      space();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return true;
      } else return false;
    }
  };
  const value = (): boolean => {
    space();
    const c = text[i];
    if (c === '{') return container('}', true);
    if (c === '[') return container(']', false);
    if (c === '"') return string();
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
    if (literal) {
      i += literal.length;
      return true;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (!number) return false;
    i += number[0].length;
    return true;
  };
  if (!value()) return i;
  space();
  return i < text.length ? i : undefined;
}

/** "malformed JSON at line 3 column 14: unexpected '}'", 1-based, naming one character at most. */
export function describeJsonError(text: string): string {
  const offset = jsonSyntaxErrorAt(text) ?? 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const found = offset >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[offset])}`;
  return `malformed JSON at line ${line} column ${offset - lineStart + 1}: ${found}`;
}
