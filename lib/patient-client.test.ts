import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InferencePatientNotesDocument, InferencePatientSnapshotDocument } from './contracts/generated/patient/graphql';
import { HubError } from './errors';
import { KnownOrganisations } from './patient-access';
import { PatientSubgraphClient } from './patient-client';

interface Request {
  query: string;
  variables: { representations: { __typename: string; id: string }[] };
}

/** A stand-in patient subgraph: records each request body and answers it with `answer`. */
async function fakePatientSubgraph(answer: (request: Request) => unknown): Promise<{ url: string; requests: Request[]; close: () => Promise<void> }> {
  const requests: Request[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as Request;
      requests.push(request);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(request)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // fetch keeps its connections alive; they would hold the test worker open.
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}/graphql`, requests, close };
}

const credentials = async () => 'assertion';
const ids = (request: Request) => request.variables.representations.map((r) => r.id);

describe('PatientSubgraphClient', () => {
  it('reads many patients with a generated operation in one request, in the order given, unknown ones null', async () => {
    const notes = { 'p-1': [{ id: 'n-1', text: 'Chest pain.' }], 'p-3': [] };
    const subgraph = await fakePatientSubgraph((request) => ({
      data: { _entities: ids(request).map((id) => (id in notes ? { id, notes: notes[id as keyof typeof notes] } : null)) },
    }));
    try {
      const client = new PatientSubgraphClient(subgraph.url, credentials);
      await expect(client.patientsOf(InferencePatientNotesDocument, ['p-1', 'p-2', 'p-3'])).resolves.toEqual([
        { id: 'p-1', notes: [{ id: 'n-1', text: 'Chest pain.' }] },
        null,
        { id: 'p-3', notes: [] },
      ]);
      expect(subgraph.requests).toEqual([
        {
          query: InferencePatientNotesDocument.toString(),
          variables: { representations: ['p-1', 'p-2', 'p-3'].map((id) => ({ __typename: 'Patient', id })) },
        },
      ]);
      expect(subgraph.requests[0]!.query).toContain('query InferencePatientNotes($representations: [_Any!]!)');
      await expect(client.patientsOf(InferencePatientNotesDocument, [])).resolves.toEqual([]);
      expect(subgraph.requests).toHaveLength(1);
    } finally {
      await subgraph.close();
    }
  });

  it('fails a read the patient subgraph refuses with DEPENDENCY_UNAVAILABLE naming the subgraph and its reason', async () => {
    const subgraph = await fakePatientSubgraph(() => ({ data: null, errors: [{ message: 'Cannot query field "notes" on type "Patient".' }] }));
    try {
      const client = new PatientSubgraphClient(subgraph.url, credentials);
      const failure = await client.patientsOf(InferencePatientNotesDocument, ['p-1']).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HubError);
      expect(failure).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: `patient subgraph at ${subgraph.url} failed: Cannot query field "notes" on type "Patient".` });
    } finally {
      await subgraph.close();
    }
  });

  it('fails a read of an unreachable patient subgraph with DEPENDENCY_UNAVAILABLE naming it', async () => {
    const subgraph = await fakePatientSubgraph(() => ({}));
    await subgraph.close();
    const client = new PatientSubgraphClient(subgraph.url, credentials);
    const failure = await client.patientsOf(InferencePatientNotesDocument, ['p-1']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HubError);
    expect(failure).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(`^patient subgraph unreachable at ${subgraph.url}: `) });
  });

  it("notes each read patient's organisation for the request's access checks (noting)", async () => {
    const record = { birthDate: '1960-05-05', sex: 'FEMALE', race: null, observations: [], conditions: [], procedures: [], medications: [] };
    const subgraph = await fakePatientSubgraph((request) => ({
      data: { _entities: ids(request).map((id) => (id === 'gone' ? null : { id, organization: id === 'p-1' ? 'org-a' : null, ...record })) },
    }));
    try {
      const known = new KnownOrganisations();
      const reads = new PatientSubgraphClient(subgraph.url, credentials).noting(known);
      const rows = await reads.patientsOf(InferencePatientSnapshotDocument, ['p-1', 'p-2', 'gone']);
      expect(rows.map((r) => r?.id ?? null)).toEqual(['p-1', 'p-2', null]);
      expect([known.get('p-1'), known.get('p-2'), known.get('gone')]).toEqual(['org-a', null, undefined]);
      expect(subgraph.requests).toHaveLength(1);
    } finally {
      await subgraph.close();
    }
  });

  it('takes through noting only operations that select the organisation (checked by `npm run typecheck`)', () => {
    const reads = new PatientSubgraphClient('http://127.0.0.1:1/graphql', credentials).noting(new KnownOrganisations());
    // @ts-expect-error InferencePatientNotes selects no organization: a request reading it would need a second call for access.
    const unnoted = () => reads.patientsOf(InferencePatientNotesDocument, ['p-1']);
    expect(unnoted).toBeInstanceOf(Function);
  });
});
