import fs from 'node:fs';
import path from 'node:path';
import { staleFiles } from './generate';
import { parseManifests, policyProblems, schemaProblems, type K8sObject } from './policy';
import { SECRET_NAME } from './manifests';

const read = (file: string) => fs.readFileSync(path.join(__dirname, file), 'utf8');
const HUB = parseManifests(read('precision-hub.yaml'));
const DATA = parseManifests(read('data/network-policies.yaml'));
const OPTIONS = { autoscaled: ['gateway', 'inference'], secretName: SECRET_NAME };

/** A deep copy of the hub's objects with one changed, so each rule is seen to fail. */
function broken(change: (objects: K8sObject[]) => void): K8sObject[] {
  const objects = structuredClone(HUB);
  change(objects);
  return objects;
}
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const podOf = (objects: K8sObject[], name: string) => find(objects, 'Deployment', name).spec.template.spec;
const containerOf = (objects: K8sObject[], name: string) => podOf(objects, name).containers[0];

describe('deploy/k8s', () => {
  it('is what deploy/k8s/manifests.ts generates (npm run k8s:generate)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('holds a Deployment, Service and PodDisruptionBudget per service, autoscalers for gateway and inference, one Ingress', () => {
    const names = (kind: string) => HUB.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    const services = ['gateway', 'genomics', 'inference', 'knowledge-graph', 'patient'];
    expect(names('Deployment')).toEqual(services);
    expect(names('Service')).toEqual(services);
    expect(names('PodDisruptionBudget')).toEqual(services);
    expect(names('HorizontalPodAutoscaler')).toEqual(['gateway', 'inference']);
    expect(names('Ingress')).toEqual(['gateway']);
  });

  it('validates against the Kubernetes v1.33.0 OpenAPI schema', () => {
    expect(schemaProblems([...HUB, ...DATA])).toEqual([]);
  });

  it('refuses what the schema refuses', () => {
    const objects = broken((o) => {
      find(o, 'Deployment', 'patient').spec.replicas = 'two';
      containerOf(o, 'genomics').resources.limits.memory = { size: 1 };
      find(o, 'Service', 'inference').spec.ports[0].protocol = 'HTTP';
    });
    expect(schemaProblems(objects)).toEqual([
      expect.stringMatching(/^Deployment\/patient: .*replicas must be integer/),
      expect.stringMatching(/^Deployment\/genomics: .*memory must be/),
      expect.stringMatching(/^Service\/inference: .*protocol must be equal to one of the allowed values/),
    ]);
    expect(schemaProblems([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }])).toEqual(['Pod/x: no schema for v1 Pod']);
  });

  it('keeps every rule of the hub', () => {
    expect(policyProblems(HUB, OPTIONS)).toEqual([]);
  });

  it('refuses a container that runs as root, writes its root filesystem, or has no limits or probes', () => {
    expect(policyProblems(broken((o) => (containerOf(o, 'patient').securityContext.runAsUser = 0)), OPTIONS)).toEqual(['Deployment/patient container patient: runs as uid 0, not a fixed non-root uid']);
    expect(policyProblems(broken((o) => (containerOf(o, 'genomics').securityContext.readOnlyRootFilesystem = false)), OPTIONS)).toEqual(['Deployment/genomics container genomics: root filesystem is writable']);
    expect(policyProblems(broken((o) => delete containerOf(o, 'inference').resources.limits), OPTIONS)).toEqual([
      'Deployment/inference container inference: no cpu limits',
      'Deployment/inference container inference: no memory limits',
    ]);
    expect(policyProblems(broken((o) => delete containerOf(o, 'gateway').readinessProbe), OPTIONS)).toEqual(['Deployment/gateway container gateway: readiness probe is not GET /health']);
    expect(policyProblems(broken((o) => delete containerOf(o, 'knowledge-graph').livenessProbe), OPTIONS)).toEqual(['Deployment/knowledge-graph container knowledge-graph: no liveness probe']);
  });

  it('refuses a stop without a pause, a missing disruption budget or autoscaler, and a credential written in the manifest', () => {
    expect(policyProblems(broken((o) => (podOf(o, 'patient').terminationGracePeriodSeconds = 12)), OPTIONS)).toEqual([
      "Deployment/patient container patient: terminationGracePeriodSeconds 12 leaves under 10 s to drain after preStop's 10 s",
    ]);
    expect(policyProblems(broken((o) => o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'genomics')), 1)), OPTIONS)).toEqual(['Deployment/genomics: no PodDisruptionBudget selects its pods']);
    expect(policyProblems(broken((o) => o.splice(o.indexOf(find(o, 'HorizontalPodAutoscaler', 'inference')), 1)), OPTIONS)).toEqual(['Deployment/inference: no HorizontalPodAutoscaler']);
    expect(policyProblems(broken((o) => containerOf(o, 'patient').env.push({ name: 'DATABASE_URL', value: 'postgres://hub:pw@db/hub' })), OPTIONS)).toEqual([
      'Deployment/patient container patient: DATABASE_URL is written in the manifest, not taken from a Secret',
    ]);
  });

  it('refuses a subgraph reachable from outside: a LoadBalancer or NodePort Service, an Ingress route, an open NetworkPolicy', () => {
    expect(policyProblems(broken((o) => (find(o, 'Service', 'patient').spec.type = 'LoadBalancer')), OPTIONS)).toEqual(['Service/patient: a subgraph exposed outside the cluster (type LoadBalancer)']);
    expect(policyProblems(broken((o) => (find(o, 'Service', 'inference').spec.type = 'NodePort')), OPTIONS)).toEqual(['Service/inference: a subgraph exposed outside the cluster (type NodePort)']);
    expect(
      policyProblems(
        broken((o) => find(o, 'Ingress', 'gateway').spec.rules[0].http.paths.push({ path: '/patient', pathType: 'Prefix', backend: { service: { name: 'patient', port: { name: 'http' } } } })),
        OPTIONS,
      ),
    ).toEqual(['Ingress/gateway: routes to subgraph Service patient']);
    expect(policyProblems(broken((o) => find(o, 'NetworkPolicy', 'genomics-ingress').spec.ingress[0].from.push({ ipBlock: { cidr: '0.0.0.0/0' } })), OPTIONS)).toEqual([
      "NetworkPolicy/genomics-ingress: lets in more than the gateway, the subgraphs and the hub's jobs",
    ]);
    expect(policyProblems(broken((o) => o.splice(o.indexOf(find(o, 'NetworkPolicy', 'knowledge-graph-ingress')), 1)), OPTIONS)).toEqual(['subgraph knowledge-graph: no NetworkPolicy selects its pods']);
  });

  it('lets into each database only the services that use it', () => {
    const from = (name: string) => find(DATA, 'NetworkPolicy', name).spec.ingress[0].from[0].podSelector.matchExpressions[0].values;
    expect(from('postgres-from-hub')).toEqual(['gateway', 'patient', 'genomics', 'inference']);
    expect(from('neo4j-from-hub')).toEqual(['knowledge-graph']);
    expect(from('redis-from-hub')).toEqual(['inference']);
    expect(DATA.every((o) => o.metadata.namespace === 'precision-hub-data')).toBe(true);
  });
});
