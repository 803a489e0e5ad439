import { startHub, type Hub } from '../scripts/hub';
import { createLogger } from '../lib/logger';
import { createPool, type Pool } from '../lib/postgres';
import { SubgraphClient } from '../lib/subgraph-client';
import { seededRandom } from '../lib/seeded-random';
import { addYears, isoDate } from '../subgraphs/inference/learning/features';
import { RISK_MODEL_DEFINITIONS } from '../subgraphs/inference/learning/model-definitions';
import { RiskModelRegistry } from '../subgraphs/inference/learning/registry';
import { runTraining } from '../subgraphs/inference/learning/training-job';
import { countOutcomePatients, TrainingScheduler } from '../subgraphs/inference/learning/training-scheduler';
import { TEST_DATABASE_URL, testConfig, testNeo4j } from './support/config';
import { gql } from './support/graphql';
import { testAssertions } from './support/auth';

const log = createLogger('test', 'silent');
const definition = RISK_MODEL_DEFINITIONS['ascvd-5y']!;
const PATIENTS = 240;

/**
 * Patients whose 5-year myocardial-infarction risk follows a known function of age and systolic blood
 * pressure (logit = −2 + 0.08 (age − 55) + 0.04 (SBP − 130)); measured a month before the index date
 * (5 years ago), the infarction (SNOMED 22298006) two years after it.
 */
function cohortBundles(now: Date, seed: number) {
  const random = seededRandom(seed);
  const index = addYears(now, -5);
  const bundles: unknown[] = [];
  for (let i = 0; i < PATIENTS; i++) {
    const age = 40 + Math.floor(random.next() * 35);
    const sbp = Math.round(100 + random.next() * 80);
    const risk = 1 / (1 + Math.exp(-(-2 + 0.08 * (age - 55) + 0.04 * (sbp - 130))));
    const event = random.next() < risk;
    const id = (n: number) => `00000000-0000-4000-${(9300 + n).toString()}-${String(seed).padStart(6, '0')}${String(i).padStart(6, '0')}`;
    const ref = { reference: `urn:uuid:${id(0)}` };
    const measured = `${isoDate(new Date(index.getTime() - 30 * 86_400_000))}T09:00:00Z`;
    bundles.push({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: ref.reference, resource: { resourceType: 'Patient', id: id(0), identifier: [{ system: 'urn:test:learning', value: `L-${seed}-${i}` }],
          name: [{ family: `Cohort${i}`, given: ['Test'] }], gender: i % 2 ? 'male' : 'female', birthDate: isoDate(addYears(index, -age)) } },
        { fullUrl: `urn:uuid:${id(1)}`, resource: { resourceType: 'Observation', id: id(1), status: 'final', subject: ref, effectiveDateTime: measured,
          code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: sbp, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } } },
        ...(event
          ? [{ fullUrl: `urn:uuid:${id(2)}`, resource: { resourceType: 'Condition', id: id(2), subject: ref, onsetDateTime: `${isoDate(addYears(index, 2))}T00:00:00Z`,
              clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
              code: { coding: [{ system: 'http://snomed.info/sct', code: '22298006', display: 'Myocardial infarction' }] } } }]
          : []),
      ],
    });
  }
  return bundles;
}

describe('trained risk models', () => {
  let hub: Hub;
  let pool: Pool;
  // Cohort members with and without the infarction (it happened 3 years ago: established ASCVD now).
  let withInfarction = -1;
  let withoutInfarction = -1;

  beforeAll(async () => {
    hub = await startHub(testConfig(), testNeo4j(), log);
    pool = createPool(TEST_DATABASE_URL);
    const now = new Date();
    const bundles = cohortBundles(now, 17);
    const hasInfarction = (b: unknown) => (b as { entry: unknown[] }).entry.length === 3;
    withInfarction = bundles.findIndex(hasInfarction);
    withoutInfarction = bundles.findIndex((b) => !hasInfarction(b));
    for (let i = 0; i < bundles.length; i += 8) {
      const responses = await Promise.all(
        bundles.slice(i, i + 8).map((b) => gql(hub.patient.url, `mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { rejected { reason } } }`, { b })),
      );
      for (const response of responses) expect(response.errors).toBeUndefined();
    }
  }, 300_000);

  afterAll(async () => {
    await pool?.end();
    await hub?.close();
  });

  it('trains on the hub’s own outcomes, learns the risk factors, promotes the first version, and explains each prediction', async () => {
    const registry = new RiskModelRegistry(pool);
    const patients = new SubgraphClient('patient', hub.patient.url, testAssertions().forService('training'), 120_000);
    const first = await runTraining({ definition, patients, registry, log, seed: 1 });
    expect(first.decision).toEqual({ promote: true, reasons: ['no current model'] });
    expect(first.model.heldOut.auroc).toBeGreaterThan(0.65);
    const coefficient = (name: string) => first.model.logistic.coefficients[first.model.featureNames.indexOf(name)]!;
    expect(coefficient('age')).toBeGreaterThan(0);
    expect(coefficient('systolicBp')).toBeGreaterThan(0);

    // A second version is compared with the promoted one on the same held-out patients.
    const second = await runTraining({ definition, patients, registry, log, seed: 2, now: new Date(Date.now() + 1000) });
    expect(second.decision.reasons.length).toBeGreaterThan(0);

    const models = await gql<{ riskModels: { name: string; version: string; status: string; heldOut: { auroc: number }; decision: string[] }[] }>(
      hub.gateway.url,
      `{ riskModels { name version status createdAt heldOut { n events auroc brier calibrationSlope } biasFlagged decision } }`,
    );
    const versions = models.data!.riskModels.filter((m) => m.name === 'ascvd-5y');
    expect(versions.filter((m) => m.status === 'promoted')).toHaveLength(1);
    const promoted = versions.find((m) => m.status === 'promoted')!;

    const card = await gql<{ modelCard: { version: string; intendedUse: string; features: { name: string }[]; subgroups: { attribute: string }[]; trainingN: number } }>(
      hub.gateway.url,
      `{ modelCard(name: "ascvd-5y") { version intendedUse modelType trainingFrom trainingTo trainingN heldOutN outcome features { name perUnitCoefficient }
         metrics { auroc brier calibrationSlope } subgroups { attribute group n auroc tooSmall } largestAurocGap { attribute value between flagged } biasFlagged limitations } }`,
    );
    expect(card.errors).toBeUndefined();
    expect(card.data!.modelCard).toMatchObject({ version: promoted.version, intendedUse: expect.stringContaining('not a medical device') });
    expect(new Set(card.data!.modelCard.subgroups.map((s) => s.attribute))).toEqual(new Set(['sex', 'ageBand', 'race']));

    const learnedFor = async (identifier: string) => {
      const someone = await gql<{ patients: { edges: { node: { id: string } }[] } }>(hub.gateway.url, `query ($identifier: String!) { patients(filter: { identifier: $identifier }) { edges { node { id } } } }`, { identifier });
      const id = someone.data!.patients.edges[0]!.node.id;
      const risk = await gql<{ patient: { risk: { learned: { model: string; version: string; applicable: boolean; notApplicableReason: string | null; causedBy: { code: string } | null; probability: number | null; baselineLogOdds: number; contributions: { contribution: number }[] }[] } } }>(
        hub.gateway.url,
        `query ($id: ID!) { patient(id: $id) { risk { learned { model version outcome horizonYears applicable notApplicableReason causedBy { code }
           probability baselineLogOdds contributions { feature value contribution } } } } }`,
        { id },
      );
      expect(risk.errors).toBeUndefined();
      return risk.data!.patient.risk.learned.find((l) => l.model === 'ascvd-5y')!;
    };
    const learned = await learnedFor(`L-17-${withoutInfarction}`);
    expect(learned).toMatchObject({ version: promoted.version, applicable: true, notApplicableReason: null, causedBy: null });
    const logOdds = learned.baselineLogOdds + learned.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(1 / (1 + Math.exp(-logOdds))).toBeCloseTo(learned.probability!, 3);
    // A first-event model gives a patient who has had the infarction no prediction, and says why (issue 17).
    expect(await learnedFor(`L-17-${withInfarction}`)).toMatchObject({
      applicable: false, probability: null, contributions: [], causedBy: { code: '22298006' },
      notApplicableReason: expect.stringMatching(/^secondary prevention, established ASCVD — myocardial infarction: Myocardial infarction \(SNOMED CT 22298006\), onset /),
    });
  });

  it('trains again on its own once enough new outcomes have arrived, and not before', async () => {
    const registry = new RiskModelRegistry(pool);
    const patients = new SubgraphClient('patient', hub.patient.url, testAssertions().forService('training'), 120_000);
    const definition = { ...RISK_MODEL_DEFINITIONS['ascvd-5y']!, retrainAfterOutcomes: 3 };
    const scheduler = new TrainingScheduler({ pool, patients, registry, log, intervalMs: 0, definitions: [definition] });
    const outcomes = await countOutcomePatients(patients, definition);
    await runTraining({ definition, patients, registry, log, outcomesAtTraining: outcomes, now: new Date(Date.now() + 2000) });
    expect(await scheduler.checkOnce()).toEqual([]);
    const more = cohortBundles(new Date(), 18).filter((b) => JSON.stringify(b).includes('22298006')).slice(0, 3);
    expect(more).toHaveLength(3);
    for (const b of more) await gql(hub.patient.url, `mutation ($b: JSON!) { ingestFhirBundle(bundle: $b) { created } }`, { b });
    const before = (await registry.all()).filter((m) => m.name === 'ascvd-5y').length;
    expect(await scheduler.checkOnce()).toEqual(['ascvd-5y']);
    expect((await registry.all()).filter((m) => m.name === 'ascvd-5y')).toHaveLength(before + 1);
  });
});
