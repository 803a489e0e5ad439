import { requestedHash } from './persisted-queries';

const HASH = 'a'.repeat(64);

describe('requestedHash', () => {
  it('reads extensions.persistedQuery (APQ) and documentId, with or without the sha256: prefix', () => {
    expect(requestedHash({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }, undefined)).toBe(HASH);
    expect(requestedHash({ documentId: HASH }, undefined)).toBe(HASH);
    expect(requestedHash({ documentId: `sha256:${HASH}` }, undefined)).toBe(HASH);
    expect(requestedHash({}, `http://h/graphql?documentId=sha256:${HASH}`)).toBe(HASH);
    expect(requestedHash({ query: '{ __typename }' }, 'http://h/graphql')).toBeUndefined();
  });

  it.each([
    [{ extensions: { persistedQuery: { version: 2, sha256Hash: HASH } } }, 'PERSISTED_QUERY_INVALID_ID', 'extensions.persistedQuery.version 2 is not supported (only 1)'],
    [{ extensions: { persistedQuery: { version: 1, sha256Hash: 'ABC' } } }, 'PERSISTED_QUERY_INVALID_ID', 'extensions.persistedQuery.sha256Hash is not a SHA-256 hash (64 lowercase hex digits)'],
    [{ documentId: 42 }, 'PERSISTED_QUERY_INVALID_ID', 'documentId is not "sha256:<hash>" or a SHA-256 hash (64 lowercase hex digits)'],
    [
      { documentId: HASH, extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } },
      'PERSISTED_QUERY_HASH_MISMATCH',
      'documentId and extensions.persistedQuery.sha256Hash name different documents',
    ],
  ])('refuses %j with a coded error', (params, code, message) => {
    expect(() => requestedHash(params, undefined)).toThrow(expect.objectContaining({ message, extensions: expect.objectContaining({ code }) }));
  });
});
