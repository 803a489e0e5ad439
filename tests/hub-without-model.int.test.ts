import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';

/** A missing or corrupt model folder breaks notes NLP only, with the folder and the fix named. */
describe('the hub without its notes model', () => {
  let hub: Hub;
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-models-'));

  beforeAll(async () => {
    hub = await startHub(testConfig({ modelDir, nlpModelId: 'missing-model' }), testNeo4j(), createLogger('test', 'silent'));
  }, 120_000);

  afterAll(async () => {
    await hub?.close();
  });

  it('keeps answering everything else, and names the folder and the fix on the NLP fields', async () => {
    const risk = await gql<{ cardiovascularRisk: { pce10y: number } }>(
      hub.gateway.url,
      `{ cardiovascularRisk(input: { age: 55, sex: FEMALE, race: WHITE, totalCholesterol: 213, hdlCholesterol: 50, systolicBp: 120,
         onHypertensionTreatment: false, smoker: false, diabetes: false }) { pce10y } }`,
    );
    expect(risk.errors).toBeUndefined();
    expect(risk.data!.cardiovascularRisk.pce10y).toBeGreaterThan(0);
    const search = await gql(hub.gateway.url, `{ searchNotes(query: "chest pain") { sentence } }`);
    expect(search.errors?.[0]?.message).toContain(`embedding model folder ${path.join(modelDir, 'missing-model')} does not exist`);
    expect(search.errors?.[0]?.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
  });
});
