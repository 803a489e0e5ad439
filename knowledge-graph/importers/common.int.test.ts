import { ImportReport, withImportRun } from './common';
import { randomTag, testExecutor } from './test-support';

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
});
