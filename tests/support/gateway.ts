import { startGateway, type Gateway, type GatewayOptions } from '../../gateway/server';
import { assertionsOf } from '../../lib/local-secrets';
import type { Logger } from '../../lib/logger';
import type { Hub } from '../../scripts/hub';
import type { testConfig } from './config';

/**
 * A second gateway over a running hub's subgraphs, on a free port, with the hub's test secrets:
 * for tests that need one gateway setting other than the hub's own (a cache span, a re-check interval,
 * the defaults). `options` is what differs.
 */
export function gatewayOver(hub: Hub, config: ReturnType<typeof testConfig>, log: Logger, options: Partial<GatewayOptions> = {}): Promise<Gateway> {
  return startGateway({
    host: config.host,
    port: 0,
    log,
    subgraphUrls: { patient: hub.patient.url, genomics: hub.genomics.url, 'knowledge-graph': hub.knowledgeGraph.url, inference: hub.inference.url },
    auth: { jwt: config.auth.jwt, assertions: assertionsOf(config) },
    queryPlanner: config.gatewayQueryPlanner,
    ...options,
  });
}
