/**
 * Checks on the YAML operators apply (deploy/k8s/*.yaml, parsed): each object against the Kubernetes
 * OpenAPI schema kubernetes-models bundles (v1.33.0), and the hub's own rules: every container
 * non-root with a read-only root, limits and probes on /health, a graceful stop; every Deployment
 * with a PodDisruptionBudget; an autoscaler for the gateway and inference; no subgraph reachable
 * from outside the cluster (Service type, Ingress backend, NetworkPolicy); credentials only from
 * Secrets. Each function returns sentences naming the object, empty when all is well.
 */
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML: any shape until checked
export type K8sObject = Record<string, any>;

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const nameOf = (o: K8sObject) => `${o.kind}/${o.metadata?.name ?? '?'}`;

/** Schema problems: an unknown apiVersion/kind, or what the v1.33.0 schema refuses. */
export function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(`${nameOf(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${nameOf(object)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

const SECRET_ENV = /(SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|NEO4J_URI|NEO4J_USER|API_?KEY)/;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The hub's rules; `subgraphs` names the Deployments that must stay inside the cluster. */
export function policyProblems(objects: K8sObject[], opts: { autoscaled: string[]; secretName: string }): string[] {
  const problems: string[] = [];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = of('Deployment');
  const subgraphDeployments = deployments.filter((d) => d.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] === 'subgraph');
  const subgraphPodLabels = subgraphDeployments.map((d) => d.spec.template.metadata.labels as Record<string, string>);

  for (const d of deployments) {
    const name = nameOf(d);
    const pod = d.spec?.template?.spec ?? {};
    if (!(d.spec?.replicas >= 2)) problems.push(`${name}: fewer than 2 replicas`);
    if (!of('PodDisruptionBudget').some((p) => matches(p.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels))) problems.push(`${name}: no PodDisruptionBudget selects its pods`);
    if (pod.automountServiceAccountToken !== false) problems.push(`${name}: mounts a service-account token it does not use`);
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as K8sObject[]) {
      const where = `${name} container ${c.name}`;
      const sc = { ...pod.securityContext, ...c.securityContext };
      if (sc.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if (sc.runAsUser === 0 || sc.runAsUser === undefined) problems.push(`${where}: runs as uid ${sc.runAsUser ?? 'of the image'}, not a fixed non-root uid`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation allowed`);
      if (!c.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) if (!c.resources?.[kind]?.[resource]) problems.push(`${where}: no ${resource} ${kind}`);
      }
      if (c.readinessProbe?.httpGet?.path !== '/health') problems.push(`${where}: readiness probe is not GET /health`);
      if (!c.livenessProbe) problems.push(`${where}: no liveness probe`);
      const preStop = c.lifecycle?.preStop;
      const sleep = Number(preStop?.sleep?.seconds ?? preStop?.exec?.command?.at(-1));
      if (!preStop || !Number.isFinite(sleep)) problems.push(`${where}: no preStop pause before SIGTERM (the pod would leave its Service after it stopped serving)`);
      else if (grace < sleep + 10) problems.push(`${where}: terminationGracePeriodSeconds ${grace} leaves under 10 s to drain after preStop's ${sleep} s`);
      for (const env of (c.env ?? []) as K8sObject[]) {
        if (SECRET_ENV.test(env.name) && env.value !== undefined) problems.push(`${where}: ${env.name} is written in the manifest, not taken from a Secret`);
        const ref = env.valueFrom?.secretKeyRef;
        if (ref && ref.name !== opts.secretName) problems.push(`${where}: ${env.name} comes from Secret ${ref.name}, not ${opts.secretName}`);
      }
      if (c.image?.endsWith(':latest') || !c.image?.includes(':')) problems.push(`${where}: image ${c.image} has no fixed tag`);
    }
  }

  for (const name of opts.autoscaled) {
    if (!of('HorizontalPodAutoscaler').some((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === name)) problems.push(`Deployment/${name}: no HorizontalPodAutoscaler`);
  }

  const subgraphServices = of('Service').filter((s) => subgraphPodLabels.some((labels) => matches(s.spec?.selector, labels)));
  for (const s of subgraphServices) {
    if (s.spec?.type && s.spec.type !== 'ClusterIP') problems.push(`${nameOf(s)}: a subgraph exposed outside the cluster (type ${s.spec.type})`);
    if (s.spec?.externalIPs?.length) problems.push(`${nameOf(s)}: a subgraph exposed outside the cluster (externalIPs)`);
  }
  for (const ing of of('Ingress')) {
    const backends = [ing.spec?.defaultBackend, ...((ing.spec?.rules ?? []) as K8sObject[]).flatMap((r) => (r.http?.paths ?? []).map((p: K8sObject) => p.backend))].filter(Boolean);
    for (const backend of backends) {
      if (subgraphServices.some((s) => s.metadata?.name === backend.service?.name)) problems.push(`${nameOf(ing)}: routes to subgraph Service ${backend.service.name}`);
      else if (backend.service?.name !== 'gateway') problems.push(`${nameOf(ing)}: routes to ${backend.service?.name ?? 'a resource'}, not the gateway`);
    }
  }

  // Every subgraph pod: some policy selects it, and what it lets in is hub pods of this namespace only.
  const policies = of('NetworkPolicy');
  if (!policies.some((p) => p.spec?.podSelector && Object.keys(p.spec.podSelector).length === 0 && p.spec?.policyTypes?.includes('Ingress') && !p.spec?.ingress?.length)) {
    problems.push('no default-deny ingress NetworkPolicy');
  }
  for (const labels of subgraphPodLabels) {
    const selecting = policies.filter((p) => matches(p.spec?.podSelector?.matchLabels, labels));
    if (selecting.length === 0) problems.push(`subgraph ${labels['app.kubernetes.io/name']}: no NetworkPolicy selects its pods`);
    for (const p of selecting) {
      for (const rule of (p.spec?.ingress ?? []) as K8sObject[]) {
        if (!rule.from?.length) problems.push(`${nameOf(p)}: lets anyone reach subgraph ${labels['app.kubernetes.io/name']}`);
        for (const peer of (rule.from ?? []) as K8sObject[]) {
          const tiers = peer.podSelector?.matchExpressions?.find((e: K8sObject) => e.key === 'app.kubernetes.io/component')?.values as string[] | undefined;
          const fromHub = peer.podSelector?.matchLabels?.['app.kubernetes.io/part-of'] === 'precision-hub' && !!tiers && tiers.every((t) => ['gateway', 'subgraph', 'job'].includes(t));
          if (peer.ipBlock || peer.namespaceSelector || !fromHub) problems.push(`${nameOf(p)}: lets in more than the gateway, the subgraphs and the hub's jobs`);
        }
      }
    }
  }
  return problems;
}
