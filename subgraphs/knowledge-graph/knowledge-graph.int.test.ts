import { createLogger } from '../../lib/logger';
import type { RunningService } from '../../lib/apollo-http';
import { testNeo4j } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { startKnowledgeGraphService } from './server';

/** Against the seed the global setup loaded (skeleton + curated), through the subgraph itself. */
describe('knowledge-graph subgraph queries', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startKnowledgeGraphService({ neo4j: testNeo4j(), host: '127.0.0.1', port: 0, log: createLogger('test', 'silent') });
  });

  afterAll(async () => {
    await service.close();
  });

  it('finds drugs by part of their name', async () => {
    const response = await gql<{ drugs: { name: string }[] }>(service.url, `{ drugs(search: "RAFENIB") { id name } }`);
    expect(response.data!.drugs).toEqual(
      expect.arrayContaining([
        { id: '1424911', name: 'dabrafenib' },
        { id: '1147220', name: 'vemurafenib' },
      ]),
    );
  });

  it('filters trials by gene, by a patient variant it requires, and by phase', async () => {
    const byGene = await gql<{ trials: { nctId: string }[] }>(service.url, `{ trials(filter: { gene: "KRAS" }) { nctId } }`);
    expect(byGene.data!.trials.map((t) => t.nctId)).toContain('NCT03600883');
    // EGFR L858R: FLAURA requires the genomic variant itself; EURTAC requires "L858R", which it encodes.
    const byVariant = await gql<{ trials: { nctId: string; phase: string }[] }>(
      service.url,
      `{ trials(filter: { variant: "GRCh38:7:55191822:T:G", phase: "PHASE3" }) { nctId phase } }`,
    );
    expect(byVariant.data!.trials).toEqual(
      expect.arrayContaining([
        { nctId: 'NCT02296125', phase: 'PHASE3' },
        { nctId: 'NCT00446225', phase: 'PHASE3' },
      ]),
    );
    expect(byVariant.data!.trials.every((t) => t.phase === 'PHASE3')).toBe(true);
  });

  it('returns a rare disease with its HPO phenotypes, and finds phenotypes by text', async () => {
    const disease = await gql<{ disease: { name: string; phenotypes: { phenotype: { id: string; name: string }; evidence: string }[] } }>(
      service.url,
      `{ disease(id: "OMIM:147920") { id name phenotypes { phenotype { id name } evidence } } }`,
    );
    expect(disease.data!.disease.name).toBe('KABUKI SYNDROME');
    expect(disease.data!.disease.phenotypes).toContainEqual({ phenotype: { id: 'HP:0000175', name: 'Cleft palate' }, evidence: 'IEA' });
    const search = await gql<{ phenotypeSearch: { id: string; name: string }[] }>(service.url, `{ phenotypeSearch(text: "cleft palate") { id name } }`);
    expect(search.data!.phenotypeSearch[0]).toEqual({ id: 'HP:0000175', name: 'Cleft palate' });
  });

  it("lists a gene's drugs from its sensitivity evidence", async () => {
    const response = await gql<{ gene: { drugs: { name: string }[] } }>(service.url, `{ gene(symbol: "EGFR") { drugs { name } } }`);
    expect(response.data!.gene.drugs.map((d) => d.name)).toEqual(expect.arrayContaining(['osimertinib', 'erlotinib']));
  });

  it('treats a Cypher injection attempt as text, and refuses a one-letter search', async () => {
    const injection = await gql(service.url, `query ($text: String!) { phenotypeSearch(text: $text) { id } }`, { text: "') MATCH (n) DETACH DELETE n //" });
    expect(injection).toEqual({ data: { phenotypeSearch: [] } });
    const still = await gql<{ drugs: unknown[] }>(service.url, `{ drugs(search: "osimertinib") { id } }`);
    expect(still.data!.drugs).toHaveLength(1);
    const tooShort = await gql(service.url, `{ drugs(search: "a") { id } }`);
    expect(tooShort.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
