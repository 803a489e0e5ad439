import DataLoader from 'dataloader';
import type { Identity } from '../../lib/identity';
import type { AccessLog, AccessRecorder } from '../../lib/audit';
import type { ConsentRepository } from './repository/consent-repository';
import type { ResearchView } from './domain/research-view';
import type { DeviceObservationIngestor } from './ingest/device-observations';
import type { FhirIngestor } from './ingest/ingest-bundle';
import type { CohortRepository } from './repository/cohort-repository';
import type { ImagingRepository } from './repository/imaging-repository';
import type { LinkRepository } from './repository/link-repository';
import type { PatientRepository } from './repository/patient-repository';
import type { ProcedureRepository } from './repository/procedure-repository';
import type { RecordVersionRepository } from './repository/record-version-repository';

export interface GenomicsCarriers {
  carriers(gene: string | null, variant: string | null): Promise<string[]>;
}

/** The patient subgraph's long-lived services, built once per process. */
export interface PatientServices {
  repository: PatientRepository;
  ingestor: FhirIngestor;
  devices: DeviceObservationIngestor;
  cohorts: CohortRepository;
  links: LinkRepository;
  imaging: ImagingRepository;
  procedures: ProcedureRepository;
  consents: ConsentRepository;
  recordVersions: RecordVersionRepository;
  /** Who carries a gene or variant, asked of the genomics subgraph; absent when this service has no genomics URL. */
  genomics?: GenomicsCarriers;
  /** Pseudonyms, shifted dates and research cursors (domain/research-view.ts). */
  research: ResearchView;
  /** The append-only log of reads of identified data (lib/audit.ts). */
  accessLog: AccessLog;
}

/** One set of loaders per request: batching across the request's entities, no cache across users. */
function createLoaders({ repository, links, imaging, procedures, consents, recordVersions }: PatientServices) {
  return {
    patient: new DataLoader((ids: readonly string[]) => repository.patientsByIds(ids)),
    identifiers: new DataLoader((ids: readonly string[]) => repository.identifiersByPatientIds(ids)),
    observations: new DataLoader((ids: readonly string[]) => repository.observationsByPatientIds(ids)),
    conditions: new DataLoader((ids: readonly string[]) => repository.conditionsByPatientIds(ids)),
    procedures: new DataLoader((ids: readonly string[]) => procedures.proceduresByPatientIds(ids)),
    medications: new DataLoader((ids: readonly string[]) => repository.medicationsByPatientIds(ids)),
    allergies: new DataLoader((ids: readonly string[]) => repository.allergiesByPatientIds(ids)),
    notes: new DataLoader((ids: readonly string[]) => repository.notesByPatientIds(ids)),
    imagingStudies: new DataLoader((ids: readonly string[]) => imaging.imagingStudiesByPatientIds(ids)),
    links: new DataLoader((ids: readonly string[]) => links.linksByPatientIds(ids)),
    consents: new DataLoader((ids: readonly string[]) => consents.historyByPatientIds(ids)),
    recordVersions: new DataLoader((ids: readonly string[]) => recordVersions.versionsByPatientIds(ids)),
  };
}

export interface PatientContext extends PatientServices {
  /** The caller, as the gateway asserted it. */
  identity: Identity;
  loaders: ReturnType<typeof createLoaders>;
  /** This request's reads of identified data, written before the response leaves (lib/subgraph.ts). */
  access?: AccessRecorder;
}

export function createPatientContext(services: PatientServices, identity: Identity): PatientContext {
  return { ...services, identity, loaders: createLoaders(services) };
}
