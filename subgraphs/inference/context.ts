import DataLoader from 'dataloader';
import type { Identity } from '../../lib/identity';
import { accessFor, assertPatientAccess, countable, KnownOrganisations } from '../../lib/patient-access';
import type { PatientSubgraphClient } from '../../lib/patient-client';
import { patientsExist, perRequest, type PatientDirectory } from '../../lib/contracts/patient-directory';
import type { Logger } from '../../lib/logger';
import { createDecisionLoaders, type DecisionClients } from './decision-service';
import type { DeadLetterRepository } from './events/dead-letters';
import type { NotesProcessor } from './nlp/notes-processor';
import type { InferenceContext } from './resolvers';
import { publishedAccess } from './resolvers/context';
import type { SnapshotCache } from './snapshot-cache';

export interface InferenceServices {
  clients: DecisionClients;
  patients: PatientSubgraphClient;
  /** The patient service's access directory: organisations, consent and existence without a call back. */
  directory: PatientDirectory;
  deadLetters: DeadLetterRepository;
  notes: NotesProcessor;
  log: Logger;
  /** Clinical records kept across requests by record version (snapshot-cache.ts); absent: every request reads. */
  snapshots?: SnapshotCache;
}

/**
 * The Patient fields whose resolvers read the clinical snapshot (birth date, sex, observations,
 * conditions, medications: `InferencePatientSnapshot` in
 * lib/contracts/operations/patient/inference.graphql). Only these decide access from that snapshot; every
 * other field (notes, similar patients) reads the organisation alone (from the access directory), so
 * reading a note finding does not make the hub read, and audit, the patient's birth date (least privilege).
 */
export const FIELDS_READING_THE_RECORD: ReadonlySet<string> = new Set([
  'Patient.risk',
  'Patient.riskWhatIf',
  'Patient.drugResponses',
  'Patient.medicationAlerts',
  'Patient.warfarinDosing',
  'Patient.actionableFindings',
  'Patient.trialMatches',
  'Patient.rareDiseaseCandidates',
]);

/**
 * One request's context (`http`), or one graphql-ws connection's (`ws`), for a verified caller.
 *
 * Row access rides on the record the request reads anyway (issue 19): every read of the patient
 * record by the decision loaders selects the patient's organisation too (`PatientSubgraphClient.noting`
 * accepts no operation that does not), and the access check of a patient field that reads the clinical snapshot (FIELDS_READING_THE_RECORD) reads it,
 * since its resolver reads it next from the same DataLoader. Every other check (other fields, a
 * connection's subscriptions, lists of other patients, consent for aggregates) reads the patient
 * service's access directory (lib/contracts/patient-directory.ts), never the patient subgraph: a
 * connection lives long and must not hold clinical records.
 */
export function createInferenceContext(services: InferenceServices, identity: Identity, transport: 'http' | 'ws'): Omit<InferenceContext, 'pubsub' | 'access'> {
  const { patients, notes } = services;
  // A request's reads are kept for the request; a connection's are not (it lives for hours, and its
  // subscriptions check access again at every event: lib/authorization.ts).
  const directory = transport === 'http' ? perRequest(services.directory) : services.directory;
  const known = new KnownOrganisations();
  // Record versions the gateway sent with the patients of this request (@requires recordVersion).
  const versions = new Map<string, string>();
  const reuse =
    services.snapshots && transport === 'http'
      ? { cache: services.snapshots, versionOf: (id: string) => versions.get(id), reused: (record: unknown) => known.note(record) }
      : undefined;
  const loaders = createDecisionLoaders({ ...services.clients, patients: patients.noting(known) }, undefined, reuse);
  const patientAccess = transport === 'http' ? accessFor(directory, identity, known) : accessFor(directory, identity, undefined, { keep: false });
  const everyone = identity.role === 'admin' || identity.role === 'service';
  // Kept for a request only: a connection may ask about a patient registered since.
  const existence = new DataLoader((ids: readonly string[]) => patientsExist(directory, ids), { cache: transport === 'http' });
  return {
    identity,
    patientAccess,
    noteRepresentation(representation: { id: string; organization?: string | null; recordVersion?: string | null }) {
      known.note(representation);
      if (typeof representation.recordVersion === 'string') versions.set(representation.id, representation.recordVersion);
    },
    async checkPatientAccess(patientId: string, coordinate?: string) {
      if (everyone) return;
      if (transport === 'http' && coordinate !== undefined && FIELDS_READING_THE_RECORD.has(coordinate) && known.get(patientId) === undefined) {
        // An unknown patient passes, as before: its fields answer PATIENT_NOT_FOUND.
        if ((await loaders.snapshot.load(patientId)) === null) return;
      }
      await patientAccess.check(patientId);
    },
    async checkPatientEvent(patientId: string, event: unknown) {
      if (everyone) return;
      // Published with the organisation its record was read under: decided from it, nothing read.
      const stamped = publishedAccess(event, patientId);
      if (stamped) return assertPatientAccess(identity, { id: patientId, organization: stamped.organization });
      await patientAccess.check(patientId);
    },
    countable: (ids: readonly string[]) => countable(directory, identity, ids),
    registry: services.clients.registry,
    deadLetters: services.deadLetters,
    log: services.log,
    loaders,
    knowledge: services.clients.knowledge,
    // A patient this request read from the patient subgraph exists: no second call to ask.
    patientExists: { load: async (patientId: string) => known.get(patientId) !== undefined || existence.load(patientId) },
    notes,
    noteFindings: new DataLoader(async (ids: readonly string[]) => {
      const byPatient = await notes.repository.findingsByPatients(notes.modelId, ids);
      return ids.map((id) => byPatient.get(id) ?? []);
    }),
    cohortMembers: (filter) => patients.cohortMembers(filter),
    noteRuns: new DataLoader(async (ids: readonly string[]) => {
      const byPatient = await notes.repository.runsByPatients(notes.modelId, ids);
      return ids.map((id) => byPatient.get(id) ?? []);
    }),
  };
}
