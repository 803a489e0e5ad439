import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { isSkip, parsePhenopacket, PhenopacketInputError, readPhenopackets, type PhenopacketCase, type PhenopacketSkip } from './phenopackets';

/** Real phenopackets from Phenopacket Store (README.md beside them: origin, commit, licence). */
const FIXTURES = path.join(__dirname, 'fixtures', 'phenopackets');
const fixture = (name: string) => path.join(FIXTURES, name);
const packet = (name: string) => JSON.parse(fs.readFileSync(fixture(name), 'utf8')) as Record<string, unknown>;

async function readAll(input: string): Promise<(PhenopacketCase | PhenopacketSkip)[]> {
  const out: (PhenopacketCase | PhenopacketSkip)[] = [];
  for await (const parsed of readPhenopackets(input)) out.push(parsed);
  return out;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'phenopackets-test-'));
}

/** The fixtures as Phenopacket Store's JSON Lines release holds them: compact, one per line, with `_source_path`. */
function jsonl(): string {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.stringify({ ...packet(f), _source_path: `notebooks/${f.startsWith('PMID_18669544_') ? 'BBS1' : 'X'}/phenopackets/${f}` }))
    .join('\n');
}

describe('parsePhenopacket', () => {
  it('reads observed and excluded terms, the diagnosis, the causal gene with its zygosity and the PMIDs of a published case', () => {
    const source = fixture('PMID_18669544_FO_07.json');
    expect(parsePhenopacket(packet('PMID_18669544_FO_07.json'), source)).toEqual({
      id: 'PMID_18669544_FO_07',
      cohort: 'BBS1',
      source,
      observed: ['HP:0100259', 'HP:0000545', 'HP:0007663', 'HP:0000662', 'HP:0001513'],
      excluded: ['HP:0002650', 'HP:0000518'],
      diagnosis: { id: 'OMIM:209900', label: 'Bardet-Biedl syndrome 1' },
      genes: ['BBS1'],
      // allelicState GENO:0000136; subject.sex UNKNOWN_SEX.
      genotypes: [{ gene: 'BBS1', calls: ['HOMOZYGOUS_ALTERNATE'] }],
      sex: null,
      pmids: ['PMID:18669544'],
    });
  });

  it('takes the gene of a structural variant (no VCF record) and a diagnosis from interpretations when diseases[] is absent', () => {
    const nf1 = parsePhenopacket(packet('PMID_20513137_individual_N849_GSM_GSM492747.json'), 'nf1') as PhenopacketCase;
    expect([nf1.genes, nf1.diagnosis.id, nf1.excluded]).toEqual([['NF1'], 'OMIM:162200', ['HP:0009734']]);
    const noonan = packet('PMID_17661820_1.json');
    expect(noonan.diseases).toBeUndefined();
    expect(parsePhenopacket(noonan, 'ptpn11')).toMatchObject({ diagnosis: { id: 'OMIM:163950', label: 'Noonan syndrome 1' }, genes: ['PTPN11'], excluded: [] });
    // A heterozygous causal variant in a male.
    expect(parsePhenopacket(noonan, 'ptpn11')).toMatchObject({ genotypes: [{ gene: 'PTPN11', calls: ['HETEROZYGOUS'] }], sex: 'male' });
  });

  it('gives no gene for a solved case without a genomic interpretation, and names its cohort by the diagnosis', () => {
    expect(parsePhenopacket(packet('PMID_35003478_Case_report.json'), 'lds')).toMatchObject({ genes: [], cohort: 'OMIM:609192', diagnosis: { id: 'OMIM:609192' } });
  });

  it('keeps a term both observed and excluded as observed only', () => {
    const p = packet('PMID_18669544_FO_07.json');
    (p.phenotypicFeatures as unknown[]).push({ type: { id: 'HP:0000545', label: 'Myopia' }, excluded: true });
    expect(parsePhenopacket(p, 'x')).toMatchObject({ excluded: ['HP:0002650', 'HP:0000518'] });
  });

  it('skips with a code a packet without diagnosis, without an observed term, with a malformed HPO id, or that is no phenopacket', () => {
    const noDiagnosis = { ...packet('PMID_18669544_FO_07.json'), interpretations: [], diseases: [] };
    const allExcluded = packet('PMID_18669544_FO_07.json');
    for (const f of allExcluded.phenotypicFeatures as Record<string, unknown>[]) f.excluded = true;
    const badTerm = packet('PMID_18669544_FO_07.json');
    (badTerm.phenotypicFeatures as Record<string, unknown>[])[1] = { type: { id: 'HP:12', label: 'x' } };
    expect([noDiagnosis, allExcluded, badTerm, [1, 2]].map((p, i) => parsePhenopacket(p, `f:${i + 1}`))).toEqual([
      { source: 'f:1', code: 'NO_DIAGNOSIS', reason: 'no interpretations[].diagnosis.disease.id nor diseases[].term.id' },
      { source: 'f:2', code: 'NO_OBSERVED_PHENOTYPE', reason: 'no observed (not excluded) phenotypicFeatures' },
      { source: 'f:3', code: 'INVALID_HPO_ID', reason: 'phenotypicFeatures[1].type.id "HP:12" is not an HPO id (HP: and 7 digits)' },
      { source: 'f:4', code: 'NOT_A_PHENOPACKET', reason: 'no id with phenotypicFeatures or interpretations' },
    ]);
  });
});

describe('readPhenopackets', () => {
  it('reads a directory of phenopacket files in name order', async () => {
    const cases = await readAll(FIXTURES);
    expect(cases.filter(isSkip)).toEqual([]);
    expect(cases.map((c) => (c as PhenopacketCase).id)).toEqual(
      fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => f.replace(/\.json$/, '')),
    );
  });

  it('reads the same cases from JSON Lines, gzipped and xz-compressed, naming each line and its source path', async () => {
    const dir = tempDir();
    const plain = path.join(dir, 'store.jsonl');
    fs.writeFileSync(plain, `${jsonl()}\n`);
    fs.writeFileSync(`${plain}.gz`, zlib.gzipSync(fs.readFileSync(plain)));
    execFileSync('xz', ['-k', plain]);
    const fromDir = (await readAll(FIXTURES)) as PhenopacketCase[];
    for (const file of [plain, `${plain}.gz`, `${plain}.xz`]) {
      const cases = (await readAll(file)) as PhenopacketCase[];
      expect(cases.map(({ source: _, cohort: __, ...c }) => c)).toEqual(fromDir.map(({ source: _, cohort: __, ...c }) => c));
      expect(cases[0]!.source).toBe(`${file}:1 (notebooks/X/phenopackets/PMID_11175294_Patient_D27.json)`);
      expect(cases.find((c) => c.id === 'PMID_18669544_FO_07')!.cohort).toBe('BBS1');
    }
  });

  it('reports a line that is not JSON and goes on with the next', async () => {
    const file = path.join(tempDir(), 'store.jsonl');
    const [first, second] = jsonl().split('\n');
    fs.writeFileSync(file, `${first}\n{"id": \n\n${second}\n`);
    const read = await readAll(file);
    expect(read.map((r) => (isSkip(r) ? `${r.source} ${r.code}` : r.id))).toEqual(['PMID_11175294_Patient_D27', `${file}:2 INVALID_JSON`, 'PMID_17661815_Patient_B_III_3']);
  });

  it('refuses a missing path, an unsupported file and a corrupt gzip or xz file with a coded error naming the file', async () => {
    const dir = tempDir();
    const gz = path.join(dir, 'bad.jsonl.gz');
    const xz = path.join(dir, 'bad.jsonl.xz');
    const txt = path.join(dir, 'cases.txt');
    fs.writeFileSync(gz, zlib.gzipSync(Buffer.from(jsonl())).subarray(0, 200));
    fs.writeFileSync(xz, 'not xz at all');
    fs.writeFileSync(txt, '');
    const refusal = (input: string) =>
      readAll(input).then(
        () => null,
        (e: PhenopacketInputError) => ({ name: e.name, code: e.code, names: e.message.startsWith(input) }),
      );
    expect(await refusal(path.join(dir, 'nothing.jsonl'))).toEqual({ name: 'PhenopacketInputError', code: 'NO_SUCH_INPUT', names: true });
    expect(await refusal(txt)).toEqual({ name: 'PhenopacketInputError', code: 'UNSUPPORTED_INPUT', names: true });
    expect(await refusal(gz)).toEqual({ name: 'PhenopacketInputError', code: 'UNREADABLE_INPUT', names: true });
    expect(await refusal(xz)).toEqual({ name: 'PhenopacketInputError', code: 'UNREADABLE_INPUT', names: true });
  });
});
