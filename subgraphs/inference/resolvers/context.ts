import type { Identity } from '../../../lib/identity';
import type { PatientAccess } from '../../../lib/patient-access';
import type { AccessRecorder } from '../../../lib/audit';
import type { PubSub } from 'mercurius';
import type DataLoader from 'dataloader';
import type { DecisionLoaders } from '../decision-service';
import type { KnowledgeClient } from '../knowledge-client';
import type { NotesProcessor } from '../nlp/notes-processor';
import type { RiskModelRegistry } from '../learning/registry';
import type { NoteRun, StoredFinding } from '../nlp/notes-repository';
import type { DeadLetterRepository } from '../events/dead-letters';
import type { Logger } from '../../../lib/logger';

export interface InferenceContext {
  pubsub: PubSub;
  /** The caller, as the gateway asserted it (HTTP header, or graphql-ws connection parameter). */
  identity: Identity;
  /** Which patients this caller may see (from the record this request read, else the patient service's access directory). */
  patientAccess: PatientAccess;
  checkPatientAccess: (patientId: string, coordinate?: string) => Promise<void>;
  /** Before a patient subscription delivers `event`: from the organisation it was published under, else as checkPatientAccess. */
  checkPatientEvent: (patientId: string, event: unknown, coordinate?: string) => Promise<void>;
  /**
   * Notes what the gateway sent with a patient (@requires): its organisation, on which this request's access checks
   * decide, and its record version, by which the clinical record is reused across requests (snapshot-cache.ts).
   */
  noteRepresentation(representation: { id: string; organization?: string | null; recordVersion?: string | null }): void;
  /** The patients among these an aggregate for this caller may count (lib/patient-access.ts `countable`). */
  countable: (ids: readonly string[]) => Promise<string[]>;
  /** Reads of identified data in this request, for the audit log (absent on subscriptions). */
  access?: AccessRecorder;
  registry: RiskModelRegistry;
  loaders: DecisionLoaders;
  knowledge: KnowledgeClient;
  /** Whether each id is a known patient (subscriptions refuse unknown ones at subscribe time). */
  patientExists: Pick<DataLoader<string, boolean>, 'load'>;
  notes: NotesProcessor;
  noteFindings: DataLoader<string, StoredFinding[]>;
  noteRuns: DataLoader<string, NoteRun[]>;
  /** The outbox pipeline's dead letters (admins list and replay them). */
  deadLetters: DeadLetterRepository;
  /** The service's logger: admin actions are logged with who did them. */
  log: Logger;
  /** Ids of the patients matching a patient-subgraph filter (at most MAX_COHORT_MEMBERS). */
  cohortMembers(filter: Record<string, unknown>): Promise<string[]>;
}

/** Topics; mqemitter treats `/` as a level separator, which uuids never contain. */
export const riskTopic = (patientId: string): string => `risk-updated/${patientId}`;
export const findingsTopic = (patientId: string): string => `findings-updated/${patientId}`;
export const COHORT_RISK_TOPIC = 'cohort-risk-updated';

/**
 * What a patient publication says about access, beside the update itself (never resolved into a response):
 * the patient's organisation as the publisher read it with the record it computed from. Each subscription
 * checks its caller against it before delivering (lib/authorization.ts), with no read of its own.
 */
export interface PublishedAccess {
  patientId: string;
  organization: string | null;
}

/** The access stamp of a published event, if it carries one for this patient. */
export function publishedAccess(event: unknown, patientId: string): PublishedAccess | undefined {
  const access = (event as { access?: Partial<PublishedAccess> } | null)?.access;
  if (!access || access.patientId !== patientId) return undefined;
  if (typeof access.organization !== 'string' && access.organization !== null) return undefined;
  return { patientId, organization: access.organization };
}
