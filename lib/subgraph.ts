// The Apollo adapter of the service host (lib/service-host/): kept as an entry point for existing imports.
export { createSubgraphServer, readSubgraphSdl } from './service-host/apollo';
