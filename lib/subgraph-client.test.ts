import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphClient } from './subgraph-client';
import { InferenceGeneGuidelinesDocument } from './contracts/generated/knowledge-graph/graphql';
import { InferenceOutcomeCountDocument } from './contracts/generated/patient/graphql';

/** A stand-in subgraph that records each request body and answers with the next canned response. */
async function fakeSubgraph(responses: unknown[]): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(responses.shift()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // fetch keeps its sockets alive: without this the file's worker did not exit gracefully.
        server.closeAllConnections();
      }),
  };
}

const credentials = async () => 'assertion';

describe('SubgraphClient with generated operations', () => {
  it('posts a generated operation text with its variables and returns its data', async () => {
    const subgraph = await fakeSubgraph([{ data: { cohort: { count: 12 } } }]);
    try {
      const client = new SubgraphClient('patient', subgraph.url, credentials);
      await expect(client.execute(InferenceOutcomeCountDocument, { code: '22298006' })).resolves.toEqual({ cohort: { count: 12 } });
      expect(subgraph.bodies).toEqual([{ query: InferenceOutcomeCountDocument.toString(), variables: { code: '22298006' } }]);
      expect(InferenceOutcomeCountDocument.toString()).toContain('query InferenceOutcomeCount($code: String!)');
    } finally {
      await subgraph.close();
    }
  });

  it("asks `_entities` for the type the operation's fragment names, in the order given, nulls kept", async () => {
    const rows = [{ symbol: 'CYP2C19', guidelines: [] }, null];
    const subgraph = await fakeSubgraph([{ data: { _entities: rows } }]);
    try {
      const client = new SubgraphClient('knowledge-graph', subgraph.url, credentials);
      await expect(client.entitiesOf(InferenceGeneGuidelinesDocument, [{ symbol: 'CYP2C19' }, { symbol: 'NOPE' }])).resolves.toEqual(rows);
      expect(subgraph.bodies).toEqual([
        { query: InferenceGeneGuidelinesDocument.toString(), variables: { representations: [{ __typename: 'Gene', symbol: 'CYP2C19' }, { __typename: 'Gene', symbol: 'NOPE' }] } },
      ]);
      await expect(client.entitiesOf(InferenceGeneGuidelinesDocument, [])).resolves.toEqual([]);
      expect(subgraph.bodies).toHaveLength(1);
    } finally {
      await subgraph.close();
    }
  });

  it('fails the call on any GraphQL error, naming the subgraph', async () => {
    const subgraph = await fakeSubgraph([{ data: null, errors: [{ message: 'Cannot query field "count"' }] }]);
    try {
      const client = new SubgraphClient('patient', subgraph.url, credentials);
      await expect(client.execute(InferenceOutcomeCountDocument, { code: 'x' })).rejects.toThrow(`patient subgraph at ${subgraph.url} failed: Cannot query field "count"`);
    } finally {
      await subgraph.close();
    }
  });
});
