import fs from 'node:fs';
import path from 'node:path';
import { CURATED_DISEASE_GENES, DISEASE_GENES_SOURCE } from '../seed/curated/disease-genes';
import { IMPORTER_REVISIONS, ImportInputError } from './common';
import { findIsACycle, importHpo } from './hpo';
import { CountingExecutor, countTagged, importRun, randomDigits, randomTag, runsWithVersion, tempDir, testExecutor } from './test-support';

/** Modes of inheritance (HPOA aspect I), real HPO ids: shared by every test (and file) that imports obo() below. */
const MODE_OF_INHERITANCE = 'HP:0000005';
const AUTOSOMAL_DOMINANT = 'HP:0000006';
const AUTOSOMAL_RECESSIVE = 'HP:0000007';

function ids() {
  const base = Number(randomDigits(7)) - 10; // HP ids have 7 digits
  return [0, 1, 2, 3, 4].map((i) => `HP:${String(base + i).padStart(7, '0')}`) as [string, string, string, string, string];
}

function obo(tag: string, [root, a, b, old]: string[], cycle = false, release = '2026-10-01'): string {
  return `format-version: 1.2
data-version: hp/releases/${release}
saved-by: test
ontology: hp

[Term]
id: ${root}
name: Root ${tag}

[Term]
id: ${a}
name: Abnormality ${tag}
synonym: "Abnormal \\"thing\\" ${tag}" EXACT [HPO:probinson]
synonym: "Other ${tag}" RELATED []
is_a: ${cycle ? b : root} ! Root ${tag}

[Term]
id: ${b}
name: Specific ${tag}
def: "A definition." [HPO:x]
is_a: ${a} ! Abnormality ${tag}
is_a: ${root} {source="x"} ! Root

[Term]
id: ${old}
name: obsolete Old ${tag}
is_obsolete: true
replaced_by: ${b}

[Term]
id: ${MODE_OF_INHERITANCE}
name: Mode of inheritance
is_a: HP:0000001 ! All

[Term]
id: ${AUTOSOMAL_DOMINANT}
name: Autosomal dominant inheritance
is_a: ${MODE_OF_INHERITANCE} ! Mode of inheritance

[Term]
id: ${AUTOSOMAL_RECESSIVE}
name: Autosomal recessive inheritance
is_a: ${MODE_OF_INHERITANCE} ! Mode of inheritance

[Typedef]
id: part_of
name: part of
`;
}

function hpoa(tag: string, omim: string, [, a, b, , unknown]: string[]): string {
  const rows = [
    ['database_id', 'disease_name', 'qualifier', 'hpo_id', 'reference', 'evidence', 'onset', 'frequency', 'sex', 'modifier', 'aspect', 'biocuration'],
    [omim, `Syndrome ${tag}`, '', b, 'PMID:123', 'PCS', 'HP:0003577', 'HP:0040281', '', '', 'P', 'HPO:probinson[2021-01-01]'],
    [omim, `Syndrome ${tag}`, '', b, omim, 'TAS', '', '3/5', '', '', 'P', 'HPO:probinson[2021-01-01]'],
    [omim, `Syndrome ${tag}`, 'NOT', a, omim, 'TAS', '', '', '', '', 'P', 'HPO:probinson[2021-01-01]'],
    [omim, `Syndrome ${tag}`, '', AUTOSOMAL_DOMINANT, omim, 'TAS', '', '', '', '', 'I', 'HPO:probinson[2021-01-01]'],
    [omim, `Syndrome ${tag}`, '', unknown, omim, 'TAS', '', '', '', '', 'P', 'HPO:probinson[2021-01-01]'],
  ];
  return `#description: "HPO annotations for rare diseases"\n#version: 2026-10-01\n#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues\n#hpo-version: http://purl.obolibrary.org/obo/hp/releases/2026-10-01/hp.json\n${rows.map((r) => r.join('\t')).join('\n')}\n`;
}

/** genes_to_disease.txt in HPO's current format (header as in the HPO release files). */
function genesToDisease(tag: string, omim: string, otherDisease: string): string {
  const source = 'ftp://ftp.ncbi.nlm.nih.gov/gene/DATA/mim2gene_medgen';
  const rows = [
    ['ncbi_gene_id', 'gene_symbol', 'association_type', 'disease_id', 'source'],
    ['NCBIGene:9000001', `GA${tag}`, 'MENDELIAN', omim, source],
    ['NCBIGene:9000002', `GB${tag}`, 'MENDELIAN', omim, source],
    ['NCBIGene:9000002', `GB${tag}`, 'POLYGENIC', omim, source],
    ['NCBIGene:9000003', `GC${tag}`, 'MENDELIAN', otherDisease, source],
    ['NCBIGene:9000004', '', 'MENDELIAN', omim, source],
  ];
  return `${rows.map((r) => r.join('\t')).join('\n')}\n`;
}

/** An HPOA data row (aspect P unless given) in the column order of hpoa() above. */
function hpoaRow(disease: string, name: string, hpo: string, reference: string, qualifier = '', aspect = 'P'): string {
  return [disease, name, qualifier, hpo, reference, 'TAS', '', '', '', '', aspect, 'HPO:probinson[2021-01-01]'].join('\t');
}

describe('HPO importer', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  /** A disease's HAS_PHENOTYPE edges as [phenotype, reference, importRun], sorted. */
  async function annotationsOf(disease: string): Promise<Array<[string, string, string | null]>> {
    const res = await executor.read(
      `MATCH (:Disease {id: $disease})-[r:HAS_PHENOTYPE]->(p:Phenotype) RETURN p.id AS hpo, r.reference AS reference, r.importRun AS run ORDER BY hpo, reference`,
      { disease },
    );
    return res.records.map((r) => [r.get('hpo'), r.get('reference'), r.get('run')]);
  }

  /** A disease's HAS_INHERITANCE edges as [mode of inheritance, reference, importRun], sorted. */
  async function inheritanceOf(disease: string): Promise<Array<[string, string, string | null]>> {
    const res = await executor.read(
      `MATCH (:Disease {id: $disease})-[r:HAS_INHERITANCE]->(p:Phenotype) RETURN p.id AS hpo, r.reference AS reference, r.importRun AS run ORDER BY hpo, reference`,
      { disease },
    );
    return res.records.map((r) => [r.get('hpo'), r.get('reference'), r.get('run')]);
  }

  /** A disease's ASSOCIATED_GENE edges as [gene, associationType, importRun], sorted. */
  async function genesOf(disease: string): Promise<Array<[string, string | null, string | null]>> {
    const res = await executor.read(
      `MATCH (:Disease {id: $disease})-[r:ASSOCIATED_GENE]->(g:Gene) RETURN g.symbol AS gene, r.associationType AS type, r.importRun AS run ORDER BY gene, type`,
      { disease },
    );
    return res.records.map((r) => [r.get('gene'), r.get('type'), r.get('run')]);
  }

  it('imports terms, is_a, aspect-P annotations and aspect-I modes of inheritance; skips NOT, other aspects, obsolete and unknown terms; idempotent', async () => {
    const tag = randomTag();
    const hp = ids();
    const [root, a, b, old, unknown] = hp;
    const omim = `OMIM:${randomDigits(6)}`;
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp));
    // Aspect C (onset and clinical course): HP:0003577 Congenital onset.
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, omim, hp) + hpoaRow(omim, `Syndrome ${tag}`, 'HP:0003577', omim, '', 'C') + '\n');

    const result = await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'), { batchSize: 2 });
    expect(result.version).toBe('2026-10-01');
    expect(result.counts).toMatchObject({ terms: 7, phenotypes: 6, annotationRows: 6, annotations: 2, inheritance: 1, skipped: 4 });
    expect(result.skipped.map((s) => s.reason).sort()).toEqual([
      'HPO term not in the graph',
      'NOT-qualified annotation',
      'aspect C (only P, phenotypic abnormality, and I, mode of inheritance, are imported)',
      'obsolete term',
    ]);
    expect(result.skipped.find((s) => s.reason === 'HPO term not in the graph')!.examples[0]).toContain(unknown);

    const terms = await executor.read(
      `MATCH (p:Phenotype) WHERE p.id IN $ids RETURN p.id AS id, p.name AS name, p.synonyms AS synonyms,
              [(p)-[:IS_A]->(q) | q.id] AS parents, p.source AS source ORDER BY id`,
      { ids: hp },
    );
    const byId = Object.fromEntries(terms.records.map((r) => [r.get('id'), r.toObject()]));
    expect(Object.keys(byId).sort()).toEqual([root, a, b].sort());
    expect(byId[a]).toMatchObject({ name: `Abnormality ${tag}`, synonyms: [`Abnormal "thing" ${tag}`, `Other ${tag}`], parents: [root] });
    expect((byId[b]!.parents as string[]).sort()).toEqual([a, root].sort());
    expect(byId[b]!.source).toBe('HPO 2026-10-01');
    expect(byId[old]).toBeUndefined();

    const edges = await executor.read(
      `MATCH (d:Disease {id: $omim})-[r:HAS_PHENOTYPE]->(p:Phenotype) RETURN d.name AS disease, p.id AS hpo, properties(r) AS r ORDER BY r.reference`,
      { omim },
    );
    expect(edges.records.map((r) => [r.get('disease'), r.get('hpo'), (r.get('r') as Record<string, unknown>).frequency])).toEqual([
      [`Syndrome ${tag}`, b, '3/5'],
      [`Syndrome ${tag}`, b, 'HP:0040281'],
    ]);
    expect(edges.records[1]!.get('r')).toMatchObject({ reference: 'PMID:123', evidence: 'PCS', onset: 'HP:0003577', importRun: result.runId });
    expect(await inheritanceOf(omim)).toEqual([[AUTOSOMAL_DOMINANT, omim, result.runId]]);
    expect((await importRun(executor, result.runId)).status).toBe('completed');

    const before = await countTagged(executor, tag);
    await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('links imported diseases to the genes of genes_to_disease.txt; skips unknown diseases and malformed rows; idempotent', async () => {
    const tag = randomTag();
    const hp = ids();
    const omim = `OMIM:${randomDigits(6)}`;
    const otherDisease = `OMIM:${randomDigits(6)}`;
    const dir = tempDir();
    const files = ['hp.obo', 'phenotype.hpoa', 'genes_to_disease.txt'].map((f) => path.join(dir, f)) as [string, string, string];
    fs.writeFileSync(files[0], obo(tag, hp));
    fs.writeFileSync(files[1], hpoa(tag, omim, hp));
    fs.writeFileSync(files[2], genesToDisease(tag, omim, otherDisease));

    const result = await importHpo(executor, files[0], files[1], { batchSize: 2, genesToDiseaseFile: files[2] });
    expect(result.counts).toMatchObject({ annotations: 2, inheritance: 1, geneRows: 5, geneLinks: 3, skipped: 5 });
    const skips = Object.fromEntries(result.skipped.map((s) => [s.reason, s]));
    expect(skips['disease not in the graph']).toEqual({ code: 'NOT_IN_GRAPH', reason: 'disease not in the graph', count: 1, examples: [`line 5 (${otherDisease})`] });
    expect(skips['gene_symbol is empty']).toEqual({ code: 'MISSING_FIELD', reason: 'gene_symbol is empty', count: 1, examples: ['line 6'] });

    const links = await executor.read(
      `MATCH (d:Disease)-[r:ASSOCIATED_GENE]->(g:Gene) WHERE d.id IN $diseases
       RETURN d.id AS disease, g.symbol AS gene, properties(r) AS r, g.importRun AS geneRun ORDER BY gene, r.associationType`,
      { diseases: [omim, otherDisease] },
    );
    expect(links.records.map((r) => [r.get('disease'), r.get('gene'), (r.get('r') as Record<string, unknown>).associationType])).toEqual([
      [omim, `GA${tag}`, 'MENDELIAN'],
      [omim, `GB${tag}`, 'MENDELIAN'],
      [omim, `GB${tag}`, 'POLYGENIC'],
    ]);
    expect(links.records[0]!.get('r')).toEqual({
      associationType: 'MENDELIAN',
      reference: 'ftp://ftp.ncbi.nlm.nih.gov/gene/DATA/mim2gene_medgen',
      source: 'HPO 2026-10-01',
      sourceVersion: '2026-10-01',
      importRun: result.runId,
    });
    expect(links.records[0]!.get('geneRun')).toBe(result.runId);
    const created = await executor.read(`MATCH (n) WHERE n.id = $otherDisease OR n.symbol = $gene RETURN count(n) AS n`, {
      otherDisease,
      gene: `GC${tag}`,
    });
    expect(created.records[0]!.get('n')).toBe(0);

    const before = await countTagged(executor, tag);
    const again = await importHpo(executor, files[0], files[1], { genesToDiseaseFile: files[2] });
    expect(again.counts).toMatchObject({ geneRows: 5, geneLinks: 3 });
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('refuses a genes_to_disease file without the current columns, naming them, and writes nothing', async () => {
    const tag = randomTag();
    const hp = ids();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp));
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, `OMIM:${randomDigits(6)}`, hp));
    // The pre-2023 genes_to_diseases.txt layout.
    fs.writeFileSync(path.join(dir, 'genes_to_diseases.txt'), '#Format: entrez-gene-id<tab>entrez-gene-symbol<tab>DiseaseId\n2200\tFBN1\tOMIM:154700\n');
    const version = `test-${tag}`;
    const run = importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'), {
      version,
      genesToDiseaseFile: path.join(dir, 'genes_to_diseases.txt'),
    });
    await expect(run).rejects.toThrow(ImportInputError);
    await expect(run).rejects.toThrow('missing required columns "gene_symbol", "association_type", "disease_id", "source"');
    expect(await runsWithVersion(executor, version)).toBe(0);
    expect(await countTagged(executor, tag)).toEqual({ nodes: 0, rels: 0 });
  });

  it('gives a term exactly the release\'s parents, so an earlier release\'s edge cannot close an is_a cycle with the new one', async () => {
    const tag = randomTag();
    const hp = ids();
    const [root, a, b] = hp;
    // As the 2015 seed held HP:0000140 -> HP:0000858 and the 2023-01-27 release has HP:0000858 -> HP:0000140:
    // an earlier edge root -> b, reversed by the release (b -> a -> root).
    await executor.write(`MERGE (r:Phenotype {id: $root}) MERGE (b:Phenotype {id: $b}) MERGE (r)-[:IS_A]->(b)`, { root, b });
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp));
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, `OMIM:${randomDigits(6)}`, hp));
    const result = await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    expect((await importRun(executor, result.runId)).status).toBe('completed');
    const parents = await executor.read(`MATCH (p:Phenotype) WHERE p.id IN $ids RETURN p.id AS id, [(p)-[:IS_A]->(q) | q.id] AS parents`, { ids: [root, a, b] });
    const byId = Object.fromEntries(parents.records.map((r) => [r.get('id') as string, (r.get('parents') as string[]).sort()]));
    expect(byId).toEqual({ [root]: [], [a]: [root], [b]: [a, root].sort() });
    const cycles = await executor.read(`MATCH (p:Phenotype)-[:IS_A*1..6]->(p) WHERE p.id IN $ids RETURN count(p) AS n`, { ids: [root, a, b] });
    expect(Number(cycles.records[0]!.get('n'))).toBe(0);
  });

  it('refuses an ontology with an is_a cycle, naming it, and writes nothing', async () => {
    const tag = randomTag();
    const hp = ids();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp, true));
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, `OMIM:${randomDigits(6)}`, hp));
    const version = `test-${tag}`;
    const run = importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'), { version });
    await expect(run).rejects.toThrow(ImportInputError);
    await expect(run).rejects.toThrow(`is_a cycle ${hp[1]} → ${hp[2]} → ${hp[1]}`);
    expect(await runsWithVersion(executor, version)).toBe(0);
    expect(await countTagged(executor, tag)).toEqual({ nodes: 0, rels: 0 });
  });

  it('finds the curated seed (loaded by the test setup) linking its rare diseases to their OMIM gene-map genes', async () => {
    const links = await executor.read(
      `MATCH (d:Disease)-[r:ASSOCIATED_GENE]->(g:Gene) WHERE d.id IN $diseases AND r.source CONTAINS $commit
       RETURN d.id AS disease, g.symbol AS gene, r.reference AS reference ORDER BY disease, gene`,
      { diseases: CURATED_DISEASE_GENES.map((d) => d.diseaseId), commit: DISEASE_GENES_SOURCE.geneMap.commit },
    );
    const expected = CURATED_DISEASE_GENES.flatMap((d) => d.genes.map((gene) => [d.diseaseId, gene, d.geneEntries[gene]]));
    expect(links.records.map((r) => [r.get('disease'), r.get('gene'), r.get('reference')])).toEqual(
      expected.sort((x, y) => `${x[0]} ${x[1]}`.localeCompare(`${y[0]} ${y[1]}`)),
    );
    expect(links.records.find((r) => r.get('disease') === 'OMIM:154700')?.toObject()).toEqual({ disease: 'OMIM:154700', gene: 'FBN1', reference: 'OMIM:134797' });
  });

  it('finds cycles, self-loops included', () => {
    expect(findIsACycle(new Map([['A', ['B']], ['B', ['C']], ['C', []]]))).toBeNull();
    expect(findIsACycle(new Map([['A', ['B']], ['B', ['C']], ['C', ['A']]]))).toEqual(['A', 'B', 'C', 'A']);
    expect(findIsACycle(new Map([['A', ['A']]]))).toEqual(['A', 'A']);
  });

  it('skips malformed terms, annotations and gene rows with their code and line, and imports the rest', async () => {
    const tag = randomTag();
    const [root, a] = ids();
    const omim = `OMIM:${randomDigits(6)}`;
    const dir = tempDir();
    const files = ['hp.obo', 'phenotype.hpoa', 'genes_to_disease.txt'].map((f) => path.join(dir, f)) as [string, string, string];
    fs.writeFileSync(
      files[0],
      `format-version: 1.2\ndata-version: hp/releases/2026-10-01\n\n[Term]\nid: ${root}\nname: Root ${tag}\n\n[Term]\nid: HP:12345\nname: Short id ${tag}\n\n` +
        `[Term]\nid: ${a}\nname: Bad parent ${tag}\nis_a: HP:1 ! nothing\n\n[Term]\nid: HP:${randomDigits(7)}\nname: Bell \u0007 ${tag}\n`,
    );
    const header = ['database_id', 'disease_name', 'qualifier', 'hpo_id', 'reference', 'evidence', 'onset', 'frequency', 'sex', 'modifier', 'aspect', 'biocuration'];
    const annotation = (disease: string, hpo: string) => [disease, `Syndrome ${tag}`, '', hpo, 'PMID:1', 'PCS', '', '', '', '', 'P', 'HPO:x'].join('\t');
    fs.writeFileSync(files[1], `#version: 2026-10-01\n${header.join('\t')}\n${annotation(omim, root)}\n${annotation('OMIM 123', root)}\n${annotation(omim, 'HP:123')}\n`);
    fs.writeFileSync(
      files[2],
      ['ncbi_gene_id\tgene_symbol\tassociation_type\tdisease_id\tsource', `NCBIGene:1\tGA${tag}\tMENDELIAN\t${omim}\tx`, `NCBIGene:2\tga-${tag}\tMENDELIAN\t${omim}\tx`].join('\n') + '\n',
    );
    const result = await importHpo(executor, files[0], files[1], { genesToDiseaseFile: files[2] });
    expect(result.counts).toMatchObject({ terms: 4, phenotypes: 1, annotationRows: 3, annotations: 1, geneRows: 2, geneLinks: 1, skipped: 6 });
    expect(result.skipped.map(({ code, reason, examples }) => [code, reason, examples])).toEqual([
      ['INVALID_HPO_ID', 'id "HP:12345" is not an HPO id (HP: and 7 digits)', [`${files[0]} line 8 (HP:12345)`]],
      ['INVALID_HPO_ID', 'is_a "HP:1" is not an HPO id (HP: and 7 digits)', [`${files[0]} line 12 (${a})`]],
      ['CONTROL_CHARACTER', 'name contains a control character', [expect.stringContaining(`${files[0]} line 17`)]],
      ['INVALID_IDENTIFIER', 'database_id "OMIM 123" is not a disease id (PREFIX:id)', ['line 4']],
      ['INVALID_HPO_ID', 'hpo_id "HP:123" is not an HPO id (HP: and 7 digits)', ['line 5']],
      ['INVALID_GENE_SYMBOL', `gene_symbol "ga-${tag}" is not an HGNC gene symbol`, ['line 3']],
    ]);
  });

  it('gives a disease the release names exactly the release\'s annotations and gene links, leaves the others alone, and changes nothing on re-import', async () => {
    const tag = randomTag();
    const hp = ids();
    const [root, a, b] = hp;
    const omim = `OMIM:${randomDigits(6)}`;
    const negated = `OMIM:${randomDigits(6)}`; // named by the release in a NOT row only
    const untouched = `OMIM:${randomDigits(6)}`; // not in the release
    // What the 2015 seed leaves (edges without importRun): an annotation the release does not state, one it
    // states again (same reference), an OMIM gene-map link; the same for diseases the release names otherwise or not at all.
    await executor.write(
      `MERGE (root:Phenotype {id: $root}) MERGE (pa:Phenotype {id: $a}) MERGE (pb:Phenotype {id: $b})
       MERGE (gold:Gene {symbol: $gold})
       MERGE (d:Disease {id: $omim}) SET d.name = $name
       MERGE (d)-[:HAS_PHENOTYPE {reference: $omim, frequency: 'HP:0040283'}]->(root)
       MERGE (d)-[:HAS_PHENOTYPE {reference: 'PMID:123', frequency: 'HP:0040283'}]->(pb)
       MERGE (d)-[:ASSOCIATED_GENE {source: 'OMIM genemap2 (test)'}]->(gold)
       MERGE (n:Disease {id: $negated}) SET n.name = 'Negated ' + $tag
       MERGE (n)-[:HAS_PHENOTYPE {reference: $negated}]->(pa)
       MERGE (u:Disease {id: $untouched}) SET u.name = 'Untouched ' + $tag
       MERGE (u)-[:HAS_PHENOTYPE {reference: $untouched}]->(root)
       MERGE (u)-[:ASSOCIATED_GENE {source: 'OMIM genemap2 (test)'}]->(gold)`,
      { root, a, b, omim, negated, untouched, tag, name: `Syndrome ${tag}`, gold: `GOLD${tag}` },
    );
    const dir = tempDir();
    const files = ['hp.obo', 'phenotype.hpoa', 'genes_to_disease.txt'].map((f) => path.join(dir, f)) as [string, string, string];
    fs.writeFileSync(files[0], obo(tag, hp));
    fs.writeFileSync(files[1], hpoa(tag, omim, hp) + hpoaRow(negated, `Negated ${tag}`, a, negated, 'NOT') + '\n');
    fs.writeFileSync(files[2], genesToDisease(tag, omim, `OMIM:${randomDigits(6)}`));

    const result = await importHpo(executor, files[0], files[1], { batchSize: 2, genesToDiseaseFile: files[2] });
    const run = result.runId;
    expect(await annotationsOf(omim)).toEqual([
      [b, omim, run],
      [b, 'PMID:123', run],
    ]);
    const edges = await executor.read(`MATCH (:Disease {id: $omim})-[r:HAS_PHENOTYPE]->() RETURN r {.frequency, .source, .sourceVersion} AS r ORDER BY r.reference`, { omim });
    expect(edges.records.map((r) => r.get('r'))).toEqual([
      { frequency: '3/5', source: 'HPO 2026-10-01', sourceVersion: '2026-10-01' },
      { frequency: 'HP:0040281', source: 'HPO 2026-10-01', sourceVersion: '2026-10-01' },
    ]);
    expect(await annotationsOf(negated)).toEqual([]);
    expect(await annotationsOf(untouched)).toEqual([[root, untouched, null]]);
    expect(await genesOf(omim)).toEqual([
      [`GA${tag}`, 'MENDELIAN', run],
      [`GB${tag}`, 'MENDELIAN', run],
      [`GB${tag}`, 'POLYGENIC', run],
    ]);
    expect(await genesOf(untouched)).toEqual([[`GOLD${tag}`, null, null]]);
    const link = await executor.read(`MATCH (:Disease {id: $omim})-[r:ASSOCIATED_GENE]->(:Gene {symbol: $gene}) RETURN r.sourceVersion AS v`, { omim, gene: `GA${tag}` });
    expect(link.records[0]!.get('v')).toBe('2026-10-01');
    expect(result.counts).toMatchObject({ annotations: 2, annotationsRemoved: 2, geneLinks: 3, geneLinksRemoved: 1 });

    // The same release again (forced: the same input is otherwise "already imported"): nothing changes, both runs stay recorded.
    const before = await countTagged(executor, tag);
    const again = await importHpo(executor, files[0], files[1], { batchSize: 2, genesToDiseaseFile: files[2], force: true });
    expect(again.counts).toMatchObject({ annotations: 2, annotationsRemoved: 0, geneLinks: 3, geneLinksRemoved: 0 });
    expect(await countTagged(executor, tag)).toEqual(before);
    expect(await importRun(executor, run)).toMatchObject({ status: 'completed' });
    expect(await importRun(executor, again.runId)).toMatchObject({ status: 'completed' });

    // A newer release that no longer states PMID:123 for the disease, nor its POLYGENIC link: both go.
    const newer = tempDir();
    const newerFiles = ['hp.obo', 'phenotype.hpoa', 'genes_to_disease.txt'].map((f) => path.join(newer, f)) as [string, string, string];
    fs.writeFileSync(newerFiles[0], obo(tag, hp, false, '2026-11-01'));
    fs.writeFileSync(newerFiles[1], hpoa(tag, omim, hp).split('\n').filter((line) => !line.includes('PMID:123')).join('\n'));
    fs.writeFileSync(newerFiles[2], genesToDisease(tag, omim, `OMIM:${randomDigits(6)}`).split('\n').filter((line) => !line.includes('POLYGENIC')).join('\n'));
    const third = await importHpo(executor, newerFiles[0], newerFiles[1], { genesToDiseaseFile: newerFiles[2] });
    expect(third).toMatchObject({ status: 'completed', version: '2026-11-01' });
    expect(third.counts).toMatchObject({ annotations: 1, annotationsRemoved: 1, geneLinks: 2, geneLinksRemoved: 1 });
    expect(await annotationsOf(omim)).toEqual([[b, omim, third.runId]]);
    expect((await genesOf(omim)).map(([gene, type]) => [gene, type])).toEqual([
      [`GA${tag}`, 'MENDELIAN'],
      [`GB${tag}`, 'MENDELIAN'],
    ]);
    expect(await annotationsOf(untouched)).toEqual([[root, untouched, null]]);
    // The untouched disease's edges look like the seed's (no import run): take it out of the shared graph,
    // whose seed other files count (knowledge-graph/eval/evaluate.int.test.ts: 40 diseases, 1,316 annotations).
    await executor.write('MATCH (u:Disease {id: $untouched}) DETACH DELETE u', { untouched });
  });

  it('retires an obsolete term an older load left (no is_a edges, the release\'s replaced_by) and writes no annotation to it', async () => {
    const tag = randomTag();
    const hp = ids();
    const [root, a, b, old] = hp;
    const omim = `OMIM:${randomDigits(6)}`;
    // The older load had the term live, under the root.
    await executor.write(
      `MERGE (r:Phenotype {id: $root}) MERGE (o:Phenotype {id: $old}) SET o.name = 'Old ' + $tag MERGE (o)-[:IS_A]->(r)`,
      { root, old, tag },
    );
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp));
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, omim, hp) + hpoaRow(omim, `Syndrome ${tag}`, old, 'PMID:456') + '\n');
    const result = await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    expect(result.skipped.find((s) => s.reason === 'HPO term obsolete in the release')).toEqual({
      code: 'NOT_IMPORTED',
      reason: 'HPO term obsolete in the release',
      count: 1,
      examples: [`line 11 (${old})`],
    });
    const term = await executor.read(
      `MATCH (o:Phenotype {id: $old}) RETURN o {.obsolete, .replacedBy, .sourceVersion, .importRun} AS o, [(o)-[:IS_A]->(q) | q.id] AS parents,
              [(d:Disease)-[:HAS_PHENOTYPE]->(o) | d.id] AS diseases`,
      { old },
    );
    expect(term.records[0]!.toObject()).toEqual({
      o: { obsolete: true, replacedBy: [b], sourceVersion: '2026-10-01', importRun: result.runId },
      parents: [],
      diseases: [],
    });
    expect(await annotationsOf(omim)).toEqual([
      [b, omim, result.runId],
      [b, 'PMID:123', result.runId],
    ]);
    // Live terms carry no obsolete marks.
    const live = await executor.read(`MATCH (p:Phenotype) WHERE p.id IN $ids RETURN count(p.obsolete) + count(p.replacedBy) AS n`, { ids: [root, a, b] });
    expect(live.records[0]!.get('n')).toBe(0);
    expect(result.counts).toMatchObject({ phenotypes: 6, obsoleteRetired: 1, annotations: 2 });
  });

  it('imports aspect-I rows as the disease\'s modes of inheritance with their reference, skips NOT-qualified ones, and keeps exactly the newer release\'s', async () => {
    const tag = randomTag();
    const hp = ids();
    const [, , b, old, unknown] = hp;
    const omim = `OMIM:${randomDigits(6)}`;
    const dropped = `OMIM:${randomDigits(6)}`; // a mode of inheritance in the first release only
    const untouched = `OMIM:${randomDigits(6)}`; // not in either release
    const name = `Syndrome ${tag}`;
    // What an older load left: a mode of inheritance the release does not state (no importRun, as the seed's edges),
    // and one of a disease the releases do not name.
    await executor.write(
      `MERGE (x:Phenotype {id: $recessive})
       MERGE (d:Disease {id: $omim}) SET d.name = $name
       MERGE (d)-[:HAS_INHERITANCE {reference: 'OMIM:2015'}]->(x)
       MERGE (u:Disease {id: $untouched}) SET u.name = 'Untouched ' + $tag
       MERGE (u)-[:HAS_INHERITANCE {reference: $untouched}]->(x)`,
      { recessive: AUTOSOMAL_RECESSIVE, omim, untouched, tag, name },
    );
    const dir = tempDir();
    const files = ['hp.obo', 'phenotype.hpoa'].map((f) => path.join(dir, f)) as [string, string];
    fs.writeFileSync(files[0], obo(tag, hp));
    // After hpoa()'s lines 6-10 (its line 9: autosomal dominant, reference the disease), lines 11-16: autosomal dominant
    // again under a second reference, recessive NOT-qualified, an unknown and an obsolete term as modes of inheritance,
    // the other disease's mode and an annotation.
    const rows = [
      hpoaRow(omim, name, AUTOSOMAL_DOMINANT, 'PMID:77', '', 'I'),
      hpoaRow(omim, name, AUTOSOMAL_RECESSIVE, omim, 'NOT', 'I'),
      hpoaRow(omim, name, unknown, omim, '', 'I'),
      hpoaRow(omim, name, old, omim, '', 'I'),
      hpoaRow(dropped, `Dropped ${tag}`, AUTOSOMAL_RECESSIVE, dropped, '', 'I'),
      hpoaRow(dropped, `Dropped ${tag}`, b, dropped),
    ];
    fs.writeFileSync(files[1], hpoa(tag, omim, hp) + rows.join('\n') + '\n');

    const result = await importHpo(executor, files[0], files[1], { batchSize: 2 });
    const run = result.runId;
    expect(await inheritanceOf(omim)).toEqual([
      [AUTOSOMAL_DOMINANT, omim, run],
      [AUTOSOMAL_DOMINANT, 'PMID:77', run],
    ]);
    const edge = await executor.read(`MATCH (:Disease {id: $omim})-[r:HAS_INHERITANCE {reference: 'PMID:77'}]->() RETURN properties(r) AS r`, { omim });
    expect(edge.records.map((r) => r.get('r'))).toEqual([{ reference: 'PMID:77', evidence: 'TAS', source: 'HPO 2026-10-01', sourceVersion: '2026-10-01', importRun: run }]);
    expect(await inheritanceOf(dropped)).toEqual([[AUTOSOMAL_RECESSIVE, dropped, run]]);
    // Modes of inheritance are not phenotype annotations.
    expect(await annotationsOf(omim)).toEqual([
      [b, omim, run],
      [b, 'PMID:123', run],
    ]);
    expect(await inheritanceOf(untouched)).toEqual([[AUTOSOMAL_RECESSIVE, untouched, null]]);
    expect(result.counts).toMatchObject({ annotationRows: 11, annotations: 3, inheritance: 3, annotationsRemoved: 0, inheritanceRemoved: 1, skipped: 6 });
    expect(result.skipped.map(({ code, reason, count, examples }) => [code, reason, count, examples])).toEqual([
      ['NOT_IMPORTED', 'obsolete term', 1, [`${files[0]} line 24 (${old})`]],
      ['NOT_IMPORTED', 'NOT-qualified annotation', 2, ['line 8', 'line 12']],
      ['NOT_IN_GRAPH', 'HPO term not in the graph', 2, [`line 10 (${unknown})`, `line 13 (${unknown})`]],
      ['NOT_IMPORTED', 'HPO term obsolete in the release', 1, [`line 14 (${old})`]],
    ]);

    // A newer release: the disease is autosomal recessive now, the other disease has no mode of inheritance any more.
    const newer = tempDir();
    const newerFiles = ['hp.obo', 'phenotype.hpoa'].map((f) => path.join(newer, f)) as [string, string];
    fs.writeFileSync(newerFiles[0], obo(tag, hp, false, '2026-11-01'));
    fs.writeFileSync(
      newerFiles[1],
      hpoa(tag, omim, hp).replace(AUTOSOMAL_DOMINANT, AUTOSOMAL_RECESSIVE) + hpoaRow(dropped, `Dropped ${tag}`, b, dropped) + '\n',
    );
    const second = await importHpo(executor, newerFiles[0], newerFiles[1]);
    expect(second).toMatchObject({ status: 'completed', version: '2026-11-01' });
    expect(await inheritanceOf(omim)).toEqual([[AUTOSOMAL_RECESSIVE, omim, second.runId]]);
    expect(await inheritanceOf(dropped)).toEqual([]);
    expect(await inheritanceOf(untouched)).toEqual([[AUTOSOMAL_RECESSIVE, untouched, null]]);
    expect(second.counts).toMatchObject({ annotations: 3, inheritance: 1, annotationsRemoved: 0, inheritanceRemoved: 3 });
    await executor.write('MATCH (u:Disease {id: $untouched}) DETACH DELETE u', { untouched });
  });

  it('resumes an import interrupted among the modes of inheritance with the counts and edges of one whole run', async () => {
    const tag = randomTag();
    const hp = ids();
    const omim = `OMIM:${randomDigits(6)}`;
    const other = `OMIM:${randomDigits(6)}`;
    await executor.write(
      `MERGE (x:Phenotype {id: $recessive}) MERGE (d:Disease {id: $omim}) SET d.name = $name MERGE (d)-[:HAS_INHERITANCE {reference: 'OMIM:2015'}]->(x)`,
      { recessive: AUTOSOMAL_RECESSIVE, omim, name: `Syndrome ${tag}` },
    );
    const dir = tempDir();
    const files = ['hp.obo', 'phenotype.hpoa'].map((f) => path.join(dir, f)) as [string, string];
    fs.writeFileSync(files[0], obo(tag, hp));
    fs.writeFileSync(files[1], hpoa(tag, omim, hp) + hpoaRow(other, `Other ${tag}`, AUTOSOMAL_RECESSIVE, other, '', 'I') + '\n');
    // One row a batch (the terms' statement is not counted): HPOA lines 6, 7 and 9 (aspect I) commit; line 10's batch fails.
    await expect(importHpo(new CountingExecutor(executor, 3), files[0], files[1], { batchSize: 1 })).rejects.toThrow('bolt://counting');

    const resumed = await importHpo(executor, files[0], files[1], { batchSize: 1 });
    expect(resumed).toMatchObject({ status: 'completed', resumedFrom: 'annotations 9' });
    expect(resumed.counts).toEqual({
      terms: 7, phenotypes: 6, annotationRows: 6, annotations: 2, inheritance: 2, skipped: 3, annotationsRemoved: 0, inheritanceRemoved: 1,
    });
    expect(await inheritanceOf(omim)).toEqual([[AUTOSOMAL_DOMINANT, omim, resumed.runId]]);
    expect(await inheritanceOf(other)).toEqual([[AUTOSOMAL_RECESSIVE, other, resumed.runId]]);
  });

  it('imports again a release that an older importer revision loaded (a graph from before the fixes), without --force', async () => {
    const tag = randomTag();
    const hp = ids();
    const [root, , b] = hp;
    const omim = `OMIM:${randomDigits(6)}`;
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hp.obo'), obo(tag, hp));
    fs.writeFileSync(path.join(dir, 'phenotype.hpoa'), hpoa(tag, omim, hp));
    const first = await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    // What the importer before these fixes left: its run recorded no revision, the 2015 annotation and is_a edge
    // (root -> b, reversed by the release: a cycle) stayed beside the release's.
    await executor.write(
      `MATCH (r:ImportRun {id: $run}) REMOVE r.importerRevision
       WITH r MATCH (d:Disease {id: $omim}), (root:Phenotype {id: $root}), (pb:Phenotype {id: $b})
       MERGE (d)-[:HAS_PHENOTYPE {reference: 'OMIM:2015'}]->(root)
       MERGE (root)-[:IS_A]->(pb)`,
      { run: first.runId, omim, root, b },
    );
    const again = await importHpo(executor, path.join(dir, 'hp.obo'), path.join(dir, 'phenotype.hpoa'));
    expect(again.status).toBe('completed');
    expect(again.runId).not.toBe(first.runId);
    expect(again.counts).toMatchObject({ annotations: 2, annotationsRemoved: 1 });
    expect(await importRun(executor, again.runId)).toMatchObject({ status: 'completed', importerRevision: IMPORTER_REVISIONS.hpo, checksum: first.checksum });
    expect(await importRun(executor, first.runId)).toMatchObject({ status: 'completed' });
    expect(await annotationsOf(omim)).toEqual([
      [b, omim, again.runId],
      [b, 'PMID:123', again.runId],
    ]);
    const parents = await executor.read(`MATCH (p:Phenotype {id: $root}) RETURN [(p)-[:IS_A]->(q) | q.id] AS parents`, { root });
    expect(parents.records[0]!.get('parents')).toEqual([]);
  });
});
