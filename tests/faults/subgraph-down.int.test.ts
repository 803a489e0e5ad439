import net from 'node:net';
import { startHub, type Hub } from '../../scripts/hub';
import { createLogger } from '../../lib/logger';
import { DEFAULT_DEPENDENCY_TIMEOUTS } from '../../lib/dependency-timeouts';
import { startGenomicsService } from '../../subgraphs/genomics/server';
import type { RunningService } from '../../lib/apollo-http';
import { testConfig, testNeo4j } from '../support/config';
import { testAssertions } from '../support/auth';
import { createPatient360, timedPatient360, waitUntil } from '../support/patient-360';

const log = createLogger('test', 'silent');
/** The gateway's wait for one subgraph in this test (GATEWAY_SUBGRAPH_TIMEOUT_MS; 10 s by default). */
const SUBGRAPH_TIMEOUT_MS = 2_000;

/**
 * Issue 16, item 5: one subgraph stops listening (genomics), or listens and never answers. The
 * gateway still answers the rest of the patient-360 query (patient, risk) at once, with a coded
 * error on the genomics fields, and the fields come back when genomics listens again.
 */
describe('a subgraph that is down or hung', () => {
  let hub: Hub;
  let genomicsAgain: RunningService | undefined;
  let hung: net.Server | undefined;
  let patientId: string;

  beforeAll(async () => {
    const config = testConfig({ timeouts: { ...DEFAULT_DEPENDENCY_TIMEOUTS, gatewaySubgraphMs: SUBGRAPH_TIMEOUT_MS } });
    hub = await startHub(config, testNeo4j(), log);
    patientId = await createPatient360(hub.gateway.url);
    // The first query of a fresh hub warms caches (and Neo4j's) for seconds: not what this test measures.
    await waitUntil(async () => (await timedPatient360(hub.gateway.url, patientId)).response.errors === undefined, 30_000);
  }, 90_000);

  afterAll(async () => {
    hung?.close();
    await genomicsAgain?.close();
    await hub?.close();
  });

  const expectRestOfAnswer = (data: unknown) =>
    expect(data).toEqual({
      patient: {
        name: 'Rosalind Franklin',
        observations: [{ code: '2093-3', value: 210, unit: 'mg/dL' }],
        variants: null,
        risk: { cardiovascular: expect.objectContaining({ missing: expect.any(Array) }) },
      },
    });

  it('answers the rest with DEPENDENCY_UNAVAILABLE on the genomics fields while genomics does not listen', async () => {
    // Whole before genomics stops. Under a full CI run a read of the warmed hub can still miss the 2 s
    // subgraph wait while other files load both cores: ask again rather than fail on that.
    let healthy!: Awaited<ReturnType<typeof timedPatient360>>;
    await waitUntil(async () => (healthy = await timedPatient360(hub.gateway.url, patientId)).response.errors === undefined, 30_000);
    expect(healthy.response.data!.patient!.variants).toEqual([expect.objectContaining({ id: 'GRCh38:7:140753336:A:T' })]);

    await hub.genomics.close();
    const { ms, response } = await timedPatient360(hub.gateway.url, patientId);
    expectRestOfAnswer(response.data);
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['patient', 'variants'], extensions: expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE' }) }),
    ]);
    expect(ms).toBeLessThan(2_000);
  });

  it('answers the rest within the subgraph timeout while genomics accepts connections and never answers', async () => {
    // Holds each connection open without a byte in reply, as a subgraph stuck in a loop would.
    const held = new Set<net.Socket>();
    hung = net.createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      hung!.once('error', reject);
      hung!.listen(hub.genomics.port, '127.0.0.1', resolve);
    });
    const { ms, response } = await timedPatient360(hub.gateway.url, patientId);
    expectRestOfAnswer(response.data);
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['patient', 'variants'], extensions: expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE' }) }),
    ]);
    expect(ms).toBeGreaterThanOrEqual(SUBGRAPH_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 2_000);
    const closed = new Promise<void>((resolve) => hung!.close(() => resolve()));
    for (const socket of held) socket.destroy();
    await closed;
    hung = undefined;
  });

  it('answers whole again once genomics listens on its port again', async () => {
    genomicsAgain = await startGenomicsService({
      assertions: testAssertions(),
      databaseUrl: testConfig().databaseUrl,
      host: '127.0.0.1',
      port: hub.genomics.port,
      patientUrl: hub.patient.url,
      log,
    });
    const recoveredMs = await waitUntil(async () => {
      const { response } = await timedPatient360(hub.gateway.url, patientId);
      return response.errors === undefined && response.data?.patient?.variants?.length === 1;
    }, 5_000);
    expect(recoveredMs).toBeLessThan(5_000);
  });
});
