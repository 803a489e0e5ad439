/**
 * The hub on Kubernetes, written in TypeScript and generated into plain YAML (deploy/k8s/*.yaml,
 * `npm run k8s:generate`; a test fails when the committed YAML is stale). Operators apply it with
 * `kubectl apply -k deploy/k8s` and change it with kustomize overlays (image, host, replicas).
 *
 * Why this and not a Helm chart: no `helm` can be had on this project's machines (not in Debian,
 * npm has only wrappers that download the binary), so a chart could be neither rendered nor tested
 * in CI; kustomize is built into kubectl. Why not cdk8s: kubernetes-models gives the same typed
 * objects and also validates each against the Kubernetes v1.33.0 OpenAPI schema it bundles (offline),
 * so one library types, checks and needs no construct framework.
 *
 * PostgreSQL, Neo4j and Redis are not here: they run from their own operators or charts
 * (deploy/README.md), in the namespace `precision-hub-data`, whose NetworkPolicies are in ./data.
 */
import { ConfigMap, Service, ServiceAccount, type IContainer, type IEnvVar, type IProbe } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { Model } from '@kubernetes-models/base';

export const KUBERNETES_VERSION = '1.33.0';
export const PART_OF = 'precision-hub';
/** The Secret every credential comes from; created by the operator (deploy/README.md), never committed. */
export const SECRET_NAME = 'precision-hub-secrets';
export const CONFIG_NAME = 'precision-hub-config';
export const IMAGE = 'precision-hub:0.1.0';
export const DATA_NAMESPACE = 'precision-hub-data';
export const UID = 10001;

export type Tier = 'gateway' | 'subgraph';

export interface HubService {
  name: string;
  tier: Tier;
  /** The entry file the image's node runs (Dockerfile CMD). */
  entry: string;
  port: number;
  /** The variable lib/config.ts reads the port from. */
  portKey: string;
  replicas: number;
  resources: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string };
  /** V8 heap ceiling: three quarters of the memory limit, so the pod's limit is not the first wall hit. */
  heapMb: number;
  /** Secret keys it reads, as environment variable → key in SECRET_NAME (optional keys may be absent). */
  secrets: Record<string, { key: string; optional?: boolean }>;
  /** Seconds the pod keeps serving after SIGTERM's decision (preStop) and the whole grace period. */
  preStopSeconds: number;
  terminationGraceSeconds: number;
  autoscale?: { min: number; max: number; cpuPercent: number };
}

const INTERNAL_SECRET = { HUB_INTERNAL_SECRET: { key: 'hub-internal-secret' } };

/**
 * Requests from the idle RSS measured from dist/ (bench/service-start.bench.ts: 140-200 MB) with
 * headroom for load; inference holds the ONNX sentence model (~90 MB more) and scores in-process.
 */
export const SERVICES: HubService[] = [
  {
    name: 'gateway',
    tier: 'gateway',
    entry: 'gateway/index.js',
    port: 4000,
    portKey: 'PORT',
    replicas: 2,
    resources: { cpu: '250m', memory: '384Mi', cpuLimit: '1', memoryLimit: '768Mi' },
    heapMb: 576,
    secrets: {
      ...INTERNAL_SECRET,
      DATABASE_URL: { key: 'gateway-database-url' },
      JWT_SECRET: { key: 'jwt-secret', optional: true },
      METRICS_TOKEN: { key: 'metrics-token', optional: true },
    },
    preStopSeconds: 10,
    terminationGraceSeconds: 30,
    autoscale: { min: 2, max: 10, cpuPercent: 70 },
  },
  {
    name: 'patient',
    tier: 'subgraph',
    entry: 'subgraphs/patient/index.js',
    port: 4001,
    portKey: 'PATIENT_PORT',
    replicas: 2,
    resources: { cpu: '250m', memory: '384Mi', cpuLimit: '1', memoryLimit: '768Mi' },
    heapMb: 576,
    secrets: { ...INTERNAL_SECRET, DATABASE_URL: { key: 'patient-database-url' } },
    preStopSeconds: 10,
    terminationGraceSeconds: 30,
  },
  {
    name: 'genomics',
    tier: 'subgraph',
    entry: 'subgraphs/genomics/index.js',
    port: 4002,
    portKey: 'GENOMICS_PORT',
    replicas: 2,
    // VCF ingest streams through COPY; a whole-genome upload holds parsing buffers.
    resources: { cpu: '250m', memory: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
    heapMb: 768,
    secrets: { ...INTERNAL_SECRET, DATABASE_URL: { key: 'genomics-database-url' } },
    preStopSeconds: 10,
    terminationGraceSeconds: 30,
  },
  {
    name: 'knowledge-graph',
    tier: 'subgraph',
    entry: 'subgraphs/knowledge-graph/index.js',
    port: 4003,
    portKey: 'KNOWLEDGE_GRAPH_PORT',
    replicas: 2,
    resources: { cpu: '200m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' },
    heapMb: 384,
    secrets: { ...INTERNAL_SECRET, NEO4J_URI: { key: 'neo4j-uri' }, NEO4J_USER: { key: 'neo4j-user' }, NEO4J_PASSWORD: { key: 'neo4j-password' } },
    preStopSeconds: 10,
    terminationGraceSeconds: 30,
  },
  {
    name: 'inference',
    tier: 'subgraph',
    entry: 'subgraphs/inference/index.js',
    port: 4004,
    portKey: 'INFERENCE_PORT',
    replicas: 2,
    resources: { cpu: '500m', memory: '768Mi', cpuLimit: '2', memoryLimit: '1536Mi' },
    heapMb: 1152,
    secrets: { ...INTERNAL_SECRET, DATABASE_URL: { key: 'inference-database-url' }, REDIS_URL: { key: 'redis-url' }, METRICS_TOKEN: { key: 'metrics-token', optional: true } },
    // The outbox consumer finishes its batch before it lets go of its lease.
    preStopSeconds: 10,
    terminationGraceSeconds: 45,
    autoscale: { min: 2, max: 6, cpuPercent: 70 },
  },
];

const labelsOf = (service: HubService) => ({
  'app.kubernetes.io/name': service.name,
  'app.kubernetes.io/part-of': PART_OF,
  'app.kubernetes.io/component': service.tier,
});
const selectorOf = (service: HubService) => ({ 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': PART_OF });

/** Where each service reaches the others: the cluster's Service names. */
export const SERVICE_URLS: Record<string, string> = {
  PATIENT_URL: 'http://patient:4001/graphql',
  GENOMICS_URL: 'http://genomics:4002/graphql',
  KNOWLEDGE_GRAPH_URL: 'http://knowledge-graph:4003/graphql',
  INFERENCE_URL: 'http://inference:4004/graphql',
};

function container(service: HubService): IContainer {
  const secretEnv: IEnvVar[] = Object.entries(service.secrets).map(([name, ref]) => ({
    name,
    valueFrom: { secretKeyRef: { name: SECRET_NAME, key: ref.key, ...(ref.optional ? { optional: true } : {}) } },
  }));
  // /health answers 503 while a dependency (PostgreSQL, Neo4j) is down: readiness takes the pod out of
  // rotation then. Liveness is the port alone: a database outage must not restart every replica at
  // once (each restart runs its migrations); a process that stops accepting is restarted.
  const health: IProbe = { httpGet: { path: '/health', port: 'http' }, timeoutSeconds: 3 };
  return {
    name: service.name,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: [service.entry],
    ports: [{ name: 'http', containerPort: service.port, protocol: 'TCP' }],
    env: [
      { name: service.portKey, value: String(service.port) },
      { name: 'NODE_OPTIONS', value: `--enable-source-maps --max-old-space-size=${service.heapMb}` },
      ...secretEnv,
    ],
    envFrom: [{ configMapRef: { name: CONFIG_NAME } }],
    resources: {
      requests: { cpu: service.resources.cpu, memory: service.resources.memory },
      limits: { cpu: service.resources.cpuLimit, memory: service.resources.memoryLimit },
    },
    // Start-up runs migrations (or waits for Neo4j): up to 5 minutes before liveness applies.
    startupProbe: { ...health, periodSeconds: 5, failureThreshold: 60 },
    readinessProbe: { ...health, periodSeconds: 5, failureThreshold: 2 },
    livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 },
    // Graceful shutdown: the endpoints controller takes the pod out of its Service while preStop
    // sleeps; then SIGTERM: the service stops accepting, drains requests under way (5 s,
    // lib/service-host/lifecycle.ts), closes its pools and exits 0 (lib/lifecycle.ts).
    lifecycle: { preStop: { exec: { command: ['/bin/sleep', String(service.preStopSeconds)] } } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: UID,
      runAsGroup: UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'state', mountPath: '/var/lib/precision-hub' },
    ],
  };
}

function deployment(service: HubService): Deployment {
  return new Deployment({
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: {
      replicas: service.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(service) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labelsOf(service) },
        spec: {
          serviceAccountName: PART_OF,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: service.terminationGraceSeconds,
          securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
          // Replicas on different nodes where there are several: one node's loss is one replica's.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorOf(service) } }],
          containers: [container(service)],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            // MODEL_DIR (notes NLP model folder) and KG_RELEASES_DIR live here; replace with a volume
            // holding the model to turn NLP on (deploy/README.md).
            { name: 'state', emptyDir: { sizeLimit: '1Gi' } },
          ],
        },
      },
    },
  });
}

function service(hub: HubService): Service {
  return new Service({
    metadata: { name: hub.name, labels: labelsOf(hub) },
    spec: { type: 'ClusterIP', selector: selectorOf(hub), ports: [{ name: 'http', port: hub.port, targetPort: 'http', protocol: 'TCP' }] },
  });
}

function disruptionBudget(hub: HubService): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: hub.name, labels: labelsOf(hub) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(hub) } },
  });
}

function autoscaler(hub: HubService): HorizontalPodAutoscaler | undefined {
  if (!hub.autoscale) return undefined;
  return new HorizontalPodAutoscaler({
    metadata: { name: hub.name, labels: labelsOf(hub) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: hub.name },
      minReplicas: hub.autoscale.min,
      maxReplicas: hub.autoscale.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hub.autoscale.cpuPercent } } }],
      // Scale down slowly: subscriptions (graphql-ws) live on a replica until the client reconnects.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    },
  });
}

function networkPolicies(): NetworkPolicy[] {
  const hubPods = (tiers: string[]) => ({
    podSelector: { matchLabels: { 'app.kubernetes.io/part-of': PART_OF }, matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: tiers }] },
  });
  const policies: NetworkPolicy[] = [
    // Nothing reaches a pod of this namespace unless a policy below lets it.
    new NetworkPolicy({ metadata: { name: 'default-deny-ingress' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
  ];
  for (const hub of SERVICES) {
    // The gateway from the ingress controller; subgraphs from the gateway, each other and the hub's jobs only.
    const from =
      hub.tier === 'gateway'
        ? [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]
        : [hubPods(['gateway', 'subgraph', 'job'])];
    policies.push(
      new NetworkPolicy({
        metadata: { name: `${hub.name}-ingress`, labels: labelsOf(hub) },
        spec: { podSelector: { matchLabels: selectorOf(hub) }, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port: hub.port, protocol: 'TCP' }] }] },
      }),
    );
  }
  return policies;
}

function ingress(): Ingress {
  const gateway = SERVICES.find((s) => s.tier === 'gateway')!;
  return new Ingress({
    metadata: {
      name: 'gateway',
      labels: labelsOf(gateway),
      annotations: {
        // graphql-ws subscriptions are long-lived WebSockets: no 60 s proxy timeout.
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-body-size': '64m',
      },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['precision-hub.example.org'], secretName: 'precision-hub-tls' }],
      rules: [
        {
          host: 'precision-hub.example.org',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: gateway.name, port: { name: 'http' } } } }] },
        },
      ],
    },
  });
}

function config(): ConfigMap {
  return new ConfigMap({
    metadata: { name: CONFIG_NAME, labels: { 'app.kubernetes.io/part-of': PART_OF } },
    data: {
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      ...SERVICE_URLS,
      // Production authenticates bearer tokens against the identity provider's JWKS (RS256/ES256).
      JWT_JWKS_URL: 'https://login.example.org/.well-known/jwks.json',
      JWT_ISSUER: 'https://login.example.org/',
      JWT_AUDIENCE: 'precision-hub',
      CORS_ORIGINS: '',
      INFERENCE_CONSUMER_GROUP: 'inference',
    },
  });
}

/** Everything in the hub's namespace, in apply order. */
export function hubManifests(): Model<unknown>[] {
  return [
    new ServiceAccount({ metadata: { name: PART_OF, labels: { 'app.kubernetes.io/part-of': PART_OF } }, automountServiceAccountToken: false }),
    config(),
    ...SERVICES.flatMap((hub) => [deployment(hub), service(hub), disruptionBudget(hub), ...[autoscaler(hub)].filter((a) => a !== undefined)]),
    ingress(),
    ...networkPolicies(),
  ] as Model<unknown>[];
}

/**
 * NetworkPolicies for the data namespace: each database accepts only the hub's services that use it
 * (and its own operator and peers). Pod labels are those the named charts/operators set (README).
 */
export function dataManifests(hubNamespace = 'precision-hub'): Model<unknown>[] {
  const fromHub = (names: string[]) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': hubNamespace } },
    podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: names }] },
  });
  const jobs = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': hubNamespace } },
    podSelector: { matchLabels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'job' } },
  };
  const policy = (name: string, podLabels: Record<string, string>, port: number, from: object[]) =>
    new NetworkPolicy({
      metadata: { name, namespace: DATA_NAMESPACE },
      spec: { podSelector: { matchLabels: podLabels }, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port, protocol: 'TCP' }] }] },
    });
  return [
    new NetworkPolicy({ metadata: { name: 'default-deny-ingress', namespace: DATA_NAMESPACE }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }),
    // CloudNativePG cluster `precision-hub-pg`: the services with a DATABASE_URL, the hub's jobs, its own
    // replicas (streaming replication) and the operator (status port 8000).
    policy('postgres-from-hub', { 'cnpg.io/cluster': 'precision-hub-pg' }, 5432, [fromHub(['gateway', 'patient', 'genomics', 'inference']), jobs, { podSelector: { matchLabels: { 'cnpg.io/cluster': 'precision-hub-pg' } } }]),
    policy('postgres-from-operator', { 'cnpg.io/cluster': 'precision-hub-pg' }, 8000, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }]),
    // Neo4j Helm chart release `precision-hub-neo4j`: Bolt from the knowledge-graph subgraph and the importers' jobs.
    policy('neo4j-from-hub', { 'helm.neo4j.com/neo4j.name': 'precision-hub-neo4j' }, 7687, [fromHub(['knowledge-graph']), jobs]),
    // Redis release `precision-hub-redis`: inference replicas fan riskUpdated out to each other through it.
    policy('redis-from-hub', { 'app.kubernetes.io/instance': 'precision-hub-redis' }, 6379, [fromHub(['inference']), { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'precision-hub-redis' } } }]),
  ] as Model<unknown>[];
}
