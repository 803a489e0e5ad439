import type { PubSub } from 'mercurius';
import { GenomicsTopic, PatientTopic, type EventTopic } from '../../../lib/contracts/events';
import { InferencePublicationSnapshotDocument } from '../../../lib/contracts/generated/patient/graphql';
import { createDecisionLoaders, type DecisionClients } from '../decision-service';
import { deidentifiedRiskUpdate } from '../domain/deidentify';
import { COHORT_RISK_TOPIC, findingsTopic, riskTopic, type PublishedAccess } from '../resolvers/context';
import { findingView } from '../resolvers/Patient';
import { PatientHandlingFailures, type OutboxEvent } from './outbox-consumer';

/** Findings pushed with each findingsUpdated message; the full list is a query away. */
const FINDINGS_IN_UPDATE = 10;

/**
 * The events that can change what findingsUpdated carries. Medication alerts read the patient's
 * medications, pharmacogenomic results and CPIC guidelines; actionable findings read the variants,
 * their knowledge and the patient's conditions (decision-service.ts). An observation changes none of
 * them, so `addObservation` and device readings recompute and publish risk only: before, every
 * blood pressure also cost a genomics and a knowledge-graph read per patient and a findingsUpdated
 * identical to the last one.
 */
const FINDINGS_INPUT_TOPICS: ReadonlySet<EventTopic> = new Set<EventTopic>([PatientTopic.RECORDS_INGESTED, PatientTopic.UNLINKED, GenomicsTopic.VARIANTS_CHANGED]);

/**
 * Events → what changed → riskUpdated / findingsUpdated / cohortRiskUpdated. One publication per
 * patient per batch: the newest data wins. Patient events change risk; those that can bring
 * medications or conditions (FINDINGS_INPUT_TOPICS) and genomics events (variants) change findings
 * and alerts.
 */
export function updatePublisher(deps: { clients: DecisionClients; pubsub: () => PubSub }) {
  const { clients } = deps;
  return async (events: OutboxEvent[], kinds: { risk: boolean }): Promise<void> => {
    const latestByPatient = new Map<string, OutboxEvent>();
    /** Patients with an event in the batch that can change their findings, and the newest such event. */
    const findingsEvent = new Map<string, OutboxEvent>();
    // A consent decision changes no clinical fact: nothing to recompute (it is read at each publication).
    for (const event of events) {
      if (event.topic === PatientTopic.CONSENT_CHANGED) continue;
      latestByPatient.set(event.patientId, event);
      if (FINDINGS_INPUT_TOPICS.has(event.topic)) findingsEvent.set(event.patientId, event);
    }
    const loaders = createDecisionLoaders(clients);
    const ids = [...latestByPatient.keys()];
    const computedAt = new Date();
    // Reads before publications: a batch whose reads fail (one patient's record the patient subgraph
    // cannot serve) has published nothing, so the consumer can hand its patients over one by one
    // (events/outbox-consumer.ts) and no subscriber hears the same update twice.
    // One read of the patient subgraph per batch: each record with its research consent. Research
    // portals receive only patients whose consent is granted now (read at each publication, so a
    // withdrawal takes effect with the next event). The loaders' later reads of a record (risk,
    // findings) are served from it.
    const records = await clients.patients.patientsOf(InferencePublicationSnapshotDocument, ids);
    const present: string[] = [];
    const consented = new Set<string>();
    // Each publication carries the organisation read with its record (PublishedAccess).
    const accessOf = new Map<string, PublishedAccess>();
    ids.forEach((id, i) => {
      const record = records[i];
      if (!record) return; // a patient that no longer exists has nothing to announce
      loaders.snapshot.prime(id, record);
      present.push(id);
      accessOf.set(id, { patientId: id, organization: record.organization ?? null });
      if (record.researchConsent.granted) consented.add(id);
    });
    const publications: { topic: string; payload: unknown }[] = [];
    if (kinds.risk) {
      for (const patientId of present) {
        const event = latestByPatient.get(patientId)!;
        const risk = (await loaders.risk.load(patientId))!;
        const riskUpdated = { patient: { id: patientId }, risk, computedAt: computedAt.toISOString(), reason: event.topic };
        publications.push({ topic: riskTopic(patientId), payload: { riskUpdated, access: accessOf.get(patientId) } });
        if (!consented.has(patientId)) continue;
        const { update, facts } = deidentifiedRiskUpdate(risk.cardiovascular, computedAt, event.topic);
        publications.push({ topic: COHORT_RISK_TOPIC, payload: { cohortRiskUpdated: update, facts } });
      }
    }
    const pubsub = deps.pubsub();
    // Risk first, for every patient of the batch: it is what open pages and portals wait for.
    for (const publication of publications) await pubsub.publish(publication);
    // Then alerts and findings, batched across the patients (one call per subgraph and kind of data).
    // A patient whose findings cannot be read (knowledge graph or genomics down) has had its risk
    // published: only that patient's events are retried, the others are done.
    const failed = new Map<string, unknown>();
    await Promise.all(
      present.map(async (patientId) => {
        const event = findingsEvent.get(patientId);
        if (!event) return;
        let drugs: Awaited<ReturnType<typeof loaders.drugResponses>>;
        let findings: Awaited<ReturnType<typeof loaders.actionableFindings>>;
        try {
          [drugs, findings] = await Promise.all([loaders.drugResponses(patientId), loaders.actionableFindings(patientId)]);
        } catch (error) {
          failed.set(patientId, error);
          return;
        }
        const findingsUpdated = {
          patient: { id: patientId },
          medicationAlerts: (drugs?.alerts ?? []).map((a) => ({ ...a, drug: { id: a.drug.id } })),
          actionableFindings: (findings ?? []).slice(0, FINDINGS_IN_UPDATE).map(findingView),
          computedAt: computedAt.toISOString(),
          reason: event.topic,
        };
        await pubsub.publish({ topic: findingsTopic(patientId), payload: { findingsUpdated, access: accessOf.get(patientId) } });
      }),
    );
    if (failed.size) throw new PatientHandlingFailures(failed);
  };
}
