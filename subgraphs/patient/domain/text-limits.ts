/**
 * Text a person typed into a record (names, identifiers): bounded, and free of control characters.
 * A NUL byte cannot be stored in PostgreSQL text at all (it failed as an internal error), and a
 * megabyte-long name is an attack on every screen and log that shows it, not a name.
 */
/** Longer than any real display name (HL7 v2 XPN components together stay well under it). */
export const MAX_NAME_LENGTH = 200;
/** Identifier systems are URIs and values MRNs, SSNs or UUIDs: 256 leaves room for long OIDs. */
export const MAX_IDENTIFIER_LENGTH = 256;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Why `value` (already trimmed) is not acceptable text of at most `max` characters, or null. */
export function textProblem(value: string, max: number): string | null {
  if (!value) return 'must not be empty';
  if (value.length > max) return `${value.length} characters, more than ${max}`;
  if (CONTROL_CHARACTERS.test(value)) return 'contains a control character';
  return null;
}

/** The first place in a parsed JSON value where a string holds a NUL byte (`code.coding[0].display`), or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}
