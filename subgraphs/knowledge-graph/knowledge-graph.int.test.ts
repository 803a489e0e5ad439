import fs from 'node:fs';
import path from 'node:path';
import { importCivic } from '../../knowledge-graph/importers/civic';
import { importHpo } from '../../knowledge-graph/importers/hpo';
import { importTrials } from '../../knowledge-graph/importers/trials';
import { randomDigits, randomTag, tempDir, testExecutor } from '../../knowledge-graph/importers/test-support';
import { createLogger } from '../../lib/logger';
import type { RunningService } from '../../lib/apollo-http';
import { testNeo4j } from '../../tests/support/config';
import { gql } from '../../tests/support/graphql';
import { startKnowledgeGraphService } from './server';
import { testAssertions } from '../../tests/support/auth';

/** Against the seed the global setup loaded (skeleton + curated), through the subgraph itself. */
describe('knowledge-graph subgraph queries', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startKnowledgeGraphService({ neo4j: testNeo4j(), host: '127.0.0.1', port: 0, log: createLogger('test', 'silent'), assertions: testAssertions() });
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

  it("gives each annotated disease of the phenotype corpus its modes of inheritance, once each and sorted, and none to the seed's", async () => {
    // A release of this test's own: one term, one disease annotated with it, autosomal recessive and dominant (HPO ids)
    // stated by two references each, and a NOT-qualified X-linked row.
    const executor = testExecutor();
    const tag = randomTag();
    const term = `HP:${randomDigits(7)}`;
    const omim = `OMIM:${randomDigits(6)}`;
    const dir = tempDir();
    const modes = [
      ['HP:0000005', 'Mode of inheritance', 'HP:0000001'],
      ['HP:0000006', 'Autosomal dominant inheritance', 'HP:0000005'],
      ['HP:0000007', 'Autosomal recessive inheritance', 'HP:0000005'],
      ['HP:0001417', 'X-linked inheritance', 'HP:0000005'],
    ];
    fs.writeFileSync(
      path.join(dir, 'hp.obo'),
      `format-version: 1.2\ndata-version: hp/releases/2031-${randomDigits(8)}\n\n[Term]\nid: ${term}\nname: Finding ${tag}\n\n` +
        modes.map(([id, name, parent]) => `[Term]\nid: ${id}\nname: ${name}\nis_a: ${parent}\n`).join('\n'),
    );
    const header = ['database_id', 'disease_name', 'qualifier', 'hpo_id', 'reference', 'evidence', 'onset', 'frequency', 'sex', 'modifier', 'aspect', 'biocuration'];
    const row = (hpo: string, reference: string, aspect: string, qualifier = '') =>
      [omim, `Syndrome ${tag}`, qualifier, hpo, reference, 'TAS', '', '', '', '', aspect, 'HPO:test[2031-01-01]'].join('\t');
    const rows = [row(term, omim, 'P'), row('HP:0000007', omim, 'I'), row('HP:0000006', 'PMID:1', 'I'), row('HP:0000007', 'PMID:2', 'I'),
      row('HP:0000006', omim, 'I'), row('HP:0001417', omim, 'I', 'NOT')];
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), `${header.join('\t')}\n${rows.join('\n')}\n`);
    await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    try {
      type Corpus = { phenotypeCorpus: { diseases: { id: string; inheritance: string[] }[] } };
      const response = await gql<Corpus>(service.url, `{ phenotypeCorpus { diseases { id inheritance } } }`);
      expect(response.errors).toBeUndefined();
      const diseases = response.data!.phenotypeCorpus.diseases;
      expect(diseases.find((d) => d.id === omim)).toEqual({ id: omim, inheritance: ['HP:0000006', 'HP:0000007'] });
      // Marfan syndrome (OMIM:154700), a seed disease: the 2015 seed keeps no mode of inheritance.
      expect(diseases.find((d) => d.id === 'OMIM:154700')).toEqual({ id: 'OMIM:154700', inheritance: [] });
    } finally {
      await executor.write('MATCH (d:Disease {id: $omim}) DETACH DELETE d', { omim });
      await executor.close();
    }
  });

  it("lists a gene's drugs from its sensitivity evidence", async () => {
    const response = await gql<{ gene: { drugs: { name: string }[] } }>(service.url, `{ gene(symbol: "EGFR") { drugs { name } } }`);
    expect(response.data!.gene.drugs.map((d) => d.name)).toEqual(expect.arrayContaining(['osimertinib', 'erlotinib']));
  });

  it("lists a gene's diseases from ASSOCIATED_GENE, each with where the association comes from", async () => {
    const response = await gql<{ gene: { diseases: { disease: { id: string; name: string }; source: string | null; reference: string | null }[] } }>(
      service.url,
      `{ gene(symbol: "KMT2D") { diseases { disease { id name } source reference } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.gene.diseases).toContainEqual({
      disease: { id: 'OMIM:147920', name: 'KABUKI SYNDROME' },
      source: expect.stringContaining('genemap2') as unknown as string,
      reference: 'OMIM:602113',
    });
    const names = response.data!.gene.diseases.map((d) => d.disease.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // A gene without associations: an empty list, not an error.
    const none = await gql<{ gene: { diseases: unknown[] } }>(service.url, `{ gene(symbol: "EGFR") { diseases { disease { id } } } }`);
    expect(none.data!.gene.diseases).toEqual([]);
  });

  it('treats a Cypher injection attempt as text, and refuses a one-letter search', async () => {
    const injection = await gql(service.url, `query ($text: String!) { phenotypeSearch(text: $text) { id } }`, { text: "') MATCH (n) DETACH DELETE n //" });
    expect(injection).toEqual({ data: { phenotypeSearch: [] } });
    const still = await gql<{ drugs: unknown[] }>(service.url, `{ drugs(search: "osimertinib") { id } }`);
    expect(still.data!.drugs).toHaveLength(1);
    const tooShort = await gql(service.url, `{ drugs(search: "a") { id } }`);
    expect(tooShort.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists every evidence item of a genomic variant, with what it encodes and a source that leads back to the record', async () => {
    // BRAF V600E (GRCh38:7:140753336:A:T) encodes the CIViC protein-level BRAF:V600E and codon-level BRAF:V600.
    const executor = testExecutor();
    const eid = randomDigits(9);
    const header = ['molecular_profile', 'molecular_profile_id', 'disease', 'doid', 'therapies', 'evidence_type', 'evidence_direction',
      'evidence_level', 'significance', 'citation_id', 'source_type', 'citation', 'evidence_status', 'evidence_id', 'evidence_statement'];
    const values = ['BRAF V600E', '12', 'Colorectal Cancer', '9256', '', 'Prognostic', 'Supports', 'B', 'Poor Outcome', '19603024',
      'PubMed', 'Samowitz et al., 2005', 'accepted', eid, 'BRAF V600E was associated with poor survival in colorectal cancer.'];
    const file = path.join(tempDir(), 'nightly-ClinicalEvidenceSummaries.tsv');
    fs.writeFileSync(file, `${header.join('\t')}\n${values.join('\t')}\n`);
    await importCivic(executor, file, { version: 'test-prognostic' });
    try {
      type Evidence = { id: string; type: string; level: string; significance: string; drugs: { name: string }[]; evidenceFor: string;
        source: { name: string; recordId: string; url: string | null; version: string | null } };
      const response = await gql<{ _entities: { encodes: string[]; evidence: Evidence[]; prognostic: Evidence[] }[] }>(
        service.url,
        `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Variant {
          encodes
          evidence { id type level significance drugs { name } evidenceFor source { name recordId url version } }
          prognostic: evidence(types: [PROGNOSTIC]) { id type level significance drugs { name } evidenceFor source { name recordId url version } }
        } } }`,
        { representations: [{ __typename: 'Variant', id: 'GRCh38:7:140753336:A:T' }] },
      );
      expect(response.errors).toBeUndefined();
      const variant = response.data!._entities[0]!;
      expect(variant.encodes).toEqual(['BRAF:V600', 'BRAF:V600E']);
      expect(variant.prognostic).toEqual([
        {
          id: `civic:EID${eid}`, type: 'PROGNOSTIC', level: 'B', significance: 'Poor Outcome', drugs: [], evidenceFor: 'V600E',
          // The release the evidence came from, as the import named it (not the run's internal id).
          source: { name: 'CIViC test-prognostic', recordId: `EID${eid}`, url: `https://civicdb.org/evidence/${eid}/summary`, version: 'test-prognostic' },
        },
      ]);
      // Best level first; the seed's own record links its PubMed citation; CIViC records link CIViC.
      const levels = variant.evidence.map((e) => e.level);
      expect(levels).toEqual([...levels].sort());
      expect(variant.evidence.length).toBeGreaterThan(10);
      const seed = variant.evidence.find((e) => e.id === 'seed:braf-v600e-vemurafenib-melanoma')!;
      expect(seed.source).toMatchObject({ recordId: 'seed:braf-v600e-vemurafenib-melanoma', url: expect.stringMatching(/^https:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/\d+\/$/) });
      const civic = variant.evidence.find((e) => e.source.recordId === 'EID1409')!;
      expect(civic).toMatchObject({ type: 'PREDICTIVE', level: 'A', evidenceFor: 'V600E', source: { name: 'CIViC', url: expect.stringContaining('1409') } });
      expect(variant.evidence.every((e) => e.source.recordId && e.source.name)).toBe(true);
    } finally {
      await executor.write('MATCH (e:Evidence {id: $id}) DETACH DELETE e', { id: `civic:EID${eid}` });
      await executor.close();
    }
  });

  it("gives a drug's gene interactions and CPIC guidelines, and a pharmacogene's guidelines with their phenotypes", async () => {
    const response = await gql<{
      clopidogrel: { rxnormCui: string; interactions: { gene: { symbol: string }; kind: string; count: number }[] };
      vemurafenib: { interactions: { gene: { symbol: string }; kind: string; bestLevel: string }[] };
      gene: { guidelines: { drug: { name: string }; phenotypes: { gene: string; phenotype: string }[]; recommendation: string; strength: string; population: string; implications: { gene: string; implication: string }[]; comments: string | null; source: string; citations: string[] }[] };
    }>(
      service.url,
      `{ clopidogrel: drug(id: "32968") { rxnormCui interactions { gene { symbol } kind count } }
         vemurafenib: drug(id: "1147220") { interactions { gene { symbol } kind bestLevel } }
         gene(symbol: "CYP2C19") { guidelines { drug { name } phenotypes { gene phenotype } recommendation strength population implications { gene implication } comments source citations } } }`,
    );
    const data = response.data!;
    expect(data.clopidogrel.rxnormCui).toBe('32968');
    expect(data.clopidogrel.interactions).toContainEqual({ gene: { symbol: 'CYP2C19' }, kind: 'PHARMACOGENOMIC', count: 24 });
    expect(data.vemurafenib.interactions).toContainEqual({ gene: { symbol: 'BRAF' }, kind: 'SENSITIVITY', bestLevel: 'A' });
    const poor = data.gene.guidelines.filter((g) => g.drug.name === 'clopidogrel' && g.phenotypes.some((p) => p.phenotype === 'Poor Metabolizer'));
    expect(poor.length).toBeGreaterThan(0);
    expect(poor[0]).toMatchObject({ source: 'CPIC', strength: expect.any(String), recommendation: expect.stringMatching(/prasugrel|ticagrelor|alternative/i) });
    expect(poor[0]!.citations.some((c) => c.includes('PMID:35034351'))).toBe(true);
    // CPIC 2022 (Lee CR et al.) gives a poor metabolizer one recommendation per indication, each with CPIC's implication and comment.
    expect(poor.map((g) => g.population).sort()).toEqual(['CVI ACS PCI', 'CVI non-ACS non-PCI', 'NVI']);
    const acs = poor.find((g) => g.population === 'CVI ACS PCI')!;
    expect(acs.implications).toEqual([{ gene: 'CYP2C19', implication: expect.stringMatching(/^Significantly reduced clopidogrel active metabolite formation/) }]);
    expect(acs.comments).toMatch(/^For cardiovascular indications of acute coronary syndrome \(ACS\)/);
  });

  it('filters trials by status and by distance to a site, and gives their eligibility', async () => {
    const executor = testExecutor();
    const nct = `NCT${randomDigits(8)}`;
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, `${nct}.json`),
      JSON.stringify({
        protocolSection: {
          identificationModule: { nctId: nct, briefTitle: 'Sotorasib in KRAS G12C NSCLC (test)' },
          statusModule: { overallStatus: 'RECRUITING' },
          designModule: { phases: ['PHASE2'] },
          conditionsModule: { conditions: ['Non-small Cell Lung Cancer'] },
          eligibilityModule: {
            eligibilityCriteria: 'Inclusion Criteria:\n* KRAS G12C mutation\n* Hemoglobin >= 9 g/dL\nExclusion Criteria:\n* EGFR L858R',
            sex: 'ALL', minimumAge: '18 Years',
          },
          contactsLocationsModule: { locations: [{ facility: 'Charité', city: 'Berlin', country: 'Germany', geoPoint: { lat: 52.52437, lon: 13.41053 } }] },
        },
      }),
    );
    await importTrials(executor, dir, { version: 'test-near' });
    try {
      const query = `query ($filter: TrialFilter!) { trials(filter: $filter) { nctId status } }`;
      const near = (lat: number, lon: number, radiusKm: number) => ({ status: 'recruiting', near: { latitude: lat, longitude: lon, radiusKm } });
      // Potsdam is ~27 km from Berlin Mitte; Paris ~880 km.
      const potsdam = await gql<{ trials: { nctId: string; status: string }[] }>(service.url, query, { filter: near(52.3906, 13.0645, 50) });
      expect(potsdam.data!.trials).toContainEqual({ nctId: nct, status: 'RECRUITING' });
      const paris = await gql<{ trials: { nctId: string }[] }>(service.url, query, { filter: near(48.8566, 2.3522, 50) });
      expect(paris.data!.trials.map((t) => t.nctId)).not.toContain(nct);
      const completed = await gql<{ trials: { nctId: string }[] }>(service.url, query, { filter: { status: 'COMPLETED', gene: 'KRAS' } });
      expect(completed.data!.trials.map((t) => t.nctId)).not.toContain(nct);

      const trial = await gql<{ trial: unknown }>(
        service.url,
        `{ trial(nctId: "${nct}") { status eligibility { minimumAge maximumAge sex requiredVariants { id } excludedVariants { id }
           labCriteria { loinc comparator value unit section } } sites { city latitude longitude } } }`,
      );
      expect(trial.data!.trial).toEqual({
        status: 'RECRUITING',
        eligibility: {
          minimumAge: 18, maximumAge: null, sex: 'ALL',
          requiredVariants: [{ id: 'GRCh38:12:25245351:C:A' }, { id: 'KRAS:G12C' }],
          excludedVariants: [{ id: 'EGFR:L858R' }, { id: 'GRCh38:7:55191822:T:G' }],
          labCriteria: [{ loinc: '718-7', comparator: '>=', value: 9, unit: 'g/dL', section: 'inclusion' }],
        },
        sites: [{ city: 'Berlin', latitude: 52.52437, longitude: 13.41053 }],
      });
      const bad = await gql(service.url, query, { filter: near(95, 0, 10) });
      expect(bad.errors?.[0]).toMatchObject({ message: 'filter.near.latitude: 95 is outside -90..90', extensions: { code: 'BAD_USER_INPUT' } });
    } finally {
      await executor.write('MATCH (t:Trial {nctId: $nct}) OPTIONAL MATCH (t)-[:AT_SITE]->(s) DETACH DELETE t, s', { nct });
      await executor.close();
    }
  });

  it('reports the knowledge-base versions the graph holds, the seed included', async () => {
    const response = await gql<{ knowledgeBaseVersions: { source: string; version: string; status: string; counts: string }[] }>(
      service.url,
      `{ knowledgeBaseVersions { source version status counts } }`,
    );
    const seed = response.data!.knowledgeBaseVersions.find((v) => v.source === 'seed')!;
    expect(seed).toMatchObject({ status: 'completed', version: expect.stringMatching(/^skeleton seed .*CIViC @ .*sha256:[0-9a-f]{12}$/) });
    expect(JSON.parse(seed.counts)).toMatchObject({ guidelines: 145, diseases: 40 });
  });

  it('reports each import run with the checksum and files of the release it read', async () => {
    const header = ['molecular_profile', 'molecular_profile_id', 'disease', 'doid', 'therapies', 'evidence_type', 'evidence_direction',
      'evidence_level', 'significance', 'citation_id', 'source_type', 'citation', 'evidence_status', 'evidence_id'];
    const eid = randomDigits(9);
    const values = ['BRAF V600E', '12', 'Melanoma', '1909', '', 'Prognostic', 'Supports', 'C', 'Poor Outcome', '1', 'PubMed', 'x', 'accepted', eid];
    const file = path.join(tempDir(), '02-Mar-2099-ClinicalEvidenceSummaries.tsv');
    fs.writeFileSync(file, `${header.join('\t')}\n${values.join('\t')}\n`);
    const executor = testExecutor();
    try {
      const run = await importCivic(executor, file);
      const response = await gql<{ knowledgeBaseVersions: { source: string; version: string; checksum: string | null; files: string[] | null }[] }>(
        service.url,
        `{ knowledgeBaseVersions { source version checksum files } }`,
      );
      expect(response.data!.knowledgeBaseVersions).toContainEqual({ source: 'civic', version: '02-Mar-2099', checksum: run.checksum, files: [path.basename(file)] });
      expect(run.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    } finally {
      await executor.write('MATCH (e:Evidence {id: $id}) DETACH DELETE e', { id: `civic:EID${eid}` });
      await executor.close();
    }
  });

  it('lists the concepts notes can name, each with its kind and names', async () => {
    const response = await gql<{ conceptDictionary: { id: string; kind: string; names: string[] }[] }>(service.url, `{ conceptDictionary { id kind names } }`);
    const concepts = response.data!.conceptDictionary;
    expect(concepts).toEqual(
      expect.arrayContaining([
        { id: '32968', kind: 'drug', names: ['clopidogrel'] },
        { id: 'BRAF:V600E', kind: 'variant', names: ['BRAF V600E'] },
        { id: 'HP:0001166', kind: 'phenotype', names: ['Arachnodactyly'] },
        expect.objectContaining({ id: 'EGFR', kind: 'gene' }),
      ]),
    );
    expect(new Set(concepts.map((c) => c.kind))).toEqual(new Set(['drug', 'gene', 'condition', 'phenotype', 'variant']));
  });
});
