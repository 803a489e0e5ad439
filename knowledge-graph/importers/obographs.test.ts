import fs from 'node:fs';
import path from 'node:path';
import { ImportInputError } from './common';
import { readObographs } from './obographs';

const FIXTURE = path.join(__dirname, 'fixtures', 'hpo', 'mini-hp.json');

describe('OBO Graphs (hp.json) reader', () => {
  it('reads HP classes with label, synonyms, is_a parents, deprecation and replacement, and the release from meta.version', () => {
    const ontology = readObographs(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE);
    expect(ontology.version).toBe('2099-01-31');
    expect(ontology.terms).toEqual([
      { id: 'HP:9900001', name: 'Test root', synonyms: [], parents: [], obsolete: false, replacedBy: [], line: 1 },
      { id: 'HP:9900002', name: 'Test abnormality of the "thing"', synonyms: ['Abnormal thing', 'Odd thing'], parents: ['HP:9900001'], obsolete: false, replacedBy: [], line: 2 },
      // A non-is_a edge and an is_a edge to a non-HP class are not parents.
      { id: 'HP:9900003', name: 'Test specific abnormality', synonyms: [], parents: ['HP:9900002', 'HP:9900001'], obsolete: false, replacedBy: [], line: 3 },
      { id: 'HP:9900004', name: 'obsolete Test old term', synonyms: [], parents: [], obsolete: true, replacedBy: ['HP:9900003'], line: 4 },
    ]);
  });

  it('refuses a file that is not JSON, or JSON without graphs, naming the file', () => {
    expect(() => readObographs('format-version: 1.2', 'hp.obo')).toThrow(ImportInputError);
    expect(() => readObographs('format-version: 1.2', 'hp.obo')).toThrow(/HPO ontology hp\.obo: not JSON/);
    expect(() => readObographs('{"nodes": []}', 'x.json')).toThrow(/x\.json: not an OBO Graphs document/);
  });
});
