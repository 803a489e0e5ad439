import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Neo4jConnection } from '../../knowledge-graph/executor';
import type { Logger } from '../../lib/logger';
import { freePort, startSupervisor, type ServiceSpec, type Supervisor, type SupervisedService } from '../../scripts/supervisor';
import { haproxyConfig, parseStatsCsv, type Backend, type ServerStats } from './haproxy';

/**
 * The hub with every service replicated, on this machine (issue 20 item 4):
 *
 *   clients ─► HAProxy :gateway ─► gateway-1, gateway-2
 *   gateways and subgraphs ─► HAProxy :patient / :genomics / :knowledge-graph / :inference ─► two replicas each
 *   inference replicas ─► one consumer group per outbox (shared cursor and lease in PostgreSQL)
 *                       ─► Redis (riskUpdated and the other subscriptions, to every replica)
 *   every replica ─► one PostgreSQL, one Neo4j
 *
 * Subgraph replicas sit behind HAProxy as well, not behind the gateways' own load balancing: the
 * supergraph names one URL per subgraph (as a Kubernetes Service does), every caller of a subgraph
 * (the gateways, and genomics, inference and patient calling each other) gets the same health
 * checks, retries and redispatch in one place, and HAProxy's statistics count requests per replica.
 */

export const REPLICATED_SERVICES = [
  { name: 'patient', entry: 'subgraphs/patient/index', portKey: 'PATIENT_PORT', urlKey: 'PATIENT_URL' },
  { name: 'genomics', entry: 'subgraphs/genomics/index', portKey: 'GENOMICS_PORT', urlKey: 'GENOMICS_URL' },
  { name: 'knowledge-graph', entry: 'subgraphs/knowledge-graph/index', portKey: 'KNOWLEDGE_GRAPH_PORT', urlKey: 'KNOWLEDGE_GRAPH_URL' },
  { name: 'inference', entry: 'subgraphs/inference/index', portKey: 'INFERENCE_PORT', urlKey: 'INFERENCE_URL' },
  { name: 'gateway', entry: 'gateway/index', portKey: 'PORT', urlKey: undefined },
] as const;

export type ReplicatedService = (typeof REPLICATED_SERVICES)[number]['name'];

export interface ReplicaHubOptions {
  host?: string;
  /** Replicas per service (2). */
  replicas?: number;
  databaseUrl: string;
  redisUrl: string;
  neo4j: Neo4jConnection;
  /** Secrets and settings every replica shares (HUB_INTERNAL_SECRET, JWT_SECRET, METRICS_TOKEN, LOG_LEVEL, …). */
  env: Record<string, string | undefined>;
  /** HAProxy's port per service; 0 or missing: a free one. */
  frontendPorts?: Partial<Record<ReplicatedService, number>>;
  statsPort?: number;
  log: Logger;
  stdio?: 'inherit' | 'ignore';
  stopGraceMs?: number;
}

export interface ReplicaHub {
  supervisor: Supervisor;
  /** The gateway through HAProxy: what clients use. */
  gatewayUrl: string;
  /** Each service's HAProxy frontend. */
  frontendUrls: Record<ReplicatedService, string>;
  /** Each replica, by service, in order (`gateway` → [gateway-1, gateway-2]). */
  replicas: Record<ReplicatedService, SupervisedService[]>;
  haproxy: SupervisedService;
  /** HAProxy's per-server statistics. */
  stats(): Promise<ServerStats[]>;
  /** The folder holding haproxy.cfg. */
  dir: string;
  close(): Promise<void>;
}

/** The HAProxy binary, or a coded error naming the fix. */
export function haproxyBinary(): string {
  for (const candidate of [process.env.HAPROXY_BIN, '/usr/sbin/haproxy', '/usr/bin/haproxy']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('HAProxy is not installed: apt-get install -y haproxy (Debian), or set HAPROXY_BIN');
  }
}

export async function startReplicaHub(opts: ReplicaHubOptions): Promise<ReplicaHub> {
  const host = opts.host ?? '127.0.0.1';
  const count = opts.replicas ?? 2;
  const haproxyBin = haproxyBinary();
  const pick = async (port: number | undefined) => (port ? port : freePort(host));
  const frontends = {} as Record<ReplicatedService, number>;
  for (const service of REPLICATED_SERVICES) frontends[service.name] = await pick(opts.frontendPorts?.[service.name]);
  const statsPort = await pick(opts.statsPort);
  const backends: Backend[] = [];
  for (const service of REPLICATED_SERVICES) {
    const replicas = [];
    for (let i = 1; i <= count; i += 1) replicas.push({ name: `${service.name}-${i}`, port: await freePort(host) });
    backends.push({ name: service.name, port: frontends[service.name], replicas });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precision-hub-haproxy-'));
  const configFile = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(configFile, haproxyConfig({ host, backends, statsPort }));
  try {
    execFileSync(haproxyBin, ['-c', '-q', '-f', configFile], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`HAProxy refused the generated ${configFile}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`, { cause: error });
  }

  const frontendUrl = (service: ReplicatedService) => `http://${host}:${frontends[service]}/graphql`;
  // Every replica reaches the other services through HAProxy, never a replica directly.
  const shared: Record<string, string | undefined> = {
    ...opts.env,
    HOST: host,
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    NEO4J_URI: opts.neo4j.uri,
    NEO4J_USER: opts.neo4j.user ?? '',
    NEO4J_PASSWORD: opts.neo4j.password ?? '',
    GATEWAY_PORT: '',
  };
  for (const service of REPLICATED_SERVICES) if (service.urlKey) shared[service.urlKey] = frontendUrl(service.name);

  const specOf = (service: (typeof REPLICATED_SERVICES)[number], replica: { name: string; port: number }): ServiceSpec => ({
    name: replica.name,
    entry: service.entry,
    host,
    port: replica.port,
    env: { ...shared, [service.portKey]: String(replica.port) },
  });
  const stage = (...names: ReplicatedService[]) =>
    names.flatMap((name) => {
      const service = REPLICATED_SERVICES.find((s) => s.name === name)!;
      return backends.find((b) => b.name === name)!.replicas.map((replica) => specOf(service, replica));
    });
  const haproxySpec: ServiceSpec = {
    name: 'haproxy',
    entry: 'haproxy',
    command: { command: haproxyBin, args: ['-db', '-f', configFile] },
    host,
    port: statsPort,
    healthUrl: `http://${host}:${statsPort}/health`,
    env: {},
  };
  const supervisor = await startSupervisor({
    log: opts.log,
    stdio: opts.stdio,
    stopGraceMs: opts.stopGraceMs,
    // HAProxy first (the subgraphs call each other through it), then the services in dependency order.
    stages: [[haproxySpec], stage('patient'), stage('genomics', 'knowledge-graph'), stage('inference'), stage('gateway')],
  });
  const replicas = Object.fromEntries(
    REPLICATED_SERVICES.map((service) => [service.name, backends.find((b) => b.name === service.name)!.replicas.map((r) => supervisor.byName(r.name))]),
  ) as Record<ReplicatedService, SupervisedService[]>;
  return {
    supervisor,
    gatewayUrl: frontendUrl('gateway'),
    frontendUrls: Object.fromEntries(REPLICATED_SERVICES.map((s) => [s.name, frontendUrl(s.name)])) as Record<ReplicatedService, string>,
    replicas,
    haproxy: supervisor.byName('haproxy'),
    async stats() {
      const response = await fetch(`http://${host}:${statsPort}/stats;csv`);
      return parseStatsCsv(await response.text());
    },
    dir,
    async close() {
      await supervisor.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
