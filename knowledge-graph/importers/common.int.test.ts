import { ImportReport, withImportRun } from './common';
import { importRun, randomTag, testExecutor } from './test-support';

describe('import runs of one source with different kinds of input', () => {
  const executor = testExecutor();
  afterAll(() => executor.close());

  it('finds an input already imported although a run of another kind of input of the same source came after it', async () => {
    // CIViC's evidence file and its variant file are two inputs of one source; each is "already imported" on its own.
    const tag = randomTag();
    const run = (phase: string, checksum: string) =>
      withImportRun(executor, 'civic', `test-${tag}`, new ImportReport(), { checksum, files: [`${phase}.tsv`], phases: [`${phase}-${tag}`] }, async () => undefined);
    const evidence = await run('evidence', `sha256:${tag}-evidence`);
    const variants = await run('variants', `sha256:${tag}-variants`);
    expect([evidence.status, variants.status]).toEqual(['completed', 'completed']);
    expect(await run('evidence', `sha256:${tag}-evidence`)).toMatchObject({ status: 'already-imported', runId: evidence.runId });
    expect(await run('variants', `sha256:${tag}-variants`)).toMatchObject({ status: 'already-imported', runId: variants.runId });
  });

  it('imports again an input that an older importer revision imported (a run without a recorded revision counts as 1), and records the revision', async () => {
    const tag = randomTag();
    const run = (revision: number | undefined) =>
      withImportRun(executor, 'hpo', `test-${tag}`, new ImportReport(), { checksum: `sha256:${tag}`, files: ['hp.obo'], phases: [`terms-${tag}`], revision }, async () => undefined);
    const first = await run(1);
    expect(await importRun(executor, first.runId)).toMatchObject({ status: 'completed', importerRevision: 1 });
    expect(await run(1)).toMatchObject({ status: 'already-imported', runId: first.runId });
    // As a run recorded before revisions were kept: the same input is still "already imported" at revision 1 ...
    await executor.write('MATCH (r:ImportRun {id: $id}) REMOVE r.importerRevision', { id: first.runId });
    expect(await run(1)).toMatchObject({ status: 'already-imported', runId: first.runId });
    // ... and imported again by a newer revision, under a new ImportRun; the older run stays recorded.
    const second = await run(2);
    expect(second.status).toBe('completed');
    expect(second.runId).not.toBe(first.runId);
    expect(await importRun(executor, second.runId)).toMatchObject({ status: 'completed', importerRevision: 2, checksum: `sha256:${tag}` });
    expect(await importRun(executor, first.runId)).toMatchObject({ status: 'completed' });
    expect(await run(2)).toMatchObject({ status: 'already-imported', runId: second.runId });
    // An older importer after a newer one changes nothing.
    expect(await run(1)).toMatchObject({ status: 'already-imported', runId: second.runId });
  });
});
