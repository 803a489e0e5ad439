import { APOLLO_MANIFEST_FORMAT, CODEGEN_MANIFEST_FORMAT, documentHash, parseManifest } from './manifests';

const KB = 'query KnowledgeBases { knowledgeBaseVersions { source version } }';
const RISK = 'query Risk($input: RiskInput!) { cardiovascularRisk(input: $input) { pce10y } }';

const apollo = (operations: unknown[]) => ({ format: APOLLO_MANIFEST_FORMAT, version: 1, operations });

describe('parseManifest', () => {
  it('reads an Apollo persisted query manifest', () => {
    const manifest = parseManifest(
      apollo([
        { id: documentHash(KB), name: 'KnowledgeBases', type: 'query', body: KB },
        { id: documentHash(RISK), name: 'Risk', type: 'query', body: RISK },
      ]),
    );
    expect(manifest).toEqual({
      format: APOLLO_MANIFEST_FORMAT,
      documents: [
        { sha256: documentHash(KB), body: KB, operationName: 'KnowledgeBases', operationType: 'query' },
        { sha256: documentHash(RISK), body: RISK, operationName: 'Risk', operationType: 'query' },
      ],
    });
  });

  it("reads GraphQL Code Generator's persisted-documents.json", () => {
    expect(parseManifest({ [documentHash(KB)]: KB })).toEqual({
      format: CODEGEN_MANIFEST_FORMAT,
      documents: [{ sha256: documentHash(KB), body: KB, operationName: 'KnowledgeBases', operationType: 'query' }],
    });
  });

  it('keeps one document per id when an entry repeats', () => {
    const entry = { id: documentHash(KB), name: 'KnowledgeBases', type: 'query', body: KB };
    expect(parseManifest(apollo([entry, entry])).documents).toHaveLength(1);
  });

  it('refuses the whole manifest naming the first entry whose id is not the hash of its body', () => {
    const wrong = { id: documentHash(KB), name: 'Risk', type: 'query', body: RISK };
    expect(() => parseManifest(apollo([{ id: documentHash(KB), name: 'KnowledgeBases', type: 'query', body: KB }, wrong, wrong]))).toThrow(
      `operations[1] (id ${documentHash(KB).slice(0, 12)}…, Risk): id is not the SHA-256 of its document (which hashes to ${documentHash(RISK)})`,
    );
    expect(() => parseManifest({ [documentHash(KB)]: RISK })).toThrow(`entry "${documentHash(KB).slice(0, 12)}…": id is not the SHA-256 of its document`);
  });

  it('names a SHA-1 id and how to switch the client preset to SHA-256', () => {
    expect(() => parseManifest({ da39a3ee5e6b4b0d3255bfef95601890afd80709: KB })).toThrow(
      `entry "da39a3ee5e6b…": id "da39a3ee5e6b4b0d3255bfef95601890afd80709" is not a SHA-256 hash (64 lowercase hex digits) (a SHA-1: set the client preset's persistedDocuments.hashAlgorithm to 'sha256')`,
    );
  });

  it.each([
    ['a document that does not parse', '{ knowledgeBaseVersions {', /the document does not parse: Syntax Error/],
    ['a document with two operations', 'query A { __typename } query B { __typename }', /the document has 2 operations; a persisted document holds exactly one/],
    ['an empty document', ' ', /the document is missing or empty/],
  ])('refuses %s', (_what, body, message) => {
    expect(() => parseManifest({ [documentHash(body)]: body })).toThrow(message);
  });

  it('refuses an Apollo entry whose declared type or name disagrees with its document', () => {
    expect(() => parseManifest(apollo([{ id: documentHash(KB), name: 'KnowledgeBases', type: 'mutation', body: KB }]))).toThrow(
      /type "mutation" but the document is a query/,
    );
    expect(() => parseManifest(apollo([{ id: documentHash(KB), name: 'Other', type: 'query', body: KB }]))).toThrow(
      /name "Other" but the document's operation is "KnowledgeBases"/,
    );
  });

  it.each([
    ['an array', [], /a manifest is a JSON object/],
    ['an unknown format', { format: 'relay', operations: [] }, /manifest format "relay" is not known/],
    ['another Apollo manifest version', { format: APOLLO_MANIFEST_FORMAT, version: 2, operations: [] }, /version 2 is not supported/],
    ['an empty manifest', {}, /the manifest holds no operations/],
  ])('refuses %s', (_what, json, message) => {
    expect(() => parseManifest(json)).toThrow(message);
  });
});
