import fs from 'node:fs';
import path from 'node:path';
import { importCivic } from './civic';
import { civicVariantLine, CIVIC_VARIANT_HEADER, countTagged, randomDigits, randomTag, tempDir, testExecutor } from './test-support';

describe('CIViC importer, VariantSummaries (coordinates)', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('stores GRCh37 coordinates with their build, links a GRCh38 variant only from a GRCh38 form, reaching the evidence, and re-imports without change', async () => {
    const tag = randomTag();
    const gene = `GENE${tag}`;
    const [pos37, pos38] = [randomDigits(8), randomDigits(8)];
    await executor.write(
      `MERGE (v:Variant {id: $id}) SET v.gene = $gene, v.proteinChange = 'p.V12E', v.level = 'protein'
       MERGE (e:Evidence {id: $eid}) MERGE (e)-[:ABOUT_VARIANT]->(v)`,
      { id: `${gene}:V12E`, gene, eid: `test:${tag}:evidence` },
    );
    const file = path.join(tempDir(), '01-Nov-2026-VariantSummaries.tsv');
    fs.writeFileSync(
      file,
      [
        CIVIC_VARIANT_HEADER.join('\t'),
        civicVariantLine({
          variant_id: '9001', gene, variant: 'V12E', chromosome: '7', start: pos37, stop: pos37, reference_bases: 'A', variant_bases: 'T', reference_build: 'GRCh37',
          hgvs_descriptions: `NC_000007.13:g.${pos37}A>T,NC_000007.14:g.${pos38}A>T`, allele_registry_id: 'CA000001', clinvar_ids: '11',
        }),
        civicVariantLine({ variant_id: '9002', gene, variant: 'R5del', chromosome: '7', start: pos37, stop: String(Number(pos37) + 2), reference_bases: 'CGA', reference_build: 'GRCh37' }),
        civicVariantLine({ variant_id: '9003', gene, variant: 'Amplification' }),
        civicVariantLine({ variant_id: '9004', gene, variant: 'V13E', chromosome: 'chr7', start: pos37, stop: pos37, reference_build: 'GRCh37' }),
      ].join('\n') + '\n',
    );

    const result = await importCivic(executor, file);
    expect(result).toMatchObject({ status: 'completed', version: '01-Nov-2026' });
    expect(result.counts).toMatchObject({ rows: 4, variants: 3, linkedGRCh38: 1, withoutCoordinates: 1, skipped: 1 });
    expect(result.skipped).toEqual([{ code: 'INVALID_IDENTIFIER', reason: 'chromosome "chr7" is not 1-22, X, Y or MT', count: 1, examples: ['line 5'] }]);

    const res = await executor.read(
      `MATCH (v:Variant {id: $id}) RETURN v {.location, .locationBuild, .locationRef, .locationAlt, .alleleRegistryId, .clinvarIds, .civicVariantId} AS v,
         [(g:Variant)-[:ENCODES]->(v) | g.id] AS genomic,
         [(:Variant {id: $grch38})-[:ENCODES]->(:Variant)<-[:ABOUT_VARIANT]-(e:Evidence) | e.id] AS evidence`,
      { id: `${gene}:V12E`, grch38: `GRCh38:7:${pos38}:A:T` },
    );
    const r = res.records[0]!;
    expect(r.get('v')).toEqual({
      location: `GRCh37:7:${pos37}-${pos37}`, locationBuild: 'GRCh37', locationRef: 'A', locationAlt: 'T',
      alleleRegistryId: 'CA000001', clinvarIds: ['11'], civicVariantId: 'civic:variant:9001',
    });
    expect(r.get('genomic')).toEqual([`GRCh38:7:${pos38}:A:T`]);
    expect(r.get('evidence')).toEqual([`test:${tag}:evidence`]);
    // The deletion keeps its GRCh37 location and gets no genomic id; nothing GRCh37 became a Variant id.
    const deletion = await executor.read(`MATCH (v:Variant {id: $id}) RETURN v.location AS location, COUNT { (:Variant)-[:ENCODES]->(v) } AS encoders`, { id: `${gene}:R5del` });
    expect([deletion.records[0]!.get('location'), deletion.records[0]!.get('encoders')]).toEqual([`GRCh37:7:${pos37}-${Number(pos37) + 2}`, 0]);
    const grch37Ids = await executor.read(`MATCH (v:Variant) WHERE v.id STARTS WITH 'GRCh37:' AND v.gene = $gene RETURN count(v) AS n`, { gene });
    expect(grch37Ids.records[0]!.get('n')).toBe(0);

    const before = await countTagged(executor, tag);
    await importCivic(executor, file, { force: true });
    expect(await countTagged(executor, tag)).toEqual(before);
  });

  it('refuses a variant file missing a coordinate column before writing anything', async () => {
    const file = path.join(tempDir(), '01-Nov-2026-VariantSummaries.tsv');
    fs.writeFileSync(file, `${CIVIC_VARIANT_HEADER.filter((c) => c !== 'reference_build').join('\t')}\n`);
    await expect(importCivic(executor, file)).rejects.toThrow(expect.objectContaining({ name: 'ImportInputError', message: expect.stringContaining('missing column(s) reference_build') }));
  });
});
