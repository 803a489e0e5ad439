import type { PubSub } from 'mercurius';
import { GenomicsTopic, PatientTopic, type TypedEvent } from '../../../lib/contracts/events';
import type { DecisionClients } from '../decision-service';
import type { ClinicalSnapshot } from '../domain/cardiovascular';
import { COHORT_RISK_TOPIC, findingsTopic, riskTopic } from '../resolvers/context';
import type { OutboxEvent } from './outbox-consumer';
import { updatePublisher } from './update-publisher';

const SNOMED = 'http://snomed.info/sct';

/** A 61-year-old man with a recent record, the shape the patient subgraph returns. */
function snapshot(id: string): ClinicalSnapshot {
  const obs = (code: string, value: number, unit: string) => ({ id: `${id}-${code}`, code, value, unit, effectiveAt: '2026-10-01T09:00:00Z', valueCode: null, excludedReason: null });
  return {
    id,
    birthDate: '1965-03-02',
    sex: 'MALE',
    race: 'WHITE',
    observations: [obs('2093-3', 213, 'mg/dL'), obs('2085-9', 50, 'mg/dL'), obs('8480-6', 142, 'mm[Hg]')],
    conditions: [{ id: `${id}-htn`, code: { system: SNOMED, code: '59621000', display: 'Essential hypertension (disorder)' }, clinicalStatus: 'active', onsetAt: '2015-06-01T00:00:00Z' }],
    medications: [],
  } as ClinicalSnapshot;
}

/** Fakes of the subgraph clients that count the reads the publisher makes (a unit test: no services). */
function fakes(consenting: readonly string[] = []) {
  const reads = { snapshots: 0, genomics: 0, knowledge: 0 };
  const published: { topic: string; payload: Record<string, unknown> }[] = [];
  const clients = {
    registry: { promoted: async () => new Map() },
    patients: {
      patientsOf: async (_document: unknown, ids: readonly string[]) => {
        reads.snapshots += 1;
        return ids.map((id) => (id === 'gone' ? null : { ...snapshot(id), organization: 'org-a', researchConsent: { granted: consenting.includes(id) } }));
      },
    },
    genomics: {
      entitiesOf: async (_document: unknown, representations: readonly { id: string }[]) => {
        reads.genomics += 1;
        return representations.map(() => ({ any: [], clinical: [], pharmacogenomics: [] }));
      },
    },
    knowledge: {
      variants: async (ids: readonly string[]) => {
        reads.knowledge += 1;
        return ids.map(() => null);
      },
      guidelinesByGene: async (genes: readonly string[]) => {
        reads.knowledge += 1;
        return genes.map(() => []);
      },
    },
  } as unknown as DecisionClients;
  const pubsub = {
    publish: async (publication: { topic: string; payload: Record<string, unknown> }) => {
      published.push(publication);
    },
  } as unknown as PubSub;
  return { reads, published, publish: updatePublisher({ clients, pubsub: () => pubsub }) };
}

let sequence = 0;
function event(patientId: string, typed: TypedEvent): OutboxEvent {
  sequence += 1;
  return { ...typed, id: String(sequence), txid: String(sequence), patientId, createdAt: new Date(), source: typed.topic.startsWith('genomics.') ? 'genomics.outbox' : 'patient.outbox' } as OutboxEvent;
}

const observation = (patientId: string) => event(patientId, { topic: PatientTopic.OBSERVATION_ADDED, payload: { observationId: `o-${sequence}`, code: '8480-6' } });
const readings = (patientId: string) => event(patientId, { topic: PatientTopic.DEVICE_OBSERVATIONS_INGESTED, payload: { created: 3, updated: 0 } });
const bundle = (patientId: string) => event(patientId, { topic: PatientTopic.RECORDS_INGESTED, payload: { created: 5, updated: 0 } });
const variants = (patientId: string) => event(patientId, { topic: GenomicsTopic.VARIANTS_CHANGED, payload: { variants: 2 } });

describe('updatePublisher: what each event recomputes', () => {
  it('publishes only riskUpdated for observations and device readings: no genomics or knowledge read, no findingsUpdated', async () => {
    const { reads, published, publish } = fakes();
    await publish([observation('p-1'), readings('p-2')], { risk: true });
    expect(published.map((p) => p.topic)).toEqual([riskTopic('p-1'), riskTopic('p-2')]);
    expect(reads).toEqual({ snapshots: 1, genomics: 0, knowledge: 0 });
  });

  it('publishes findingsUpdated after risk for a bundle (it can bring medications and conditions), naming the bundle as the reason', async () => {
    const { reads, published, publish } = fakes();
    await publish([bundle('p-1'), observation('p-1'), observation('p-2')], { risk: true });
    expect(published.map((p) => p.topic)).toEqual([riskTopic('p-1'), riskTopic('p-2'), findingsTopic('p-1')]);
    expect((published[0]!.payload.riskUpdated as { reason: string }).reason).toBe(PatientTopic.OBSERVATION_ADDED);
    expect((published[2]!.payload.findingsUpdated as { reason: string }).reason).toBe(PatientTopic.RECORDS_INGESTED);
    expect(reads.genomics).toBe(1);
    // Each carries the organisation read with its record, which subscriptions check their callers against.
    expect(published.map((p) => p.payload.access)).toEqual([
      { patientId: 'p-1', organization: 'org-a' },
      { patientId: 'p-2', organization: 'org-a' },
      { patientId: 'p-1', organization: 'org-a' },
    ]);
  });

  it('reads each record with its research consent in one patient-subgraph call per batch, and tells research portals of the consenting only', async () => {
    const { reads, published, publish } = fakes(['p-2']);
    await publish([observation('p-1'), observation('p-2'), observation('gone')], { risk: true });
    expect(published.map((p) => p.topic)).toEqual([riskTopic('p-1'), riskTopic('p-2'), COHORT_RISK_TOPIC]);
    expect(reads.snapshots).toBe(1);
  });

  it('publishes findingsUpdated, and no risk, for a genomics event', async () => {
    const { published, publish } = fakes();
    await publish([variants('p-3')], { risk: false });
    expect(published.map((p) => p.topic)).toEqual([findingsTopic('p-3')]);
    expect(published.map((p) => p.topic)).not.toContain(COHORT_RISK_TOPIC);
  });
});
