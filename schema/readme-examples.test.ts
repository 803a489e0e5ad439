import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';

/**
 * The README's example queries are what each user group copies first: every one must be valid against
 * the composed supergraph (the API clients see), so a renamed or removed field fails here, not for them.
 */
describe('README examples', () => {
  const root = path.join(__dirname, '..');
  const schema = getStitchedSchemaFromSupergraphSdl({ supergraphSdl: fs.readFileSync(path.join(root, 'schema', 'supergraph.graphql'), 'utf8') });
  const examples = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has an example for each user group (clinician view, decisions, research, subscriptions, calculator)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((document) => [document.split('\n')[0]!, document]))('%s … is valid against the supergraph', (_first, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
