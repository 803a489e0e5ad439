// The Apollo adapter of the service host (lib/service-host/): kept as an entry point for existing imports.
export { serveApollo, MAX_REQUEST_BYTES } from './service-host/apollo';
export { SHUTDOWN_GRACE_MS, type RunningService } from './service-host/lifecycle';
export type { HealthCheck } from './service-host/health';
