import { AccessLog, AccessRecorder } from './audit';
import type { Pool } from './postgres';

/** A pool whose queries the test completes (or fails) one at a time. */
function heldPool() {
  const calls: { params: unknown[][]; finish: (error?: Error) => void }[] = [];
  const pool = {
    query: (_sql: string, params: unknown[][]) =>
      new Promise((resolve, reject) => calls.push({ params, finish: (error) => (error ? reject(error) : resolve({ rows: [] })) })),
  } as unknown as Pool;
  return { pool, calls };
}

const reader = (subject: string, patientId: string) => {
  const recorder = new AccessRecorder({ subject, role: 'clinician', client: 'ward-app', organisation: 'org-1' }, { operation: 'Chart' });
  recorder.record(patientId, 'Patient.name');
  recorder.record(patientId, 'Patient.identifiers');
  return recorder;
};

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AccessLog group commit', () => {
  it('writes requests that arrive during a commit together in the next one, and resolves each after its own commit', async () => {
    const { pool, calls } = heldPool();
    const log = new AccessLog(pool, 'patient');
    const settled: string[] = [];
    const first = log.write(reader('dr-a', 'p1')).then(() => settled.push('a'));
    await tick();
    const second = log.write(reader('dr-b', 'p2')).then(() => settled.push('b'));
    const third = log.write(reader('dr-c', 'p3')).then(() => settled.push('c'));
    await tick();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params[1]).toEqual(['dr-a']);

    calls[0]!.finish();
    await first;
    await tick();
    expect(settled).toEqual(['a']);
    expect(calls).toHaveLength(2);
    // subjects, then patient ids and fields of the two waiting requests, one row each
    expect(calls[1]!.params.slice(1, 6)).toEqual([['dr-b', 'dr-c'], ['clinician', 'clinician'], ['ward-app', 'ward-app'], ['p2', 'p3'], ['Patient.identifiers,Patient.name', 'Patient.identifiers,Patient.name']]);
    calls[1]!.finish();
    await Promise.all([second, third]);
    expect(settled).toEqual(['a', 'b', 'c']);
  });

  it('rejects every request of a batch whose commit failed, so none of them sends unaudited data', async () => {
    const { pool, calls } = heldPool();
    const log = new AccessLog(pool, 'patient');
    const write = log.write(reader('dr-a', 'p1'));
    await tick();
    calls[0]!.finish(new Error('disk full'));
    await expect(write).rejects.toThrow('disk full');
  });

  it('writes nothing for a request that read no identified field', async () => {
    const { pool, calls } = heldPool();
    await new AccessLog(pool, 'patient').write(new AccessRecorder({ subject: 's', role: 'admin', client: 'c' }));
    expect(calls).toHaveLength(0);
  });
});
