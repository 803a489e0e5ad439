import { startHub, type Hub } from '../../scripts/hub';
import { createLogger } from '../../lib/logger';
import { DEFAULT_DEPENDENCY_TIMEOUTS } from '../../lib/dependency-timeouts';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from '../support/config';
import { collect, gql, settle, wsClient } from '../support/graphql';
import { TcpProxy } from '../support/tcp-proxy';
import { ownDatabase, type OwnDatabase } from '../support/own-database';
import { createPatient360, timedPatient360, waitUntil } from '../support/patient-360';

const log = createLogger('test', 'silent');
/**
 * Budgets this test holds the hub to: a coded answer while PostgreSQL is gone, a whole one soon after it
 * is back. "At once" means the answer does not wait out a timeout: the test checks that by its cause (a
 * refused or lost connection, never a pool or statement timeout). The time is a coarse bound under the
 * 30 s statement timeout the hub is given: alone the answer takes 70–300 ms (also with every core busy),
 * but in one full CI run (2026-12-07) it took 4.2 s, and nothing in the answer said why.
 */
const ANSWER_BUDGET_MS = 10_000;
/** What a request that did not wait for anything meets while PostgreSQL is gone. */
const REFUSED_OR_LOST = /ECONNREFUSED|ECONNRESET|Connection terminated/;
const RECOVERY_BUDGET_MS = 10_000;
/**
 * How long the first new event after the outage may take to reach a subscriber: nothing may be lost, but
 * in one full CI run (2026-12-06, both cores busy with other files) it took more than 10 s, where it takes
 * ~1 s alone (the outbox lanes poll every second). The cause was not found; the budget says "arrives",
 * RECOVERY_BUDGET_MS above still holds reads to 10 s.
 */
const EVENT_BUDGET_MS = 30_000;

/**
 * Issue 16, item 5: PostgreSQL restarts under a running hub. The server is shared by every test and
 * helper on this machine, so it is never restarted: the hub reaches it through a TCP proxy this test
 * cuts (every connection reset, new ones refused, as during a restart) and restores.
 */
describe('PostgreSQL going away under a running hub', () => {
  let postgres: TcpProxy;
  let database: OwnDatabase;
  let hub: Hub;
  let patientId: string;

  beforeAll(async () => {
    // A database of its own: every consumer reads every outbox row of its database, so in the run's shared
    // one this hub's consumer would also work through other files' events (the bad-input corpus writes
    // hundreds) and this file's update could wait behind them.
    database = await ownDatabase('postgres_restart');
    const target = new URL(TEST_DATABASE_URL);
    postgres = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const timeouts = { ...DEFAULT_DEPENDENCY_TIMEOUTS, postgres: { connectMs: 1_000, statementMs: 30_000 } };
    hub = await startHub(testConfig({ databaseUrl: postgres.url(database.url), timeouts }), testNeo4j(), log);
    patientId = await createPatient360(hub.gateway.url);
    await waitUntil(async () => (await timedPatient360(hub.gateway.url, patientId)).response.errors === undefined, 30_000);
  }, 90_000);

  afterAll(async () => {
    await postgres?.restore();
    await hub?.close();
    await postgres?.close();
    await database?.drop();
  });

  it('answers DEPENDENCY_UNAVAILABLE at once while PostgreSQL is gone, whole again once it is back, and events flow again', async () => {
    await postgres.cut();
    const { ms, response } = await timedPatient360(hub.gateway.url, patientId);
    const errors = response.errors ?? [];
    expect({ ms, messages: errors.map((error) => error.message) }).toEqual({ ms: expect.any(Number), messages: [expect.stringMatching(REFUSED_OR_LOST)] });
    expect(ms).toBeLessThan(ANSWER_BUDGET_MS);
    expect(response.data).toEqual({ patient: null });
    expect(errors.filter((error) => error.extensions?.code !== 'DEPENDENCY_UNAVAILABLE')).toEqual([]);

    await postgres.restore();
    const recoveredMs = await waitUntil(async () => {
      const { response: again } = await timedPatient360(hub.gateway.url, patientId);
      return again.errors === undefined && again.data?.patient?.name === 'Rosalind Franklin';
    }, RECOVERY_BUDGET_MS);
    expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);

    // The outbox consumer lost its connections too: a new observation still reaches a subscriber.
    const client = wsClient(hub.gateway.url);
    const updates = collect<{ riskUpdated: { risk: { cardiovascular: { inputs: { systolicBp: number } } } } }>(
      client,
      `subscription ($id: ID!) { riskUpdated(patientId: $id) { risk { cardiovascular { inputs { systolicBp } } } } }`,
      { id: patientId },
    );
    try {
      await settle(1000);
      const added = await gql(hub.gateway.url, `mutation ($id: ID!) { addObservation(patientId: $id, input: { code: "8480-6", value: 133, unit: "mm[Hg]" }) { code } }`, { id: patientId });
      expect(added.errors).toBeUndefined();
      // An event of the set-up that failed while PostgreSQL was gone is retried (2, 4, 8 s back-off) and may
      // publish the record as it was before this observation: wait for the update that carries it.
      const deadline = Date.now() + EVENT_BUDGET_MS;
      let update = await updates.next(EVENT_BUDGET_MS);
      while (update.data?.riskUpdated.risk.cardiovascular.inputs.systolicBp !== 133 && Date.now() < deadline) {
        update = await updates.next(Math.max(1, deadline - Date.now()));
      }
      expect(update).toEqual({ data: { riskUpdated: { risk: { cardiovascular: { inputs: { systolicBp: 133 } } } } } });
    } finally {
      updates.dispose();
      await client.dispose();
    }
  }, 90_000);
});
