import { startInferenceService, type InferenceServiceOptions } from '../../subgraphs/inference/server';
import { testConfig } from './config';

/** What an inference replica in a test needs of the services around it. */
export interface InferenceNeighbours {
  databaseUrl: string;
  patient: { url: string };
  genomics: { url: string };
  knowledgeGraph: { url: string };
  log: InferenceServiceOptions['log'];
  assertions: InferenceServiceOptions['assertions'];
}

/**
 * One more inference replica over a test's services, on a free port, with the test model; `options`
 * says what makes this replica what the test needs (its consumer group, Redis, retry policy …).
 */
export function startInferenceReplica(around: InferenceNeighbours, options: Partial<InferenceServiceOptions>) {
  return startInferenceService({
    databaseUrl: around.databaseUrl,
    host: '127.0.0.1',
    port: 0,
    patientUrl: around.patient.url,
    genomicsUrl: around.genomics.url,
    knowledgeGraphUrl: around.knowledgeGraph.url,
    modelDir: testConfig().modelDir,
    modelId: testConfig().nlpModelId,
    log: around.log,
    assertions: around.assertions,
    ...options,
  });
}
