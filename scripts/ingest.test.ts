import { parseVcfArgs, summariseVcf } from './ingest-vcf';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IngestReport } from '../subgraphs/patient/ingest/ingest-bundle';
import {
  forEachConcurrently,
  ingestFhir,
  listInputFiles,
  ndjsonBatches,
  newTally,
  parseIngestArgs,
  readBundleFile,
  recordOutcome,
  renumberLines,
  summarise,
  type Ingestors,
} from './ingest';

const PATIENT_ID = '3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const report = (over: Partial<IngestReport> = {}): IngestReport => ({
  patientIds: [PATIENT_ID],
  created: 0,
  updated: 0,
  skipped: 0,
  rejected: [],
  warnings: [],
  skippedTypes: {},
  linked: [],
  ...over,
});

describe('listInputFiles', () => {
  it('lists .json files depth first in code-unit name order, skipping everything else', async () => {
    for (const name of ['b.json', 'a.json', 'B.json', '10.json', '9.json', 'm/c.json', 'm/n/d.JSON', 'm/notes.txt', 'wearables.ndjson', 'z/e.json']) {
      write(name, '{}');
    }
    const listed = (await collect(listInputFiles(dir))).map((f) => path.relative(dir, f));
    expect(listed).toEqual(['10.json', '9.json', 'B.json', 'a.json', 'b.json', 'm/c.json', 'm/n/d.JSON', 'z/e.json']);
  });

  it('lists a single file as itself', async () => {
    const file = write('one.json', '{}');
    expect(await collect(listInputFiles(file))).toEqual([file]);
  });
});

describe('readBundleFile', () => {
  it('rejects malformed JSON naming the file, line and column but none of its content', async () => {
    const file = write('broken.json', '{\n  "resourceType": "Bundle",\n  "entry": [ { "fullUrl": "urn:uuid:1", }\n  ]\n}');
    expect(await readBundleFile(file)).toEqual({
      source: file,
      rejects: [{ resource: 'Bundle', field: 'json', reason: `malformed JSON at line 3 column 41: unexpected "}"`, code: 'INVALID_JSON' }],
    });
  });

  it('refuses a file whose JSON is not a bundle, naming where, so the run goes on with the other files', async () => {
    const file = write('not-a-bundle.json', '{"resourceType":"Bundle","entry":{"resource":{}}}');
    expect(await readBundleFile(file)).toEqual({
      source: file,
      rejects: [{ resource: 'Bundle', field: 'bundle.entry', reason: 'expected an array of entries, got an object', code: 'INVALID_BUNDLE' }],
    });
    const list = write('a-list.json', '[{"resourceType":"Bundle"}]');
    expect((await readBundleFile(list)).rejects).toEqual([{ resource: 'Bundle', field: 'bundle', reason: 'expected a FHIR Bundle (a JSON object with "resourceType": "Bundle"), got an array', code: 'INVALID_BUNDLE' }]);
  });

  it('reads a bundle saved with a byte-order mark', async () => {
    const file = write('bom.json', '\uFEFF{"resourceType":"Bundle","type":"transaction"}');
    expect(await readBundleFile(file)).toEqual({ source: file, bundle: { resourceType: 'Bundle', type: 'transaction' }, rejects: [] });
  });
});

describe('ndjsonBatches', () => {
  const observation = (n: number) => JSON.stringify({ resourceType: 'Observation', id: `o${n}` });

  it('reads an NDJSON file in batches of non-blank lines, remembering each resource\'s line', async () => {
    const file = write('feed.ndjson', [1, 2, '', 3, 4, 5].map((n) => (n === '' ? '' : observation(n as number))).join('\n') + '\n');
    const batches = await collect(ndjsonBatches(file, 2));
    expect(batches.map((b) => b.lineNumbers)).toEqual([[1, 2], [4, 5], [6]]);
    expect(batches[0]).toEqual({ source: file, resources: [{ resourceType: 'Observation', id: 'o1' }, { resourceType: 'Observation', id: 'o2' }], lineNumbers: [1, 2], rejects: [] });
  });

  it('rejects a line that is not JSON by its line number and keeps the others', async () => {
    const file = write('feed.ndjson', [observation(1), '{"resourceType": "Observation",', observation(3)].join('\n'));
    expect(await collect(ndjsonBatches(file, 10))).toEqual([
      {
        source: file,
        resources: [{ resourceType: 'Observation', id: 'o1' }, { resourceType: 'Observation', id: 'o3' }],
        lineNumbers: [1, 3],
        rejects: [{ resource: 'line 2', field: 'json', reason: 'malformed JSON at column 32: unexpected end of input', code: 'INVALID_JSON' }],
      },
    ]);
  });

  it('names the device ingestor\'s rejects by their line in the file, not in the batch', () => {
    const rejects = [
      { resource: 'line 2', field: 'resourceType', reason: 'expected an Observation, got Patient', code: 'WRONG_RESOURCE_TYPE' as const },
      { resource: 'Observation/line-1', field: 'id', reason: 'a device reading needs an id', code: 'MISSING_ELEMENT' as const },
      { resource: 'Observation/o9', field: 'valueQuantity.unit', reason: 'no unit', code: 'MISSING_ELEMENT' as const },
    ];
    expect(renumberLines(rejects, [101, 104]).map((r) => r.resource)).toEqual(['line 104', 'Observation/line-101', 'Observation/o9']);
  });
});

describe('forEachConcurrently', () => {
  it('never has more than the limit in flight and hands out items in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: [string, number][] = [];
    async function* letters() {
      yield* ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    }
    await forEachConcurrently(letters(), 3, async (letter, index) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5 * ((index * 7) % 3)));
      seen.push([letter, index]);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l, i) => [l, i]));
  });

  it('stops taking items after a failure and rethrows it', async () => {
    const taken: number[] = [];
    const failure = forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (n) => {
      taken.push(n);
      if (n === 2) throw new Error('database gone');
    });
    await expect(failure).rejects.toThrow('database gone');
    expect(taken.length).toBeLessThan(6);
  });
});

describe('summarise', () => {
  it('totals the reports and lists the first rejects in input order', () => {
    const tally = newTally('bundles');
    tally.files = 3;
    recordOutcome(tally, 2, 'in/c.json', [{ resource: 'Observation/o1', field: 'valueQuantity.unit', reason: 'unit "mmol/L" and code "mg/dL" name different units', code: 'UNIT_CONFLICT' }], report({ skippedTypes: { Encounter: 2 } }));
    recordOutcome(tally, 0, 'in/a.json', [], report({ created: 40, skipped: 1, skippedTypes: { Encounter: 3, Claim: 3, Immunization: 1 } }));
    recordOutcome(tally, 1, 'in/b.json', [{ resource: 'Bundle', field: 'json', reason: 'malformed JSON at line 1 column 2: unexpected "x"', code: 'INVALID_JSON' }]);
    expect(summarise(tally)).toBe(
      [
        'files               3',
        'bundles ok          1',
        'bundles rejected    2',
        'resources created   40',
        'resources updated   0',
        'resources skipped   1',
        'skipped types       Encounter 5, Claim 3, Immunization 1',
        'rejects (2):',
        '  in/b.json: Bundle json: INVALID_JSON: malformed JSON at line 1 column 2: unexpected "x"',
        '  in/c.json: Observation/o1 valueQuantity.unit: UNIT_CONFLICT: unit "mmol/L" and code "mg/dL" name different units',
      ].join('\n'),
    );
  });

  it('counts NDJSON batches and patients linked by demographics', () => {
    const tally = newTally('batches');
    tally.files = 1;
    recordOutcome(tally, 0, 'feed.ndjson', [], { created: 5000, updated: 0, skipped: 0 });
    recordOutcome(tally, 1, 'feed.ndjson', [], report({ created: 2, linked: [{ linkId: 'l1', patientId: PATIENT_ID, sourcePatient: 'Patient/p', score: 1, rule: 'name+birthDate' }] }));
    expect(summarise(tally)).toBe(
      [
        'files               1',
        'batches ok          2',
        'batches rejected    0',
        'resources created   5002',
        'resources updated   0',
        'resources skipped   0',
        'skipped types       -',
        'patients linked     1 (matched to an existing hub patient by demographics)',
      ].join('\n'),
    );
  });

  it('keeps only the first 20 rejects and says how many there were', () => {
    const tally = newTally('bundles');
    for (let sequence = 24; sequence >= 0; sequence--) {
      recordOutcome(tally, sequence, `in/${sequence}.json`, [{ resource: 'Bundle', field: 'type', reason: 'no', code: 'INVALID_BUNDLE' }]);
    }
    const text = summarise(tally);
    expect(text).toContain('rejects (first 20 of 25):\n  in/0.json: Bundle type: INVALID_BUNDLE: no\n  in/1.json');
    expect(text).not.toContain('in/20.json');
  });

  it('lists the warnings of stored bundles with their codes, in input order', () => {
    const tally = newTally('bundles');
    tally.files = 2;
    const egfr = { resource: 'Observation/e1', field: 'valueQuantity.unit', reason: '"mL/min" taken as mL/min/{1.73_m2}', code: 'UNIT_ANNOTATION_ASSUMED' as const };
    const sbp = { resource: 'Observation/bp', field: 'component[0].valueQuantity.value', reason: 'stored and left out of calculations: systolic blood pressure 1200 mm[Hg] is implausible', code: 'IMPLAUSIBLE_VALUE' as const };
    recordOutcome(tally, 1, 'in/b.json', [], report({ created: 3, warnings: [sbp] }));
    recordOutcome(tally, 0, 'in/a.json', [], report({ created: 2, warnings: [egfr] }));
    expect(summarise(tally)).toBe(
      [
        'files               2',
        'bundles ok          2',
        'bundles rejected    0',
        'resources created   5',
        'resources updated   0',
        'resources skipped   0',
        'skipped types       -',
        'warnings (2):',
        '  in/a.json: Observation/e1 valueQuantity.unit: UNIT_ANNOTATION_ASSUMED: "mL/min" taken as mL/min/{1.73_m2}',
        '  in/b.json: Observation/bp component[0].valueQuantity.value: IMPLAUSIBLE_VALUE: stored and left out of calculations: systolic blood pressure 1200 mm[Hg] is implausible',
      ].join('\n'),
    );
  });
});

describe('ingestFhir', () => {
  const unused = async () => {
    throw new Error('not this ingestor');
  };

  it('sends each bundle file once to the bundle ingestor and tallies what came back', async () => {
    write('a/1.json', JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }));
    write('a/2.json', '{ nope');
    write('b.json', JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }));
    const received: unknown[] = [];
    const ingestors: Ingestors = {
      bundles: {
        ingestBundle: async (bundle) => {
          received.push(bundle);
          return report({ created: 10 });
        },
      },
      devices: { ingest: unused },
    };
    const tally = newTally('bundles');
    await ingestFhir({ input: { kind: 'bundles', path: dir }, concurrency: 2 }, ingestors, tally);
    expect(received).toHaveLength(2);
    expect(tally).toMatchObject({ files: 3, ok: 2, rejected: 1, created: 20, rejects: 1 });
    expect(tally.firstRejects[0]).toMatchObject({ source: path.join(dir, 'a/2.json'), resource: 'Bundle', field: 'json' });
  });

  it('sends an NDJSON feed to the device ingestor for the given patient', async () => {
    const file = write('feed.ndjson', '{"resourceType":"Observation","id":"o1"}\n{"resourceType":"Patient"}\n');
    const calls: [string, unknown[]][] = [];
    const ingestors: Ingestors = {
      bundles: { ingestBundle: unused },
      devices: {
        ingest: async (patientId, resources) => {
          calls.push([patientId, resources]);
          return {
            created: 1,
            updated: 0,
            skipped: 0,
            rejected: [{ resource: 'line 2', field: 'resourceType', reason: 'expected an Observation, got Patient', code: 'WRONG_RESOURCE_TYPE' }],
            warnings: [],
          };
        },
      },
    };
    const tally = newTally('batches');
    await ingestFhir({ input: { kind: 'ndjson', path: file, patientId: PATIENT_ID }, concurrency: 4 }, ingestors, tally);
    expect(calls).toEqual([[PATIENT_ID, [{ resourceType: 'Observation', id: 'o1' }, { resourceType: 'Patient' }]]]);
    expect(tally).toMatchObject({ files: 1, ok: 0, rejected: 1, created: 1, rejects: 1 });
  });
});

describe('parseIngestArgs', () => {
  it('reads a directory with a concurrency and an NDJSON file with its patient', () => {
    const file = write('feed.ndjson', '');
    expect(parseIngestArgs(['fhir', dir, '--concurrency', '8'])).toEqual({ input: { kind: 'bundles', path: dir }, concurrency: 8 });
    expect(parseIngestArgs(['fhir', file, '--patient', PATIENT_ID])).toEqual({ input: { kind: 'ndjson', path: file, patientId: PATIENT_ID }, concurrency: 4 });
  });

  it('reads the organisation that bundles without managingOrganization land in', () => {
    expect(parseIngestArgs(['fhir', dir, '--org', ' demo '])).toEqual({ input: { kind: 'bundles', path: dir }, concurrency: 4, organisation: 'demo' });
  });

  it.each([
    [[], 'no input format given'],
    [['bam', '.'], 'unknown input format "bam" (fhir or vcf)'],
    [['fhir'], 'no file or directory given'],
    [['fhir', '/no/such/place'], '/no/such/place: no such file or directory'],
    [['fhir', '.', '--concurrency', '0'], '--concurrency "0" is not a whole number from 1 to 64'],
    [['fhir', '.', '--threads', '2'], "Unknown option '--threads'"],
    [['fhir', '.', '--patient', PATIENT_ID], '--patient applies to .ndjson input only'],
    [['fhir', '.', '--org', ' '], '--org must not be empty'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseIngestArgs(argv)).toThrow(message);
  });

  it('refuses an NDJSON file without a hub patient id', () => {
    const file = write('feed.ndjson', '');
    expect(() => parseIngestArgs(['fhir', file])).toThrow('needs --patient <hub patient id>');
    expect(() => parseIngestArgs(['fhir', file, '--patient', 'MRN-1'])).toThrow('--patient "MRN-1" is not a hub patient id (a UUID)');
  });
});

describe('the vcf command', () => {
  it('requires a patient and an existing file, and summarises a refused file with its lines', () => {
    expect(() => parseVcfArgs(['nope.vcf', '--patient', 'x'])).toThrow('nope.vcf: no such file');
    expect(() => parseVcfArgs([__filename])).toThrow('--patient <hub patient id> is required');
    expect(parseVcfArgs([__filename, '--patient', 'p1', '--sample', 'S1'])).toEqual({ file: __filename, patientId: 'p1', sample: 'S1', assumeGrch38: false });
    expect(
      summariseVcf('a.vcf', { records: 3, variants: 0, skipped: 0, sample: 'S1', build: 'GRCh38', rejected: [{ line: 12, reason: 'VCF line 12: REF: is empty', code: 'INVALID_ALLELE' }] }, 1),
    ).toBe('a.vcf: refused, nothing stored (1 problem)\n  INVALID_ALLELE: VCF line 12: REF: is empty');
  });
});
