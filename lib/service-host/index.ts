/**
 * One service host for every subgraph (issue 19): the edge (identity assertion, media types), error
 * masking, audit withholding, health, tracing and graceful shutdown are written once here, with an
 * adapter per GraphQL server — Apollo Server (patient, genomics, knowledge-graph) and mercurius
 * (inference, which serves the subscriptions).
 */
export { createSubgraphServer, readSubgraphSdl, serveApollo, MAX_REQUEST_BYTES } from './apollo';
export { serveMercurius, type MercuriusSubgraph, type MercuriusSubgraphOptions } from './mercurius';
export { answerHealth, postgresHealth, type HealthCheck } from './health';
export { maskSubgraphError } from './error-masking';
export { auditBeforeResponse, AUDIT_WITHHELD } from './audit-withholding';
export { checkAssertion, connectionIdentity, mediaTypeRefusal, accessRecorderFor, HEALTH_PATH } from './edge';
export { SHUTDOWN_GRACE_MS, drainingClose, type RunningService } from './lifecycle';
